"""End to end: account, campaign group and campaign performance, demographics and custom reports (issue #14).

Every test runs against the loopback sandbox into DuckDB and Postgres (the ``runner`` fixture).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.e2e.conftest import TODAY, Runner

from lisync.linkedin.analytics.custom_reports import parse_custom_reports
from lisync.linkedin.analytics.report_fields import DEMOGRAPHIC_PIVOTS
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

START = TODAY - dt.timedelta(days=120)
ENTITY = ("campaign_performance", "campaign_group_performance", "account_performance")


def test_entity_tables_land_every_column_and_agree_with_ad_performance(runner: Runner) -> None:
    summary = runner.run("ad_performance", *ENTITY, start_date=START, today=TODAY)
    assert summary.status == "ok", summary.error
    for table in ENTITY:
        runner.assert_matches_spec(table)
        assert summary.tables[table] > 0
    # impressions, clicks and cost per campaign-day equal the sum of its creatives' rows
    diff = runner.query(
        "with c as (select campaign_id, metric_date, sum(impressions) i, sum(clicks) k, sum(costinlocalcurrency) s"
        " from {ds}.ad_performance group by 1, 2)"
        " select count(*) from {ds}.campaign_performance p full join c"
        " on p.campaign_id = c.campaign_id and p.metric_date = c.metric_date"
        " where coalesce(p.impressions, 0) <> coalesce(c.i, 0) or coalesce(p.clicks, 0) <> coalesce(c.k, 0)"
        " or abs(coalesce(p.costinlocalcurrency, 0) - coalesce(c.s, 0)) > 1e-6")
    assert diff == [(0,)]
    for table, key in (("account_performance", "account_id"), ("campaign_group_performance", "campaign_group_id")):
        mismatched = runner.scalar(
            f"with c as (select {key} k, metric_date d, sum(impressions) i from {{ds}}.ad_performance group by 1, 2)"
            f" select count(*) from {{ds}}.{table} p join c on p.{key} = c.k and p.metric_date = c.d"
            " where p.impressions <> c.i")
        assert mismatched == 0
    # names and parents come from the listings
    assert runner.scalar("select count(*) from {ds}.campaign_performance where campaign_name is null "
                         "or campaign_group_id is null or account_id is null") == 0
    # reach is read at each level, never summed: a campaign's daily reach is below the sum of its creatives'
    # daily reach on days with several active creatives, and below its impressions
    rows = runner.query(
        "with c as (select campaign_id, metric_date, sum(approximatememberreach) r, count(*) n"
        " from {ds}.ad_performance group by 1, 2)"
        " select p.approximatememberreach, c.r, p.impressions from {ds}.campaign_performance p join c"
        " on p.campaign_id = c.campaign_id and p.metric_date = c.metric_date where c.n > 1")
    assert rows, "no campaign-day with several creatives"
    assert all(reach is not None and reach <= impressions for reach, _, impressions in rows)
    assert any(reach < summed for reach, summed, _ in rows)
    assert runner.scalar("select count(*) from {ds}.campaign_performance where audiencepenetration > 0") > 0
    details = summary.details["analytics"]["campaign_performance"]
    # 75 metrics in 5 chunks, and the reach chunk in two ≤92-day windows over 121 days: about 6 per request
    assert details["requests"] <= 3 * 6, details


def test_demographics_land_with_named_values_and_stay_within_totals(runner: Runner) -> None:
    summary = runner.run("campaign_performance", "ad_demographics", start_date=START, today=TODAY)
    assert summary.status == "ok", summary.error
    runner.assert_matches_spec("ad_demographics")
    runner.assert_matches_spec("demographic_values")
    pivots = {r[0] for r in runner.query("select distinct demographic_pivot from {ds}.ad_demographics")}
    assert pivots == set(DEMOGRAPHIC_PIVOTS)
    assert runner.scalar("select count(*) from {ds}.ad_demographics where granularity <> 'MONTHLY' "
                         "or extract(day from metric_date) <> 1") == 0
    # every value has a readable name
    assert runner.scalar("select count(*) from {ds}.ad_demographics d left join {ds}.demographic_values v"
                         " on d.demographic_value = v.demographic_value where v.name is null") == 0
    # a demographic breakdown never exceeds its campaign's total for the month
    over = runner.scalar(
        "with m as (select campaign_id, date_trunc('month', metric_date) mo, sum(impressions) i"
        " from {ds}.campaign_performance group by 1, 2),"
        " d as (select campaign_id, demographic_pivot, metric_date mo, sum(impressions) i from {ds}.ad_demographics"
        " group by 1, 2, 3)"
        " select count(*) from d join m on d.campaign_id = m.campaign_id and d.mo = m.mo where d.i > m.i")
    assert over == 0
    # top values only: at most 100 values per campaign, pivot and month
    assert runner.scalar("select max(n) from (select count(*) n from {ds}.ad_demographics"
                         " group by campaign_id, demographic_pivot, metric_date) t") <= 100


def test_custom_report_from_config_lands(runner: Runner) -> None:
    reports = parse_custom_reports({"spend_by_device": {
        "pivots": ["CAMPAIGN", "IMPRESSION_DEVICE_TYPE"], "granularity": "DAILY",
        "metrics": ["impressions", "clicks", "costInLocalCurrency"]}})
    summary = runner.run("campaign_performance", "spend_by_device", start_date=START, today=TODAY,
                         custom_reports=reports)
    assert summary.status == "ok", summary.error
    assert summary.tables["spend_by_device"] > 0
    devices = {r[0] for r in runner.query("select distinct impression_device_type from {ds}.spend_by_device")}
    assert "DESKTOP_WEB" in devices
    # device rows add up to no more than the campaign-day's totals
    over = runner.scalar(
        "with d as (select campaign, date_start, sum(impressions) i from {ds}.spend_by_device group by 1, 2)"
        " select count(*) from d join {ds}.campaign_performance p"
        " on d.campaign = p.campaign_reference and d.date_start = p.metric_date where d.i > p.impressions")
    assert over == 0


@pytest.mark.parametrize("pivots", [["ACCOUNT"]])
def test_custom_monthly_report_keys_are_whole_months(runner: Runner, pivots: list[str]) -> None:
    reports = parse_custom_reports({"monthly_reach": {
        "pivots": pivots, "granularity": "MONTHLY", "metrics": ["impressions", "approximateMemberReach"]}})
    summary = runner.run("monthly_reach", start_date=START, today=TODAY, custom_reports=reports)
    assert summary.status == "ok", summary.error
    assert runner.scalar("select count(*) from {ds}.monthly_reach where extract(day from date_start) <> 1") == 0
    assert runner.scalar("select count(*) from {ds}.monthly_reach where approximatememberreach is null") == 0


def test_extended_metrics_add_nullable_columns(runner: Runner) -> None:
    summary = runner.run("ad_performance", "campaign_performance", start_date=START, today=TODAY,
                         api_version="202601", extended_metrics=True)
    assert summary.status == "ok", summary.error
    for table in ("ad_performance", "campaign_performance"):
        columns = {r[0] for r in runner.query(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            [runner.dataset, table])}
        assert {"averagedwelltime", "videowatchtime", "eventviews", "costpereventview"} <= columns
    assert runner.scalar("select count(*) from {ds}.campaign_performance where averagedwelltime > 0") > 0
    assert runner.scalar("select count(*) from {ds}.ad_performance where eventviews > 0") > 0
    # a summed newer metric still agrees across levels
    assert runner.scalar(
        "select sum(eventviews) from {ds}.ad_performance") == runner.scalar(
        "select sum(eventviews) from {ds}.campaign_performance")


def test_conversion_performance_carries_no_reach(runner: Runner) -> None:
    summary = runner.run("conversion_performance", start_date=START, today=TODAY)
    assert summary.status == "ok", summary.error
    assert summary.tables["conversion_performance"] > 0
    assert runner.scalar("select count(*) from {ds}.conversion_performance "
                         "where approximatememberreach is not null") == 0


def test_extended_metrics_ask_only_for_what_the_version_has(runner: Runner) -> None:
    # the sandbox answers 400 to a metric newer than the request's LinkedIn-Version, as LinkedIn does
    summary = runner.run("ad_performance", "campaign_performance", "account_performance", start_date=START,
                         today=TODAY, api_version="202512", extended_metrics=True)
    assert summary.status == "ok", summary.error
    columns = {r[0] for r in runner.query(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
        [runner.dataset, "campaign_performance"])}
    assert "averagedwelltime" in columns
    assert not {"videowatchtime", "eventviews", "costpereventview"} & columns
    assert runner.scalar("select count(*) from {ds}.campaign_performance where averagedwelltime > 0") > 0
    # audiencePenetration is served at account level too (ACCOUNT, CAMPAIGN_GROUP or CAMPAIGN pivot)
    assert runner.scalar("select count(*) from {ds}.account_performance where audiencepenetration > 0") > 0
    assert runner.scalar("select count(*) from {ds}.account_performance where audiencepenetration >= 1") == 0


def test_campaign_performance_on_a_version_before_audience_penetration(tmp_path: Path) -> None:
    config = SandboxConfig(port=0, seed=7, scale="small", today=TODAY, accept_retired_versions=True)
    with SandboxServer(config) as sandbox:
        runner = Runner(sandbox, tmp_path)
        summary = runner.run("campaign_performance", start_date=START, today=TODAY, api_version="202410")
        assert summary.status == "ok", summary.error
        assert runner.scalar("select count(*) from {ds}.campaign_performance") > 0
        assert runner.scalar("select count(*) from {ds}.campaign_performance "
                             "where audiencepenetration is not null") == 0
        runner.assert_matches_spec("campaign_performance")
