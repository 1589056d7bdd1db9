"""Arrow tables handed to dlt with dlt's own row columns, so an Arrow load lands the same table as a dict load.

dlt adds ``_dlt_load_id`` and ``_dlt_id`` to every row it normalizes from dicts, but not to Arrow tables
(its Parquet normalizer leaves them out by default). A table first loaded from dicts has both columns NOT
NULL, so an Arrow load into it must carry them too: they are added here, with the column hints dlt's
normalizer writes for dict rows and dlt's own id generator, before the table goes to dlt.

It also holds the merge disposition of the performance tables, whose rows are unique by construction, and the
check that keeps them so (:class:`UniqueKeys`).
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

import dlt
import pyarrow as pa
import pyarrow.compute as pc
from dlt.common.schema.typing import TColumnSchema, TDeleteInsertStrategyDict

from lisync.linkedin.http.errors import BadResponseError
from lisync.spec.loader import table_spec

LOAD_ID = "_dlt_load_id"
ROW_ID = "_dlt_id"


def dlt_column_hints() -> dict[str, TColumnSchema]:
    """Column hints for ``_dlt_load_id`` and ``_dlt_id``, exactly as dlt's normalizer declares them for dicts."""
    return {LOAD_ID: {"name": LOAD_ID, "data_type": "text", "nullable": False},
            ROW_ID: {"name": ROW_ID, "data_type": "text", "nullable": False, "unique": True, "row_key": True}}


def with_dlt_columns(table: pa.Table) -> pa.Table:
    """Return ``table`` with ``_dlt_load_id`` (the load being extracted) and a fresh ``_dlt_id`` per row.

    Must be called while dlt extracts (inside a resource), where the load package is known.
    """
    load_id = dlt.current.load_package_state()["load_id"]
    rows = table.num_rows
    table = table.append_column(pa.field(LOAD_ID, pa.string(), nullable=False),
                                pa.repeat(pa.scalar(load_id, pa.string()), rows))
    return table.append_column(pa.field(ROW_ID, pa.string(), nullable=False), row_ids(rows))


# dlt's row ids are 10 random bytes in base64 without padding: 14 characters. 12 bytes encode to exactly 16
# characters, so one encoding of 12 × n random bytes cut every 16 characters and kept to 14 gives ids of the same
# alphabet, length and randomness (84 bits) without a Python string per row (0.08 s for 425,000 rows instead
# of 0.3 s through dlt's per-id generator).
_ID_SOURCE_BYTES = 12
_ID_ENCODED = 16
_ID_LENGTH = 14


def row_ids(count: int) -> pa.Array:
    """Return ``count`` fresh ``_dlt_id`` values: random, unique with overwhelming odds, shaped like dlt's own."""
    encoded = base64.b64encode(secrets.token_bytes(_ID_SOURCE_BYTES * count))
    fixed = pa.FixedSizeBinaryArray.from_buffers(pa.binary(_ID_ENCODED), count, [None, pa.py_buffer(encoded)])
    return pc.binary_slice(fixed, 0, _ID_LENGTH).cast(pa.string())


# Each planned request's rows are unique by key, and planned requests never overlap (each covers its accounts'
# days once), so dlt's staging de-duplication is not needed: it is a window over every column that costs about a
# fifth of the load's CPU and is the one step of the merge DuckDB cannot run within a bounded memory_limit.
UNIQUE_MERGE: TDeleteInsertStrategyDict = {"disposition": "merge", "strategy": "delete-insert", "deduplicated": True}


class UniqueKeys:
    """The primary keys of the rows a resource yielded, checked unique before dlt loads them.

    The rows of a table declared ``deduplicated`` (:data:`UNIQUE_MERGE`) must hold each key once, or the merge
    would land a key twice. Only the key columns are kept (Arrow arrays, a few bytes per row).

    Args:
        table: The spec table.
    """

    def __init__(self, table: str) -> None:
        self.table = table
        self.key = table_spec(table).primary_key
        self._parts: list[pa.Table] = []

    def add(self, rows: pa.Table | list[dict[str, Any]]) -> None:
        """Remember the keys of a yielded Arrow table or batch of dict rows."""
        if isinstance(rows, pa.Table):
            self._parts.append(rows.select(list(self.key)))
        else:
            self._parts.append(pa.table({k: pa.array([row.get(k) for row in rows]) for k in self.key}))

    def check(self) -> None:
        """Raise when a key was yielded twice (nothing is loaded: the run fails before its load).

        Raises:
            BadResponseError: LinkedIn answered the same row in two planned requests.
        """
        if not self._parts:
            return
        keys = pa.concat_tables(self._parts, promote_options="permissive")
        self._parts = []
        distinct = keys.group_by(list(self.key)).aggregate([]).num_rows
        if distinct != keys.num_rows:
            raise BadResponseError(
                f"{self.table}: LinkedIn answered {keys.num_rows - distinct} rows twice across separate requests "
                f"(same {', '.join(self.key)}), which lisync's plan never asks for; nothing was loaded. Re-run, "
                "and report it if it persists.")
