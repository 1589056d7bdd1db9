"""Re-reads account-months of a performance table without metadata trimming (the repair half of verify).

Covers ``ad_performance`` and ``conversion_performance`` (the analytics source's reports) and the reports
source's entity-level tables (``account_performance``, ``campaign_group_performance``,
``campaign_performance``: the same :func:`lisync.sources.reports.entity_report` request and row shape as a run,
reach included, read in ≤ 92-day windows, never summed).

The run's planner skips days and accounts that entity metadata says cannot have data. When LinkedIn's
totals disagree with what landed, the disagreeing account-months are read again here with no such trust:
every day of each month, one account per request (so every row is known to belong to that account even
when its creative or campaign is missing from the listings), and handed to dlt to upsert on the table's key
with the same columns as the run (extended metrics included). With ``extract_format`` ``arrow`` the answers
are merged as Arrow columns and shaped by the run's own Arrow shapers (:mod:`lisync.linkedin.analytics.shape_arrow`),
one table per request, with the run's dlt columns. Savepoints are not read or moved.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import dlt
import pyarrow as pa
import pyarrow.compute as pc
from dlt.extract.resource import DltResource

from lisync.config.settings import RunSettings
from lisync.linkedin.ads.catalog import AccountCatalog
from lisync.linkedin.analytics.fetch import FetchStats, ReportSpec, run_report
from lisync.linkedin.analytics.planner import DEFAULT_BUDGET, AccountLoad
from lisync.linkedin.analytics.report_fields import extended_metrics
from lisync.linkedin.analytics.shape import (
    CreativeInfo,
    build_creative_index,
    shape_ad_performance,
    shape_conversion_performance,
)
from lisync.linkedin.analytics.shape_arrow import (
    ad_performance_table,
    conversion_performance_table,
    entity_performance_table,
)
from lisync.linkedin.analytics.shape_reports import (
    ENTITY_LEVELS,
    EntityInfo,
    build_entity_index,
    extended_column_hints,
    extended_values,
    shape_entity_row,
    with_extended_chunks,
)
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import AccessDeniedError, NotFoundError
from lisync.linkedin.http.restli import urn_id
from lisync.sources.analytics import REPORTS, ROW_BATCH
from lisync.sources.arrow import dlt_column_hints, with_dlt_columns
from lisync.sources.reports import entity_report
from lisync.spec.hints import with_spec

__all__ = ["TSpans", "month_span", "repair_resource", "repair_rows", "repair_tables", "untrimmed_load"]

# account id → date spans to re-read
TSpans = Mapping[str, Sequence[tuple[dt.date, dt.date]]]


def month_span(year: int, month: int, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """Return the days of ``year-month`` within ``start…end``."""
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return max(first, start), min(following - dt.timedelta(days=1), end)


def untrimmed_load(account_id: str, start: dt.date, end: dt.date) -> AccountLoad:
    """Return a load covering every day of ``start…end`` (one estimated row a day: no day is skipped)."""
    return AccountLoad(account_id, start, end, (1,) * ((end - start).days + 1))


def _index(catalog: AccountCatalog, account_id: str, table: str) -> dict[str, CreativeInfo]:
    try:
        groups = catalog.campaign_groups(account_id) if table == "ad_performance" else []
        return build_creative_index(groups, catalog.campaigns(account_id), catalog.creatives(account_id))
    except (AccessDeniedError, NotFoundError):
        return {}


TShaper = Callable[[tuple[str, ...], dt.date, dict[str, Any]], dict[str, Any]]
TTableShaper = Callable[[pa.Table], pa.Table]


def _entities(catalog: AccountCatalog, account_id: str,
              accounts: Sequence[dict[str, Any]]) -> dict[str, dict[str, EntityInfo]]:
    """Index ``account_id``'s own account element, campaign groups and campaigns (names for entity rows)."""
    try:
        groups, campaigns = catalog.campaign_groups(account_id), catalog.campaigns(account_id)
    except (AccessDeniedError, NotFoundError):
        groups, campaigns = [], []
    own = [a for a in accounts if str(a.get("id")) == account_id]
    return build_entity_index(own, groups, campaigns)


def _shaper(catalog: AccountCatalog, account_id: str, table: str, extended: tuple[str, ...],
            accounts: Sequence[dict[str, Any]]) -> TShaper:
    """Return how one merged row of ``account_id`` becomes a row of ``table`` (names from the listings)."""
    if table in ENTITY_LEVELS:
        entities = _entities(catalog, account_id, accounts)
        return lambda pivots, day, metrics: shape_entity_row(table, pivots[0], day, metrics, entities, extended)
    index = _index(catalog, account_id, table)
    if table == "ad_performance":
        return lambda pivots, day, metrics: (shape_ad_performance(pivots[0], day, metrics, index.get(
            urn_id(pivots[0]) or "")) | extended_values(metrics, extended))
    return lambda pivots, day, metrics: shape_conversion_performance(pivots[0], pivots[1], day, metrics,
                                                                     index.get(urn_id(pivots[0]) or ""))


def _table_shaper(catalog: AccountCatalog, account_id: str, table: str, extended: tuple[str, ...],
                  accounts: Sequence[dict[str, Any]]) -> TTableShaper:
    """Return how one request's merged columns of ``account_id`` become a table of ``table`` (the run's shapers)."""
    if table in ENTITY_LEVELS:
        entities = _entities(catalog, account_id, accounts)
        return lambda rows: entity_performance_table(table, rows, entities, extended)
    index = _index(catalog, account_id, table)
    if table == "ad_performance":
        return lambda rows: ad_performance_table(rows, index, extended)
    return lambda rows: conversion_performance_table(rows, index)  # as the run: newer metrics on ad_performance only


def repair_rows(client: LinkedInClient, catalog: AccountCatalog, table: str, spans: TSpans, stats: FetchStats,
                report: ReportSpec, extended: tuple[str, ...] = (), workers: int = 1,
                counts: Counter[tuple[str, str]] | None = None,
                accounts: Sequence[dict[str, Any]] = (),
                arrow: bool = False) -> Iterator[list[dict[str, Any]] | pa.Table]:
    """Yield shaped rows of ``table`` for every account and date span in ``spans``, in batches.

    ``counts`` (when given) receives the rows read per ``(account id, "YYYY-MM")``; ``accounts`` are the ad
    account elements in scope (their names go into ``account_performance``). With ``arrow`` each request's
    rows are yielded as one Arrow table with dlt's columns (:func:`repair_tables`).
    """
    if arrow:
        yield from repair_tables(client, catalog, table, spans, stats, report, extended, workers, counts, accounts)
        return
    for account_id, ranges in spans.items():
        shape = _shaper(catalog, account_id, table, extended, accounts)
        for start, end in ranges:
            batch: list[dict[str, Any]] = []
            for merged in run_report(client, report, [untrimmed_load(account_id, start, end)], stats,
                                     DEFAULT_BUDGET, workers=workers):
                for (pivots, day), metrics in merged.items():
                    row = shape(pivots, day, metrics)
                    row["account_id"] = row.get("account_id") or account_id
                    if counts is not None:
                        counts[(account_id, f"{day.year:04d}-{day.month:02d}")] += 1
                    batch.append(row)
                    if len(batch) >= ROW_BATCH:
                        yield batch
                        batch = []
            if batch:
                yield batch


def repair_tables(client: LinkedInClient, catalog: AccountCatalog, table: str, spans: TSpans, stats: FetchStats,
                  report: ReportSpec, extended: tuple[str, ...] = (), workers: int = 1,
                  counts: Counter[tuple[str, str]] | None = None,
                  accounts: Sequence[dict[str, Any]] = ()) -> Iterator[pa.Table]:
    """The Arrow twin of :func:`repair_rows`: one shaped table per request, with dlt's columns.

    Must run while dlt extracts (:func:`~lisync.sources.arrow.with_dlt_columns` needs the load package).
    """
    for account_id, ranges in spans.items():
        shape = _table_shaper(catalog, account_id, table, extended, accounts)
        for start, end in ranges:
            for merged in run_report(client, report, [untrimmed_load(account_id, start, end)], stats,
                                     DEFAULT_BUDGET, workers=workers, arrow=True):
                shaped = _owned_by(shape(merged.table()), account_id)
                if counts is not None:
                    _count_months(shaped, account_id, counts)
                if shaped.num_rows:
                    yield with_dlt_columns(shaped)


def _owned_by(rows: pa.Table, account_id: str) -> pa.Table:
    """``rows`` with ``account_id`` where the listings named no account (as ``row.get("account_id") or …``)."""
    position = rows.schema.get_field_index("account_id")
    column = rows.column(position)
    named = pc.fill_null(pc.not_equal(column, ""), False)
    filled = pc.if_else(named, column, pa.scalar(account_id, column.type))
    return rows.set_column(position, rows.schema.field(position), filled)


def _count_months(rows: pa.Table, account_id: str, counts: Counter[tuple[str, str]]) -> None:
    """Add the rows of each month of ``rows`` to ``counts[(account_id, "YYYY-MM")]``."""
    for item in pc.value_counts(rows.column("metric_date")).to_pylist():
        day = item["values"]
        counts[(account_id, f"{day.year:04d}-{day.month:02d}")] += item["counts"]


def repair_resource(settings: RunSettings, client: LinkedInClient, catalog: AccountCatalog, table: str,
                    spans: TSpans, stats: FetchStats, counts: Counter[tuple[str, str]] | None = None,
                    accounts: Sequence[dict[str, Any]] = ()) -> DltResource:
    """Return a ``merge`` resource named ``table`` that re-reads ``spans`` with the run's columns."""
    if table in ENTITY_LEVELS:
        report, extended = entity_report(settings, table)
    else:
        report = REPORTS[table]
        extended = extended_metrics(settings.api_version, table) if settings.extended_metrics else ()
        if extended:
            report = with_extended_chunks(report, extended)
    workers = client.retry_policy.max_concurrency
    arrow = settings.extract_format == "arrow"

    def rows() -> Iterator[list[dict[str, Any]] | pa.Table]:
        yield from repair_rows(client, catalog, table, spans, stats, report, extended, workers, counts, accounts,
                               arrow)

    resource = with_spec(dlt.resource(rows, name=table), "merge")
    if extended:
        resource.apply_hints(columns=extended_column_hints(extended))
    if arrow:  # as the run's resources: the Arrow tables carry dlt's own columns
        resource.apply_hints(columns=dlt_column_hints())
    return resource
