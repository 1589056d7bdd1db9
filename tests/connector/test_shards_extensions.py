"""Shards with the extension pipelines (reports, leads, organic) and declared custom reports (issue #14).

A shard is exactly its ids: account-scoped pipelines run only with ``--accounts``, organization-scoped ones
only with ``--organizations``, whatever family serves them; the lead pipelines (forms of ad accounts and of
organizations) run with either; a custom report is account-scoped like the
``reports`` family, and one whose rows sum over accounts cannot be split at all.
"""

from __future__ import annotations

import dataclasses

import pytest

from lisync.config.settings import RunSettings
from lisync.errors import ConfigError
from lisync.linkedin.analytics.custom_reports import parse_custom_reports
from lisync.run.families import available_pipelines
from lisync.run.shards import Shard, pipeline_slice, restrict_to_shard, shard_settings

ACCOUNT_SCOPED = {"ad_accounts", "ad_performance", "campaign_metadata", "campaign_group_metadata",
                  "conversion_details", "conversion_performance", "creative_metadata", "creative_landing_pages",
                  "ad_account_users", "account_performance", "campaign_group_performance",
                  "campaign_performance", "ad_demographics"}
ORGANIZATION_SCOPED = {"organization_pages", "organization_posts", "organization_followers",
                       "organization_video_statistics"}
OWNER_SCOPED = {"lead_forms", "lead_form_responses"}
REPORTS = parse_custom_reports({
    "spend_by_device": {"pivots": ["CAMPAIGN", "IMPRESSION_DEVICE_TYPE"], "metrics": ["impressions", "clicks"]},
    "by_seniority": {"pivots": ["MEMBER_SENIORITY"], "granularity": "MONTHLY", "metrics": ["impressions"]},
    "device_totals": {"pivots": ["IMPRESSION_DEVICE_TYPE"], "metrics": ["impressions"]},
})


def test_every_pipeline_is_bound_by_exactly_the_expected_ids() -> None:
    everything = available_pipelines()
    assert set(everything) == ACCOUNT_SCOPED | ORGANIZATION_SCOPED | OWNER_SCOPED, "a new pipeline: say which ids"
    assert {p for p in everything if pipeline_slice(p) == "accounts"} == ACCOUNT_SCOPED
    assert {p for p in everything if pipeline_slice(p) == "organizations"} == ORGANIZATION_SCOPED
    assert {p for p in everything if pipeline_slice(p) == "both"} == OWNER_SCOPED


def test_a_shard_runs_exactly_the_pipelines_of_its_ids() -> None:
    everything = RunSettings(pipelines=available_pipelines())
    accounts = restrict_to_shard(dataclasses.replace(everything, shard="s1", account_ids=["5"]))
    assert set(accounts.pipelines) == ACCOUNT_SCOPED | OWNER_SCOPED
    pages = restrict_to_shard(dataclasses.replace(everything, shard="s2", organization_ids=["100000"]))
    assert set(pages.pipelines) == ORGANIZATION_SCOPED | OWNER_SCOPED
    both = restrict_to_shard(dataclasses.replace(everything, shard="s3", account_ids=["5"],
                                                 organization_ids=["100000"]))
    assert both.pipelines == everything.pipelines


def test_a_custom_report_runs_in_account_shards_only() -> None:
    base = RunSettings(pipelines=["organization_pages", "spend_by_device", "by_seniority"], custom_reports=REPORTS)
    run = restrict_to_shard(dataclasses.replace(base, shard="s1", account_ids=["5"]))
    assert run.pipelines == ["spend_by_device", "by_seniority"]
    pages = restrict_to_shard(dataclasses.replace(base, shard="s2", organization_ids=["100000"]))
    assert pages.pipelines == ["organization_pages"]
    only_report = dataclasses.replace(base, pipelines=["spend_by_device"], shard="s2", organization_ids=["100000"])
    with pytest.raises(ConfigError, match="None of the selected pipelines applies to shard s2"):
        restrict_to_shard(only_report)


def test_orchestrator_shard_settings_know_custom_reports() -> None:
    base = RunSettings(pipelines=["ad_performance", "organization_posts", "spend_by_device"], dataset="li",
                       custom_reports=REPORTS)
    accounts = shard_settings(base, Shard("shard_01", accounts=["5"]))
    assert accounts.pipelines == ["ad_performance", "spend_by_device"]
    assert accounts.custom_reports == REPORTS and accounts.account_ids == ["5"]
    pages = shard_settings(base, Shard("shard_02", organizations=["100000"]))
    assert pages.pipelines == ["organization_posts"] and pages.account_ids == []


def test_a_report_summed_over_accounts_is_refused_in_a_shard() -> None:
    base = RunSettings(pipelines=["ad_accounts", "device_totals"], custom_reports=REPORTS)
    assert restrict_to_shard(base) is base  # unsharded it runs as declared
    for shard in (dataclasses.replace(base, shard="s1", account_ids=["5"]),
                  dataclasses.replace(base, shard="s2", organization_ids=["100000"])):
        with pytest.raises(ConfigError) as error:
            restrict_to_shard(shard)
        assert "'device_totals' cannot run in a shard" in str(error.value)
        assert "\n" not in str(error.value)
    with pytest.raises(ConfigError, match="cannot run in a shard"):
        shard_settings(base, Shard("shard_01", accounts=["5"]))


def test_an_undeclared_name_stays_an_unknown_pipeline() -> None:
    settings = RunSettings(pipelines=["spend_by_device"], shard="s1", account_ids=["5"])
    with pytest.raises(ConfigError, match="Unknown pipeline 'spend_by_device'"):
        restrict_to_shard(settings)
