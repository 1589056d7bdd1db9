"""The Arrow extraction path shapes exactly the rows the dict path does, whatever LinkedIn sends.

Each case feeds the same answers (as JSON bytes) to ``fetch_request`` on both paths: the dict path
(``MergedRows`` + the row shapers) and the Arrow path (``parse_elements`` + ``ColumnarRows`` + the Arrow
shapers), and compares every cell of every row, its value and its Python type.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from typing import Any

import pyarrow as pa
import pytest

from lisync.linkedin.analytics.columns import ColumnarRows
from lisync.linkedin.analytics.fetch import FetchStats, MergedRows, ReportSpec, fetch_request
from lisync.linkedin.analytics.fields import metric_chunks
from lisync.linkedin.analytics.planner import PlannedRequest
from lisync.linkedin.analytics.shape import (
    CreativeInfo,
    shape_ad_performance,
    shape_conversion_performance,
)
from lisync.linkedin.analytics.shape_arrow import ad_performance_table, conversion_performance_table
from lisync.linkedin.http.retry import parse_json
from lisync.spec.loader import table_spec

CREATIVE = "urn:li:sponsoredCreative:{}"
CONVERSION = "urn:lla:llaPartnerConversion:{}"
INDEX = {"11": CreativeInfo("Creative 11", "21", "Campaign 21", "31", "Group 31", "41"),
         "12": CreativeInfo(None, "22", None, None, None, None)}


def _day(day: dt.date) -> dict[str, Any]:
    part = {"year": day.year, "month": day.month, "day": day.day}
    return {"start": part, "end": part}


def _element(creative: int, day: dt.date, conversion: int | None = None, **metrics: Any) -> dict[str, Any]:
    pivots = [CREATIVE.format(creative)] + ([CONVERSION.format(conversion)] if conversion is not None else [])
    return {"pivotValues": pivots, "dateRange": _day(day), **metrics}


class FakeClient:
    """Serves each chunk's answers in call order (JSON bytes), parsed as the real client does."""

    def __init__(self, answers: list[tuple[tuple[str, ...], list[Any]]]) -> None:
        self.queues: dict[str, list[bytes]] = {}
        for chunk, elements in answers:
            body = json.dumps({"elements": elements, "paging": {"count": 10, "start": 0}}).encode()
            self.queues.setdefault(chunk[0], []).append(body)
        self.parsed_by_arrow = 0

    def get(self, path: str, params: Any, parse: Any = None) -> Any:
        fields = str(dict(params)["fields"]).split(",")
        queue = self.queues.get(fields[0], [])
        given = bool(queue)
        body = queue.pop(0) if queue else b'{"elements": []}'
        if parse is None:
            return json.loads(body)
        try:
            parsed = parse(body)
        except ValueError:  # the client's retry check decodes what the parser declined
            return parse_json(body)
        self.parsed_by_arrow += given and isinstance(parsed, pa.StructArray)
        return parsed


def _both(table: str, answers: list[tuple[tuple[str, ...], list[Any]]],
          arrow_answers: int | None = None) -> tuple[list[tuple[Any, ...]], ...]:
    """Rows from the dict path and from the Arrow path for the same answers, through ``fetch_request``.

    The request spans 150 days, so a chunk holding a reach metric is asked in two windows: a chunk's
    answers are served in call order (an empty answer when there are no more).
    ``arrow_answers``: how many answers must have been parsed into Arrow (the others fell back to Python).
    """
    pivots = ("CREATIVE",) if table == "ad_performance" else ("CREATIVE", "CONVERSION")
    chunks = tuple(dict.fromkeys(chunk for chunk, _ in answers))
    report = ReportSpec(table, pivots, chunks)
    request = PlannedRequest(("1",), dt.date(2026, 1, 1), dt.date(2026, 5, 30), 100)
    stats = (FetchStats(), FetchStats())
    merged = fetch_request(FakeClient(answers), report, request, stats[0])  # type: ignore[arg-type]
    client = FakeClient(answers)
    columnar = fetch_request(client, report, request, stats[1], arrow=True)  # type: ignore[arg-type]
    assert isinstance(merged, MergedRows) and isinstance(columnar, ColumnarRows)
    assert stats[0].dropped_elements == stats[1].dropped_elements
    assert stats[0].requests == stats[1].requests
    if arrow_answers is not None:
        assert client.parsed_by_arrow == arrow_answers
    columns = table_spec(table).column_names
    dict_rows = []
    for (keys, day), metrics in merged.items():
        info = INDEX.get(keys[0].rsplit(":", 1)[-1])
        row = (shape_ad_performance(keys[0], day, metrics, info) if len(pivots) == 1
               else shape_conversion_performance(keys[0], keys[1], day, metrics, info))
        dict_rows.append(tuple(row[c] for c in columns))
    shape = ad_performance_table if len(pivots) == 1 else conversion_performance_table
    arrow = shape(columnar.table(), INDEX)
    assert arrow.column_names == columns
    arrow_rows = [tuple(r[c] for c in columns) for r in arrow.to_pylist()]
    return sorted(dict_rows, key=repr), sorted(arrow_rows, key=repr)


def _same(table: str, answers: list[tuple[tuple[str, ...], list[Any]]],
          arrow_answers: int | None = None) -> list[tuple[Any, ...]]:
    dict_rows, arrow_rows = _both(table, answers, arrow_answers)
    assert len(dict_rows) == len(arrow_rows)
    for a, b in zip(dict_rows, arrow_rows, strict=True):
        assert a == b
        assert [type(x) for x in a] == [type(x) for x in b]
    return dict_rows


D1, D2, D3 = dt.date(2026, 3, 1), dt.date(2026, 3, 2), dt.date(2024, 2, 29)
CHUNK_A = ("impressions", "clicks", "costInLocalCurrency", "costInUsd", "conversionValueInLocalCurrency",
           "approximateMemberReach")
CHUNK_B = ("likes", "audiencePenetration")


def test_plain_answers_with_omitted_rows_and_missing_fields() -> None:
    rows = _same("ad_performance", [
        (CHUNK_A, [_element(11, D1, impressions=10, clicks=1, costInLocalCurrency="1.25", costInUsd="1.5",
                            conversionValueInLocalCurrency="0"),
                   _element(12, D1, impressions=5, costInLocalCurrency="0.1")]),  # fields missing: null
        (CHUNK_B, [_element(11, D1, likes=3, approximateMemberReach=7),
                   _element(13, D2, likes=1)]),  # a row only this chunk has: chunk A's fields are zero
    ], arrow_answers=2)
    assert len(rows) == 3


def test_quirky_values_convert_like_the_row_shapers() -> None:
    # numbers as text, text as numbers, booleans, NaN-like text, huge integers, nested values
    _same("ad_performance", [
        (CHUNK_A, [_element(11, D1, impressions=True, clicks=2**60 + 1, costInLocalCurrency="1e3", costInUsd=5,
                            conversionValueInLocalCurrency=None),
                   _element(12, D1, impressions=False, clicks=None, costInLocalCurrency="nan", costInUsd=-7,
                            conversionValueInLocalCurrency=True),
                   _element(13, D1, costInLocalCurrency="Infinity", conversionValueInLocalCurrency=False)]),
        (CHUNK_A, [_element(14, D1, impressions=1.5, clicks=2**63 + 5, costInLocalCurrency=" 12 "),
                   _element(15, D1, impressions=2, costInLocalCurrency="1_000"),
                   _element(16, D1, impressions=3, costInLocalCurrency="x")]),
    ], arrow_answers=2)
    _same("ad_performance", [  # a text column holding floats: Arrow would widen, so Python decides
        (CHUNK_A, [_element(11, D1, costInUsd=5.0), _element(12, D1, costInUsd=5)]),
    ], arrow_answers=0)
    _same("ad_performance", [  # a column that mixes numbers and text, and nested values
        (CHUNK_A, [_element(11, D1, impressions=1, costInUsd={"amount": "1"}),
                   _element(12, D1, impressions="2", clicks=[1])]),
    ], arrow_answers=0)


def test_invalid_keys_are_dropped_alike() -> None:
    bad = [
        {"dateRange": _day(D1), "impressions": 1},  # no pivotValues
        {"pivotValues": [CREATIVE.format(1), CREATIVE.format(2)], "dateRange": _day(D1)},  # two pivots
        {"pivotValues": [None], "dateRange": _day(D1)},
        {"pivotValues": [CREATIVE.format(3)]},  # no dateRange
        {"pivotValues": [CREATIVE.format(4)], "dateRange": {"start": {"year": 2026, "month": 13, "day": 1}}},
        {"pivotValues": [CREATIVE.format(5)], "dateRange": {"start": {"year": 2026, "month": 2, "day": 30}}},
        {"pivotValues": [CREATIVE.format(6)], "dateRange": {"start": {"year": 2026, "month": 2}}},
        None,
        _element(11, D3, impressions=4),
    ]
    assert len(_same("ad_performance", [(CHUNK_A, bad)], arrow_answers=1)) == 1
    # a year written as text is a Python-only case: Python reads it, Arrow's typed columns would not
    _same("ad_performance", [(CHUNK_A, [
        {"pivotValues": [CREATIVE.format(7)], "dateRange": {"start": {"year": "2026", "month": 1, "day": 2}}},
        _element(11, D1, impressions=1)])], arrow_answers=0)


def test_a_key_twice_in_one_chunk_keeps_the_last_value() -> None:
    rows = _same("ad_performance", [
        (CHUNK_A, [_element(11, D1, impressions=1), _element(11, D1, impressions=2), _element(12, D1)]),
        (CHUNK_B, [_element(11, D1, likes=1)]),
        (CHUNK_B, [_element(11, D2, likes=2), _element(11, D2, likes=3)]),  # a second window of chunk B
    ], arrow_answers=3)
    assert len(rows) == 3


def test_empty_answers_and_conversion_pivots() -> None:
    assert _same("ad_performance", [(CHUNK_A, []), (CHUNK_B, [])]) == []
    chunk = ("externalWebsiteConversions", "costInUsd", "conversionValueInLocalCurrency", "approximateMemberReach")
    rows = _same("conversion_performance", [
        (chunk, [_element(11, D1, 1, externalWebsiteConversions=2, costInUsd="1.0"),
                 _element(11, D1, 2, externalWebsiteConversions=3),
                 _element(12, D2, 1, conversionValueInLocalCurrency="9.5")]),
    ])
    assert len(rows) == 3


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_answers(seed: int) -> None:
    rng = random.Random(seed)
    chunks = metric_chunks("ad_performance")

    def value(field: str) -> Any:
        roll = rng.random()
        if roll < 0.05:
            return None
        if field in ("costInLocalCurrency", "costInUsd", "conversionValueInLocalCurrency"):
            return f"{rng.uniform(0, 500):.6f}"
        if field in ("averageDwellTime",):
            return round(rng.uniform(0, 10), 2)
        return rng.randint(0, 5000)

    answers = []
    keys = [(c, dt.date(2026, 1, 1) + dt.timedelta(days=d)) for c in range(20) for d in range(30)]
    for chunk in chunks:
        present = [k for k in keys if rng.random() < 0.7]
        rng.shuffle(present)
        elements = []
        for creative, day in present:
            metrics = {f: value(f) for f in chunk if rng.random() < 0.97}
            elements.append(_element(creative, day, **metrics))
        answers.append((chunk, elements))
    rows = _same("ad_performance", answers, arrow_answers=len(answers))
    assert len(rows) > 400
    assert all(not (isinstance(x, float) and math.isnan(x)) for row in rows for x in row)
