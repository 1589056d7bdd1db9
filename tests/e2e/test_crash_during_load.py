"""Crash safety inside dlt's load step: SIGKILL a few hundred milliseconds into loading, then re-run.

A kill between a load job's commit and dlt's bookkeeping makes the resumed package replay that job: before
the fix, tables without a primary key (the ``organization_posts__*`` child tables) kept the replayed rows for
good. Each trial kills ``lisync run`` (all pipelines) through the ``LISYNC_TEST_KILL_AT=load+<seconds>`` seam
(:mod:`lisync.run.crash_seam`) at a different moment of the load, re-runs it, and demands every table equal an
uninterrupted run's, row for row, with no ``_dlt_id`` twice — into DuckDB and into PostgreSQL.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from tests.e2e.conftest import PostgresConnection, unique_dataset
from tests.support import scalar, snapshot

from lisync.run.crash_seam import KILL_AT_ENV
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer
from lisync.spec.loader import load_spec

pytestmark = pytest.mark.slow

# Seconds into the load step: this small world's load takes ~1-1.5 s on an idle 2-core machine (2-4 s on a busy
# one), so every delay lands inside it; the test still requires most kills to land before the load ends.
KILL_DELAYS = (0.15, 0.4, 0.65, 0.9)
RUN_TIMEOUT_S = 300
# Carousel cards come only from dark (DSC) posts: organization_posts reads them with a second isDsc=true listing.
CHILD_TABLES = [t.name for t in load_spec()["organization_posts"].tables if "__" in t.name]
# The seed's nine pipelines (named, so tables added by extension families do not change this test).
PIPELINES = ("ad_accounts", "ad_performance", "campaign_metadata", "campaign_group_metadata", "conversion_details",
             "conversion_performance", "creative_metadata", "organization_pages", "organization_posts")


class Target:
    """One destination a trial writes into: a DuckDB file in ``workdir`` or a fresh Postgres schema."""

    def __init__(self, kind: str, workdir: Path, dsn: str | None) -> None:
        self.kind, self.workdir, self.dsn = kind, workdir, dsn
        self.dataset = unique_dataset("crashload") if kind == "postgres" else "linkedin"

    def args(self) -> list[str]:
        common = ["--pipeline-name", "crashload", "--pipelines-dir", str(self.workdir / "dlt"), "--dataset",
                  self.dataset]
        if self.kind == "postgres":
            assert self.dsn
            return [*common, "--destination", "postgres", "--destination-credentials", self.dsn]
        return [*common, "--duckdb", str(self.workdir / "crash.duckdb")]

    @contextlib.contextmanager
    def connect(self) -> Iterator[Any]:
        if self.kind == "postgres":
            assert self.dsn
            with PostgresConnection(self.dsn) as conn:
                yield conn
        else:
            with contextlib.closing(duckdb.connect(str(self.workdir / "crash.duckdb"), read_only=True)) as conn:
                yield conn

    def rows(self) -> dict[str, list[tuple[Any, ...]]]:
        tables = [t.name for p in PIPELINES for t in load_spec()[p].tables]
        with self.connect() as conn:
            return {t: snapshot(conn, self.dataset, t) for t in tables}

    def replayed_rows(self) -> dict[str, int]:
        """Rows whose ``_dlt_id`` another row of the same table also has, per table."""
        found = {}
        with self.connect() as conn:
            for table in CHILD_TABLES:
                extra = scalar(conn, f'select count(*) - count(distinct _dlt_id) from "{self.dataset}"."{table}"')
                if extra:
                    found[table] = extra
        return found

    def drop(self) -> None:
        if self.kind == "postgres":
            with self.connect() as conn:
                for schema in (self.dataset, f"{self.dataset}_staging"):
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def lisync_run(sandbox: SandboxServer, target: Target,
               kill_at: str | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in (KILL_AT_ENV, "LINKEDIN_ACCESS_TOKEN")}
    if kill_at:
        env[KILL_AT_ENV] = kill_at
    args = [sys.executable, "-m", "lisync.cli", "run", *PIPELINES, "--api-base-url", f"{sandbox.base_url}/rest",
            "--access-token", "crash-token", *target.args()]
    return subprocess.run(args, cwd=target.workdir, env=env, capture_output=True, timeout=RUN_TIMEOUT_S, check=False)


@pytest.fixture(scope="module")
def crash_sandbox() -> Iterator[SandboxServer]:
    # The CLI's "today" is the real UTC date, so the sandbox uses it too.
    with SandboxServer(SandboxConfig(port=0, seed=7, scale="small")) as server:
        yield server


@pytest.mark.parametrize("kind", ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_sigkill_during_load_then_rerun_converges_to_a_clean_run(
        kind: str, crash_sandbox: SandboxServer, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    dsn = request.getfixturevalue("postgres_dsn") if kind == "postgres" else None
    reference_dir = tmp_path / "reference"
    reference_dir.mkdir()
    reference_target = Target(kind, reference_dir, dsn)
    targets = [reference_target]
    try:
        done = lisync_run(crash_sandbox, reference_target)
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        reference = reference_target.rows()
        assert all(reference[t] for t in CHILD_TABLES), "the world must have rows in every child table"
        killed = 0
        for number, delay in enumerate(KILL_DELAYS):
            workdir = tmp_path / f"trial-{number}"
            workdir.mkdir()
            target = Target(kind, workdir, dsn)
            targets.append(target)
            first = lisync_run(crash_sandbox, target, kill_at=f"load+{delay}")
            killed += first.returncode == -signal.SIGKILL
            again = lisync_run(crash_sandbox, target)
            assert again.returncode == 0, again.stderr.decode()[-2000:]
            where = f"killed {delay} s into the load"
            assert not target.replayed_rows(), f"{where}: replayed rows survived the re-run"
            final = target.rows()
            for table, expected in reference.items():
                assert final[table] == expected, (f"{where}: {table} differs from the uninterrupted run "
                                                  f"({len(final[table])} rows, not {len(expected)})",
                                                  again.stderr.decode()[-3000:])
        assert killed >= len(KILL_DELAYS) - 1, "the load finished before most kills: raise KILL_DELAYS' range"
    finally:
        for target in targets:
            target.drop()
