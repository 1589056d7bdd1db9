"""The Arrow shaper of the entity performance tables lands exactly the rows of ``shape_entity_row``.

Account, campaign group and campaign performance (issue #14's tables) on both extraction paths: the same
answers go through ``fetch_request`` as dicts (``MergedRows`` + ``shape_entity_row``) and as Arrow
(``ColumnarRows`` + ``entity_performance_table``); every cell, its Python type and the column order must match,
for entities the listings know and ones they do not, metrics the report did not ask for (an older API version)
and the opted-in newer metrics.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.connector.test_analytics_columns import FakeClient

from lisync.linkedin.analytics.columns import ColumnarRows
from lisync.linkedin.analytics.fetch import FetchStats, MergedRows, ReportSpec, fetch_request
from lisync.linkedin.analytics.fields import REACH_METRICS, metric_chunks
from lisync.linkedin.analytics.planner import PlannedRequest
from lisync.linkedin.analytics.shape_arrow import entity_performance_table
from lisync.linkedin.analytics.shape_reports import ENTITY_LEVELS, build_entity_index, shape_entity_row
from lisync.spec.loader import table_spec

INDEX = build_entity_index(
    [{"id": 41, "name": "Account 41"}],
    [{"id": 31, "name": "Group 31", "account": "urn:li:sponsoredAccount:41"}],
    [{"id": 21, "name": "Campaign 21", "account": "urn:li:sponsoredAccount:41",
      "campaignGroup": "urn:li:sponsoredCampaignGroup:31"}])
ID = {"account_performance": 41, "campaign_group_performance": 31, "campaign_performance": 21}
D1, D2 = dt.date(2026, 3, 1), dt.date(2026, 4, 20)


def _element(table: str, entity: int, day: dt.date, **metrics: Any) -> dict[str, Any]:
    part = {"year": day.year, "month": day.month, "day": day.day}
    _, kind = ENTITY_LEVELS[table]
    return {"pivotValues": [f"urn:li:{kind}:{entity}"], "dateRange": {"start": part, "end": part}, **metrics}


def _same(table: str, answers: list[tuple[tuple[str, ...], list[Any]]],
          extended: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of both paths for the same answers (a 150-day request: a reach chunk goes in two windows)."""
    pivot, _ = ENTITY_LEVELS[table]
    report = ReportSpec(table, (pivot,), tuple(dict.fromkeys(chunk for chunk, _ in answers)))
    request = PlannedRequest(("41",), dt.date(2026, 1, 1), dt.date(2026, 5, 30), 100)
    merged = fetch_request(FakeClient(answers), report, request, FetchStats())  # type: ignore[arg-type]
    columnar = fetch_request(FakeClient(answers), report, request, FetchStats(), arrow=True)  # type: ignore[arg-type]
    assert isinstance(merged, MergedRows) and isinstance(columnar, ColumnarRows)
    columns = [*table_spec(table).column_names, *(name.lower() for name in extended)]
    dict_rows = sorted((tuple(shape_entity_row(table, keys[0], day, metrics, INDEX, extended)[c] for c in columns)
                        for (keys, day), metrics in merged.items()), key=repr)
    shaped = entity_performance_table(table, columnar.table(), INDEX, extended)
    assert shaped.column_names == columns
    arrow_rows = sorted((tuple(r[c] for c in columns) for r in shaped.to_pylist()), key=repr)
    assert arrow_rows == dict_rows
    assert [[type(v) for v in row] for row in arrow_rows] == [[type(v) for v in row] for row in dict_rows]
    return arrow_rows


@pytest.mark.parametrize("table", sorted(ENTITY_LEVELS))
def test_known_and_unknown_entities_with_reach_in_two_windows(table: str) -> None:
    first, *_, reach = metric_chunks(table)
    assert REACH_METRICS & set(reach)
    rows = _same(table, [
        (first, [_element(table, ID[table], D1, impressions=10, clicks=2, costInUsd="1.5"),
                 _element(table, 99, D1, impressions=3, costInLocalCurrency="0.25")]),  # not in the listings
        (reach, [_element(table, ID[table], D1, approximateMemberReach=7)]),
        (reach, [_element(table, ID[table], D2, approximateMemberReach=4)]),  # second ≤92-day window
    ])
    assert len(rows) == 3


def test_metrics_not_asked_are_null_and_newer_metrics_land_alike() -> None:
    table = "campaign_performance"
    chunks = metric_chunks(table, frozenset({"audiencePenetration"}))  # an API version before it
    extra = ("averageDwellTime", "videoWatchTime")
    rows = _same(table, [
        (chunks[0], [_element(table, 21, D1, impressions=5)]),
        (extra, [_element(table, 21, D1, averageDwellTime=1.25), _element(table, 22, D2, videoWatchTime=9)]),
    ], extended=extra)
    column = table_spec(table).column_names.index("audiencepenetration")
    assert {row[column] for row in rows} == {None}


def test_no_rows() -> None:
    table = "account_performance"
    assert _same(table, [(metric_chunks(table)[0], [])]) == []
