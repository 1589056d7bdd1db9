"""The report page renders names safely and computes ratios from totals."""

from __future__ import annotations

import datetime as dt

from lisync.warehouse.report_data import DailyTotals, FollowerPoint, ReportData, TopEntity, follower_series
from lisync.warehouse.report_html import render_report


def test_names_are_escaped_and_ratios_come_from_totals() -> None:
    day = dt.date(2026, 1, 1)
    data = ReportData(
        dataset="linkedin",
        daily=[DailyTotals(day, 10.0, 1000, 10, 1, 0), DailyTotals(day + dt.timedelta(days=1), 30.0, 3000, 10, 0, 0)],
        top_campaigns=[TopEntity("<script>alert(1)</script>", "1", 40.0, 4000, 20, 1)],
        top_creatives=[TopEntity("A & B", "2", 40.0, 4000, 20, 1)],
        followers=[FollowerPoint(day, "Org", 5)])
    page = render_report(data, generated=dt.datetime(2026, 1, 3, tzinfo=dt.UTC))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "A &amp; B" in page
    assert "<b>0.50%</b><span>CTR</span>" in page  # 20 / 4000, not the mean of 1.00% and 0.33%
    assert "<b>2.00</b><span>CPC (USD)</span>" in page and "<b>10.00</b><span>CPM (USD)</span>" in page
    assert "2026-01-01 to 2026-01-02" in page


def test_followers_walk_back_from_the_latest_total_else_sum_gains() -> None:
    d1, d2, d3 = dt.date(2026, 1, 1), dt.date(2026, 1, 2), dt.date(2026, 1, 3)
    gains = [(d1, "urn:a", "A", 5), (d2, "urn:a", "A", 3), (d3, "urn:a", "A", 2),
             (d1, "urn:b", "B", 1), (d2, "urn:b", "B", 4)]
    points = follower_series(gains, {"urn:a": (d2, 100)})
    a = [(p.day, p.followers) for p in points if p.organization == "A"]
    assert a == [(d1, 97), (d2, 100)]  # the total counts d2's gains; days after the snapshot are left out
    b = [(p.day, p.followers) for p in points if p.organization == "B"]
    assert b == [(d1, 1), (d2, 5)]
