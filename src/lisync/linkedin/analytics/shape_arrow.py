"""Arrow shapers for the performance tables: merged adAnalytics columns + entity lookups → spec tables.

The Arrow twin of :mod:`lisync.linkedin.analytics.shape` and of the reports' row shapers (account, campaign
group and campaign performance, ``ad_demographics``, custom reports). Dimension values (ids, references, names) depend
only on a row's pivot values, so the row shapers' own dimension functions compute them once per distinct
pivot combination and the columns are gathered from those; metrics come typed from
:mod:`lisync.linkedin.analytics.columns`. The result has the spec's columns in the spec's order with the spec's
types, then the opted-in newer metrics (float columns named like LinkedIn's fields, lower-cased), as the dict
path's rows have them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from lisync.linkedin.analytics.columns import DAY, pivot_column, text_metric_fields
from lisync.linkedin.analytics.custom_reports import CustomReport
from lisync.linkedin.analytics.fields import metric_columns
from lisync.linkedin.analytics.shape import (
    CreativeInfo,
    ad_performance_dimensions,
    conversion_performance_dimensions,
)
from lisync.linkedin.analytics.shape_reports import (
    EntityInfo,
    custom_columns,
    entity_dimensions,
    shape_demographic_row,
)
from lisync.linkedin.convert import to_float, to_text
from lisync.linkedin.http.restli import urn_id
from lisync.spec.arrow import arrow_schema

if TYPE_CHECKING:
    from lisync.linkedin.analytics.fetch import MergedRows

_DAY0 = dt.date(1970, 1, 1)
# dlt data types of a custom report's columns as Arrow types
ARROW_HINT_TYPES: dict[str, pa.DataType] = {"text": pa.string(), "double": pa.float64(), "date": pa.date32()}


def ad_performance_table(rows: pa.Table, index: dict[str, CreativeInfo], extended: tuple[str, ...] = ()) -> pa.Table:
    """Shape merged ``ad_performance`` columns (one CREATIVE pivot) into the spec table."""

    def dimensions(pivots: tuple[str, ...]) -> dict[str, Any]:
        return ad_performance_dimensions(pivots[0], _DAY0, index.get(urn_id(pivots[0]) or ""))

    return _spec_table("ad_performance", rows, dimensions, extended)


def conversion_performance_table(rows: pa.Table, index: dict[str, CreativeInfo],
                                 extended: tuple[str, ...] = ()) -> pa.Table:
    """Shape merged ``conversion_performance`` columns (CREATIVE, CONVERSION pivots) into the spec table."""

    def dimensions(pivots: tuple[str, ...]) -> dict[str, Any]:
        return conversion_performance_dimensions(pivots[0], pivots[1], _DAY0, index.get(urn_id(pivots[0]) or ""))

    return _spec_table("conversion_performance", rows, dimensions, extended)


def entity_performance_table(table: str, rows: pa.Table, index: dict[str, dict[str, EntityInfo]],
                             extended: tuple[str, ...] = ()) -> pa.Table:
    """Shape merged ``account|campaign_group|campaign_performance`` columns (one entity pivot) into the spec table.

    The Arrow twin of :func:`~lisync.linkedin.analytics.shape_reports.shape_entity_row`.
    """

    def dimensions(pivots: tuple[str, ...]) -> dict[str, Any]:
        return entity_dimensions(table, pivots[0], index)

    return _spec_table(table, rows, dimensions, extended)


def demographics_table(rows: pa.Table, campaign_id: str, account_id: str | None, pivot: str,
                       granularity: str) -> pa.Table:
    """Shape one campaign's merged demographic columns (one ``MEMBER_*`` pivot) into the ``ad_demographics`` table.

    The Arrow twin of :func:`~lisync.linkedin.analytics.shape_reports.shape_demographic_row`.
    """

    def dimensions(pivots: tuple[str, ...]) -> dict[str, Any]:
        return shape_demographic_row(campaign_id, account_id, pivot, pivots[0], _DAY0, granularity, {})

    return _spec_table("ad_demographics", rows, dimensions, ())


def custom_report_table(report: CustomReport, rows: pa.Table, period_end: Callable[[dt.date], dt.date],
                        account_id: str | None) -> pa.Table:
    """Shape one planned request's merged columns of a custom report into its table.

    The Arrow twin of :func:`~lisync.linkedin.analytics.shape_reports.shape_custom_row`: the same columns in
    the same order, typed as :func:`~lisync.linkedin.analytics.shape_reports.custom_columns` declares them.

    Args:
        report: The declared report.
        rows: The merged columns (:meth:`~lisync.linkedin.analytics.columns.ColumnarRows.table`).
        period_end: The last day of the period starting on a given day.
        account_id: The request's account (demographic reports), else ``None``.
    """
    hints = custom_columns(report, account_id is not None)
    day = rows.column(DAY).combine_chunks()
    days = pc.unique(day)
    ends = pa.array([period_end(d) for d in days.to_pylist()], type=pa.date32())
    arrays: dict[str, pa.Array] = {"date_start": day, "date_end": ends.take(pc.index_in(day, value_set=days))}
    if account_id is not None:
        arrays["account_id"] = pa.repeat(pa.scalar(account_id, pa.string()), rows.num_rows)
    for i, column in enumerate(report.pivot_columns):
        arrays[column] = rows.column(pivot_column(i)).combine_chunks()
    for metric in report.metrics:
        arrays[metric.lower()] = rows.column(metric).combine_chunks()
    fields = [pa.field(name, ARROW_HINT_TYPES[hints[name]["data_type"]], nullable=hints[name]["nullable"])
              for name in arrays]
    return pa.Table.from_arrays([arrays[f.name].cast(f.type) for f in fields], schema=pa.schema(fields))


def _spec_table(table: str, rows: pa.Table, dimensions: Callable[[tuple[str, ...]], dict[str, Any]],
                extended: tuple[str, ...]) -> pa.Table:
    schema = arrow_schema(table)
    metrics = metric_columns(table)
    count = sum(1 for name in rows.column_names if name.startswith("pivot_"))
    pivots = [rows.column(pivot_column(i)).combine_chunks() for i in range(count)]
    combo, distinct = _distinct_pivots(pivots)
    dims: dict[str, list[Any]] = {}
    for values in distinct:
        row = dimensions(values)
        for column, value in row.items():
            if column not in metrics and column != "metric_date":
                dims.setdefault(column, []).append(value)
    arrays: list[pa.Array] = []
    for field in schema:
        if field.name == "metric_date":
            arrays.append(rows.column(DAY).combine_chunks())
        elif field.name in metrics:  # a field the report did not ask for is null, as metrics.get() gives None
            arrays.append(rows.column(metrics[field.name]).combine_chunks() if metrics[field.name] in rows.column_names
                          else pa.nulls(rows.num_rows, field.type))
        elif field.name in dims:
            arrays.append(pa.array(dims[field.name], type=field.type).take(combo))
        else:  # a column the row shaper does not fill: null, as a dict row without it lands
            arrays.append(pa.nulls(rows.num_rows, field.type))
    for name in extended:  # the newer metrics, as extended_values() adds them to a dict row
        schema = schema.append(pa.field(name.lower(), pa.float64()))
        arrays.append(rows.column(name).combine_chunks())
    return pa.Table.from_arrays(arrays, schema=schema)


def _distinct_pivots(pivots: list[pa.Array]) -> tuple[pa.Array, list[tuple[str, ...]]]:
    """Each row's position among the distinct pivot combinations, and those combinations as tuples."""
    code = pa.array([], type=pa.int64())
    for i, part in enumerate(pivots):
        values = pc.unique(part)
        rank = pc.index_in(part, value_set=values).cast(pa.int64())
        code = rank if i == 0 else pc.add(pc.multiply(code, len(values)), rank)
    distinct_codes = pc.unique(code)
    first = pc.index_in(distinct_codes, value_set=code)
    combos = list(zip(*(part.take(first).to_pylist() for part in pivots), strict=True))
    return pc.index_in(code, value_set=distinct_codes), combos


def summed_report_table(report: CustomReport, rows: pa.Table) -> pa.Table:
    """Shape a custom report's rows summed over requests into its table.

    The Arrow twin of :func:`~lisync.linkedin.analytics.shape_reports.shape_custom_row` over
    :meth:`~lisync.linkedin.analytics.summed.SummedRows.rows`: as :func:`custom_report_table`, with each row's
    period end as summed (the latest part's).

    Args:
        report: The declared report (no account column: its rows span accounts).
        rows: :meth:`~lisync.linkedin.analytics.summed.SummedColumns.table`.
    """
    merged = rows.rename_columns([DAY if name == "date_start" else name for name in rows.column_names])
    table = custom_report_table(report, merged, lambda day: day, None)
    position = table.schema.get_field_index("date_end")
    return table.set_column(position, table.schema.field(position), rows.column("date_end").cast(pa.date32()))


def demographics_batch_table(parts: Sequence[tuple[pa.Table, str, str | None, str]], granularity: str) -> pa.Table:
    """Shape several answers' merged demographic columns into one ``ad_demographics`` table, in one pass.

    The same rows, in the same order and with the same cells, as :func:`demographics_table` of each part
    concatenated; the per-table work, which dominates for answers of at most 100 values, is paid once.

    Args:
        parts: Per answer: its merged columns (one ``MEMBER_*`` pivot), campaign id, account id and pivot.
        granularity: ``MONTHLY`` or ``DAILY``.
    """
    rows = pa.concat_tables([part[0] for part in parts])
    # Which part each row comes from; the part's campaign, pivot and account ride along as further pivot columns,
    # so the row shaper runs once per distinct (value, campaign, pivot, account) of the batch.
    part_of = pa.array(list(chain.from_iterable(repeat(i, part[0].num_rows) for i, part in enumerate(parts))),
                       type=pa.int32())
    for i, position in enumerate((1, 3, 2), start=1):  # pivot_1 campaign, pivot_2 pivot, pivot_3 account
        tags = pa.array([part[position] for part in parts], type=pa.string())
        rows = rows.append_column(pivot_column(i), tags.take(part_of))

    def dimensions(pivots: tuple[str, ...]) -> dict[str, Any]:
        return shape_demographic_row(pivots[1], pivots[3], pivots[2], pivots[0], _DAY0, granularity, {})

    return _spec_table("ad_demographics", rows, dimensions, ())


def demographic_answer_columns(rows: MergedRows) -> pa.Table:
    """One campaign's merged demographic rows, decoded as Python values, as :func:`demographics_table` takes them.

    The columns :meth:`~lisync.linkedin.analytics.columns.ColumnarRows.table` holds (``pivot_0``, ``day``, every
    field as float64 or text), each value converted as the row shaper converts it (:func:`to_float`,
    :func:`to_text`). A demographic answer is small (at most 100 values per period): decoding it as Python values
    costs less than Arrow's JSON reader, whose fixed cost per answer dominates at this size.
    """
    keys = list(rows)
    text = text_metric_fields("ad_demographics")
    arrays: dict[str, pa.Array] = {
        pivot_column(0): pa.array([key[0][0] for key in keys], type=pa.string()),
        DAY: pa.array([key[1] for key in keys], type=pa.date32()),
    }
    values = list(zip(*(rows.row(key) for key in keys), strict=True)) or [() for _ in rows.fields]
    for field, column in zip(rows.fields, values, strict=True):
        if field in text:
            arrays[field] = pa.array([to_text(value) for value in column], type=pa.string())
        else:
            arrays[field] = pa.array([to_float(value) for value in column], type=pa.float64())
    return pa.table(arrays)
