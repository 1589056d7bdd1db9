"""End to end: ``--end-date`` bounded backfills against the sandbox (issue #19, item 16).

A bounded run asks LinkedIn for nothing after its end date, lands no row after it, and stores every savepoint
at the end date; a later open run continues from there, so a bounded backfill followed by an open run lands
exactly the rows of one open run. The date math is unit-tested in ``tests/connector/test_bounded_windows.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import duckdb
import pytest
from tests.e2e.conftest import TODAY, Runner

from lisync.run.pipeline import make_pipeline
from lisync.run.state import restore_state_from_destination
from lisync.run.state_report import savepoint_rows
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer
from lisync.spec.loader import load_spec

START = TODAY - dt.timedelta(days=150)
END = TODAY - dt.timedelta(days=25)  # every windowed table of this world has rows on both sides of it
PERFORMANCE = ("ad_performance", "conversion_performance")
# Every time-windowed pipeline, and the column holding each of its tables' day.
WINDOWED: dict[str, tuple[str, str]] = {
    "ad_performance": ("ad_performance", "metric_date"),
    "conversion_performance": ("conversion_performance", "metric_date"),
    "account_performance": ("account_performance", "metric_date"),
    "campaign_group_performance": ("campaign_group_performance", "metric_date"),
    "campaign_performance": ("campaign_performance", "metric_date"),
    "ad_demographics": ("ad_demographics", "metric_date"),
    "organization_pages": ("organization_pages", "metric_date"),
    "organization_posts": ("organization_posts", "last_modified_at"),
    "organization_video_statistics": ("organization_video_statistics", "metric_date"),
    "lead_form_responses": ("lead_form_responses", "submitted_at"),
}
DATE_RANGE = re.compile(r"dateRange=\(start:\(year:(\d+),month:(\d+),day:(\d+)\),end:\(year:(\d+),month:(\d+),"
                        r"day:(\d+)\)\)")


@pytest.fixture(scope="module")
def e2e_sandbox() -> Iterator[SandboxServer]:
    """The ``runner`` fixture's sandbox: a world with conversions on most days (as the analytics tests use)."""
    with SandboxServer(SandboxConfig(port=0, seed=11, scale="small", today=TODAY,
                                     scale_overrides={"creatives_per_campaign": 4})) as server:
        yield server


def savepoints(runner: Runner) -> dict[str, dict[str, str]]:
    """The savepoints the destination holds (what `lisync state` shows), per resource and scope."""
    pipeline = make_pipeline(runner.settings())
    restore_state_from_destination(pipeline, "test")
    out: dict[str, dict[str, str]] = {}
    for row in savepoint_rows(pipeline):
        out.setdefault(row.resource, {})[row.scope] = row.savepoint
    return out


def last_day(runner: Runner, table: str, column: str) -> dt.date:
    value = runner.scalar(f'select max("{column}") from {{ds}}."{table}"')
    return value.date() if isinstance(value, dt.datetime) else value


def analytics_date_ranges(caplog: pytest.LogCaptureFixture) -> list[tuple[dt.date, dt.date]]:
    """The ``dateRange`` of every adAnalytics request the run sent (from urllib3's request log)."""
    ranges = []
    for record in caplog.records:
        message = unquote(record.getMessage())
        if "/adAnalytics?" in message:
            match = DATE_RANGE.search(message)
            assert match, message
            y1, m1, d1, y2, m2, d2 = (int(g) for g in match.groups())
            ranges.append((dt.date(y1, m1, d1), dt.date(y2, m2, d2)))
    return ranges


def test_bounded_analytics_asks_lands_and_saves_up_to_the_end_date(e2e_sandbox: SandboxServer, tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    runner = Runner(e2e_sandbox, tmp_path)  # DuckDB: request shapes do not depend on the destination
    caplog.set_level(logging.DEBUG, logger="urllib3.connectionpool")
    summary = runner.run("ad_accounts", *PERFORMANCE, start_date=START, end_date=END)
    assert summary.status == "ok", summary.error
    ranges = analytics_date_ranges(caplog)
    assert ranges, "no adAnalytics request was logged"
    assert max(end for _, end in ranges) == END  # the run's own requests and verify's totals
    assert min(start for start, _ in ranges) == START
    assert last_day(runner, "ad_performance", "metric_date") == END
    saved = savepoints(runner)
    for table in PERFORMANCE:
        assert saved[table] and set(saved[table].values()) == {END.isoformat()}, (table, saved[table])
    assert any(note.startswith(f"--end-date {END}: ad_accounts ignore it") for note in summary.notes), summary.notes


@pytest.mark.slow
def test_a_bounded_backfill_then_an_open_run_equals_one_open_run(runner: Runner,
                                                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    pipelines = list(WINDOWED)
    bounded = runner.run(*pipelines, start_date=START, end_date=END)
    assert bounded.status == "ok", bounded.error
    assert not any(note.startswith("--end-date") for note in bounded.notes), bounded.notes  # all honour it
    # nothing after the end date in any windowed table, and every savepoint at (or, for whole periods, before) it
    for pipeline, (table, column) in WINDOWED.items():
        assert last_day(runner, table, column) <= END, pipeline
    for resource, scopes in savepoints(runner).items():
        assert scopes and max(scopes.values()) <= END.isoformat(), (resource, scopes)
        if resource != "organization_pages":  # whole periods: its savepoint is the last day LinkedIn finalised
            assert set(scopes.values()) == {END.isoformat()}, (resource, scopes)

    opened = runner.run(*pipelines, start_date=START)
    assert opened.status == "ok", opened.error
    reference = Runner(runner.sandbox, tmp_path_factory.mktemp("open"), dataset=f"{runner.dataset}_open",
                       destination=runner.destination, postgres_dsn=runner.postgres_dsn)
    try:
        once = reference.run(*pipelines, start_date=START)
        assert once.status == "ok", once.error
        for pipeline, (table, column) in WINDOWED.items():
            assert last_day(reference, table, column) > END, f"{pipeline}: the check needs rows after the end date"
        for table in [t.name for p in pipelines for t in load_spec()[p].tables]:
            assert runner.snapshot(table) == reference.snapshot(table), table
    finally:
        reference.drop_dataset()


def lisync(sandbox: SandboxServer, workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in ``workdir`` (its ``.dlt/config.toml`` is read as a user's) against the sandbox."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINKEDIN_", "SOURCES__", "LISYNC_"))}
    command = [sys.executable, "-m", "lisync.cli", *args, "--api-base-url", f"{sandbox.base_url}/rest",
               "--access-token", "t", "--duckdb", str(workdir / "x.duckdb"), "--pipelines-dir", str(workdir / "dlt"),
               "--today", TODAY.isoformat(), "--start-date", START.isoformat()]
    return subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=300, check=False)


def lisync_run(sandbox: SandboxServer, workdir: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], dt.date]:
    """``lisync run ad_accounts ad_performance``; return the result and the last day landed."""
    result = lisync(sandbox, workdir, "run", "ad_accounts", "ad_performance", *args)
    assert result.returncode == 0, result.stderr[-2000:]
    with contextlib.closing(duckdb.connect(str(workdir / "x.duckdb"), read_only=True)) as conn:
        row = conn.execute("select max(metric_date) from linkedin.ad_performance").fetchone()
    assert row is not None
    return result, row[0]


def test_the_end_date_setting_in_config_toml_bounds_the_run_and_the_note_says_what_ignores_it(
        e2e_sandbox: SandboxServer, tmp_path: Path) -> None:
    (tmp_path / ".dlt").mkdir()
    (tmp_path / ".dlt" / "config.toml").write_text(f'[sources.linkedin]\nend_date = "{END}"\n')
    result, last = lisync_run(e2e_sandbox, tmp_path)
    assert last == END
    notes = [line for line in result.stdout.splitlines() if "--end-date" in line]
    assert len(notes) == 1 and "ad_accounts ignore it" in notes[0], result.stdout


def test_an_end_date_after_today_reads_up_to_today(e2e_sandbox: SandboxServer, tmp_path: Path) -> None:
    _, last = lisync_run(e2e_sandbox, tmp_path, "--end-date", "2999-12-31")
    assert last == TODAY


def test_lisync_verify_checks_a_bounded_backfill_up_to_its_end_date(e2e_sandbox: SandboxServer, tmp_path: Path) -> None:
    _, last = lisync_run(e2e_sandbox, tmp_path, "--end-date", END.isoformat())
    assert last == END
    bounded = lisync(e2e_sandbox, tmp_path, "verify", "ad_performance", "--end-date", END.isoformat())
    assert bounded.returncode == 0, bounded.stdout[-2000:] + bounded.stderr[-2000:]
    # the days after the end date were never loaded: up to today, LinkedIn's totals differ
    assert lisync(e2e_sandbox, tmp_path, "verify", "ad_performance").returncode == 1
