"""Writes the spec's table and column descriptions into the warehouse as comments, after every load.

Analysts read a warehouse with its own tools (``psql``, ``duckdb_columns()``, a BI tool's
catalog), so the contract's descriptions belong there, not only in lisync's docs. Comments are
re-applied after each load: a table dlt replaced (or a column it added) gets its text back. Only comments
that differ from the catalog are written, so a re-run costs one catalog query.

DuckDB and PostgreSQL get exact SQL and are read back to compute that difference. Other SQL destinations
get the same ``COMMENT ON`` statements as a best effort that stops quietly at the first one the warehouse
rejects (BigQuery, Snowflake and Databricks already receive descriptions from dlt itself). Destinations
without a catalog, such as ``filesystem``, are skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import dlt

from lisync.spec.loader import all_tables

log = logging.getLogger("lisync")

TDialect = Literal["duckdb", "postgres", "generic"]

# dlt's own destination types that carry no SQL catalog worth commenting (files, vector stores…).
NO_CATALOG_SUFFIXES = (".filesystem", ".lancedb", ".lance", ".qdrant", ".weaviate", ".destination", ".dummy")
EXACT_DIALECTS: dict[str, TDialect] = {"dlt.destinations.duckdb": "duckdb",
                                       "dlt.destinations.postgres": "postgres"}

# Columns dlt adds to every table: documented too, so "every column has a comment" holds in the warehouse.
DLT_COLUMN_DESCRIPTIONS: dict[str, str] = {
    "_dlt_load_id": "Id of the dlt load that last wrote this row (joins _dlt_loads.load_id).",
    "_dlt_id": "Unique row id assigned by dlt.",
}
DLT_TABLE_DESCRIPTIONS: dict[str, str] = {
    "_dlt_loads": "One row per dlt load into this dataset: load_id, schema, status and when it was inserted.",
    "_dlt_version": "Every version of the dlt schema (the lisync table contract as landed), as JSON.",
    "_dlt_pipeline_state": "dlt pipeline state, including lisync's incremental savepoints, per load.",
}

# (table, column or None for the table itself) -> comment text (None: no comment)
TCommentKey = tuple[str, str | None]
TComments = dict[TCommentKey, str | None]

DUCKDB_CATALOG_SQL = (
    "SELECT table_name, NULL, comment FROM duckdb_tables() "
    "WHERE schema_name = %s AND database_name = current_database() "
    "UNION ALL SELECT table_name, column_name, comment FROM duckdb_columns() "
    "WHERE schema_name = %s AND database_name = current_database()"
)
POSTGRES_CATALOG_SQL = (
    "SELECT c.relname, NULL, obj_description(c.oid, 'pg_class') FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind IN ('r', 'p') "
    "UNION ALL SELECT c.relname, a.attname, col_description(c.oid, a.attnum) FROM pg_attribute a "
    "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
)
GENERIC_CATALOG_SQL = "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s"


@dataclass(frozen=True)
class CommentResult:
    """What :func:`apply_comments` did.

    Attributes:
        dialect: The SQL used (``None`` when the destination has no catalog to comment).
        written: Comments written (or cleared) by this call.
        skipped_reason: Why nothing was written on a best-effort destination, else ``None``.

    """

    dialect: TDialect | None
    written: int = 0
    skipped_reason: str | None = None


def dialect_of(pipeline: dlt.Pipeline) -> TDialect | None:
    """Return the comment dialect for the pipeline's destination, or ``None`` for destinations without one."""
    destination = pipeline.destination
    if destination is None:
        return None
    kind = destination.destination_type
    if kind in EXACT_DIALECTS:
        return EXACT_DIALECTS[kind]
    if kind.endswith(NO_CATALOG_SUFFIXES):
        return None
    return "generic"


def desired_comments(landed: dict[str, set[str]]) -> TComments:
    """Return the comment every landed spec table and column should carry.

    Args:
        landed: Landed table name → its column names (any destination casing; matched case-insensitively).

    Returns:
        Comments keyed by the landed names; ``None`` where the spec has no text.

    """
    by_lower = {name.lower(): name for name in landed}
    wanted: TComments = {(by_lower[name], None): text for name, text in DLT_TABLE_DESCRIPTIONS.items()
                         if name in by_lower}
    for tspec in all_tables().values():
        table = by_lower.get(tspec.name.lower())
        if table is None:
            continue
        wanted[(table, None)] = tspec.description or None
        texts = {c.name.lower(): c.description for c in tspec.columns}
        texts.update(DLT_COLUMN_DESCRIPTIONS)
        for column in sorted(landed[table]):
            if column.lower() in texts:
                wanted[(table, column)] = texts[column.lower()] or None
    return wanted


def apply_comments(pipeline: dlt.Pipeline) -> CommentResult:
    """Write the spec's descriptions as table and column comments in the pipeline's destination.

    Only tables that exist in the destination are touched; only comments that differ are written (on
    DuckDB and PostgreSQL, which are read back). A failure is logged, never raised: the data is already
    committed and comments are documentation.

    Args:
        pipeline: The dlt pipeline that just loaded.

    Returns:
        What was done, for logging and tests.

    """
    dialect = dialect_of(pipeline)
    if dialect is None:
        return CommentResult(None)
    try:
        with pipeline.sql_client() as client:
            return _apply(client, dialect)
    except Exception as exc:  # documentation must never fail a committed load
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        level = logging.INFO if dialect == "generic" else logging.WARNING
        log.log(level, "Table and column descriptions were not written to %s: %s",
                pipeline.destination.destination_name, reason)
        return CommentResult(dialect, skipped_reason=reason)


def _apply(client: Any, dialect: TDialect) -> CommentResult:
    current = _read_catalog(client, dialect)
    landed: dict[str, set[str]] = {}
    for table, column in current:
        columns = landed.setdefault(table, set())
        if column is not None:
            columns.add(column)
    todo = [(key, text) for key, text in desired_comments(landed).items() if current.get(key) != text]
    if dialect == "generic":
        return _apply_best_effort(client, todo)
    # Postgres: dlt's E'' literal is exact whatever standard_conforming_strings says. DuckDB keeps
    # backslashes in any literal, so dlt's escaping would double them: plain SQL quoting is exact there.
    literal = client.capabilities.escape_literal if dialect == "postgres" else _ansi_literal
    statements = [_comment_sql(client, table, column, text, literal) for (table, column), text in todo]
    if statements:
        with client.begin_transaction():
            client.execute_many(statements)
    log.debug("Wrote %d table/column comments", len(statements))
    return CommentResult(dialect, written=len(statements))


def _apply_best_effort(client: Any, todo: Iterable[tuple[TCommentKey, str | None]]) -> CommentResult:
    written = 0
    for (table, column), text in todo:
        if text is None:
            continue  # nothing to clear: the generic path cannot read existing comments
        try:
            client.execute_sql(_comment_sql(client, table, column, text, _ansi_literal))
        except Exception as exc:  # the warehouse does not speak COMMENT ON: stop, it will not start now
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            log.info("Stopped writing descriptions after %d comment(s): %s", written, reason)
            return CommentResult("generic", written=written, skipped_reason=reason)
        written += 1
    return CommentResult("generic", written=written)


def _read_catalog(client: Any, dialect: TDialect) -> TComments:
    """Return ``(table, column) -> comment`` for the dataset (tables as ``(table, None)``)."""
    schema = client.dataset_name
    if dialect == "generic":
        rows = client.execute_sql(GENERIC_CATALOG_SQL, schema) or []
        tables = {(table, None) for table, _ in rows}
        # comments cannot be read back portably, so everything counts as missing
        return dict.fromkeys([*tables, *((t, c) for t, c in rows)], None)
    sql = DUCKDB_CATALOG_SQL if dialect == "duckdb" else POSTGRES_CATALOG_SQL
    rows = client.execute_sql(sql, schema, schema) or []
    return {(table, column): (comment or None) for table, column, comment in rows}


def _comment_sql(client: Any, table: str, column: str | None, text: str | None, literal: Any) -> str:
    value = "NULL" if text is None else literal(text)
    qualified = client.make_qualified_table_name(table, quote=True)
    if column is None:
        return f"COMMENT ON TABLE {qualified} IS {value}"
    return f"COMMENT ON COLUMN {qualified}.{client.escape_column_name(column)} IS {value}"


def _ansi_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
