"""LinkedIn answers parsed straight into Arrow: a finder answer's ``elements`` as one struct array.

Arrow's JSON reader turns a whole answer into typed columns in C++, without a Python object per value.
It is used only where its result is the same as Python's: when an answer holds anything Arrow would
represent differently (a field that mixes numbers and text, nested values where a metric is expected,
a number kept as text that Arrow would widen to a float), the answer is decoded as Python values
instead, and the caller takes the exact per-value path for it.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Collection
from typing import Any

import pyarrow as pa
import pyarrow.json as pa_json

from lisync.linkedin.http.retry import parse_json

KEY_FIELDS = ("pivotValues", "dateRange")
_SCALARS = (pa.types.is_null, pa.types.is_boolean, pa.types.is_int64, pa.types.is_float64, pa.types.is_string)
_TEXT_SCALARS = (pa.types.is_null, pa.types.is_boolean, pa.types.is_int64, pa.types.is_string)
_MIN_BLOCK = 1 << 16
# One parse at a time: parsing briefly needs about twice the answer's size, and answers of one request
# arrive together; the CPU cost is the same, and downloads still overlap.
_PARSING = threading.Lock()


def parse_elements(body: bytes, text_fields: Collection[str] = ()) -> pa.StructArray | Any:
    """Parse an answer's ``elements`` into an Arrow struct array, or decode the answer as Python values.

    Args:
        body: The answer's bytes.
        text_fields: Fields that land in text columns: Arrow must not have widened them to floats
            (Python keeps ``5`` as ``"5"`` and ``5.0`` as ``"5.0"``; a float column cannot).

    Returns:
        The ``elements`` struct array when every field has a type Arrow converts exactly, else the whole
        answer as Python values (what the JSON decoder returns).

    Raises:
        ValueError: The body is not JSON.
    """
    try:
        with _PARSING:
            table = pa_json.read_json(
                io.BytesIO(body),
                read_options=pa_json.ReadOptions(use_threads=False, block_size=max(len(body) + 1, _MIN_BLOCK)),
                parse_options=pa_json.ParseOptions(newlines_in_values=True),
            )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return parse_json(body)  # not JSON (raises), or JSON Arrow cannot type: Python values
    elements = _elements(table)
    if elements is None or not _exact(elements.type, frozenset(text_fields)):
        return parse_json(body)
    return elements


def _elements(table: pa.Table) -> pa.StructArray | None:
    """The one answer's ``elements`` list as a struct array; ``None`` for any other shape."""
    if table.num_rows != 1 or "elements" not in table.column_names:
        return None
    column = table.column("elements").combine_chunks()
    if not pa.types.is_list(column.type) or column.null_count:
        return None
    values = column.values
    if pa.types.is_null(values.type):  # an empty list
        return pa.array([], type=pa.struct([]))
    if not pa.types.is_struct(values.type):
        return None
    return values


def _exact(element_type: pa.StructType, text_fields: frozenset[str]) -> bool:
    """Whether every field of the elements has a type that converts exactly as Python's values would."""
    for index in range(element_type.num_fields):
        field = element_type.field(index)
        if field.name == "pivotValues":
            ok = pa.types.is_null(field.type) or (
                pa.types.is_list(field.type) and (pa.types.is_string(field.type.value_type)
                                                  or pa.types.is_null(field.type.value_type)))
        elif field.name == "dateRange":
            ok = _date_range_ok(field.type)
        else:
            checks = _TEXT_SCALARS if field.name in text_fields else _SCALARS
            ok = any(check(field.type) for check in checks)
        if not ok:
            return False
    return True


def _date_range_ok(date_range: pa.DataType) -> bool:
    """``dateRange`` is absent everywhere, or a record whose ``start`` has integer year, month and day."""
    if pa.types.is_null(date_range):
        return True
    if not pa.types.is_struct(date_range) or date_range.get_field_index("start") < 0:
        return False
    start = date_range.field("start").type
    if pa.types.is_null(start):
        return True
    if not pa.types.is_struct(start):
        return False
    parts = [start.get_field_index(name) for name in ("year", "month", "day")]
    return all(i >= 0 and pa.types.is_int64(start.field(i).type) for i in parts)
