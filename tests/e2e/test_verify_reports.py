"""Verify and repair the reports family's entity tables (issue #14) against the sandbox, on DuckDB and Postgres.

``account_performance``, ``campaign_group_performance`` and ``campaign_performance`` add up, per account and
month, to the same LinkedIn ACCOUNT totals ``ad_performance`` is verified with: one fetch serves all four tables.
Deleted or altered rows must be named, and repaired (by ``lisync verify --repair`` or the next run) back to
exactly what was landed. Reach is never summed, so never verified.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.e2e.conftest import TODAY, Runner

from lisync.linkedin.analytics.report_fields import NON_ADDITIVE_METRICS
from lisync.run.reconcile import ENTITY_TABLES, VERIFIED_TABLES, table_metrics
from lisync.run.verify import VerifyReport
from lisync.run.verify_destination import verify_destination

START = TODAY - dt.timedelta(days=120)
TABLES = ("ad_performance", *ENTITY_TABLES)



def _verify(runner: Runner, repair: bool = False) -> VerifyReport:
    return verify_destination(runner.settings(*TABLES, start_date=START), repair=repair)[0]


def _busiest(runner: Runner, table: str) -> tuple[str, str]:
    """The account and month (``YYYY-MM``) with the most rows in ``table``."""
    rows = runner.query(f"select account_id, metric_date from {{ds}}.{table}")
    counts: dict[tuple[str, str], int] = {}
    for account, day in rows:
        key = (str(account), f"{day.year:04d}-{day.month:02d}")
        counts[key] = counts.get(key, 0) + 1
    return max(sorted(counts), key=lambda k: counts[k])


def _month_filter(account: str, month: str) -> str:
    first = dt.date.fromisoformat(f"{month}-01")
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return (f"account_id = '{account}' and metric_date >= '{first.isoformat()}' "
            f"and metric_date < '{following.isoformat()}'")


def test_reach_is_never_a_verified_metric() -> None:
    for table in VERIFIED_TABLES:
        assert not NON_ADDITIVE_METRICS.intersection(table_metrics(table)), table


def test_entity_tables_verify_clean_and_tampered_rows_are_named_and_repaired(runner: Runner) -> None:
    summary = runner.run(*TABLES, start_date=START, today=TODAY)
    assert summary.status == "ok", summary.error
    verified: dict[str, Any] = summary.verify or {}
    assert verified.get("status") == "ok", verified
    assert set(ENTITY_TABLES) <= set(verified["tables"]), verified["tables"]
    assert verified["found"] == 0 and verified["repaired"] == []
    # the entity tables reuse ad_performance's account totals: no request of their own
    assert verified["tables"]["ad_performance"]["requests"] >= 1
    assert all(verified["tables"][t]["requests"] == 0 for t in ENTITY_TABLES), verified["tables"]
    before = {t: runner.snapshot(t) for t in ENTITY_TABLES}

    campaign_month = _busiest(runner, "campaign_performance")
    account_month = _busiest(runner, "account_performance")
    runner.write(f"delete from {{ds}}.campaign_performance where {_month_filter(*campaign_month)}")
    runner.write("update {ds}.account_performance set impressions = impressions + 7, "
                   f"approximatememberreach = approximatememberreach * 3 where {_month_filter(*account_month)}")
    report = _verify(runner)
    assert report.status == "differs"
    named = {(d.table, d.account_id, d.month) for d in report.differences}
    assert named == {("campaign_performance", *campaign_month), ("account_performance", *account_month)}
    assert {d.metric for d in report.differences if d.table == "account_performance"} == {"impressions"}
    assert report.requests == report.table_requests["ad_performance"]  # still one shared fetch

    repaired = _verify(runner, repair=True)
    assert repaired.status == "ok", [d.as_dict() for d in repaired.differences]
    assert {(r["table"], r["account_id"], r["month"]) for r in repaired.repaired} == named
    assert repaired.repair_requests > 0
    assert {t: runner.snapshot(t) for t in ENTITY_TABLES} == before  # reach and names restored too

    # rows lost outside the next run's update window are found and healed by that run's verify step
    group_month = _busiest(runner, "campaign_group_performance")
    runner.write(f"delete from {{ds}}.campaign_group_performance where {_month_filter(*group_month)}")
    again = runner.run(*TABLES, start_date=START, today=TODAY, update_window_days=3)
    assert again.status == "ok", again.error
    assert again.verify is not None
    assert [(r["table"], r["account_id"], r["month"]) for r in again.verify["repaired"]] == [
        ("campaign_group_performance", *group_month)]
    assert {t: runner.snapshot(t) for t in ENTITY_TABLES} == before
