"""Helpers shared by the end-to-end tests: spec conformance checks, table snapshots and single values."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route

from lisync.spec.loader import table_spec

DUCKDB_TYPES = {"text": "VARCHAR", "float": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE",
                "timestamp": "TIMESTAMP WITH TIME ZONE"}
POSTGRES_TYPES = {"text": {"text", "character varying"}, "float": {"double precision"}, "boolean": {"boolean"},
                  "date": {"date"}, "timestamp": {"timestamp with time zone"}}


def duckdb_columns(conn: Any, dataset: str, table: str) -> dict[str, str]:
    """Return ``{column: data_type}`` of a DuckDB table (dlt's ``_dlt_*`` columns left out)."""
    rows = conn.execute(
        "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ? "
        "order by ordinal_position", [dataset, table]).fetchall()
    return {name: dtype for name, dtype in rows if not name.startswith("_dlt_")}


def assert_duckdb_table_matches_spec(conn: Any, dataset: str, table: str) -> None:
    """Fail unless ``table`` has exactly the spec's columns with the spec's types."""
    landed = duckdb_columns(conn, dataset, table)
    tspec = table_spec(table)
    expected = {c.name: DUCKDB_TYPES[c.type] for c in tspec.columns}
    missing = sorted(set(expected) - set(landed))
    extra = sorted(set(landed) - set(expected))
    assert not missing and not extra, f"{table}: missing {missing}, extra {extra}"
    wrong = {c: (landed[c], t) for c, t in expected.items() if landed[c] != t}
    assert not wrong, f"{table}: wrong types (landed, spec) {wrong}"


def snapshot(conn: Any, dataset: str, table: str) -> list[tuple[Any, ...]]:
    """Return a table's spec columns, every row, in a stable order (for run-to-run comparisons)."""
    cols = table_spec(table).column_names
    select = ", ".join(f'"{c}"' for c in cols)
    return conn.execute(f'select {select} from "{dataset}"."{table}" order by {select}').fetchall()


def scalar(conn: Any, sql: str) -> Any:
    """Return the first column of the first row ``sql`` selects; fail if it selects no row."""
    row = conn.execute(sql).fetchone()
    assert row is not None, f"no row from: {sql}"
    return row[0]


@contextmanager
def serve_on_loopback(handler: Callable[[Any], Awaitable[Any]]) -> Iterator[str]:
    """Serve one Starlette handler for every ``/rest/...`` path on a free loopback port; yield the REST base URL.

    For tests that need a deliberately odd API (hostile pages, in-flight counting) rather than the sandbox.
    """
    app = Starlette(routes=[Route("/rest/{path:path}", handler)])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/rest"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


def analytics_element(values: list[str], day: dt.date, **metrics: Any) -> dict[str, Any]:
    """One adAnalytics element: ``pivotValues``, a one-day ``dateRange`` on ``day`` and the given metrics."""
    part = {"year": day.year, "month": day.month, "day": day.day}
    return {"pivotValues": values, "dateRange": {"start": part, "end": part}, **metrics}
