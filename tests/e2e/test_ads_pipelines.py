"""End to end: the ads entity pipelines against the sandbox over loopback HTTP into a real DuckDB file."""

from __future__ import annotations

import pytest
from tests.e2e.conftest import Runner

from lisync.errors import SelectionError

ADS = ("ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata", "conversion_details")
ADS_TABLES = (*ADS, "conversion_details__associated_campaigns")


def _visible_ids(runner: Runner) -> list[int]:
    world = runner.sandbox.world
    return world.account_ids_for(world.default_grant)


def test_all_ads_tables_land_with_spec_columns_and_sandbox_counts(runner: Runner) -> None:
    summary = runner.run(*ADS)
    assert summary.status == "ok", summary.error
    world = runner.sandbox.world
    visible = set(_visible_ids(runner))
    expected = {
        "ad_accounts": len(visible),
        "campaign_group_metadata": sum(len(world.groups_of(a)) for a in visible),
        "campaign_metadata": sum(len(world.campaigns_of(a)) for a in visible),
        "creative_metadata": sum(len(world.creatives_of(a)) for a in visible),
        "conversion_details": sum(len(world.conversions_of(a)) for a in visible),
    }
    for table in ADS_TABLES:
        runner.assert_matches_spec(table)
    for table, count in expected.items():
        assert count > 0
        assert summary.tables[table] == count, table
        assert runner.scalar(f"select count(*) from {{ds}}.{table}") == count
    # every status LinkedIn has is represented, REMOVED included
    statuses = {r[0] for r in runner.query("select distinct status from {ds}.campaign_metadata")}
    assert "REMOVED" in statuses and "ACTIVE" in statuses
    # nulls where LinkedIn omits a field
    assert runner.scalar("select count(*) from {ds}.creative_metadata where review_status is null") > 0
    # ids join: every creative's campaign is a loaded campaign
    orphans = runner.scalar(
        "select count(*) from {ds}.creative_metadata c left join {ds}.campaign_metadata m "
        "on c.campaign_id = m.id where m.id is null")
    assert orphans == 0
    assert runner.scalar("select count(*) - count(distinct id) from {ds}.campaign_metadata") == 0
    assert runner.scalar("select count(*) from {ds}.conversion_details__associated_campaigns") > 0
    by_endpoint = summary.requests["by_endpoint"]
    assert by_endpoint["adAccounts?q=search"] >= 1
    assert by_endpoint["adAccounts/{id}/adCampaigns?q=search"] == len(visible)
    assert summary.requests["total"] == sum(by_endpoint.values())


def test_running_twice_gives_identical_tables(runner: Runner) -> None:
    assert runner.run(*ADS).status == "ok"
    first = {t: runner.snapshot(t) for t in ADS_TABLES}
    assert runner.run(*ADS).status == "ok"
    second = {t: runner.snapshot(t) for t in ADS_TABLES}
    assert first == second


def test_accounts_filter_limits_child_tables(runner: Runner) -> None:
    account = _visible_ids(runner)[0]
    summary = runner.run("campaign_metadata", "creative_metadata", account_ids=[str(account)])
    assert summary.status == "ok", summary.error
    ids = {r[0] for r in runner.query("select distinct account_id from {ds}.campaign_metadata")}
    assert ids == {str(account)}
    assert runner.scalar("select count(*) from {ds}.creative_metadata") == len(
        runner.sandbox.world.creatives_of(account))


def test_unknown_account_is_a_clear_error_and_leaves_data_untouched(runner: Runner) -> None:
    assert runner.run("campaign_metadata").status == "ok"
    before = runner.snapshot("campaign_metadata")
    hidden = [a["id"] for a in runner.sandbox.world.accounts if a["id"] not in set(_visible_ids(runner))]
    assert hidden, "the sandbox world should have an account the member cannot see"
    with pytest.raises(SelectionError) as info:
        runner.run("campaign_metadata", account_ids=[str(hidden[0])])
    message = str(info.value)
    assert str(hidden[0]) in message and "your token can see" in message
    assert all(str(v) in message for v in _visible_ids(runner))
    assert runner.snapshot("campaign_metadata") == before
