"""Errors that used to mislead (issue #19, items 7-14): each is one line naming the problem and the fix.

Every case runs the real ``lisync`` CLI in a subprocess against a sandbox on loopback, or against a web
server that is not LinkedIn (Python's ``http.server``, as a user would start it).
"""

from __future__ import annotations

import contextlib
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from tests.support import snapshot

from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

TABLES = ("ad_accounts", "campaign_metadata")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(seed=7, scale="tiny")) as server:
        yield server


@pytest.fixture(scope="module")
def not_linkedin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python3 -m http.server`` on a free loopback port: HTML 404s for every API path."""
    folder = tmp_path_factory.mktemp("www")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def _command(args: list[str]) -> tuple[list[str], dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINKEDIN_", "SOURCES__", "LISYNC_"))}
    return [sys.executable, "-m", "lisync.cli", *args, "--access-token", "hardening-token"], env


def lisync(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command, env = _command(args)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def lisync_started(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    command, env = _command(args)
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def one_line_error(result: subprocess.CompletedProcess[str], code: int, *needles: str) -> str:
    assert result.returncode == code, (result.returncode, result.stdout[-1500:], result.stderr[-1500:])
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


def run_args(base: str, *extra: str, tmp: Path) -> list[str]:
    return ["run", *TABLES, "--api-base-url", base, "--duckdb", str(tmp / "x.duckdb"), "--pipelines-dir",
            str(tmp / "dlt"), "--no-verify", *extra]


# item 8
def test_a_web_server_that_is_not_linkedin_is_named_as_such(not_linkedin: str, tmp_path: Path) -> None:
    result = lisync(run_args(f"{not_linkedin}/rest", tmp=tmp_path), tmp_path)
    line = one_line_error(result, 2, "does not look like LinkedIn's REST API", f"{not_linkedin}/rest/adAccounts",
                          "--api-base-url")
    assert "Check that the id exists" not in line


@pytest.mark.parametrize(("base", "needle"), [
    ("127.0.0.1:8080/rest", "use an http(s) URL with a host"),
    ("ftp://example.com/rest", "use an http(s) URL with a host"),
    ("https://api.linkedin.com", "its path must end in /rest"),
])
def test_a_malformed_base_url_is_refused_before_any_request(base: str, needle: str, tmp_path: Path) -> None:
    result = lisync(run_args(base, tmp=tmp_path), tmp_path)
    line = one_line_error(result, 2, "--api-base-url", needle)
    assert "Cannot reach LinkedIn at  (" not in line


# item 7 (fast fail) and 8 ("after every retry" after no retry)
def test_a_closed_loopback_port_fails_at_once(tmp_path: Path) -> None:
    started = time.monotonic()
    result = lisync(run_args("http://127.0.0.1:1/rest", tmp=tmp_path), tmp_path)
    line = one_line_error(result, 1, "127.0.0.1:1", "connection refused", "not retried", "--api-base-url")
    assert "after every retry" not in line
    assert time.monotonic() - started < 40, "retried a refused loopback connection"


# item 9
def test_a_future_api_version_is_not_called_retired(sandbox: SandboxServer, tmp_path: Path) -> None:
    result = lisync(run_args(f"{sandbox.base_url}/rest", "--api-version", "209912", tmp=tmp_path), tmp_path)
    line = one_line_error(result, 2, "209912", "in the future")
    assert "retired" not in line


def test_a_long_retired_api_version_gets_one_message(sandbox: SandboxServer, tmp_path: Path) -> None:
    result = lisync(run_args(f"{sandbox.base_url}/rest", "--api-version", "202001", tmp=tmp_path), tmp_path)
    one_line_error(result, 1, "retired API version 202001")
    assert "support window" not in result.stdout + result.stderr


def test_an_impossible_month_is_refused(sandbox: SandboxServer, tmp_path: Path) -> None:
    result = lisync(run_args(f"{sandbox.base_url}/rest", "--api-version", "202513", tmp=tmp_path), tmp_path)
    one_line_error(result, 2, "202513", "not a month")


# item 10
def test_a_misspelt_destination_is_one_line_with_a_suggestion(sandbox: SandboxServer, tmp_path: Path) -> None:
    result = lisync(run_args(f"{sandbox.base_url}/rest", "--destination", "postgress", tmp=tmp_path), tmp_path)
    one_line_error(result, 2, "Unknown destination 'postgress'", "did you mean postgres?")
    assert "DESTINATION__POSTGRESS" not in result.stderr and len(result.stderr.splitlines()) <= 2


# item 11
@pytest.mark.parametrize("flag", ["--accounts", "--organizations"])
@pytest.mark.parametrize("value", ["", ",", " , "])
def test_an_empty_id_list_is_refused(sandbox: SandboxServer, tmp_path: Path, flag: str, value: str) -> None:
    result = lisync(run_args(f"{sandbox.base_url}/rest", flag, value, tmp=tmp_path), tmp_path)
    one_line_error(result, 2, flag, "lists no id")


# item 12
def test_check_against_a_server_that_is_not_linkedin(not_linkedin: str, tmp_path: Path) -> None:
    result = lisync(["check", "--api-base-url", f"{not_linkedin}/rest"], tmp_path)
    line = one_line_error(result, 2, "does not look like LinkedIn's REST API", "--api-base-url")
    assert "`lisync check`" not in line and "404" not in result.stdout


# item 13
def test_ctrl_c_says_what_was_kept_and_exits_130(tmp_path: Path) -> None:
    with SandboxServer(SandboxConfig(seed=7, scale="tiny", latency_ms=3000)) as slow:
        proc = lisync_started(run_args(f"{slow.base_url}/rest", tmp=tmp_path), tmp_path)
        deadline = time.monotonic() + 60
        while slow.stats()["total"] == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr[-2000:]
    lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith("lisync ")]  # trail
    assert lines == ["interrupted; nothing committed after discovering accounts and organizations, re-run to "
                     "continue"] or (len(lines) == 1 and lines[0].startswith("interrupted; nothing committed after ")
                                     and lines[0].endswith(", re-run to continue")), stderr
    assert "KeyboardInterrupt" not in stderr and "SignalReceivedException" not in stderr


# A Ctrl-C that lands after a dlt step's last signal check (here: while dlt commits the normalized package)
# was forgotten when the step ended, and the run went on to load and exit 0.
_CTRL_C_WHILE_COMMITTING = """
import os, signal, sys
from dlt.common.storages.load_storage import LoadStorage
commit = LoadStorage.commit_new_load_package
def commit_after_ctrl_c(self, *args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)
    return commit(self, *args, **kwargs)
LoadStorage.commit_new_load_package = commit_after_ctrl_c
from lisync.cli import main
sys.argv = ["lisync", *sys.argv[1:]]
main()
"""


def test_ctrl_c_after_a_steps_last_check_still_stops_before_loading(sandbox: SandboxServer, tmp_path: Path) -> None:
    command, env = _command(run_args(f"{sandbox.base_url}/rest", tmp=tmp_path))
    command[1:3] = ["-c", _CTRL_C_WHILE_COMMITTING]  # the same CLI, with the Ctrl-C placed inside dlt's commit
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 130, (result.stdout[-1500:], result.stderr[-1500:])
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("lisync ")]
    assert lines == ["interrupted; nothing committed after normalizing, re-run to continue"], result.stderr
    if (tmp_path / "x.duckdb").exists():  # nothing was loaded: no table of the run holds a row
        with duckdb.connect(str(tmp_path / "x.duckdb"), read_only=True) as db:
            names = {row[0] for row in db.execute("select table_name from information_schema.tables").fetchall()}
            assert not names & set(TABLES)


# item 14
def test_a_failed_run_counts_only_the_rows_it_loaded(sandbox: SandboxServer, tmp_path: Path) -> None:
    good = lisync(run_args(f"{sandbox.base_url}/rest", tmp=tmp_path), tmp_path)
    assert good.returncode == 0, good.stderr[-2000:]
    with contextlib.closing(duckdb.connect(str(tmp_path / "x.duckdb"), read_only=True)) as conn:
        assert snapshot(conn, "linkedin", "ad_accounts")
    failed = lisync(run_args(f"{sandbox.base_url}/rest", "--api-version", "202001", tmp=tmp_path), tmp_path)
    assert failed.returncode == 1
    summary = " ".join(failed.stdout.split())
    assert "failed: 0 rows in 0 tables" in summary, summary


# item 17
def test_a_run_without_a_terminal_leaves_one_line_per_stage(sandbox: SandboxServer, tmp_path: Path) -> None:
    result = lisync(run_args(f"{sandbox.base_url}/rest", tmp=tmp_path), tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    trail = [line.split(" ", 2)[2].split(" (")[0] for line in result.stderr.splitlines() if line.startswith("lisync ")]
    assert trail[:5] == ["discovering accounts and organizations", "extracting", "normalizing", "loading",
                         "post-load"], result.stderr
