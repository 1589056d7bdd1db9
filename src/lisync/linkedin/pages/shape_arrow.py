"""Arrow tables for the pages tables: shaped rows → one typed column per contract column.

The Arrow twin of what dlt's normalizer makes of the rows of :mod:`lisync.linkedin.pages.shape_statistics` and
:mod:`lisync.linkedin.pages.shape_posts`. The row shapers stay the one place that decides a cell's value; these
tables are at most a few hundred rows per organization and period or page of posts, so each value is computed
once by its shaper and only moved here: every column is built in one step from the rows' values, typed as the
contract declares (:func:`lisync.spec.arrow.arrow_schema`), in the contract's order. A value a row leaves out is
NULL, as a dict row without the key lands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa

from lisync.spec.arrow import arrow_schema


def rows_table(table: str, rows: Sequence[Mapping[str, Any]], extra: Iterable[pa.Field] = ()) -> pa.Table:
    """Return ``rows`` of spec table ``table`` as an Arrow table with the contract's columns and types.

    Args:
        table: The spec table the rows belong to.
        rows: Rows as the table's row shaper returns them (spec column → value).
        extra: Columns after the spec's (e.g. the child tables' hard-delete flag), filled the same way.

    Returns:
        One column per spec column (in spec order) and per ``extra`` field, one row per element of ``rows``.
    """
    schema = arrow_schema(table)
    for field in extra:
        schema = schema.append(field)
    return pa.Table.from_arrays([_column(rows, field) for field in schema], schema=schema)


def _column(rows: Sequence[Mapping[str, Any]], field: pa.Field) -> pa.Array:
    """Return the values of ``field`` across ``rows`` as one array of the field's type (a missing key is NULL)."""
    name = field.name
    return pa.array([row.get(name) for row in rows], type=field.type)
