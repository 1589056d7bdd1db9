"""Destination safety (issue #19, items 2-6): where data lands, what lisync may overwrite, overlapping runs.

Every case runs the real ``lisync`` CLI in a subprocess against sandboxes on loopback, into DuckDB files and,
where the item is about any destination, into PostgreSQL (127.0.0.1:5432, a fresh schema per test).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from tests.e2e.conftest import PostgresConnection, unique_dataset
from tests.support import snapshot

from lisync.run.crash_seam import KILL_AT_ENV
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

TABLES = ("ad_accounts", "campaign_metadata")
DESTINATIONS = ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module")
def sandbox_a() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(seed=42, scale="tiny")) as server:
        yield server


@pytest.fixture(scope="module")
def sandbox_b() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(seed=7, scale="tiny")) as server:
        yield server


def _command(args: list[str], env_extra: dict[str, str] | None) -> tuple[list[str], dict[str, str]]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LINKEDIN_", "SOURCES__", "LISYNC_")) and k != KILL_AT_ENV}
    env.update(env_extra or {})
    command = [sys.executable, "-m", "lisync.cli", *args]
    if args[0] == "run":
        command += ["--access-token", "hardening-token"]
    return command, env


def lisync(args: list[str], cwd: Path, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command, env = _command(args, env_extra)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def lisync_started(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    command, env = _command(args, None)
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_args(sandbox: SandboxServer, *extra: str, tables: tuple[str, ...] = TABLES) -> list[str]:
    return ["run", *tables, "--api-base-url", f"{sandbox.base_url}/rest", "--no-verify", *extra]


def duckdb_rows(path: Path, table: str, dataset: str = "linkedin") -> list[tuple]:
    with contextlib.closing(duckdb.connect(str(path), read_only=True)) as conn:
        return snapshot(conn, dataset, table)


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


class Place:
    """A destination for one test: DuckDB files in a folder, or Postgres schemas (dropped afterwards)."""

    def __init__(self, kind: str, root: Path, dsn: str | None) -> None:
        self.kind, self.root, self.dsn = kind, root, dsn
        self.datasets: list[str] = []

    def args(self, name: str) -> list[str]:
        """Flags that send a run to the destination called ``name`` (a file, or a schema)."""
        if self.kind == "duckdb":
            return ["--duckdb", str(self.root / f"{name}.duckdb")]
        assert self.dsn
        dataset = self.dataset(name)
        return ["--destination", "postgres", "--destination-credentials", self.dsn, "--dataset", dataset]

    def dataset(self, name: str) -> str:
        if self.kind == "duckdb":
            return "linkedin"
        found = [d for d in self.datasets if d.startswith(f"h{name}_")]
        if found:
            return found[0]
        self.datasets.append(unique_dataset(f"h{name}"))
        return self.datasets[-1]

    def rows(self, name: str, table: str) -> list[tuple]:
        if self.kind == "duckdb":
            return duckdb_rows(self.root / f"{name}.duckdb", table)
        assert self.dsn
        with PostgresConnection(self.dsn) as conn:
            return snapshot(conn, self.dataset(name), table)

    def drop(self) -> None:
        if self.kind == "postgres" and self.dsn:
            with PostgresConnection(self.dsn) as conn:
                for dataset in self.datasets:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{dataset}" CASCADE')
                    conn.execute(f'DROP SCHEMA IF EXISTS "{dataset}_staging" CASCADE')


@pytest.fixture(params=DESTINATIONS)
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    dsn = request.getfixturevalue("postgres_dsn") if request.param == "postgres" else None
    found = Place(request.param, tmp_path, dsn)
    try:
        yield found
    finally:
        found.drop()


# item 2
def test_pending_package_stays_with_the_destination_it_was_extracted_for(
        place: Place, sandbox_a: SandboxServer, sandbox_b: SandboxServer, tmp_path: Path) -> None:
    shared = ["--pipelines-dir", str(tmp_path / "dlt"), "--pipeline-name", "shared"]
    tables = ("ad_accounts", "ad_performance")  # ad_performance merges: a foreign package's rows would stay
    clean = lisync(run_args(sandbox_b, *place.args("clean_b"), "--pipelines-dir", str(tmp_path / "dlt-clean"),
                            tables=tables), tmp_path)
    assert clean.returncode == 0, clean.stderr[-2000:]
    failed = lisync(run_args(sandbox_a, *place.args("a2"), *shared, tables=tables), tmp_path, {KILL_AT_ENV: "extract"})
    assert failed.returncode == -9, "the extract kill point did not fire"
    second = lisync(run_args(sandbox_b, *place.args("b2"), *shared, tables=tables), tmp_path)
    assert second.returncode == 0, second.stderr[-2000:]
    for table in tables:
        assert place.rows("b2", table) == place.rows("clean_b", table), f"b2.{table} got another destination's rows"
    again = lisync(run_args(sandbox_a, *place.args("a2"), *shared, tables=tables), tmp_path)
    assert again.returncode == 0, again.stderr[-2000:]
    assert place.rows("a2", "ad_performance"), "a2 re-reads what its dropped package held"


# item 3
def test_relative_duckdb_path_resolves_against_the_current_folder(sandbox_a: SandboxServer, tmp_path: Path) -> None:
    first, second = tmp_path / "r1", tmp_path / "r2"
    first.mkdir()
    second.mkdir()
    shared = ["--pipelines-dir", str(tmp_path / "dlt")]
    assert lisync(run_args(sandbox_a, "--duckdb", "a.duckdb", *shared), first).returncode == 0
    result = lisync(run_args(sandbox_a, "--duckdb", "mine.duckdb", *shared), second)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (second / "mine.duckdb").exists() and not (first / "mine.duckdb").exists()
    assert str(second / "mine.duckdb") in result.stdout.replace("\n", "")
    empty = lisync(run_args(sandbox_a, "--duckdb", "", *shared), second)
    assert empty.returncode == 2 and "--duckdb is empty" in error_lines(empty)[0]


# item 4
def test_demo_refuses_to_replace_a_file_it_did_not_write(sandbox_a: SandboxServer, tmp_path: Path) -> None:
    important = tmp_path / "important.duckdb"
    assert lisync(run_args(sandbox_a, "--duckdb", str(important)), tmp_path).returncode == 0
    before = duckdb_rows(important, "ad_accounts")
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    for target in (important, notes):
        result = lisync(["demo", "--duckdb", str(target), "--scale", "tiny"], tmp_path)
        assert result.returncode == 2, result.stderr[-2000:]
        assert "will not replace" in error_lines(result)[0] and "--force" in error_lines(result)[0]
    assert duckdb_rows(important, "ad_accounts") == before
    assert notes.read_text() == "my notes\n"


# item 5
@pytest.mark.parametrize("target", ["notes.txt", "/proc/lisync-x.duckdb"])
def test_unusable_duckdb_path_fails_before_reading_linkedin(sandbox_a: SandboxServer, tmp_path: Path,
                                                            target: str) -> None:
    (tmp_path / "notes.txt").write_text("not a database\n")
    before = sandbox_a.stats()["total"]
    result = lisync(run_args(sandbox_a, "--duckdb", target), tmp_path)
    assert result.returncode == 2, result.stderr[-2000:]
    line = error_lines(result)[0]
    assert "--duckdb" in line and ("not a DuckDB database" in line or "Cannot create DuckDB file" in line), line
    assert sandbox_a.stats()["total"] == before, "lisync read LinkedIn before checking the destination"
    assert (tmp_path / "notes.txt").read_text() == "not a database\n"


# item 6
@pytest.mark.slow
def test_a_second_run_into_a_dataset_being_written_refuses_with_one_line(place: Place, tmp_path: Path) -> None:
    # Slow answers, one at a time: the first run is still reading when the second one starts.
    with SandboxServer(SandboxConfig(seed=7, scale="tiny", latency_ms=6000)) as slow:
        first = lisync_started(run_args(slow, *place.args("shared"), "--pipelines-dir", str(tmp_path / "dlt1"),
                                "--max-workers", "1", tables=("ad_accounts", "campaign_metadata", "creative_metadata")),
                       tmp_path)
        deadline = time.monotonic() + 60
        while slow.stats()["total"] == 0 and time.monotonic() < deadline:
            time.sleep(0.1)  # the first run holds its locks before its first API call
        second = lisync(run_args(slow, *place.args("shared"), "--pipelines-dir", str(tmp_path / "dlt2")), tmp_path)
        _, first_err = first.communicate(timeout=300)
    assert first.returncode == 0, first_err[-2000:]
    assert second.returncode == 1, (second.returncode, second.stderr[-2000:])
    line = error_lines(second)[0]
    assert "Another lisync run" in line and "wait for it to finish" in line, line
    assert place.rows("shared", "creative_metadata"), "the first run completed its load"


# item 6, "heal"
def test_a_destination_whose_savepoints_name_a_missing_table_heals(sandbox_a: SandboxServer, tmp_path: Path) -> None:
    database = tmp_path / "wedged.duckdb"
    tables = ("ad_accounts", "ad_performance")
    assert lisync(run_args(sandbox_a, "--duckdb", str(database), tables=tables), tmp_path).returncode == 0
    expected = duckdb_rows(database, "ad_performance")
    assert expected
    with contextlib.closing(duckdb.connect(str(database))) as conn:
        conn.execute("drop table linkedin.ad_performance")  # what two overlapping runs left behind
    result = lisync(run_args(sandbox_a, "--duckdb", str(database), tables=tables), tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert duckdb_rows(database, "ad_performance") == expected


# item 6 "heal" must not mistake a filesystem destination (files, no SQL tables) for a wedged one
def test_a_filesystem_destination_is_not_healed_on_a_second_run(sandbox_a: SandboxServer, tmp_path: Path) -> None:
    args = run_args(sandbox_a, "--destination", "filesystem", "--destination-credentials", str(tmp_path / "lake"),
                    "--pipelines-dir", str(tmp_path / "dlt"), tables=("ad_accounts",))
    for _ in range(2):
        result = lisync(args, tmp_path)
        assert result.returncode == 0, result.stderr[-2000:]
        assert "lacked" not in result.stdout + result.stderr and "Removed" not in result.stderr
