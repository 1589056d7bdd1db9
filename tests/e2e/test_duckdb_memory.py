"""DuckDB's buffer pool is bounded by default, and a user's own DuckDB settings override lisync's."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.e2e.conftest import TODAY, Runner

from lisync.run.memory import DUCKDB_MEMORY_DEFAULTS
from lisync.run.pipeline import make_pipeline
from lisync.sandbox.server import SandboxServer

START = TODAY - dt.timedelta(days=14)
MIB = 1024 * 1024


def _memory_limit_mib(runner: Runner, **overrides: object) -> float:
    """DuckDB's ``memory_limit`` on the connection dlt opens for ``runner``'s run settings, in MiB."""
    pipeline = make_pipeline(runner.settings("ad_performance", **overrides))
    with pipeline.sql_client() as client:
        rows = client.execute_sql("select value from duckdb_settings() where name = 'memory_limit'")
    assert rows
    value, unit = str(rows[0][0]).split()
    return float(value) * {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024}[unit]


def _mib(text: str) -> float:
    number, unit = float(text[:-2]), text[-2:].upper()
    return number * {"KB": 1 / 1024, "MB": 1, "GB": 1024}[unit]


def test_duckdb_memory_is_bounded_by_default(e2e_sandbox: SandboxServer, tmp_path: Path) -> None:
    runner = Runner(e2e_sandbox, tmp_path)
    limit = _memory_limit_mib(runner)
    # DuckDB reports the limit in MiB (1e6-byte "MB" in, 2^20-byte "MiB" out); its own default is 80% of RAM
    assert limit == pytest.approx(_mib(DUCKDB_MEMORY_DEFAULTS["memory_limit"]) * 1e6 / MIB, rel=0.01)
    summary = runner.run("ad_performance", start_date=START, today=TODAY)
    assert summary.status == "ok", summary.error
    assert runner.scalar("select count(*) from {ds}.ad_performance") > 0
    # the first load was a plain insert (lisync.run.first_load); the next one merges its update window, and that
    # merge skips dlt's staging de-duplication (a window over every column DuckDB cannot spill)
    assert runner.run("ad_performance", start_date=START, today=TODAY).status == "ok"
    table = make_pipeline(runner.settings("ad_performance")).default_schema.get_table("ad_performance")
    assert table.get("write_disposition") == "merge"
    assert table.get("x-stage-data-deduplicated") is True


def test_the_users_duckdb_settings_win(e2e_sandbox: SandboxServer, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESTINATION__DUCKDB__CREDENTIALS__GLOBAL_CONFIG", json.dumps({"memory_limit": "1GB"}))
    monkeypatch.setenv("DESTINATION__DUCKDB__CREDENTIALS__LOCAL_CONFIG",
                       json.dumps({"preserve_insertion_order": False}))
    runner = Runner(e2e_sandbox, tmp_path)
    assert _memory_limit_mib(runner) == pytest.approx(1e9 / MIB, rel=0.01)
    pipeline = make_pipeline(runner.settings("ad_performance"))
    with pipeline.sql_client() as client:  # the other credential fields still come from dlt's configuration
        rows = client.execute_sql("select current_setting('preserve_insertion_order')")
    assert rows == [(False,)]
