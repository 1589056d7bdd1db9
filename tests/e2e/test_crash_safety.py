"""Crash safety: ``lisync run`` killed with SIGKILL anywhere in extract, normalize or load loses nothing.

Each trial runs the real CLI in a subprocess against one sandbox (a thread of this test process) and kills it
with SIGKILL, either after a seeded random delay or at a named stage through the documented test seam
``LISYNC_TEST_KILL_AT`` (``extract``, ``normalize``, ``load``: see ``lisync.run.pipeline.KILL_AT_ENV``). Right
after the kill the destination must hold no duplicate primary key, and every savepoint it has committed
must cover data that is really there (a savepoint for an account means that account's rows are complete).
Then lisync runs again to completion and every table must equal an uninterrupted run's, row for row.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dlt.common.versioned_state import decompress_state
from tests.support import scalar, snapshot

from lisync.run.families import available_pipelines
from lisync.run.pipeline import KILL_AT_ENV
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer
from lisync.spec.loader import load_spec, table_spec

pytestmark = pytest.mark.slow

TRIALS = 24
TRIAL_SEED = 20261115
STAGES = ("extract", "normalize", "load")
DATASET = "linkedin"
# savepoint-holding resource → (table it commits with, how a scope id names rows of that table)
SAVEPOINT_TABLES: dict[str, tuple[str, str]] = {
    "ad_performance": ("ad_performance", "account"),
    "conversion_performance": ("conversion_performance", "account"),
    "organization_pages": ("organization_pages", "organization"),
    "organization_post_pages": ("organization_posts", "organization"),
}
RUN_TIMEOUT_S = 300


def lisync_run(sandbox: SandboxServer, workdir: Path, kill_at: str | None = None) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != KILL_AT_ENV}
    env.pop("LINKEDIN_ACCESS_TOKEN", None)
    if kill_at:
        env[KILL_AT_ENV] = kill_at
    args = [sys.executable, "-m", "lisync.cli", "run", "--api-base-url", f"{sandbox.base_url}/rest",
            "--access-token", "crash-token", "--duckdb", str(workdir / "crash.duckdb"),
            "--pipeline-name", "crash", "--pipelines-dir", str(workdir / "dlt")]
    return subprocess.Popen(args, cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def run_to_completion(sandbox: SandboxServer, workdir: Path) -> None:
    proc = lisync_run(sandbox, workdir)
    _, stderr = proc.communicate(timeout=RUN_TIMEOUT_S)
    assert proc.returncode == 0, stderr.decode()[-2000:]


def tables() -> list[str]:
    return [t.name for p in available_pipelines() for t in load_spec()[p].tables]


def read_destination(workdir: Path) -> tuple[dict[str, list[tuple[Any, ...]]], dict[str, dict[str, str]]]:
    """Every table's rows and the savepoints committed in the destination (empty when nothing landed)."""
    path = workdir / "crash.duckdb"
    if not path.exists():
        return {}, {}
    with contextlib.closing(duckdb.connect(str(path), read_only=True)) as conn:
        present = {r[0] for r in conn.execute(
            "select table_name from information_schema.tables where table_schema = ?", [DATASET]).fetchall()}
        rows = {t: snapshot(conn, DATASET, t) for t in tables() if t in present}
        savepoints: dict[str, dict[str, str]] = {}
        # A kill inside the first load can leave the state table created (with the schema) but without its row,
        # which dlt writes last: then no savepoint was committed.
        latest = conn.execute(f"select state from {DATASET}._dlt_pipeline_state order by version desc limit 1"
                              ).fetchone() if "_dlt_pipeline_state" in present else None
        if latest is not None:
            resources = decompress_state(latest[0]).get("sources", {}).get(DATASET, {}).get("resources", {})
            savepoints = {name: dict(res.get("savepoints") or {}) for name, res in resources.items()}
        return rows, savepoints


def duplicate_keys(workdir: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    path = workdir / "crash.duckdb"
    if not path.exists():
        return out
    with contextlib.closing(duckdb.connect(str(path), read_only=True)) as conn:
        present = {r[0] for r in conn.execute(
            "select table_name from information_schema.tables where table_schema = ?", [DATASET]).fetchall()}
        for table in tables():
            key = table_spec(table).primary_key
            if table not in present or not key:
                continue
            cols = ", ".join(f'"{c}"' for c in key)
            extra = scalar(conn, f'select count(*) - count(distinct ({cols})) from {DATASET}."{table}"')
            if extra:
                out[table] = extra
    return out


def scope_rows(rows: list[tuple[Any, ...]], table: str, kind: str, scope: str) -> list[tuple[Any, ...]]:
    names = table_spec(table).column_names
    if kind == "account":
        column, value = names.index("account_id"), scope
    else:
        column, value = names.index("organization_urn"), f"urn:li:organization:{scope.split(':')[0]}"
    return [r for r in rows if str(r[column]) == value]


def uncovered_savepoints(rows: dict[str, list[tuple[Any, ...]]], savepoints: dict[str, dict[str, str]],
                         reference: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    """Savepoints committed without their scope's data (the world does not change between runs)."""
    problems = []
    for resource, scopes in savepoints.items():
        if resource not in SAVEPOINT_TABLES:
            continue
        table, kind = SAVEPOINT_TABLES[resource]
        for scope in scopes:
            expected = scope_rows(reference.get(table, []), table, kind, scope)
            if scope_rows(rows.get(table, []), table, kind, scope) != expected:
                problems.append(f"{resource} savepoint {scope} is committed but {table} lacks its rows")
    return problems


def trial(sandbox: SandboxServer, root: Path, number: int, plan: tuple[str, float],
          reference: dict[str, list[tuple[Any, ...]]], ref_savepoints: dict[str, dict[str, str]]) -> str:
    workdir = root / f"trial-{number:02d}"
    workdir.mkdir()
    mode, delay = plan
    if mode == "stage":
        stage = STAGES[number % len(STAGES)]
        proc = lisync_run(sandbox, workdir, kill_at=stage)
        proc.communicate(timeout=RUN_TIMEOUT_S)
        assert proc.returncode == -signal.SIGKILL, f"trial {number}: the {stage} kill point did not fire"
        where = f"at {stage}"
    else:
        proc = lisync_run(sandbox, workdir)
        try:
            proc.communicate(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
        where = f"after {delay:.2f} s" + (" (finished first)" if proc.returncode == 0 else "")
    assert not duplicate_keys(workdir), f"trial {number} ({where}): duplicate keys after the kill"
    rows, savepoints = read_destination(workdir)
    problems = uncovered_savepoints(rows, savepoints, reference)
    assert not problems, f"trial {number} ({where}): {problems}"
    run_to_completion(sandbox, workdir)
    assert not duplicate_keys(workdir), f"trial {number} ({where}): duplicate keys after the re-run"
    final, final_savepoints = read_destination(workdir)
    for table, expected in reference.items():
        assert final.get(table) == expected, f"trial {number} ({where}): {table} differs from the uninterrupted run"
    assert final_savepoints == ref_savepoints, f"trial {number} ({where}): savepoints differ"
    return where


def test_sigkill_anywhere_then_rerun_matches_an_uninterrupted_run(tmp_path: Path) -> None:
    # The CLI's "today" is the real UTC date, so the sandbox uses it too.
    with SandboxServer(SandboxConfig(seed=7, scale="tiny")) as sandbox:
        reference_dir = tmp_path / "reference"
        reference_dir.mkdir()
        started = time.monotonic()
        run_to_completion(sandbox, reference_dir)
        duration = time.monotonic() - started
        reference, ref_savepoints = read_destination(reference_dir)
        assert all(reference.get(t) for t in ("ad_performance", "organization_posts", "campaign_metadata"))
        assert ref_savepoints.get("ad_performance")
        rng = random.Random(TRIAL_SEED)
        plans = [("stage", 0.0) if i % 4 == 0 else ("delay", rng.uniform(0.3, duration)) for i in range(TRIALS)]
        with ThreadPoolExecutor(max_workers=4) as pool:
            outcomes = list(pool.map(lambda ip: trial(sandbox, tmp_path, ip[0], ip[1], reference, ref_savepoints),
                                     enumerate(plans)))
    assert len(outcomes) == TRIALS
    killed = [o for o in outcomes if "finished first" not in o]
    assert len(killed) >= 20, outcomes
