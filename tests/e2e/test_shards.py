"""Sharded runs: shards loading one dataset in parallel processes end with the tables of one unsharded run.

Each shard is a real ``lisync run --shard …`` process against one sandbox (a thread of this test process).
Into PostgreSQL the shards load truly concurrently; into DuckDB, which admits one writing process per file,
their extraction runs in parallel and their loads take turns on ``<file>.lock`` (see lisync.run.load_guard).
A shard killed before its load leaves only its own slice stale, and re-running it alone repairs exactly
that slice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.conftest import DESTINATIONS, Runner, unique_dataset

from lisync.config.settings import RunSettings
from lisync.run.families import available_pipelines
from lisync.run.pipeline import KILL_AT_ENV
from lisync.run.shards import Shard, ShardPlan, discover_and_plan
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer
from lisync.spec.loader import load_spec, table_spec

TODAY = dt.date(2026, 11, 15)
SHARDS = 3
READ_DAYS = 45
RUN_TIMEOUT_S = 300
WORLD = {"accounts": 6}


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    """A fresh world per test (the failure test moves its clock): 6 ad accounts, 2 company pages."""
    with SandboxServer(SandboxConfig(port=0, seed=11, scale="small", scale_overrides=WORLD, today=TODAY)) as server:
        yield server


class Destination:
    """Two datasets in one destination: the unsharded reference and the sharded result."""

    def __init__(self, kind: str, sandbox: SandboxServer, tmp_path: Path, dsn: str | None) -> None:
        self.kind, self.sandbox, self.dsn = kind, sandbox, dsn
        names = (unique_dataset("ref"), unique_dataset("sharded")) if kind == "postgres" else ("linkedin", "linkedin")
        self.reference = Runner(sandbox, tmp_path / "ref", dataset=names[0], destination=kind, postgres_dsn=dsn)
        self.sharded = Runner(sandbox, tmp_path / "sharded", dataset=names[1], destination=kind, postgres_dsn=dsn)
        for runner in (self.reference, self.sharded):
            runner.db_path.parent.mkdir(parents=True)

    def base_settings(self) -> RunSettings:
        return self.reference.settings(*available_pipelines(), start_date=self.sandbox.world.clock.today -
                                       dt.timedelta(days=READ_DAYS), **EXTRAS)

    def run_reference(self) -> None:
        summary = self.reference.run(*available_pipelines(), start_date=TODAY - dt.timedelta(days=READ_DAYS),
                                     **EXTRAS)
        assert summary.status == "ok", summary.error

    def shard_process(self, shard: Shard, kill_at: str | None = None) -> subprocess.Popen[bytes]:
        """Start ``lisync run --shard`` for ``shard`` (every pipeline) in its own process."""
        env = {k: v for k, v in os.environ.items() if k not in (KILL_AT_ENV, "LINKEDIN_ACCESS_TOKEN")}
        if kill_at:
            env[KILL_AT_ENV] = kill_at
        runner = self.sharded
        args = [sys.executable, "-m", "lisync.cli", "run", "--shard", shard.name,
                "--api-base-url", f"{self.sandbox.base_url}/rest", "--access-token", "shard-token",
                "--dataset", runner.dataset, "--pipelines-dir", str(runner.pipelines_dir),
                "--today", self.sandbox.world.clock.today.isoformat(),
                "--start-date", (TODAY - dt.timedelta(days=READ_DAYS)).isoformat(), "--posts-replication", "full"]
        if shard.accounts:
            args += ["--accounts", ",".join(shard.accounts)]
        if shard.organizations:
            args += ["--organizations", ",".join(shard.organizations)]
        if self.kind == "postgres":
            args += ["--destination", "postgres", "--destination-credentials", str(self.dsn)]
        else:
            args += ["--duckdb", str(runner.db_path)]
        return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def run_shards(self, shards: list[Shard], kill: dict[str, str] | None = None) -> dict[str, int]:
        """Run the shards in parallel processes; return each one's exit code (killed ones included)."""
        procs = {s.name: self.shard_process(s, (kill or {}).get(s.name)) for s in shards}
        codes: dict[str, int] = {}
        for name, proc in procs.items():
            _, stderr = proc.communicate(timeout=RUN_TIMEOUT_S)
            codes[name] = proc.returncode
            if not (kill and name in kill):
                assert proc.returncode == 0, f"{name}: {stderr.decode()[-2000:]}"
        return codes

    def drop(self) -> None:
        if self.kind != "postgres":
            return
        with contextlib.closing(self.reference.connect()) as conn:
            schemas = [r[0] for r in conn.execute(
                "select nspname from pg_namespace where nspname like 'ref_%' or nspname like 'sharded_%'").fetchall()]
            mine = [s for s in schemas if s.startswith((self.reference.dataset, self.sharded.dataset))]
            for schema in mine:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


EXTRAS: dict[str, Any] = {"period": "day", "keep_metrics_history": False, "posts_replication": "full"}


def tables() -> list[str]:
    return [t.name for p in available_pipelines() for t in load_spec()[p].tables]


SNAPSHOT_TABLES = {"organization_followers": "snapshot_date"}


def _latest_snapshot(runner: Runner, table: str, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of ``table``'s newest snapshot (the snapshot-date column's largest value)."""
    position = table_spec(table).column_names.index(SNAPSHOT_TABLES[table])
    newest = max((row[position] for row in rows), default=None)
    return [row for row in rows if row[position] == newest]


def differing_tables(a: Runner, b: Runner) -> dict[str, tuple[int, int]]:
    """Tables whose rows differ between two datasets: ``{table: (rows in a, rows in b)}``."""
    out: dict[str, tuple[int, int]] = {}
    for table in tables():
        left, right = a.snapshot(table), b.snapshot(table)
        if table in SNAPSHOT_TABLES:  # a dated snapshot per run: the reference ran once, the shards twice
            left, right = _latest_snapshot(a, table, left), _latest_snapshot(b, table, right)
        if left != right:
            out[table] = (len(left), len(right))
    return out


@pytest.fixture(params=DESTINATIONS)
def destination(request: pytest.FixtureRequest, sandbox: SandboxServer, tmp_path: Path) -> Iterator[Destination]:
    dsn = request.getfixturevalue("postgres_dsn") if request.param == "postgres" else None
    target = Destination(request.param, sandbox, tmp_path, dsn)
    try:
        yield target
    finally:
        target.drop()


def plan_for(destination: Destination) -> ShardPlan:
    plan, notes = discover_and_plan(destination.base_settings(), SHARDS)
    assert not notes
    assert len(plan.shards) == SHARDS
    return plan


@pytest.mark.slow
def test_parallel_shards_end_with_the_tables_of_one_run(destination: Destination) -> None:
    plan = plan_for(destination)
    destination.run_reference()
    destination.run_shards(plan.shards)

    assert differing_tables(destination.reference, destination.sharded) == {}
    for table in tables():
        assert destination.sharded.scalar(f'select count(*) from "{{ds}}"."{table}"') > 0, table
    # every shard keeps its own savepoints under its own dlt pipeline name
    names = {r[0] for r in destination.sharded.query('select pipeline_name from "{ds}"."_dlt_pipeline_state"')}
    assert names == {f"lisync_{destination.sharded.dataset}_{s.name}" for s in plan.shards}


@pytest.mark.slow
def test_a_failed_shard_rerun_alone_repairs_only_its_slice(destination: Destination,
                                                           sandbox: SandboxServer) -> None:
    plan = plan_for(destination)
    destination.run_shards(plan.shards)
    sandbox.world.clock.advance(1)  # a new day: new performance rows, restated ones, a moved read window
    destination.run_reference()  # the reference reads the same sandbox day once, unsharded
    failed = plan.shards[0]

    def load_ids(where: str) -> set[tuple[Any, ...]]:
        sql = f'select id, _dlt_load_id from "{{ds}}"."campaign_metadata" where {where}'
        return set(destination.sharded.query(sql))

    in_failed = "account_id in (" + ",".join(f"'{a}'" for a in failed.accounts) + ")"
    codes = destination.run_shards(plan.shards, kill={failed.name: "normalize"})
    assert codes[failed.name] != 0
    stale = differing_tables(destination.reference, destination.sharded)
    assert "ad_performance" in stale  # the killed shard's new day is missing
    others_before = load_ids(f"not ({in_failed})")

    destination.run_shards([failed])

    assert differing_tables(destination.reference, destination.sharded) == {}
    assert others_before, "the other shards hold campaigns"
    assert load_ids(f"not ({in_failed})") == others_before, "the re-run touched other shards' rows"
