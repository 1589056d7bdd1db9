"""Chunk merging by key (never by position), zero-filling omitted rows, and splitting at the 15,000 cap."""

import datetime as dt
from typing import Any
from urllib.parse import unquote

from lisync.linkedin.analytics.fetch import FetchStats, MergedRows, ReportSpec, fetch_request, run_report
from lisync.linkedin.analytics.planner import AccountLoad, PlannedRequest
from lisync.linkedin.http.restli import encode_query

D = dt.date


def element(creative: int, day: int, **metrics: Any) -> dict[str, Any]:
    when = {"year": 2026, "month": 1, "day": day}
    return {"pivotValues": [f"urn:li:sponsoredCreative:{creative}"], "dateRange": {"start": when, "end": when},
            **metrics}


class FakeClient:
    """Answers adAnalytics by the requested fields; records every query string."""

    def __init__(self, answers: dict[str, list[dict[str, Any]]]) -> None:
        self.answers = answers
        self.queries: list[str] = []

    def get(self, path: str, params: Any) -> dict[str, Any]:
        query = encode_query(params)
        self.queries.append(unquote(query))
        fields = dict(p.split("=", 1) for p in query.split("&"))["fields"]
        return {"elements": self.answers[fields.split(",")[0]], "paging": {"start": 0, "count": 10, "links": []}}


REPORT = ReportSpec("ad_performance", ("CREATIVE",), (("impressions", "clicks"), ("videoViews",)))
REQUEST = PlannedRequest(("1",), D(2026, 1, 1), D(2026, 1, 31), 100)


def test_chunks_merge_by_key_and_zero_fill_rows_a_chunk_omitted() -> None:
    client = FakeClient({
        "impressions": [element(1, 1, impressions=10, clicks=1), element(2, 1, impressions=5, clicks=0)],
        # a different row set, in a different order: creative 2 had no video views, creative 3 only video
        "videoViews": [element(3, 1, videoViews=4), element(1, 1, videoViews=2)],
    })
    merged = fetch_request(client, REPORT, REQUEST, FetchStats())  # type: ignore[arg-type]
    assert isinstance(merged, MergedRows)  # the dict path (arrow=False)
    key = lambda c: ((f"urn:li:sponsoredCreative:{c}",), D(2026, 1, 1))  # noqa: E731
    assert merged[key(1)] == {"impressions": 10, "clicks": 1, "videoViews": 2}
    assert merged[key(2)] == {"impressions": 5, "clicks": 0, "videoViews": 0}
    assert merged[key(3)] == {"impressions": 0, "clicks": 0, "videoViews": 4}
    assert all("accounts=List(urn:li:sponsoredAccount:1)" in q for q in client.queries)
    assert all("fields=" in q and q.endswith(",pivotValues,dateRange") for q in client.queries)


def test_elements_without_keys_are_dropped_and_counted() -> None:
    client = FakeClient({"impressions": [{"impressions": 3}, element(1, 2, impressions=1, clicks=0)],
                         "videoViews": []})
    stats = FetchStats()
    merged = fetch_request(client, REPORT, REQUEST, stats)  # type: ignore[arg-type]
    assert len(merged) == 1 and stats.dropped_elements == 1


class CappedClient:
    """Returns 15,000 elements whenever more than one account or more than 10 days are asked for."""

    def __init__(self) -> None:
        self.calls = 0

    def get(self, path: str, params: Any) -> dict[str, Any]:
        self.calls += 1
        values = dict(params)
        accounts = len(values["accounts"])
        start, end = values["dateRange"]["start"], values["dateRange"]["end"]
        days = (D(end["year"], end["month"], end["day"]) - D(start["year"], start["month"], start["day"])).days + 1
        if accounts > 1 or days > 10:
            return {"elements": [element(9, 1, impressions=1)] * 15_000}
        day0 = D(start["year"], start["month"], start["day"])
        acct = int(values["accounts"][0].rsplit(":", 1)[1])
        return {"elements": [{"pivotValues": [f"urn:li:sponsoredCreative:{acct}"],
                              "dateRange": {"start": {"year": d.year, "month": d.month, "day": d.day}},
                              "impressions": 1, "clicks": 0, "videoViews": 0}
                             for d in (day0 + dt.timedelta(days=i) for i in range(days))]}


def test_a_capped_answer_is_split_until_complete() -> None:
    loads = [AccountLoad(str(a), D(2026, 1, 1), D(2026, 1, 20), (1,) * 20) for a in (1, 2)]
    stats = FetchStats()
    batches = list(run_report(CappedClient(), REPORT, loads, stats, budget=1_000_000))  # type: ignore[call-overload]
    keys = {k for batch in batches for k in batch}
    assert len(keys) == 40  # 2 accounts × 20 days, nothing lost or doubled
    assert stats.cap_splits >= 3
