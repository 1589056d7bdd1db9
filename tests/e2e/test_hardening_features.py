"""What users expected and did not find (issue #19, item 16): --full-refresh, `lisync state`, --verbose.

Each runs the real CLI in a subprocess against a tiny sandbox on loopback, into a DuckDB file.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from tests.support import snapshot

from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

TABLES = ("ad_accounts", "ad_performance")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(seed=7, scale="tiny")) as server:
        yield server


def lisync(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINKEDIN_", "SOURCES__", "LISYNC_"))}
    return subprocess.run([sys.executable, "-m", "lisync.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300, check=False, stdin=subprocess.DEVNULL)


def run(sandbox: SandboxServer, tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return lisync(["run", *TABLES, "--api-base-url", f"{sandbox.base_url}/rest", "--access-token", "t", "--duckdb",
                   str(tmp / "x.duckdb"), "--pipelines-dir", str(tmp / "dlt"), "--no-verify", *extra], tmp)


def rows(tmp: Path, table: str = "ad_performance") -> list[tuple]:
    with contextlib.closing(duckdb.connect(str(tmp / "x.duckdb"), read_only=True)) as conn:
        return snapshot(conn, "linkedin", table)


def test_full_refresh_asks_then_rereads_everything(sandbox: SandboxServer, tmp_path: Path) -> None:
    assert run(sandbox, tmp_path).returncode == 0
    expected = rows(tmp_path)
    with contextlib.closing(duckdb.connect(str(tmp_path / "x.duckdb"))) as conn:
        # a row LinkedIn does not have (an old stray): merges keep it, only a refresh of the table drops it
        conn.execute("insert into linkedin.ad_performance by name select * replace ('999' as creative_id) "
                     "from linkedin.ad_performance limit 1")
    assert run(sandbox, tmp_path).returncode == 0
    assert rows(tmp_path) != expected
    refused = run(sandbox, tmp_path, "--full-refresh")  # no terminal to ask on, no --yes: nothing dropped
    assert refused.returncode == 2 and "--full-refresh drops 2 tables" in refused.stderr and "--yes" in refused.stderr
    done = run(sandbox, tmp_path, "--full-refresh", "--yes")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "--full-refresh drops 2 tables (ad_accounts, ad_performance)" in done.stderr.replace("\n", "")
    got = rows(tmp_path)
    assert got == expected, (len(got), len(expected), set(got) ^ set(expected), done.stderr[-1500:])


def test_state_lists_savepoints_and_last_loads_from_the_destination(sandbox: SandboxServer, tmp_path: Path) -> None:
    empty = lisync(["state", "--duckdb", str(tmp_path / "x.duckdb")], tmp_path)
    assert empty.returncode == 0 and "No savepoints" in empty.stderr
    assert run(sandbox, tmp_path).returncode == 0
    shown = lisync(["state", "--duckdb", str(tmp_path / "x.duckdb"), "--pipelines-dir-unused"], tmp_path)
    assert shown.returncode == 2  # an unknown option is a usage error, not a crash
    shown = lisync(["state", "--duckdb", str(tmp_path / "x.duckdb")], tmp_path)
    assert shown.returncode == 0, shown.stderr
    accounts = {str(r[0]) for r in rows(tmp_path, "ad_accounts")}
    listed = [line for line in shown.stdout.splitlines() if "ad_performance" in line]
    assert {a for a in accounts if any(a in line for line in listed)} == accounts, shown.stdout
    assert all(line.count("-") >= 2 for line in listed), "each account shows its savepoint date"
    assert any(line.count(":") >= 2 for line in listed), "accounts with rows show their last load time"


def test_verbose_adds_each_request(sandbox: SandboxServer, tmp_path: Path) -> None:
    quiet = run(sandbox, tmp_path)
    loud = run(sandbox, tmp_path, "--verbose")
    assert quiet.returncode == loud.returncode == 0
    assert "adAccounts?q=search answered 200" in loud.stderr
    assert "answered 200" not in quiet.stderr
