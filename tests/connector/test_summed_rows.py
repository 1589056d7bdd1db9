"""Rows summed over accounts across requests (summed.py) and month-aligned cuts of MONTHLY plans (planner.py)."""

from __future__ import annotations

import datetime as dt

from lisync.linkedin.analytics.planner import AccountLoad, PlannedRequest, pack_requests, split_by_days
from lisync.linkedin.analytics.summed import SummedRows

D = dt.date


def test_parts_of_one_key_are_summed_and_averages_dropped() -> None:
    rows = SummedRows("DAILY", ["impressions", "costInUsd", "costInLocalCurrency", "averageDwellTime"])
    rows.add(("MOBILE",), D(2026, 1, 1), D(2026, 1, 1),
             {"impressions": 3, "costInUsd": "1.10", "costInLocalCurrency": 0.5, "averageDwellTime": 2.0})
    rows.add(("MOBILE",), D(2026, 1, 1), D(2026, 1, 1),
             {"impressions": 4, "costInUsd": "2.20", "costInLocalCurrency": 0.25, "averageDwellTime": 4.0})
    rows.add(("DESKTOP_WEB",), D(2026, 1, 1), D(2026, 1, 1), {"impressions": 1, "averageDwellTime": 3.0})
    out = {values: row for values, row in rows.rows()}
    assert out[("MOBILE",)].metrics == {"impressions": 7, "costInUsd": "3.30", "costInLocalCurrency": 0.75,
                                        "averageDwellTime": None}
    assert out[("DESKTOP_WEB",)].metrics["averageDwellTime"] == 3.0  # one part: kept as LinkedIn answered
    assert rows.combined == 1


def test_monthly_parts_share_the_month_and_span_it() -> None:
    rows = SummedRows("MONTHLY", ["clicks"])
    rows.add(("MOBILE",), D(2026, 1, 1), D(2026, 1, 15), {"clicks": 1})
    rows.add(("MOBILE",), D(2026, 1, 16), D(2026, 1, 31), {"clicks": 2})
    rows.add(("MOBILE",), D(2026, 2, 1), D(2026, 2, 28), {"clicks": 5})
    out = [(row.start, row.end, row.metrics["clicks"]) for _, row in rows.rows()]
    assert out == [(D(2026, 1, 1), D(2026, 1, 31), 3), (D(2026, 2, 1), D(2026, 2, 28), 5)]


def test_monthly_plans_cut_at_month_starts() -> None:
    load = AccountLoad("1", D(2026, 1, 1), D(2026, 3, 31), (10,) * 90)
    daily = split_by_days(load, 200)
    monthly = split_by_days(load, 200, months=True)
    assert any(r.start.day != 1 for r in daily)
    assert [(r.start, r.end) for r in monthly] == [
        (D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 2, 1), D(2026, 2, 28)), (D(2026, 3, 1), D(2026, 3, 31))]
    assert sum(r.estimated_rows for r in monthly) == load.total
    assert all(r.start.day == 1 for r in pack_requests([load], 450, months=True))


def test_monthly_cap_split_halves_at_a_month_start() -> None:
    request = PlannedRequest(("1",), D(2026, 1, 1), D(2026, 4, 30), 1000)
    halves = request.split(months=True)
    assert halves is not None
    assert [(h.start, h.end) for h in halves] == [(D(2026, 1, 1), D(2026, 2, 28)), (D(2026, 3, 1), D(2026, 4, 30))]
    single = PlannedRequest(("1",), D(2026, 1, 1), D(2026, 1, 31), 1000).split(months=True)
    assert single is not None and single[0].end == D(2026, 1, 15)  # one month: by days, the last resort


def test_a_replanned_remainder_is_never_asked_for_days_already_read() -> None:
    remainder = AccountLoad("1", D(2026, 2, 1), D(2026, 2, 28), (1,) * 28, bounded=True)
    wider = AccountLoad("2", D(2026, 1, 10), D(2026, 2, 28), (1,) * 50)
    same = AccountLoad("3", D(2026, 2, 1), D(2026, 2, 20), (1,) * 20)
    requests = pack_requests([remainder, wider, same], 1000)
    by_account = {a: (r.start, r.end) for r in requests for a in r.account_ids}
    assert by_account["1"] == (D(2026, 2, 1), D(2026, 2, 28))  # not stretched back to January 10
    assert len(requests) == 2  # the remainder still shares a request with a load inside its window
