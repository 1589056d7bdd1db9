"""End to end: custom reports whose rows sum over accounts stay whole when the planner splits the run.

A report without an account-scoped pivot (``IMPRESSION_DEVICE_TYPE`` alone) answers one row per device and day
for all the accounts of a request. When the planner spreads the accounts (or days) over several requests, each
request answers the same keys; the run must land their sum, not one request's share. The reference is the same
report read in one request per field chunk (the planner's default budget on the small world), which is
LinkedIn's (the sandbox's) own total for the query.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.conftest import TODAY, Runner

from lisync.linkedin.analytics.custom_reports import parse_custom_reports
from lisync.sandbox.server import SandboxServer

START = TODAY - dt.timedelta(days=60)
METRICS = ["impressions", "clicks", "costInLocalCurrency", "costInUsd"]
QUERY = ("select date_start, date_end, impression_device_type, impressions, clicks, costinlocalcurrency,"
         " cast(costinusd as double) from {ds}.device_totals order by 1, 2, 3")


def _reports(granularity: str = "DAILY") -> dict[str, Any]:
    return parse_custom_reports({"device_totals": {
        "pivots": ["IMPRESSION_DEVICE_TYPE"], "granularity": granularity, "metrics": METRICS}})


def _runner(sandbox: SandboxServer, folder: Path) -> Runner:
    folder.mkdir()
    return Runner(sandbox, folder)


def _requests(summary: Any) -> int:
    return int(summary.details["analytics"]["device_totals"]["requests"])


def _rounded(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in rows]


def _reference(sandbox: SandboxServer, folder: Path, granularity: str = "DAILY",
               start: dt.date = START) -> tuple[list[tuple[Any, ...]], list[str]]:
    """The report read unsplit: one request per field chunk for every account and the whole range."""
    ref = _runner(sandbox, folder)
    summary = ref.run("device_totals", start_date=start, today=TODAY, custom_reports=_reports(granularity))
    assert summary.status == "ok", summary.error
    assert _requests(summary) == 1  # four metrics: one chunk, one request — nothing was split
    rows = _rounded(ref.query(QUERY))
    assert rows
    return rows, sorted(summary.details["analytics"]["device_totals"]["read_from"])


@pytest.mark.parametrize(("granularity", "budget"), [("DAILY", 40), ("ALL", 10)])
def test_rows_summed_over_accounts_survive_a_split_run(e2e_sandbox: SandboxServer, tmp_path: Path,
                                                       granularity: str, budget: float) -> None:
    reference, _ = _reference(e2e_sandbox, tmp_path / "ref", granularity)
    split = _runner(e2e_sandbox, tmp_path / "split")
    # A tiny row budget makes the planner put each account (and each few days) in a request of its own.
    summary = split.run("device_totals", start_date=START, today=TODAY, custom_reports=_reports(granularity),
                        analytics_row_budget=budget)
    assert summary.status == "ok", summary.error
    requests = _requests(summary)
    assert requests > 3  # accounts and days spread over several requests
    landed = _rounded(split.query(QUERY))
    if granularity == "DAILY":
        assert landed == reference
        return
    # ALL: one row per device over the whole range. The sandbox rounds each breakdown value down per campaign and
    # request range, so parts may lose up to one unit per campaign and request; an account read twice or
    # left out would be off by thousands.
    assert [r[:3] for r in landed] == [r[:3] for r in reference]
    slack = requests * len(e2e_sandbox.world.campaigns)
    for got, want in zip(landed, reference, strict=True):
        assert abs(got[3] - want[3]) <= slack and abs(got[4] - want[4]) <= slack, (got, want)


def test_monthly_rows_summed_over_accounts_survive_a_split_run(e2e_sandbox: SandboxServer,
                                                              tmp_path: Path) -> None:
    start = dt.date(TODAY.year, TODAY.month, 1) - dt.timedelta(days=1)
    start = start.replace(day=1) - dt.timedelta(days=1)
    start = start.replace(day=1)  # two whole months before this one
    reference, _ = _reference(e2e_sandbox, tmp_path / "ref", "MONTHLY", start)
    assert {r[0].day for r in reference} == {1}
    split = _runner(e2e_sandbox, tmp_path / "split")
    summary = split.run("device_totals", start_date=start, today=TODAY, custom_reports=_reports("MONTHLY"),
                        analytics_row_budget=0.3)
    assert summary.status == "ok", summary.error
    assert _requests(summary) > 3
    assert _rounded(split.query(QUERY)) == reference


def test_rereading_a_new_account_keeps_the_other_accounts_share(e2e_sandbox: SandboxServer,
                                                                tmp_path: Path) -> None:
    reference, accounts = _reference(e2e_sandbox, tmp_path / "ref")
    assert len(accounts) > 1
    runner = _runner(e2e_sandbox, tmp_path / "incremental")
    # First run: one account only (its savepoint reaches today); second run: every account, so the new ones
    # start at the start date while the first one re-reads only its update window.
    first = runner.run("device_totals", start_date=START, today=TODAY, custom_reports=_reports(),
                       account_ids=accounts[:1], analytics_row_budget=40, update_window_days=3)
    assert first.status == "ok", first.error
    second = runner.run("device_totals", start_date=START, today=TODAY, custom_reports=_reports(),
                        account_ids=accounts, analytics_row_budget=40, update_window_days=3)
    assert second.status == "ok", second.error
    assert _rounded(runner.query(QUERY)) == reference


def test_monthly_campaign_rows_stay_whole_months_when_split(e2e_sandbox: SandboxServer, tmp_path: Path) -> None:
    """Per-account MONTHLY reports (reach included) are cut at month starts, never inside a month."""
    start = (TODAY.replace(day=1) - dt.timedelta(days=40)).replace(day=1)
    reports = parse_custom_reports({"campaign_months": {
        "pivots": ["CAMPAIGN"], "granularity": "MONTHLY", "metrics": ["impressions", "approximateMemberReach"]}})
    query = "select * exclude (_dlt_load_id, _dlt_id) from {ds}.campaign_months order by all"
    ref = _runner(e2e_sandbox, tmp_path / "ref")
    summary = ref.run("campaign_months", start_date=start, today=TODAY, custom_reports=reports)
    assert summary.status == "ok", summary.error
    split = _runner(e2e_sandbox, tmp_path / "split")
    summary = split.run("campaign_months", start_date=start, today=TODAY, custom_reports=reports,
                        analytics_row_budget=0.3)
    assert summary.status == "ok", summary.error
    assert summary.details["analytics"]["campaign_months"]["requests"] > 4
    assert split.scalar("select count(*) from {ds}.campaign_months where extract(day from date_start) <> 1") == 0
    assert split.query(query) == ref.query(query)


def test_monthly_rerun_replaces_the_growing_month(e2e_sandbox: SandboxServer, tmp_path: Path) -> None:
    """The current month's row grows day by day: a later run replaces it instead of adding a second row."""
    start = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    reference, _ = _reference(e2e_sandbox, tmp_path / "ref", "MONTHLY", start)
    runner = _runner(e2e_sandbox, tmp_path / "rerun")
    for today in (TODAY - dt.timedelta(days=5), TODAY):
        summary = runner.run("device_totals", start_date=start, today=today, custom_reports=_reports("MONTHLY"),
                             update_window_days=3)
        assert summary.status == "ok", summary.error
    assert _rounded(runner.query(QUERY)) == reference
