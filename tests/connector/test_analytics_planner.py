"""The adAnalytics planner: serving spans, load estimates, packing under the cap, splitting, chunks."""

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from lisync.linkedin.analytics.fetch import cut_load
from lisync.linkedin.analytics.fields import METRICS_PER_CHUNK, metric_chunks, metric_columns
from lisync.linkedin.analytics.planner import (
    AccountLoad,
    PlannedRequest,
    estimate_account_load,
    pack_requests,
    reach_windows,
    serving_span,
    split_by_days,
)
from lisync.linkedin.analytics.sizing import conversions_by_campaign, default_update_window, rows_per_campaign_day

D = dt.date


def ms(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)


def campaign(cid: int, start: dt.date, end: dt.date | None = None, status: str = "ACTIVE") -> dict:
    schedule = {"start": ms(start)} | ({"end": ms(end)} if end else {})
    return {"id": cid, "status": status, "runSchedule": schedule,
            "changeAuditStamps": {"created": {"time": ms(start)}}}


def test_every_chunk_fits_linkedins_20_field_limit_and_covers_every_metric() -> None:
    for table in ("ad_performance", "conversion_performance"):
        chunks = metric_chunks(table)
        assert all(len(c) <= METRICS_PER_CHUNK for c in chunks)
        flat = [f for c in chunks for f in c]
        assert sorted(flat) == sorted(metric_columns(table).values())
        assert len(flat) == len(set(flat))
    assert metric_chunks("ad_performance")[0][:2] == ("impressions", "clicks")


def test_serving_span_respects_schedule_creation_and_drafts() -> None:
    window = (D(2026, 1, 1), D(2026, 3, 31))
    assert serving_span(campaign(1, D(2026, 2, 1), D(2026, 2, 10)), *window) == (D(2026, 2, 1), D(2026, 2, 10))
    assert serving_span(campaign(1, D(2025, 6, 1)), *window) == window  # open-ended
    assert serving_span(campaign(1, D(2025, 6, 1), D(2025, 12, 31)), *window) is None  # ended before
    assert serving_span(campaign(1, D(2026, 2, 1), status="DRAFT"), *window) is None
    assert serving_span(campaign(1, D(2026, 2, 1), status="REMOVED"), *window) is not None


def test_estimate_trims_to_days_that_can_have_data() -> None:
    load = estimate_account_load("7", D(2026, 1, 1), D(2026, 1, 31),
                                 [campaign(1, D(2026, 1, 10), D(2026, 1, 12)), campaign(2, D(2026, 1, 11))],
                                 {"1": 3, "2": 2})
    assert load is not None
    assert (load.start, load.end) == (D(2026, 1, 10), D(2026, 1, 31))
    assert load.daily_rows[:4] == (3, 5, 5, 2)
    assert estimate_account_load("7", D(2026, 1, 1), D(2026, 1, 31), [campaign(1, D(2026, 2, 1))], {"1": 3}) is None


def test_small_accounts_share_a_request_and_big_ones_split_by_days() -> None:
    small = [AccountLoad(str(i), D(2026, 1, 1), D(2026, 1, 10), (100,) * 10) for i in range(5)]
    big = AccountLoad("big", D(2026, 1, 1), D(2026, 4, 10), (300,) * 100)
    plan = pack_requests([*small, big], budget=13_500)
    shared = [r for r in plan if len(r.account_ids) > 1]
    assert len(shared) == 1 and set(shared[0].account_ids) == {str(i) for i in range(5)}
    big_parts = [r for r in plan if r.account_ids == ("big",)]
    assert len(big_parts) == 3 and all(r.estimated_rows <= 13_500 for r in big_parts)
    assert big_parts[0].start == D(2026, 1, 1) and big_parts[-1].end == D(2026, 4, 10)


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 90), st.integers(0, 400)), min_size=1, max_size=12),
       st.integers(500, 20_000))
def test_packing_covers_every_row_exactly_once_within_budget(specs: list, budget: int) -> None:
    loads = [AccountLoad(str(i), D(2026, 1, 1) + dt.timedelta(days=off), D(2026, 1, 1) + dt.timedelta(days=off + n - 1),
                         tuple((rows + d) % 401 for d in range(n))) for i, (off, n, rows) in enumerate(specs)]
    loads = [x for x in loads if x.total > 0]
    plan = pack_requests(loads, budget)
    covered = 0
    for request in plan:
        for account in request.account_ids:
            part = cut_load(next(x for x in loads if x.account_id == account), request.start, request.end)
            covered += part.total if part else 0
        single_day_over = request.days == 1 and len(request.account_ids) == 1
        assert request.estimated_rows <= budget or single_day_over
    assert covered == sum(x.total for x in loads)


def _halves(request: PlannedRequest) -> tuple[PlannedRequest, PlannedRequest]:
    halves = request.split()
    assert halves is not None
    return halves


def test_split_halves_accounts_then_days() -> None:
    request = PlannedRequest(("1", "2", "3"), D(2026, 1, 1), D(2026, 1, 10), 900)
    a, b = _halves(request)
    assert a.account_ids == ("1",) and b.account_ids == ("2", "3")
    one = PlannedRequest(("1",), D(2026, 1, 1), D(2026, 1, 10), 900)
    a, b = _halves(one)
    assert (a.start, a.end, b.start, b.end) == (D(2026, 1, 1), D(2026, 1, 5), D(2026, 1, 6), D(2026, 1, 10))
    assert PlannedRequest(("1",), D(2026, 1, 1), D(2026, 1, 1), 20_000).split() is None


def test_split_by_days_handles_a_single_heavy_day() -> None:
    load = AccountLoad("1", D(2026, 1, 1), D(2026, 1, 3), (50, 20_000, 50))
    parts = split_by_days(load, 1000)
    assert [(p.start, p.end) for p in parts] == [(D(2026, 1, 1), D(2026, 1, 1)), (D(2026, 1, 2), D(2026, 1, 2)),
                                                 (D(2026, 1, 3), D(2026, 1, 3))]


def test_reach_windows_respect_92_days() -> None:
    windows = reach_windows(D(2026, 1, 1), D(2026, 12, 31), 92)
    assert len(windows) == 4
    assert all((e - s).days + 1 <= 92 for s, e in windows)
    assert windows[0][0] == D(2026, 1, 1) and windows[-1][1] == D(2026, 12, 31)


def test_update_window_follows_the_longest_attribution_window() -> None:
    assert default_update_window([]) == 30
    assert default_update_window([{"postClickAttributionWindowSize": 90, "viewThroughAttributionWindowSize": 7}]) == 90
    assert default_update_window([{"postClickAttributionWindowSize": 7, "viewThroughAttributionWindowSize": 1}]) == 30


def test_rows_per_campaign_day_skips_drafts_and_multiplies_by_rules() -> None:
    creatives = [{"campaign": "urn:li:sponsoredCampaign:1", "intendedStatus": "ACTIVE"},
                 {"campaign": "urn:li:sponsoredCampaign:1", "intendedStatus": "DRAFT"},
                 {"campaign": "urn:li:sponsoredCampaign:2", "intendedStatus": "PAUSED"}]
    rules: list[dict[str, Any]] = [{"campaigns": ["urn:li:sponsoredCampaign:1"]},
                                   {"associatedCampaigns": [{"campaign": "urn:li:sponsoredCampaign:1"}]}]
    assert conversions_by_campaign(rules) == {"1": 2}
    assert rows_per_campaign_day("ad_performance", creatives, rules) == {"1": 1, "2": 1}
    assert rows_per_campaign_day("conversion_performance", creatives, rules) == {"1": 2}
