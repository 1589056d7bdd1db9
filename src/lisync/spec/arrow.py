"""The table contract as Arrow schemas: the spec's columns, in spec order, with the spec's types."""

from __future__ import annotations

from functools import cache

import pyarrow as pa

from lisync.spec.loader import table_spec

# The spec's portable types as Arrow types (what dlt maps to the same destination types as its hints).
ARROW_TYPES: dict[str, pa.DataType] = {
    "text": pa.string(),
    "float": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}


@cache
def arrow_schema(table: str) -> pa.Schema:
    """Return the Arrow schema of spec table ``table``: every column nullable except the primary key."""
    tspec = table_spec(table)
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type], nullable=c.name not in tspec.primary_key)
                      for c in tspec.columns])
