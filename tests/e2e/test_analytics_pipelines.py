"""End to end: ad and conversion performance against the sandbox — first run, re-runs, restatement, the cap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from tests.e2e.conftest import TODAY, Runner

from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

PERF = ("ad_performance", "conversion_performance")
START = TODAY - dt.timedelta(days=150)


@pytest.fixture
def own_sandbox() -> Iterator[SandboxServer]:
    """A sandbox whose clock this test may move (medium world: many accounts, conversions, restatement)."""
    with SandboxServer(SandboxConfig(port=0, seed=11, scale="small", today=TODAY,
                                     scale_overrides={"creatives_per_campaign": 4})) as server:
        yield server


def _oracle_totals(sandbox: SandboxServer, account_ids: list[str], start: dt.date,
                   end: dt.date) -> dict[str, tuple[float, float]]:
    """Ask the sandbox directly (ACCOUNT pivot, ALL granularity) for total impressions and cost per account."""
    facet = ",".join(f"urn%3Ali%3AsponsoredAccount%3A{a}" for a in account_ids)
    url = (f"{sandbox.base_url}/rest/adAnalytics?q=analytics&pivot=ACCOUNT&timeGranularity=ALL"
           f"&dateRange=(start:(year:{start.year},month:{start.month},day:{start.day}),"
           f"end:(year:{end.year},month:{end.month},day:{end.day}))&accounts=List({facet})"
           "&fields=impressions,costInLocalCurrency,pivotValues")
    body = requests.get(url, headers={"Authorization": "Bearer oracle", "LinkedIn-Version": "202610",
                                      "X-Restli-Protocol-Version": "2.0.0"}, timeout=30).json()
    return {e["pivotValues"][0].rsplit(":", 1)[1]: (float(e["impressions"]), float(e["costInLocalCurrency"]))
            for e in body["elements"]}


def test_first_run_loads_every_spec_column_and_matches_linkedin_totals(runner: Runner) -> None:
    summary = runner.run(*PERF, start_date=START, today=TODAY)
    assert summary.status == "ok", summary.error
    for table in PERF:
        runner.assert_matches_spec(table)
    assert summary.tables["ad_performance"] > 100
    assert runner.scalar("select count(*) from {ds}.ad_performance where metric_date < ?", [START]) == 0
    dupes = runner.scalar("select count(*) - count(distinct (metric_date, creative_id)) from {ds}.ad_performance")
    assert dupes == 0
    # ids, references and names are filled from the entity listings
    missing = runner.scalar("select count(*) from {ds}.ad_performance where campaign_name is null "
                            "or campaign_group_id is null or account_id is null or creative_reference is null")
    assert missing == 0
    accounts = [r[0] for r in runner.query("select distinct account_id from {ds}.ad_performance")]
    oracle = _oracle_totals(runner.sandbox, accounts, START, TODAY)
    landed = dict(((a, (i, c)) for a, i, c in runner.query(
        "select account_id, sum(impressions), sum(costinlocalcurrency) from {ds}.ad_performance group by 1")))
    for account, (impressions, cost) in oracle.items():
        assert landed[account][0] == impressions
        assert landed[account][1] == pytest.approx(cost, rel=1e-9, abs=1e-6)
    # the planner used the accounts facet: analytics requests are a handful, not one per creative
    details = summary.details["analytics"]["ad_performance"]
    assert details["requests"] <= 2 * 5, details
    assert summary.verify is not None  # the run's verification asks adAnalytics for account totals as well
    verify_requests = summary.verify["tables"]["ad_performance"]["requests"]
    assert summary.requests["by_endpoint"]["adAnalytics?q=analytics"] == details["requests"] + verify_requests


def test_rerun_same_day_changes_nothing(runner: Runner) -> None:
    assert runner.run(*PERF, start_date=START, today=TODAY).status == "ok"
    first = {t: runner.snapshot(t) for t in PERF}
    second_summary = runner.run(*PERF, start_date=START, today=TODAY)
    assert second_summary.status == "ok"
    assert {t: runner.snapshot(t) for t in PERF} == first


def _runner(sandbox: SandboxServer, folder: Path) -> Runner:
    folder.mkdir(parents=True, exist_ok=True)
    return Runner(sandbox, folder)


def test_clock_moves_forward_restated_days_end_exact(own_sandbox: SandboxServer, tmp_path: Path) -> None:
    incremental = _runner(own_sandbox, tmp_path / "incremental")
    assert incremental.run(*PERF, start_date=START, today=TODAY).status == "ok"
    before = {(d, c): i for d, c, i in incremental.query(
        "select metric_date, creative_id, impressions from {ds}.ad_performance")}
    later = TODAY + dt.timedelta(days=5)
    requests.post(f"{own_sandbox.base_url}/_sandbox/clock", json={"today": later.isoformat()}, timeout=10)
    summary = incremental.run(*PERF, start_date=START, today=later)
    assert summary.status == "ok", summary.error
    after = {(d, c): i for d, c, i in incremental.query(
        "select metric_date, creative_id, impressions from {ds}.ad_performance")}
    restated = [k for k in before if k in after and after[k] != before[k]]
    assert restated, "moving the clock should restate recent days"
    assert all(k[0] >= TODAY - dt.timedelta(days=3) for k in restated)  # delivery settles within 3 days
    # a fresh full load on the later day is the truth: the incremental table must equal it exactly
    fresh = _runner(own_sandbox, tmp_path / "fresh")
    assert fresh.run(*PERF, start_date=START, today=later).status == "ok"
    for table in PERF:
        assert incremental.snapshot(table) == fresh.snapshot(table), table
    assert incremental.scalar(
        "select count(*) - count(distinct (metric_date, creative_id)) from {ds}.ad_performance") == 0
    # the second run read only each account's update window (savepoint − window), not the whole history
    world = own_sandbox.world
    for account, read_from in summary.details["analytics"]["ad_performance"]["read_from"].items():
        windows = [max(r["postClickAttributionWindowSize"], r["viewThroughAttributionWindowSize"])
                   for r in world.conversions_of(int(account))]
        expected = max(START, TODAY - dt.timedelta(days=max([30, *windows])))
        assert read_from == expected.isoformat(), account


@pytest.mark.slow
def test_a_response_at_the_cap_is_split_and_loaded_completely(tmp_path: Path) -> None:
    config = SandboxConfig(port=0, seed=5, scale="small", today=TODAY,
                           scale_overrides={"accounts": 2, "campaign_groups_per_account": 4, "campaigns_per_group": 6,
                                            "creatives_per_campaign": 25, "history_days": 365})
    with SandboxServer(config) as server:
        start = TODAY - dt.timedelta(days=364)
        greedy = _runner(server, tmp_path / "greedy")
        summary = greedy.run("ad_performance", start_date=start, today=TODAY,
                             analytics_row_budget=10_000_000)
        assert summary.status == "ok", summary.error
        details = summary.details["analytics"]["ad_performance"]
        assert summary.tables["ad_performance"] > 15_000
        assert details["cap_splits"] >= 1
        # nothing was lost to truncation: every account's totals equal LinkedIn's own aggregate
        accounts = [r[0] for r in greedy.query("select distinct account_id from {ds}.ad_performance")]
        oracle = _oracle_totals(server, accounts, start, TODAY)
        landed = {a: i for a, i in greedy.query(
            "select account_id, sum(impressions) from {ds}.ad_performance group by 1")}
        assert landed == {a: i for a, (i, _) in oracle.items()}
        assert greedy.scalar(
            "select count(*) - count(distinct (metric_date, creative_id)) from {ds}.ad_performance") == 0
