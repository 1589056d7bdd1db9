"""The selected tables after a load: create the ones that never got a row, and count rows per table."""

from __future__ import annotations

import logging
from typing import Any

import dlt
from dlt.extract.resource import DltResource
from dlt.extract.source import DltSource

from lisync.config.settings import RunSettings
from lisync.run.destinations import preferred_file_format
from lisync.run.load_guard import load_with_retry
from lisync.spec.hints import with_spec
from lisync.spec.naming import SCHEMA_NAME, new_schema

__all__ = ["count_rows", "materialize_missing_tables"]

log = logging.getLogger("lisync")


def count_rows(pipeline: dlt.Pipeline, tables: list[str]) -> dict[str, int]:
    """Return rows per table in the destination (tables that do not exist yet count 0).

    Falls back to the rows this run normalized when the destination cannot be queried.
    """
    counts: dict[str, int] = {}
    try:
        existing: set[str] = set(pipeline.default_schema.data_table_names()) if pipeline.default_schema_name \
            else set()
        with pipeline.sql_client() as client:
            for table in tables:
                if table not in existing:
                    counts[table] = 0
                    continue
                qualified = client.make_qualified_table_name(table)
                with client.execute_query(f"SELECT COUNT(*) FROM {qualified}") as cursor:
                    row = cursor.fetchone()
                    if row is None:
                        raise LookupError(f"SELECT COUNT(*) FROM {qualified} returned no row")
                    counts[table] = int(row[0])
    except Exception as exc:  # the destination may not support reading back
        log.debug("Could not count destination rows: %s", exc)
        trace = pipeline.last_trace
        info = trace.last_normalize_info if trace else None
        row_counts = info.row_counts if info else {}
        counts = {t: int(row_counts.get(t, 0)) for t in tables}
    return counts


def materialize_missing_tables(pipeline: dlt.Pipeline, tables: list[str], settings: RunSettings) -> None:
    """Create, empty, every selected table that has never received a row (dlt creates tables lazily).

    A pipeline whose LinkedIn data is empty so far (no conversions yet, a page without posts) must still
    land its tables with every spec column, so that queries and dashboards built on them work from day one.
    """
    seen: set[str] = set(pipeline.default_schema.data_table_names(seen_data_only=True)) \
        if pipeline.default_schema_name else set()
    missing = [t for t in tables if t not in seen]
    if not missing:
        return

    def empty(table: str) -> DltResource:
        def items() -> Any:
            yield dlt.mark.materialize_table_schema()

        # append: nothing is written, so nothing already loaded can be replaced or merged away
        return with_spec(dlt.resource(items, name=table), "append")

    source = DltSource(new_schema(), SCHEMA_NAME, [empty(t) for t in missing])
    source.max_table_nesting = 0
    pipeline.extract(source, loader_file_format=preferred_file_format(settings.destination))
    pipeline.normalize()
    load_with_retry(pipeline)
