"""Fixtures for end-to-end runs: a real sandbox server on loopback and run helpers into DuckDB and Postgres.

The ``runner`` fixture is parametrized over the destinations, so every end-to-end test runs against a
temp DuckDB file and against the PostgreSQL server on 127.0.0.1:5432 (a fresh schema per test, dropped
afterwards). Without a reachable Postgres the Postgres variants skip, unless LISYNC_REQUIRE_POSTGRES is
set (CI), where they fail.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import dlt
import duckdb
import psycopg2
import pytest
from tests.support import POSTGRES_TYPES, assert_duckdb_table_matches_spec, duckdb_columns, snapshot

from lisync.config.settings import RunSettings
from lisync.run.pipeline import run
from lisync.run.summary import RunSummary
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer
from lisync.spec.loader import table_spec

TODAY = dt.date(2026, 11, 15)

# dlt requires a password in a Postgres DSN; with the server's trust auth any password is accepted.
DEFAULT_POSTGRES_DSN = "postgresql://postgres:postgres@127.0.0.1:5432/test"
POSTGRES_UNREACHABLE = ("PostgreSQL not reachable on 127.0.0.1:5432; start it (pg_ctlcluster "
                        "--skip-systemctl-redirect $(ls /etc/postgresql) main start) or set "
                        "LISYNC_POSTGRES_DSN to run the Postgres e2e tests")
DESTINATIONS = ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]


def postgres_required() -> bool:
    """CI sets LISYNC_REQUIRE_POSTGRES=1: an unreachable server is then a failure, not a skip."""
    return os.environ.get("LISYNC_REQUIRE_POSTGRES", "").strip() not in ("", "0", "false", "no")


def reachable_postgres(dsn: str) -> str:
    """Return ``dsn`` if PostgreSQL answers on it; else skip the test, or fail it when Postgres is required."""
    try:
        psycopg2.connect(dsn, connect_timeout=3).close()
    except psycopg2.Error as exc:
        if postgres_required():
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            pytest.fail(f"{POSTGRES_UNREACHABLE} (LISYNC_REQUIRE_POSTGRES is set): {reason}", pytrace=False)
        pytest.skip(POSTGRES_UNREACHABLE)
    return dsn


@pytest.fixture(scope="session")
def postgres_dsn() -> str:
    """The DSN of a reachable PostgreSQL (LISYNC_POSTGRES_DSN or the local default); else skip or fail."""
    return reachable_postgres(os.environ.get("LISYNC_POSTGRES_DSN") or DEFAULT_POSTGRES_DSN)


@pytest.fixture(scope="module")
def e2e_sandbox() -> Iterator[SandboxServer]:
    """A small sandbox world (seed 7) with a fixed 'today', shared by a test module."""
    with SandboxServer(SandboxConfig(port=0, seed=7, scale="small", today=TODAY)) as server:
        yield server


class PostgresConnection:
    """Just enough of DuckDB's connection API (``execute(sql, params).fetchall()``) over psycopg2."""

    def __init__(self, dsn: str) -> None:
        self._conn = psycopg2.connect(dsn)
        self._conn.autocommit = True

    def execute(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> Any:
        cursor = self._conn.cursor()
        if params:
            # DuckDB-style ``?`` placeholders (what the tests write) become psycopg2's ``%s``
            cursor.execute(sql.replace("%", "%%").replace("?", "%s"), list(params))
        else:
            cursor.execute(sql)
        return cursor

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> PostgresConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Runner:
    """Runs lisync pipelines against a sandbox into one destination (DuckDB file or a Postgres schema)."""

    def __init__(self, sandbox: SandboxServer, workdir: Path, dataset: str = "linkedin",
                 destination: str = "duckdb", postgres_dsn: str | None = None) -> None:
        self.sandbox = sandbox
        self.db_path = workdir / "lisync.duckdb"
        self.pipelines_dir = workdir / "dlt"
        self.dataset = dataset
        self.destination = destination
        self.postgres_dsn = postgres_dsn

    def settings(self, *pipelines: str, **overrides: Any) -> RunSettings:
        base: dict[str, Any] = {
            "pipelines": list(pipelines),
            "access_token": "e2e-token",
            "api_base_url": f"{self.sandbox.base_url}/rest",
            "duckdb_path": str(self.db_path),
            "dataset": self.dataset,
            "pipeline_name": "lisync_e2e",
            "pipelines_dir": str(self.pipelines_dir),
            # lisync's "today" is the sandbox's (movable) today, as it would be LinkedIn's real one
            "today": self.sandbox.world.clock.today,
        }
        if self.destination == "postgres":
            base.update(destination="postgres", destination_credentials=self.postgres_dsn)
        base.update(overrides)
        return RunSettings(**base)

    def run(self, *pipelines: str, **overrides: Any) -> RunSummary:
        return run(self.settings(*pipelines, **overrides))

    def connect(self) -> Any:
        """A connection to the destination with DuckDB's ``execute(sql, params).fetchall()`` API."""
        if self.destination == "postgres":
            assert self.postgres_dsn
            return PostgresConnection(self.postgres_dsn)
        return duckdb.connect(str(self.db_path), read_only=True)

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run ``sql`` against the destination and return all rows (``{ds}`` expands to the dataset)."""
        with contextlib.closing(self.connect()) as conn:
            return conn.execute(sql.replace("{ds}", self.dataset), params or []).fetchall()

    def write(self, sql: str) -> None:
        """Run one changing statement (tests tamper with landed rows) against the destination; ``{ds}`` expands."""
        sql = sql.replace("{ds}", self.dataset)
        if self.destination == "postgres":
            assert self.postgres_dsn
            with contextlib.closing(PostgresConnection(self.postgres_dsn)) as pg:
                pg.execute(sql)
            return
        with contextlib.closing(duckdb.connect(str(self.db_path))) as conn:
            conn.execute(sql)

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        """Return the first column of the first row of ``sql``."""
        return self.query(sql, params)[0][0]

    def assert_matches_spec(self, table: str) -> None:
        """Fail unless the landed ``table`` has exactly the spec's columns and types."""
        with contextlib.closing(self.connect()) as conn:
            if self.destination == "postgres":
                assert_postgres_table_matches_spec(conn, self.dataset, table)
            else:
                assert_duckdb_table_matches_spec(conn, self.dataset, table)

    def snapshot(self, table: str) -> list[tuple[Any, ...]]:
        """Every row of ``table`` (spec columns), in a stable order."""
        with contextlib.closing(self.connect()) as conn:
            return snapshot(conn, self.dataset, table)

    def drop_dataset(self) -> None:
        """Drop the Postgres schemas this runner loaded into (the dataset and dlt's staging schema)."""
        if self.destination != "postgres":
            return
        with contextlib.closing(self.connect()) as conn:
            conn.execute("SET lock_timeout = '10s'")
            for schema in (self.dataset, f"{self.dataset}_staging"):
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def assert_postgres_table_matches_spec(conn: Any, dataset: str, table: str) -> None:
    """Fail unless the Postgres ``table`` has exactly the spec's columns with the spec's types."""
    landed = duckdb_columns(conn, dataset, table)  # the information_schema query is the same
    expected = {c.name: POSTGRES_TYPES[c.type] for c in table_spec(table).columns}
    missing = sorted(set(expected) - set(landed))
    extra = sorted(set(landed) - set(expected))
    assert not missing and not extra, f"{table}: missing {missing}, extra {extra}"
    wrong = {c: (landed[c], sorted(t)) for c, t in expected.items() if landed[c] not in t}
    assert not wrong, f"{table}: wrong types (landed, spec) {wrong}"


def unique_dataset(prefix: str = "e2e") -> str:
    """A schema name no other test (or concurrent test session) uses."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=DESTINATIONS)
def runner(request: pytest.FixtureRequest, e2e_sandbox: SandboxServer, tmp_path: Path) -> Iterator[Runner]:
    """A fresh destination and dlt state folder per test: a DuckDB file, or a new Postgres schema."""
    if request.param == "duckdb":
        yield Runner(e2e_sandbox, tmp_path)
        return
    dsn = request.getfixturevalue("postgres_dsn")
    pg_runner = Runner(e2e_sandbox, tmp_path, dataset=unique_dataset(), destination="postgres",
                       postgres_dsn=dsn)
    try:
        yield pg_runner
    finally:
        pg_runner.drop_dataset()


@pytest.fixture
def twin(runner: Runner, tmp_path: Path) -> Iterator[Runner]:
    """A second destination of the same kind as ``runner``'s, against the same sandbox."""
    dataset = unique_dataset() if runner.destination == "postgres" else runner.dataset
    other = Runner(runner.sandbox, tmp_path / "twin", dataset=dataset, destination=runner.destination,
                   postgres_dsn=runner.postgres_dsn)
    (tmp_path / "twin").mkdir()
    try:
        yield other
    finally:
        other.drop_dataset()


def table_columns(runner: Runner, table: str) -> list[tuple[Any, ...]]:
    """Every column of ``table`` (dlt's included) with its type and nullability, by name."""
    return sorted(runner.query(
        "select column_name, data_type, is_nullable from information_schema.columns "
        "where table_schema = ? and table_name = ?", [runner.dataset, table]))


def table_comments(runner: Runner, table: str) -> list[tuple[Any, ...]]:
    """Column comments (descriptions) of ``table``."""
    if runner.destination == "postgres":
        sql = ("select a.attname, col_description(a.attrelid, a.attnum) from pg_attribute a "
               "join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace "
               "where n.nspname = ? and c.relname = ? and a.attnum > 0 and not a.attisdropped")
    else:
        sql = "select column_name, comment from duckdb_columns() where schema_name = ? and table_name = ?"
    return sorted(runner.query(sql, [runner.dataset, table]))


def extracted_formats(runner: Runner, tables: Iterable[str]) -> dict[str, set[str]]:
    """The file formats dlt extracted each of ``tables`` to in the runner's last run (Arrow tables: parquet)."""
    wanted = set(tables)
    name = runner.settings().pipeline_name
    assert name
    trace = dlt.attach(pipeline_name=name, pipelines_dir=str(runner.pipelines_dir)).last_trace
    assert trace is not None and trace.last_extract_info is not None
    formats: dict[str, set[str]] = {}
    for metrics in trace.last_extract_info.metrics.values():
        for step in metrics:
            for job in step["job_metrics"]:
                table, _, kind = job.split(".", 2)
                if table in wanted:
                    formats.setdefault(table, set()).add(kind.split(".")[0])
    return formats
