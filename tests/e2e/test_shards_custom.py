"""A custom report declared in ``.dlt/config.toml`` runs sharded: ``lisync plan-shards`` then ``lisync run <report>
--shard …`` per shard, in parallel processes into one DuckDB file, ends with the rows of one unsharded run.

The CLI runs in subprocesses whose working folder holds the declaration (dlt caches the config files it reads,
so an in-process CLI would leak the declaration into other tests); the reference run is in-process.
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

import duckdb
import pytest
from tests.e2e.conftest import Runner

from lisync.linkedin.analytics.custom_reports import parse_custom_reports
from lisync.run.pipeline import KILL_AT_ENV
from lisync.run.shards import load_plan
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

TODAY = dt.date(2026, 11, 15)
START = TODAY - dt.timedelta(days=30)
TIMEOUT_S = 300
DECLARATIONS: dict[str, dict[str, Any]] = {
    "spend_by_device": {"pivots": ["CAMPAIGN", "IMPRESSION_DEVICE_TYPE"], "granularity": "DAILY",
                        "metrics": ["impressions", "clicks", "costInLocalCurrency"]},
    "device_totals": {"pivots": ["IMPRESSION_DEVICE_TYPE"], "granularity": "DAILY", "metrics": ["impressions"]},
}
CONFIG = """
[sources.linkedin.custom_reports.spend_by_device]
pivots = ["CAMPAIGN", "IMPRESSION_DEVICE_TYPE"]
granularity = "DAILY"
metrics = ["impressions", "clicks", "costInLocalCurrency"]

[sources.linkedin.custom_reports.device_totals]
pivots = ["IMPRESSION_DEVICE_TYPE"]
granularity = "DAILY"
metrics = ["impressions"]
"""


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    """4 ad accounts and 2 company pages: two shards of about equal weight each get accounts."""
    config = SandboxConfig(port=0, seed=11, scale="small", scale_overrides={"accounts": 4}, today=TODAY)
    with SandboxServer(config) as server:
        yield server


def cli(sandbox: SandboxServer, cwd: Path, *args: str) -> subprocess.Popen[str]:
    """Start ``python -m lisync.cli <args>`` against the sandbox, in ``cwd`` (which holds .dlt/config.toml)."""
    env = {k: v for k, v in os.environ.items() if k not in (KILL_AT_ENV, "LINKEDIN_ACCESS_TOKEN")}
    command = [sys.executable, "-m", "lisync.cli", *args, "--api-base-url", f"{sandbox.base_url}/rest",
               "--access-token", "shard-token"]
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def rows(database: Path, table: str) -> list[tuple[Any, ...]]:
    with contextlib.closing(duckdb.connect(str(database), read_only=True)) as conn:
        columns = [r[0] for r in conn.execute(
            "select column_name from information_schema.columns where table_schema = 'linkedin' and table_name = ? "
            "and column_name not like '\\_dlt%' escape '\\' order by column_name", [table]).fetchall()]
        listed = ", ".join(f'"{c}"' for c in columns)
        return conn.execute(f'select {listed} from linkedin."{table}" order by all').fetchall()


@pytest.mark.slow
def test_sharded_custom_report_ends_with_the_rows_of_one_run(sandbox: SandboxServer, tmp_path: Path) -> None:
    (tmp_path / ".dlt").mkdir()
    (tmp_path / ".dlt" / "config.toml").write_text(CONFIG)
    reference = Runner(sandbox, tmp_path / "ref")
    summary = reference.run("spend_by_device", start_date=START, custom_reports=parse_custom_reports(DECLARATIONS))
    assert summary.status == "ok", summary.error

    planner = cli(sandbox, tmp_path, "plan-shards", "--shards", "2", "--format", "json")
    plan_json, notes = planner.communicate(timeout=TIMEOUT_S)
    assert planner.returncode == 0, notes
    assert "note: Custom report 'device_totals' cannot run in a shard" in notes
    plan = load_plan(plan_json)
    assert len(plan.shards) == 2 and all(s.accounts for s in plan.shards)

    database, state = tmp_path / "sharded.duckdb", tmp_path / "dlt"
    common = ["--duckdb", str(database), "--pipelines-dir", str(state), "--today", TODAY.isoformat(),
              "--start-date", START.isoformat()]
    procs = {s.name: cli(sandbox, tmp_path, "run", "spend_by_device", *s.command().split()[2:], *common)
             for s in plan.shards}
    for name, proc in procs.items():
        _, stderr = proc.communicate(timeout=TIMEOUT_S)
        assert proc.returncode == 0, f"{name}: {stderr[-2000:]}"

    expected = rows(reference.db_path, "spend_by_device")
    assert expected, "the reference run loaded no rows"
    assert rows(database, "spend_by_device") == expected
    with contextlib.closing(duckdb.connect(str(database), read_only=True)) as conn:
        names = {r[0] for r in conn.execute("select pipeline_name from linkedin._dlt_pipeline_state").fetchall()}
    assert names == {f"lisync_linkedin_{s.name}" for s in plan.shards}

    # a shard of pages only has nothing to do with an account-scoped report; a report summed over accounts
    # cannot be split: both refused in one line before any request
    pages = cli(sandbox, tmp_path, "run", "spend_by_device", "--shard", "pages", "--organizations",
                plan.shards[0].organizations[0] if plan.shards[0].organizations else plan.shards[1].organizations[0],
                *common)
    summed = cli(sandbox, tmp_path, "run", "device_totals", *plan.shards[0].command().split()[2:], *common)
    for proc, message in ((pages, "None of the selected pipelines applies to shard pages"),
                          (summed, "Custom report 'device_totals' cannot run in a shard")):
        _, stderr = proc.communicate(timeout=TIMEOUT_S)
        assert proc.returncode != 0 and message in " ".join(stderr.split()), stderr[-2000:]
    assert rows(database, "spend_by_device") == expected
