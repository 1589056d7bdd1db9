"""The Arrow shapers of ``ad_demographics`` and custom reports land exactly the rows of their row shapers.

The same answers go through ``fetch_request`` as dicts (``MergedRows`` + ``shape_demographic_row`` /
``shape_custom_row``) and as Arrow (``ColumnarRows`` + ``demographics_table`` / ``custom_report_table``);
every cell, its Python type and the column order must match: values with and without a name, a metric
LinkedIn answers as a string (text column), a metric an element lacks (null), MONTHLY periods clipped to the
request's end, and a demographic custom report's account.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import pytest
from tests.connector.test_analytics_columns import FakeClient
from tests.support import analytics_element as _element

from lisync.linkedin.analytics.columns import ColumnarRows
from lisync.linkedin.analytics.custom_reports import parse_custom_reports
from lisync.linkedin.analytics.fetch import FetchStats, MergedRows, ReportSpec, fetch_request
from lisync.linkedin.analytics.planner import PlannedRequest
from lisync.linkedin.analytics.shape_arrow import custom_report_table, demographics_table
from lisync.linkedin.analytics.shape_reports import (
    custom_columns,
    custom_text_fields,
    shape_custom_row,
    shape_demographic_row,
)
from lisync.sources.reports import DEMOGRAPHIC_FIELDS, _period_last
from lisync.spec.loader import table_spec

M1, M2 = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
END = dt.date(2026, 4, 20)



def _both(report: ReportSpec, answers: list[tuple[tuple[str, ...], list[Any]]],
          facet: str) -> tuple[MergedRows, ColumnarRows]:
    request = PlannedRequest((facet,), M1, END, 100)
    merged = fetch_request(FakeClient(answers), report, request, FetchStats())  # type: ignore[arg-type]
    columnar = fetch_request(FakeClient(answers), report, request, FetchStats(), arrow=True)  # type: ignore[arg-type]
    assert isinstance(merged, MergedRows) and isinstance(columnar, ColumnarRows)
    assert columnar.facet_ids == merged.facet_ids == (facet,) and columnar.end == merged.end == END
    return merged, columnar


def _alike(columns: list[str], dict_rows: list[dict[str, Any]], arrow_rows: list[dict[str, Any]]) -> None:
    want = sorted((tuple(r[c] for c in columns) for r in dict_rows), key=repr)
    got = sorted((tuple(r[c] for c in columns) for r in arrow_rows), key=repr)
    assert len(got) == len(want) > 0
    assert got == want
    assert [[type(v) for v in row] for row in got] == [[type(v) for v in row] for row in want]


@pytest.mark.parametrize("granularity", ["MONTHLY", "DAILY"])
def test_demographic_rows_land_alike(granularity: str) -> None:
    pivot = "MEMBER_SENIORITY"
    report = ReportSpec("ad_demographics", (pivot,), (DEMOGRAPHIC_FIELDS,), granularity=granularity,
                        facet="campaigns", max_facet_ids=1)
    merged, columnar = _both(report, [(DEMOGRAPHIC_FIELDS, [
        _element(["urn:li:seniority:3"], M1, impressions=10, clicks=2, costInUsd="1.5", costInLocalCurrency="1.4"),
        _element(["urn:li:seniority:4"], M1, impressions=3),  # every other metric missing: null
        _element(["urn:li:seniority:3"], M2, impressions=7, costInUsd="0.25"),
    ])], "21")
    dict_rows = [shape_demographic_row("21", "41", pivot, keys[0], day, granularity, metrics)
                 for (keys, day), metrics in merged.items()]
    shaped = demographics_table(columnar.table(), "21", "41", pivot, granularity)
    columns = table_spec("ad_demographics").column_names
    assert shaped.column_names == columns
    _alike(columns, dict_rows, shaped.to_pylist())
    assert {r["costinusd"] for r in shaped.to_pylist()} == {"1.5", None, "0.25"}  # text, as the contract says


def test_demographic_rows_of_an_unknown_account_have_no_account() -> None:
    report = ReportSpec("ad_demographics", ("MEMBER_COUNTRY_V2",), (DEMOGRAPHIC_FIELDS,), facet="campaigns",
                        max_facet_ids=1)
    _, columnar = _both(report, [(DEMOGRAPHIC_FIELDS, [_element(["urn:li:geo:103644278"], M1, impressions=1)])],
                        "21")
    rows = demographics_table(columnar.table(), "21", None, "MEMBER_COUNTRY_V2", "DAILY").to_pylist()
    assert rows == [shape_demographic_row("21", None, "MEMBER_COUNTRY_V2", "urn:li:geo:103644278", M1, "DAILY",
                                          {"impressions": 1})]


@pytest.mark.parametrize("declaration", [
    {"pivots": ["CAMPAIGN", "IMPRESSION_DEVICE_TYPE"], "granularity": "DAILY",
     "metrics": ["impressions", "costInUsd", "clicks"]},
    {"pivots": ["ACCOUNT"], "granularity": "MONTHLY", "metrics": ["impressions", "costInUsd"]},
    {"pivots": ["MEMBER_SENIORITY"], "granularity": "MONTHLY", "metrics": ["impressions", "clicks", "costInUsd"]},
], ids=["daily", "monthly", "demographic"])
def test_custom_report_rows_land_alike(declaration: dict[str, Any]) -> None:
    report = parse_custom_reports({"custom": declaration})["custom"]
    assert custom_text_fields(report) == {"costInUsd"}
    spec = ReportSpec(report.name, report.pivots, (tuple(report.metrics),), granularity=report.granularity,
                      max_facet_ids=1 if report.demographic else None, text_fields=custom_text_fields(report))
    values = [f"v{i}" for i in range(len(report.pivots))]
    merged, columnar = _both(spec, [(tuple(report.metrics), [
        _element(values, M1, impressions=10, costInUsd="1.5"),
        _element([*values[:-1], "other"], M2, impressions=4, clicks=1),  # costInUsd missing: null
    ])], "41")
    account = "41" if report.demographic else None
    dict_rows = [shape_custom_row(report, keys, day, _period_last(report.granularity, day, merged.end), metrics,
                                  account) for (keys, day), metrics in merged.items()]
    shaped = custom_report_table(report, columnar.table(),
                                 functools.partial(_period_last, report.granularity, request_end=columnar.end),
                                 account)
    columns = list(custom_columns(report, report.demographic))
    assert shaped.column_names == columns == list(dict_rows[0])
    _alike(columns, dict_rows, shaped.to_pylist())
    ends = {r["date_start"]: r["date_end"] for r in shaped.to_pylist()}
    if report.granularity == "MONTHLY":
        assert ends == {M1: dt.date(2026, 3, 31), M2: END}  # the current month is clipped to the request's end
