"""One planned adAnalytics request's answers merged by key into Arrow columns (the Arrow extraction path).

Each chunk answer becomes typed column arrays (float64 for float columns, string for text columns) as
soon as it arrives, and the answer itself is dropped. When every answer is in, the rows are merged by
``(pivotValues, day)`` in Arrow: a row LinkedIn omitted from a chunk gets zero for that chunk's fields
(LinkedIn omits a row when all of a chunk's metrics are zero), a field an element lacks is null, and a key
seen twice in one chunk keeps its last value, exactly as :class:`~lisync.linkedin.analytics.fetch.MergedRows`
and the row shapers do it value by value.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from lisync.linkedin.analytics.fields import metric_columns
from lisync.linkedin.convert import restli_date_to_date, to_float, to_text
from lisync.spec.loader import table_spec

EPOCH = dt.date(1970, 1, 1)
DAY = "day"


@cache
def text_metric_fields(table: str) -> frozenset[str]:
    """The LinkedIn fields of ``table`` that land in text columns (the other metrics land in float columns)."""
    tspec = table_spec(table)
    return frozenset(field for column, field in metric_columns(table).items()
                     if tspec.column(column).type == "text")


def pivot_column(index: int) -> str:
    """Name of the merged table's column holding pivot value ``index``."""
    return f"pivot_{index}"


@dataclass
class _Piece:
    """One answer's valid rows: key columns and the chunk's value columns, already typed."""

    order: int
    chunk: tuple[str, ...]
    pivots: list[pa.Array]
    day: pa.Array  # date32
    values: dict[str, pa.Array]

    def __len__(self) -> int:
        return len(self.day)


class ColumnarRows:
    """The merged rows of one planned request, built from typed per-answer columns.

    Args:
        fields: Every metric field of the report, in column order.
        pivots: How many pivot values a key has.
        text_fields: Fields that land in text columns (the others land in float columns).
        facet_ids: The planned request's facet ids (reports that cannot tell ids apart ask for one).
        start: The planned request's first day.
        end: The planned request's last day.
    """

    def __init__(self, fields: Sequence[str], pivots: int, text_fields: Collection[str],
                 facet_ids: Sequence[str] = (), start: dt.date | None = None, end: dt.date | None = None) -> None:
        self.fields = tuple(fields)
        self.facet_ids = tuple(facet_ids)
        self.start, self.end = start, end
        self.pivots = pivots
        self.text_fields = frozenset(text_fields)
        self._pieces: list[_Piece] = []
        self._table: pa.Table | None = None
        self._lock = threading.Lock()

    def add(self, order: int, chunk: Sequence[str], body: Any) -> int:
        """Take one answer (an Arrow struct array of elements, or the decoded JSON elements list).

        Args:
            order: The answer's call number within the request (the merge follows it, not arrival order).
            chunk: The metric fields the call asked for.
            body: ``elements`` as parsed by :func:`~lisync.linkedin.http.arrow.parse_elements`: a struct
                array, or a list of Python values.

        Returns:
            How many elements were dropped for lacking a valid key.
        """
        chunk = tuple(chunk)
        piece, dropped = (_arrow_piece if isinstance(body, pa.StructArray) else _python_piece)(
            order, chunk, body, self.pivots, self.text_fields)
        with self._lock:
            self._pieces.append(piece)
            self._table = None
        return dropped

    def __len__(self) -> int:
        return self.table().num_rows

    def table(self) -> pa.Table:
        """The merged rows: ``pivot_0…``, ``day`` (date32), then every field (float64 or string)."""
        with self._lock:
            if self._table is None:
                self._table = _merge(sorted(self._pieces, key=lambda p: p.order), self.fields, self.pivots,
                                     self.text_fields)
                self._pieces = []  # the merged table holds what is still needed
            return self._table


def _value_type(field: str, text_fields: frozenset[str]) -> pa.DataType:
    return pa.string() if field in text_fields else pa.float64()


def _python_piece(order: int, chunk: tuple[str, ...], elements: list[Any], pivots: int,
                  text_fields: frozenset[str]) -> tuple[_Piece, int]:
    """A piece from decoded JSON, value by value with the row shapers' own conversions."""
    keys: list[tuple[tuple[str, ...], dt.date]] = []
    rows: list[dict[str, Any]] = []
    dropped = 0
    for element in elements:
        key = _python_key(element, pivots) if isinstance(element, dict) else None
        if key is None:
            dropped += 1
            continue
        keys.append(key)
        rows.append(element)
    values = {}
    for field in chunk:
        convert = to_text if field in text_fields else to_float
        values[field] = pa.array([convert(row.get(field)) for row in rows], type=_value_type(field, text_fields))
    piece = _Piece(order, chunk, [pa.array([k[0][i] for k in keys], type=pa.string()) for i in range(pivots)],
                   pa.array([k[1] for k in keys], type=pa.date32()), values)
    return piece, dropped


def _python_key(element: dict[str, Any], pivots: int) -> tuple[tuple[str, ...], dt.date] | None:
    values = element.get("pivotValues")
    day = restli_date_to_date((element.get("dateRange") or {}).get("start"))
    if not isinstance(values, list) or len(values) != pivots or day is None:
        return None
    if not all(isinstance(v, str) for v in values):
        return None
    return tuple(values), day


def _field(elements: pa.StructArray, name: str) -> pa.Array:
    """A field of the elements (all null when no element has it), nulls where an element itself is null."""
    if elements.type.get_field_index(name) < 0:
        return pa.nulls(len(elements))
    return elements.field(name) if not elements.null_count else pc.struct_field(elements, name)


def _arrow_piece(order: int, chunk: tuple[str, ...], elements: pa.StructArray, pivots: int,
                 text_fields: frozenset[str]) -> tuple[_Piece, int]:
    """A piece from an Arrow answer: the key checks of ``_python_key`` and the conversions, column-wise."""
    valid, pivot_arrays = _valid_pivots(_field(elements, "pivotValues"), pivots)
    days = _days(_field(elements, "dateRange"))
    valid = pc.and_kleene(valid, pc.is_valid(days))
    valid = pc.fill_null(valid, False)
    kept = pc.sum(valid).as_py() or 0
    dropped = len(elements) - kept

    def keep(array: pa.Array) -> pa.Array:
        return array if dropped == 0 else array.filter(valid)

    values = {field: _convert(keep(_field(elements, field)), field in text_fields) for field in chunk}
    piece = _Piece(order, chunk, [keep(a) for a in pivot_arrays], keep(days), values)
    return piece, dropped


def _valid_pivots(values: pa.Array, pivots: int) -> tuple[pa.Array, list[pa.Array]]:
    """Which elements have exactly ``pivots`` text pivot values, and those values as string columns."""
    n = len(values)
    if pa.types.is_null(values.type) or pa.types.is_null(values.type.value_type):
        return pa.array([False] * n, type=pa.bool_()), [pa.nulls(n, pa.string()) for _ in range(pivots)]
    lengths = pc.list_value_length(values)
    valid = pc.fill_null(pc.equal(lengths, pivots), False)
    # Item i of each list of the right length, read at its offset into the (unsliced) values; others are null.
    flat = values.values
    starts = values.offsets.slice(0, n)
    columns = []
    for i in range(pivots):
        index = pc.if_else(valid, pc.add(starts, i), pa.scalar(None, pa.int32()))
        item = flat.take(index)
        valid = pc.and_(valid, pc.is_valid(item))
        columns.append(item)
    return valid, columns


def _days(date_range: pa.Array) -> pa.Array:
    """``dateRange.start`` as date32; null where it is missing or not a real date (as ``restli_date_to_date``)."""
    n = len(date_range)
    if pa.types.is_null(date_range.type):
        return pa.nulls(n, pa.date32())
    start = pc.struct_field(date_range, "start")
    if pa.types.is_null(start.type):
        return pa.nulls(n, pa.date32())
    year, month, day = (pc.struct_field(start, name) for name in ("year", "month", "day"))
    plausible = pc.and_(pc.and_(pc.and_(pc.greater_equal(year, 1), pc.less_equal(year, 9999)),
                                pc.and_(pc.greater_equal(month, 1), pc.less_equal(month, 12))),
                        pc.and_(pc.greater_equal(day, 1), pc.less_equal(day, 31)))
    code = pc.if_else(plausible, pc.add(pc.add(pc.multiply(year, 10_000), pc.multiply(month, 100)), day),
                      pa.scalar(None, pa.int64()))
    distinct = pc.drop_null(pc.unique(code))
    ordinals: list[int | None] = []
    for value in distinct.to_pylist():
        try:
            ordinals.append((dt.date(value // 10_000, value // 100 % 100, value % 100) - EPOCH).days)
        except ValueError:
            ordinals.append(None)
    lookup = pa.array(ordinals, type=pa.int32())
    return lookup.take(pc.index_in(code, value_set=distinct)).cast(pa.date32())


def _convert(values: pa.Array, text: bool) -> pa.Array:
    """A metric field as its column type, with :func:`to_float`/:func:`to_text`'s results."""
    kind = values.type
    if text:
        if pa.types.is_string(kind):
            return values
        if pa.types.is_boolean(kind) or pa.types.is_int64(kind) or pa.types.is_null(kind):
            return values.cast(pa.string())
        return pa.array([to_text(v) for v in values.to_pylist()], type=pa.string())
    if pa.types.is_boolean(kind) or pa.types.is_null(kind):
        return pa.nulls(len(values), pa.float64())  # to_float refuses booleans
    if pa.types.is_int64(kind):
        return values.cast(pa.float64(), safe=False)  # round to nearest, as float(int) does
    if pa.types.is_string(kind):
        try:
            numbers = values.cast(pa.float64())
        except pa.ArrowInvalid:  # text Arrow cannot read as a number: Python decides, value by value
            return pa.array([to_float(v) for v in values.to_pylist()], type=pa.float64())
    elif pa.types.is_float64(kind):
        numbers = values
    else:
        return pa.array([to_float(v) for v in values.to_pylist()], type=pa.float64())
    finite = pc.is_finite(numbers)
    if pc.all(pc.fill_null(finite, True)).as_py():
        return numbers
    return pc.if_else(finite, numbers, pa.scalar(None, pa.float64()))


def _merge(pieces: list[_Piece], fields: tuple[str, ...], pivots: int, text_fields: frozenset[str]) -> pa.Table:
    """Merge the pieces by key: one row per distinct key, in first-seen order; omitted chunks give zeros."""
    names = [*(pivot_column(i) for i in range(pivots)), DAY, *fields]
    if not pieces or not any(len(p) for p in pieces):
        schema = pa.schema([*(pa.field(pivot_column(i), pa.string()) for i in range(pivots)),
                            pa.field(DAY, pa.date32()),
                            *(pa.field(f, _value_type(f, text_fields)) for f in fields)])
        return schema.empty_table()
    key_parts = [pa.concat_arrays([p.pivots[i] for p in pieces]) for i in range(pivots)]
    all_days = pa.concat_arrays([p.day for p in pieces])
    codes = _key_codes(key_parts, all_days)
    keys = pc.unique(codes)  # first-seen order
    first = pc.index_in(keys, value_set=codes)
    columns: dict[str, pa.Array] = {pivot_column(i): key_parts[i].take(first) for i in range(pivots)}
    columns[DAY] = all_days.take(first)
    offsets, position = {}, 0
    for piece in pieces:
        offsets[id(piece)] = position
        position += len(piece)
    chunks: dict[tuple[str, ...], list[_Piece]] = {}
    for piece in pieces:
        chunks.setdefault(piece.chunk, []).append(piece)
    for chunk, members in chunks.items():
        member_codes = pa.concat_arrays([codes.slice(offsets[id(p)], len(p)) for p in members])
        reverse = pc.count_distinct(member_codes).as_py() < len(member_codes)
        if reverse:  # a key twice in one chunk: the last one wins, so look keys up from the end
            member_codes = member_codes.take(pa.array(range(len(member_codes) - 1, -1, -1)))
        gather = pc.index_in(keys, value_set=member_codes)
        for field in chunk:
            kind = _value_type(field, text_fields)
            values = pa.concat_arrays([p.values[field] for p in members])
            if reverse:
                values = values.take(pa.array(range(len(values) - 1, -1, -1)))
            zero = pa.array(["0" if field in text_fields else 0.0], type=kind)
            values = pa.concat_arrays([values, zero])
            columns[field] = values.take(pc.fill_null(gather, len(values) - 1))
    for field in fields:
        if field not in columns:  # no answer carried this field: LinkedIn omitted every row, so zero
            columns[field] = pa.array(["0" if field in text_fields else 0.0] * len(keys),
                                      type=_value_type(field, text_fields))
    return pa.table([columns[n] for n in names], names=names)


def _key_codes(key_parts: list[pa.Array], days: pa.Array) -> pa.Array:
    """One int64 per key: each pivot value's rank among the request's distinct values, and the day."""
    code = days.cast(pa.int32()).cast(pa.int64())
    low = pc.min(code).as_py()
    code = pc.subtract(code, low)
    span = (pc.max(code).as_py() or 0) + 1
    for part in key_parts:
        distinct = pc.unique(part)
        rank = pc.index_in(part, value_set=distinct).cast(pa.int64())
        code = pc.add(pc.multiply(rank, span), code)
        span *= len(distinct)
    return code
