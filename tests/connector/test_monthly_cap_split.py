"""A MONTHLY report whose single month alone reaches LinkedIn's 15,000-element cap is split by days, losing nothing.

Months are cut at month starts first; a month that still caps is cut by days as the last resort, so that
month lands as partial-month rows (keyed on their own start day) whose sums equal the month's. The fake
client answers like adAnalytics with ``timeGranularity=MONTHLY``: one element per active creative and month
bucket, the bucket clipped to the requested range, silently truncated at 15,000 elements.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lisync.linkedin.analytics.fetch import FetchStats, ReportSpec, run_report
from lisync.linkedin.analytics.planner import MAX_ELEMENTS, AccountLoad
from lisync.linkedin.analytics.summed import SummedRows

D = dt.date
CREATIVES = 20_000  # each serves on one day of the month: a whole month answers 20,000 elements
REPORT = ReportSpec("monthly_creatives", ("CREATIVE",), (("impressions",),), granularity="MONTHLY")


def _day(raw: dict[str, int]) -> dt.date:
    return D(raw["year"], raw["month"], raw["day"])


def _json(day: dt.date) -> dict[str, int]:
    return {"year": day.year, "month": day.month, "day": day.day}


class MonthlyClient:
    """Answers MONTHLY adAnalytics for one account whose creative ``c`` serves on day ``c % 31 + 1``."""

    def __init__(self) -> None:
        self.ranges: list[tuple[dt.date, dt.date]] = []

    def get(self, path: str, params: Any) -> dict[str, Any]:
        values = dict(params)
        start, end = _day(values["dateRange"]["start"]), _day(values["dateRange"]["end"])
        self.ranges.append((start, end))
        elements: list[dict[str, Any]] = []
        bucket = start
        while bucket <= end:
            following = (bucket.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            last = min(end, following - dt.timedelta(days=1))
            days = {d.day for d in (bucket + dt.timedelta(days=i) for i in range((last - bucket).days + 1))}
            elements.extend({"pivotValues": [f"urn:li:sponsoredCreative:{c}"],
                             "dateRange": {"start": _json(bucket), "end": _json(last)}, "impressions": 1}
                            for c in range(CREATIVES) if c % 31 + 1 in days)
            bucket = following
        return {"elements": elements[:MAX_ELEMENTS]}


def test_a_month_that_alone_reaches_the_cap_is_split_by_days_and_nothing_is_lost() -> None:
    client = MonthlyClient()
    # the planner's upper bound: every creative could serve any day (700 a day, 21,700 a month)
    load = AccountLoad("1", D(2026, 1, 1), D(2026, 2, 28), (700,) * 59)
    stats = FetchStats()
    rows = {key: metrics for merged in run_report(client, REPORT, [load], stats)  # type: ignore[call-overload]
            for key, metrics in merged.items()}

    # the two months are cut apart at February 1, then each month, still capped, by days; no range twice
    assert client.ranges == [
        (D(2026, 1, 1), D(2026, 2, 28)), (D(2026, 1, 1), D(2026, 1, 31)),
        (D(2026, 1, 1), D(2026, 1, 15)), (D(2026, 1, 16), D(2026, 1, 31)),
        (D(2026, 2, 1), D(2026, 2, 28)), (D(2026, 2, 1), D(2026, 2, 14)), (D(2026, 2, 15), D(2026, 2, 28))]
    assert stats.cap_splits == 3
    served_in_february = sum(1 for c in range(CREATIVES) if c % 31 + 1 <= 28)
    assert len(rows) == CREATIVES + served_in_february  # every creative once per month it served: none lost
    starts = {day for (_, day) in rows}
    assert D(2026, 1, 1) in starts and D(2026, 2, 1) in starts
    assert any(day.day != 1 for day in starts)  # the partial-month rows of the last-resort day cut

    # summed over the parts, each month holds exactly its creatives' impressions
    summed = SummedRows("MONTHLY", ["impressions"])
    for (pivots, day), metrics in rows.items():
        month_end = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        summed.add(pivots[:0], day, month_end, metrics)
    totals = {row.start: row.metrics["impressions"] for _, row in summed.rows()}
    assert totals == {D(2026, 1, 1): CREATIVES, D(2026, 2, 1): served_in_february}
