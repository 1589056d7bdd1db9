"""State is bound to the destination: a destination without lisync state is a fresh start (issue #13).

Every test here uses dlt's *default* working folder, the way a user runs lisync: no ``pipelines_dir`` and
no ``pipeline_name``. dlt resolves that folder from ``DLT_DATA_DIR`` (else the home directory), so pointing
``DLT_DATA_DIR`` at a temporary folder keeps the default code path while isolating the test.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import pytest
from psycopg2 import sql
from tests.e2e.conftest import PostgresConnection
from tests.support import snapshot

from lisync.config.settings import RunSettings
from lisync.run.pipeline import run
from lisync.run.summary import RunSummary
from lisync.sandbox.server import SandboxServer

PIPELINES = ("ad_performance", "organization_pages")
START = "2026-01-01"


@pytest.fixture
def default_dlt_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """dlt's default data folder, moved into the test's temp folder (``DLT_DATA_DIR``, as dlt resolves it)."""
    folder = tmp_path / "dlt-home"
    monkeypatch.setenv("DLT_DATA_DIR", str(folder))
    return folder


def _settings(sandbox: SandboxServer, **destination: Any) -> RunSettings:
    import datetime as dt

    return RunSettings(pipelines=list(PIPELINES), access_token="t", api_base_url=f"{sandbox.base_url}/rest",
                       start_date=dt.date.fromisoformat(START), today=sandbox.world.clock.today, **destination)


def _run(sandbox: SandboxServer, **destination: Any) -> RunSummary:
    summary = run(_settings(sandbox, **destination))
    assert summary.status == "ok", summary.error
    return summary


def _duckdb_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with contextlib.closing(duckdb.connect(str(path), read_only=True)) as conn:
        return {t: snapshot(conn, "linkedin", t) for t in PIPELINES}


def _postgres_rows(dsn: str, dataset: str = "linkedin") -> dict[str, list[tuple[Any, ...]]]:
    with PostgresConnection(dsn) as conn:
        return {t: snapshot(conn, dataset, t) for t in PIPELINES}


@pytest.fixture
def fresh_rows(e2e_sandbox: SandboxServer, tmp_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The rows a first run lands, with its own working folder (the reference every case must equal)."""
    path = tmp_path / "reference.duckdb"
    summary = run(_settings(e2e_sandbox, duckdb_path=str(path), pipelines_dir=str(tmp_path / "ref-dlt")))
    assert summary.status == "ok", summary.error
    rows = _duckdb_rows(path)
    assert all(rows.values()), {t: len(r) for t, r in rows.items()}
    return rows


def test_deleting_the_duckdb_file_and_rerunning_lands_a_fresh_first_run(
        e2e_sandbox: SandboxServer, tmp_path: Path, default_dlt_folder: Path,
        fresh_rows: dict[str, list[tuple[Any, ...]]]) -> None:
    path = tmp_path / "a.duckdb"
    _run(e2e_sandbox, duckdb_path=str(path))
    assert default_dlt_folder.exists(), "the run did not use dlt's default working folder"
    path.unlink()
    again = _run(e2e_sandbox, duckdb_path=str(path))
    assert _duckdb_rows(path) == fresh_rows
    assert any("fresh start" in note for note in again.notes), again.notes


def test_a_second_duckdb_file_lands_a_fresh_first_run(e2e_sandbox: SandboxServer, tmp_path: Path,
                                                      default_dlt_folder: Path,
                                                      fresh_rows: dict[str, list[tuple[Any, ...]]]) -> None:
    _run(e2e_sandbox, duckdb_path=str(tmp_path / "a.duckdb"))
    _run(e2e_sandbox, duckdb_path=str(tmp_path / "b.duckdb"))
    assert _duckdb_rows(tmp_path / "b.duckdb") == fresh_rows
    # ...and the first file's savepoints are its own: a re-run there changes nothing
    _run(e2e_sandbox, duckdb_path=str(tmp_path / "a.duckdb"))
    assert _duckdb_rows(tmp_path / "a.duckdb") == fresh_rows


@contextlib.contextmanager
def _new_postgres_database(dsn: str) -> Iterator[str]:
    """Create an empty Postgres database on the test server; yield its DSN; drop it afterwards."""
    name = f"lisync_state_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(dsn)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield dsn.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


@pytest.mark.postgres
def test_a_second_postgres_database_lands_a_fresh_first_run(
        e2e_sandbox: SandboxServer, postgres_dsn: str, default_dlt_folder: Path,
        fresh_rows: dict[str, list[tuple[Any, ...]]]) -> None:
    with _new_postgres_database(postgres_dsn) as first, _new_postgres_database(postgres_dsn) as second:
        _run(e2e_sandbox, destination="postgres", destination_credentials=first)
        _run(e2e_sandbox, destination="postgres", destination_credentials=second)
        assert _postgres_rows(second) == fresh_rows
        assert _postgres_rows(first) == fresh_rows


@pytest.mark.postgres
def test_duckdb_then_postgres_lands_a_fresh_first_run(
        e2e_sandbox: SandboxServer, tmp_path: Path, postgres_dsn: str, default_dlt_folder: Path,
        fresh_rows: dict[str, list[tuple[Any, ...]]]) -> None:
    _run(e2e_sandbox, duckdb_path=str(tmp_path / "a.duckdb"))
    with _new_postgres_database(postgres_dsn) as target:
        _run(e2e_sandbox, destination="postgres", destination_credentials=target)
        assert _postgres_rows(target) == fresh_rows
