"""Fixtures for end-to-end runs: a real sandbox server on loopback and run helpers into a temp DuckDB."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from lisync.config import RunSettings
from lisync.pipeline import run
from lisync.sandbox.server import SandboxConfig, SandboxServer
from lisync.summary import RunSummary
from tests.support import assert_duckdb_table_matches_spec, snapshot

TODAY = dt.date(2026, 11, 15)


@pytest.fixture(scope="module")
def e2e_sandbox() -> Iterator[SandboxServer]:
    """A small sandbox world (seed 7) with a fixed 'today', shared by a test module."""
    with SandboxServer(SandboxConfig(port=0, seed=7, scale="small", today=TODAY)) as server:
        yield server


class Runner:
    """Runs lisync pipelines against a sandbox into one DuckDB file, with its own dlt state folder."""

    def __init__(self, sandbox: SandboxServer, workdir: Path, dataset: str = "linkedin") -> None:
        self.sandbox = sandbox
        self.db_path = workdir / "lisync.duckdb"
        self.pipelines_dir = workdir / "dlt"
        self.dataset = dataset

    def settings(self, *pipelines: str, **overrides: Any) -> RunSettings:
        base: dict[str, Any] = {
            "pipelines": list(pipelines),
            "access_token": "e2e-token",
            "api_base_url": f"{self.sandbox.base_url}/rest",
            "duckdb_path": str(self.db_path),
            "dataset": self.dataset,
            "pipeline_name": "lisync_e2e",
            "pipelines_dir": str(self.pipelines_dir),
        }
        base.update(overrides)
        return RunSettings(**base)

    def run(self, *pipelines: str, **overrides: Any) -> RunSummary:
        return run(self.settings(*pipelines, **overrides))

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.db_path), read_only=True)

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run ``sql`` against the destination and return all rows (``{ds}`` expands to the dataset)."""
        with self.connect() as conn:
            return conn.execute(sql.replace("{ds}", self.dataset), params or []).fetchall()

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        """Return the first column of the first row of ``sql``."""
        return self.query(sql, params)[0][0]

    def assert_matches_spec(self, table: str) -> None:
        """Fail unless the landed ``table`` has exactly the spec's columns and types."""
        with self.connect() as conn:
            assert_duckdb_table_matches_spec(conn, self.dataset, table)

    def snapshot(self, table: str) -> list[tuple[Any, ...]]:
        """Every row of ``table`` (spec columns), in a stable order."""
        with self.connect() as conn:
            return snapshot(conn, self.dataset, table)


@pytest.fixture
def runner(e2e_sandbox: SandboxServer, tmp_path: Path) -> Runner:
    """A fresh DuckDB file and dlt state folder per test."""
    return Runner(e2e_sandbox, tmp_path)
