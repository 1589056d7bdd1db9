"""Sums a report's rows across the requests of one run, for reports whose rows span ad accounts.

A custom report without an account-scoped pivot (``IMPRESSION_DEVICE_TYPE`` alone, say) answers one row per
pivot value and period for all the accounts of a request. When the planner spreads the accounts (or the days of
one period) over several requests, every request answers the same key with its own share, and the table's row is
their sum. Such rows are few (pivot values × periods), so they are held until the run's last request and yielded
once. A row built from several requests leaves its non-additive metrics (averages, cost-per, reach) empty:
they cannot be rebuilt from the parts. :class:`SummedRows` sums LinkedIn's values (the dict path);
:class:`SummedColumns` sums the Arrow path's columns the same way, in Arrow.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from lisync.linkedin.analytics.columns import DAY
from lisync.linkedin.analytics.report_fields import NON_ADDITIVE_METRICS
from lisync.linkedin.convert import to_float, to_text

TKey = tuple[tuple[str, ...], dt.date | None]


@dataclass
class SummedRow:
    """One key's sum so far.

    Attributes:
        start: First day of the row's period (the earliest part's).
        end: Last day of the row's period (the latest part's).
        metrics: LinkedIn metric name → value (summed when ``parts`` > 1).
        parts: How many requests answered this key.
    """

    start: dt.date
    end: dt.date
    metrics: dict[str, Any] = field(default_factory=dict)
    parts: int = 0


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _add(total: Any, value: Any) -> Any:
    """Add two LinkedIn metric values, keeping the value's kind (money arrives as decimal strings)."""
    left, right = _number(total), _number(value)
    if left is None or right is None:
        return value if left is None else total
    out = left + right
    if isinstance(total, str) or isinstance(value, str):
        return str(out)
    if isinstance(total, int) and isinstance(value, int):
        return int(out)
    return float(out)


class SummedRows:
    """Rows of one report summed by pivot values and period across the run's requests.

    Args:
        granularity: ``DAILY`` (one row per day), ``MONTHLY`` (per calendar month) or ``ALL`` (one period).
        metrics: The report's LinkedIn metric names.
    """

    def __init__(self, granularity: str, metrics: Sequence[str]) -> None:
        self.granularity = granularity
        self.metrics = tuple(metrics)
        self._rows: dict[TKey, SummedRow] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def _bucket(self, day: dt.date) -> dt.date | None:
        if self.granularity == "ALL":
            return None
        return day.replace(day=1) if self.granularity == "MONTHLY" else day

    def add(self, pivot_values: tuple[str, ...], start: dt.date, end: dt.date, metrics: Mapping[str, Any]) -> None:
        """Add one request's row for ``pivot_values`` over ``start…end``."""
        key = (pivot_values, self._bucket(start))
        row = self._rows.get(key)
        if row is None:
            self._rows[key] = SummedRow(start, end, {m: metrics.get(m) for m in self.metrics}, 1)
            return
        row.start, row.end, row.parts = min(row.start, start), max(row.end, end), row.parts + 1
        for metric in self.metrics:
            row.metrics[metric] = _add(row.metrics[metric], metrics.get(metric))

    def rows(self) -> Iterator[tuple[tuple[str, ...], SummedRow]]:
        """Yield every key's row; non-additive metrics of rows built from several requests are ``None``.

        ALL rows all span the run's whole range (the earliest start and latest end of any part), as one
        unsplit request's rows would.
        """
        if self.granularity == "ALL" and self._rows:
            first = min(row.start for row in self._rows.values())
            last = max(row.end for row in self._rows.values())
            for row in self._rows.values():
                row.start, row.end = first, last
        for (pivot_values, _), row in self._rows.items():
            if row.parts > 1:
                for metric in NON_ADDITIVE_METRICS.intersection(self.metrics):
                    row.metrics[metric] = None
            yield pivot_values, row

    @property
    def combined(self) -> int:
        """How many rows were built from more than one request."""
        return sum(1 for row in self._rows.values() if row.parts > 1)


# A number as LinkedIn writes one (``12``, ``-0.5``, ``1.25E-3``): the digits after the point and the exponent.
_NUMBER = r"^[+-]?(?:[0-9]+(?:\.(?P<frac>[0-9]*))?|\.(?P<lead>[0-9]+))(?:[eE](?P<sign>[+-]?)(?P<exp>[0-9]+))?$"
_START, _END, _BUCKET, _PARTS = "date_start", "date_end", "_bucket", "_parts"
_DECIMAL, _NUMBERS, _SCALE = "_decimal_", "_numbers_", "_scale_"
_DAY0 = dt.date(1970, 1, 1)


class SummedColumns:
    """The Arrow twin of :class:`SummedRows`: each request's merged columns folded into the keys' sums in Arrow.

    The requests must ask for every metric as text (``ReportSpec.text_fields``), so each cell holds the text of
    the value LinkedIn answered (what :func:`_number` reads). Sums are exact decimals, as :func:`_add` makes
    them: a cell that is no number (null, text) is skipped, a key with no number keeps its last part's cell, a
    summed text metric keeps the most decimals of its parts (``"1.10"`` + ``"2"`` is ``"3.10"``), and a summed
    float metric is the sum's nearest float. Non-additive metrics of keys built from several parts are null.
    Each request is folded in as it comes (one row per key is held, as :class:`SummedRows` holds); a metric
    with a number beyond 38 digits is folded value by value with :func:`_add` instead.

    Args:
        granularity: ``DAILY``, ``MONTHLY`` or ``ALL``.
        metrics: The report's LinkedIn metric names.
    """

    def __init__(self, granularity: str, metrics: Sequence[str]) -> None:
        self.granularity = granularity
        self.metrics = tuple(metrics)
        self._sums: pa.Table | None = None
        self._by_python: set[str] = set()

    def add(self, rows: pa.Table, period_end: Callable[[dt.date], dt.date]) -> None:
        """Fold in one request's merged columns (``pivot_0…``, ``day``, every metric as text).

        Args:
            rows: :meth:`~lisync.linkedin.analytics.columns.ColumnarRows.table` of one planned request.
            period_end: The last day of the period starting on a given day, within that request.
        """
        if not rows.num_rows:
            return
        day = rows.column(DAY).combine_chunks()
        part = pa.table({
            **{name: rows.column(name) for name in _pivots(rows)}, _BUCKET: _per_day(day, self._bucket),
            _START: day, _END: _per_day(day, period_end), _PARTS: pa.repeat(pa.scalar(1, pa.int64()), len(day)),
            **{metric: rows.column(metric).cast(pa.string()) for metric in self.metrics}})
        for metric in self.metrics:
            part = self._with_decimals(part, metric)
        self._sums = part if self._sums is None else self._fold(self._sums, part)

    def _bucket(self, day: dt.date) -> dt.date:
        if self.granularity == "ALL":
            return _DAY0
        return day.replace(day=1) if self.granularity == "MONTHLY" else day

    def _with_decimals(self, part: pa.Table, metric: str) -> pa.Table:
        """``part`` with ``metric``'s cells as decimals, their count and decimals (or folded by Python)."""
        if metric not in self._by_python:
            try:
                decimals, scales = _decimals(part.column(metric).combine_chunks())
            except pa.ArrowInvalid:  # a number beyond 38 digits: Python's decimals fold this metric from now on
                self._by_python.add(metric)
                if self._sums is not None:
                    self._sums = _as_folded(self._sums, metric)
            else:
                numbers = pc.is_valid(decimals).cast(pa.int64())
                return part.append_column(_DECIMAL + metric, decimals).append_column(
                    _NUMBERS + metric, numbers).append_column(_SCALE + metric, scales)
        return part

    def _fold(self, sums: pa.Table, part: pa.Table) -> pa.Table:
        """One row per key of ``sums`` and ``part`` together (``part`` is the later request)."""
        for metric in self.metrics:
            if metric in self._by_python:
                continue
            name = _DECIMAL + metric
            scale = max(sums.schema.field(name).type.scale, part.schema.field(name).type.scale)
            try:
                wider = pa.decimal128(38, scale)
                sums = sums.set_column(sums.schema.get_field_index(name), name, sums.column(name).cast(wider))
                part = part.set_column(part.schema.get_field_index(name), name, part.column(name).cast(wider))
            except pa.ArrowInvalid:  # the sums and the part's decimals do not fit one 38-digit decimal
                self._by_python.add(metric)
                sums, part = _as_folded(sums, metric), _as_folded(part, metric)
        both = pa.concat_tables([sums, part.select(sums.column_names)])
        last = pc.ScalarAggregateOptions(skip_nulls=False)
        aggregates: list[Any] = [(_START, "min"), (_END, "max"), (_PARTS, "sum")]
        for metric in self.metrics:
            aggregates += [(metric, "list")] if metric in self._by_python else [
                (_DECIMAL + metric, "sum"), (_NUMBERS + metric, "sum"), (_SCALE + metric, "max"),
                (metric, "last", last)]
        keys = [*_pivots(both), _BUCKET]
        grouped = both.group_by(keys, use_threads=False).aggregate(aggregates)
        out = {name: grouped.column(name) for name in keys}
        for name, kind in ((_START, "min"), (_END, "max"), (_PARTS, "sum")):
            out[name] = grouped.column(f"{name}_{kind}")
        for metric in self.metrics:
            if metric in self._by_python:
                out[metric] = _folded_text(grouped.column(f"{metric}_list"))
                continue
            out[metric] = grouped.column(f"{metric}_last")
            for prefix, kind in ((_DECIMAL, "sum"), (_NUMBERS, "sum"), (_SCALE, "max")):
                out[prefix + metric] = grouped.column(f"{prefix}{metric}_{kind}")
        return pa.table(out)

    @property
    def combined(self) -> int:
        """How many rows were built from more than one request."""
        if self._sums is None:
            return 0
        return pc.sum(pc.greater(self._sums.column(_PARTS), 1)).as_py() or 0

    def table(self, text_fields: Collection[str]) -> pa.Table:
        """Every key's row: ``pivot_0…``, ``date_start``, ``date_end``, then the metrics.

        Args:
            text_fields: Metrics that land in text columns (the others become float64, as ``to_float`` reads
                their text).
        """
        sums = self._sums
        if sums is None:
            return pa.table({})
        combined = pc.greater(sums.column(_PARTS), 1)
        starts, ends = sums.column(_START), sums.column(_END)
        if self.granularity == "ALL":  # every row spans the run's whole range, as one unsplit request's would
            starts = pa.repeat(pc.min(starts), sums.num_rows)
            ends = pa.repeat(pc.max(ends), sums.num_rows)
        out: dict[str, Any] = {name: sums.column(name) for name in _pivots(sums)}
        out |= {_START: starts, _END: ends}
        for metric in self.metrics:
            text = sums.column(metric) if metric in self._by_python else _summed_text(sums, metric)
            if metric in NON_ADDITIVE_METRICS:
                text = pc.if_else(combined, pa.scalar(None, pa.string()), text)
            out[metric] = text if metric in text_fields else _as_float(text)
        return pa.table(out)


def _pivots(table: pa.Table) -> list[str]:
    return [name for name in table.column_names if name.startswith("pivot_")]


def _per_day(day: pa.Array, value: Callable[[dt.date], dt.date]) -> pa.Array:
    """``value(d)`` of every row's day ``d``, computed once per distinct day."""
    days = pc.unique(day)
    computed = pa.array([value(d) for d in days.to_pylist()], type=pa.date32())
    return computed.take(pc.index_in(day, value_set=days))


def _decimals(texts: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Each cell as an exact decimal (null when it is no number) and its decimals (``Decimal``'s -exponent, ≥ 0).

    Raises:
        pyarrow.ArrowInvalid: A number does not fit a 38-digit decimal with the column's decimals.
    """
    parts = pc.extract_regex(texts, _NUMBER)
    digits = pc.add(pc.utf8_length(pc.struct_field(parts, "frac")), pc.utf8_length(pc.struct_field(parts, "lead")))
    exponent = pc.struct_field(parts, "exp")
    exponent = pc.if_else(pc.equal(exponent, ""), "0", exponent).cast(pa.int64())
    negative = pc.equal(pc.struct_field(parts, "sign"), "-")
    scales = pc.add(digits.cast(pa.int64()), pc.if_else(negative, exponent, pc.negate(exponent)))
    scales = pc.max_element_wise(scales, 0)
    numbers = pc.if_else(pc.is_valid(parts), texts, pa.scalar(None, pa.string()))
    return numbers.cast(pa.decimal128(38, pc.max(scales).as_py() or 0)), scales


def _summed_text(sums: pa.Table, metric: str) -> pa.Array:
    """A metric's text per key, as :func:`_add` folds its parts.

    Its only part as LinkedIn wrote it, the decimal sum of its numbers (with their most decimals), or its last
    part's cell when no part is a number.
    """
    decimals = sums.column(_DECIMAL + metric).combine_chunks()
    scales = sums.column(_SCALE + metric).combine_chunks()
    text = pa.nulls(sums.num_rows, pa.string())
    for scale in pc.unique(pc.drop_null(scales)).to_pylist():
        at = pc.if_else(pc.equal(scales, scale), decimals, pa.scalar(None, decimals.type))
        text = pc.coalesce(text, at.cast(pa.decimal128(38, scale)).cast(pa.string()))
    use_sum = pc.and_(pc.greater(sums.column(_PARTS), 1), pc.greater(sums.column(_NUMBERS + metric), 0))
    return pc.if_else(use_sum, text, sums.column(metric))


def _as_folded(sums: pa.Table, metric: str) -> pa.Table:
    """``sums`` holding ``metric`` as the text :func:`_add` folds its parts to, without its decimals."""
    text = _summed_text(sums, metric)
    sums = sums.drop_columns([_DECIMAL + metric, _NUMBERS + metric, _SCALE + metric])
    return sums.set_column(sums.schema.get_field_index(metric), metric, text)


def _folded_text(parts: pa.ChunkedArray) -> pa.Array:
    """Each key's cells folded with :func:`_add` value by value (numbers too large for Arrow's decimals)."""
    folded = (functools.reduce(_add, cells) for cells in parts.to_pylist())
    return pa.array([to_text(value) for value in folded], type=pa.string())


def _as_float(texts: pa.Array) -> pa.Array:
    """Text as ``to_float`` reads it: Arrow's exact parse when every cell is a number, else value by value."""
    try:
        numbers = texts.cast(pa.float64())
    except pa.ArrowInvalid:
        return pa.array([to_float(v) for v in texts.to_pylist()], type=pa.float64())
    return pc.if_else(pc.is_finite(numbers), numbers, pa.scalar(None, pa.float64()))
