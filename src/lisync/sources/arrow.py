"""Arrow tables handed to dlt with dlt's own row columns, so an Arrow load lands the same table as a dict load.

dlt adds ``_dlt_load_id`` and ``_dlt_id`` to every row it normalizes from dicts, but not to Arrow tables
(its Parquet normalizer leaves them out by default). A table first loaded from dicts has both columns NOT
NULL, so an Arrow load into it must carry them too: they are added here, with the column hints dlt's
normalizer writes for dict rows and dlt's own id generator, before the table goes to dlt.
"""

from __future__ import annotations

import dlt
import pyarrow as pa
from dlt.common.normalizers.utils import generate_dlt_ids
from dlt.common.schema.typing import TColumnSchema

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
    return table.append_column(pa.field(ROW_ID, pa.string(), nullable=False),
                               pa.array(generate_dlt_ids(rows), type=pa.string()))
