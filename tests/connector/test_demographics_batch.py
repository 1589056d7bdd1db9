"""The Arrow path of ``ad_demographics``: answers decoded as Python values, kept, and shaped together.

``demographic_answer_columns`` turns a Python-decoded answer into the columns an Arrow-decoded answer gives
(same types, same values, odd values included), and ``demographics_batch_table`` shapes many answers at once
into, cell for cell and in order, the concatenation of each answer shaped alone by ``demographics_table``:
answers of several campaigns, pivots and accounts (one unknown), a value seen under two campaigns and two
pivots, a text metric and missing metrics.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
from tests.connector.test_analytics_columns import FakeClient
from tests.support import analytics_element as _element

from lisync.linkedin.analytics.columns import ColumnarRows
from lisync.linkedin.analytics.fetch import FetchStats, MergedRows, ReportSpec, fetch_request
from lisync.linkedin.analytics.planner import PlannedRequest
from lisync.linkedin.analytics.shape_arrow import (
    demographic_answer_columns,
    demographics_batch_table,
    demographics_table,
)
from lisync.linkedin.analytics.shape_reports import shape_demographic_row
from lisync.sources.reports import DEMOGRAPHIC_FIELDS

M1, M2 = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
END = dt.date(2026, 4, 20)



def _answer(pivot: str, campaign: str, elements: list[dict[str, Any]]) -> pa.Table:
    report = ReportSpec("ad_demographics", (pivot,), (DEMOGRAPHIC_FIELDS,), granularity="MONTHLY",
                        facet="campaigns", max_facet_ids=1)
    request = PlannedRequest((campaign,), M1, END, 100)
    rows = fetch_request(FakeClient([(DEMOGRAPHIC_FIELDS, elements)]), report, request,  # type: ignore[arg-type]
                         FetchStats(), arrow=True)
    assert isinstance(rows, ColumnarRows)
    return rows.table()


def test_batch_is_the_answers_shaped_one_by_one() -> None:
    geo, size = "urn:li:geo:103644278", "SIZE_11_TO_50"
    parts: list[tuple[pa.Table, str, str | None, str]] = [
        (_answer("MEMBER_COUNTRY_V2", "21", [
            _element([geo], M1, impressions=10, clicks=2, costInUsd="1.5"),
            _element(["urn:li:geo:101165590"], M1, impressions=3),
            _element([geo], M2, impressions=7, costInUsd="0.25"),
        ]), "21", "41", "MEMBER_COUNTRY_V2"),
        (_answer("MEMBER_REGION_V2", "21", [_element([geo], M1, impressions=4)]), "21", "41", "MEMBER_REGION_V2"),
        (_answer("MEMBER_COUNTRY_V2", "22", [_element([geo], M2, impressions=1, costInLocalCurrency="2.5")]),
         "22", None, "MEMBER_COUNTRY_V2"),
        (_answer("MEMBER_COMPANY_SIZE", "23", [_element([size], M1, impressions=8), _element([size], M2, clicks=1)]),
         "23", "42", "MEMBER_COMPANY_SIZE"),
    ]
    for granularity in ("MONTHLY", "DAILY"):
        want = pa.concat_tables([demographics_table(rows, campaign, account, pivot, granularity)
                                 for rows, campaign, account, pivot in parts])
        got = demographics_batch_table(parts, granularity)
        assert got.schema == want.schema
        assert got.num_rows == want.num_rows == 7
        assert got.equals(want)
        assert got.to_pylist() == want.to_pylist()
        assert [r["account_id"] for r in got.to_pylist()] == ["41"] * 4 + [None] + ["42"] * 2


def test_python_decoded_answer_has_the_arrow_decoded_columns() -> None:
    elements = [
        _element(["urn:li:geo:103644278"], M1, impressions=10, clicks=2, costInUsd="1.5", costInLocalCurrency="1.4"),
        _element(["urn:li:geo:101165590"], M1, impressions=3),  # every other metric missing: null
        _element(["urn:li:geo:103644278"], M2, impressions=7, costInUsd="0.25", shares="4"),
        _element(["urn:li:geo:1"], M2, impressions=True, clicks="n/a", costInUsd=5),  # odd values: both decode alike
        {"pivotValues": ["urn:li:geo:2"]},  # no date: dropped on both paths
    ]
    report = ReportSpec("ad_demographics", ("MEMBER_COUNTRY_V2",), (DEMOGRAPHIC_FIELDS,), granularity="MONTHLY",
                        facet="campaigns", max_facet_ids=1)
    request = PlannedRequest(("21",), M1, END, 100)
    merged = fetch_request(FakeClient([(DEMOGRAPHIC_FIELDS, elements)]), report, request,  # type: ignore[arg-type]
                           FetchStats())
    assert isinstance(merged, MergedRows)
    got = demographic_answer_columns(merged)
    want = _answer("MEMBER_COUNTRY_V2", "21", elements)
    assert got.schema == want.schema
    assert got.to_pylist() == want.to_pylist()
    assert got.num_rows == 4
    shaped = demographics_table(got, "21", "41", "MEMBER_COUNTRY_V2", "MONTHLY").to_pylist()
    assert shaped == [shape_demographic_row("21", "41", "MEMBER_COUNTRY_V2", key[0], day, "MONTHLY", metrics)
                      for (key, day), metrics in merged.items()]
