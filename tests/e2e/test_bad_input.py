"""Bad input, one test per row of docs/bad-input.md: one line naming the problem and the fix, the documented
exit code, and the data already loaded left exactly as it was.

Every case runs the real ``lisync`` CLI in a subprocess (its own working directory, so a ``.dlt/config.toml``
there is read as a user's would be) against a sandbox on loopback, after a first good run loaded data.
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
from tests.e2e.conftest import TODAY
from tests.support import snapshot

from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

TABLES = ("ad_accounts", "campaign_metadata")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(seed=7, scale="tiny", today=TODAY)) as server:
        yield server


@pytest.fixture(scope="module")
def loaded(sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working directory whose DuckDB already holds a good run's data."""
    workdir = tmp_path_factory.mktemp("bad-input")
    result = lisync(sandbox, workdir, ["run", *TABLES])
    assert result.returncode == 0, result.stderr
    return workdir


def lisync(sandbox: SandboxServer, workdir: Path, args: list[str], token: str | None = "bad-input-token",
           base: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINKEDIN_", "SOURCES__", "LISYNC_DESTINATION"))}
    command = [sys.executable, "-m", "lisync.cli", *args]
    if base:
        command += ["--api-base-url", f"{sandbox.base_url}/rest", "--duckdb", str(workdir / "data.duckdb"),
                    "--pipelines-dir", str(workdir / "dlt"), "--today", TODAY.isoformat()]
    if token is not None:
        command += ["--access-token", token]
    return subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=180)


def tables(workdir: Path) -> dict[str, list[tuple]]:
    with contextlib.closing(duckdb.connect(str(workdir / "data.duckdb"), read_only=True)) as conn:
        return {t: snapshot(conn, "linkedin", t) for t in TABLES}


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    assert result.returncode == code, (result.returncode, result.stdout[-1500:], result.stderr[-1500:])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert errors, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]


def check(sandbox: SandboxServer, loaded: Path, args: list[str], code: int, *needles: str,
          token: str | None = "bad-input-token") -> None:
    before = tables(loaded)
    assert_one_line_error(lisync(sandbox, loaded, args, token=token), code, *needles)
    assert tables(loaded) == before


def test_malformed_date(sandbox: SandboxServer, loaded: Path) -> None:
    check(sandbox, loaded, ["run", "--start-date", "2024-13-01"], 2, "Invalid --start-date", "2024-01-31")


def test_future_date(sandbox: SandboxServer, loaded: Path) -> None:
    check(sandbox, loaded, ["run", "--start-date", "2999-01-01"], 2, "in the future")


def test_malformed_end_date(sandbox: SandboxServer, loaded: Path) -> None:
    check(sandbox, loaded, ["run", "--end-date", "2024-02-30"], 2, "Invalid --end-date", "2024-01-31")


def test_end_date_before_start_date(sandbox: SandboxServer, loaded: Path) -> None:
    check(sandbox, loaded, ["run", "--start-date", "2024-03-01", "--end-date", "2024-02-01"], 2,
          "Invalid --end-date 2024-02-01", "before the read start date 2024-03-01", "on or after it")


def test_negative_window(sandbox: SandboxServer, loaded: Path) -> None:
    check(sandbox, loaded, ["run", "--update-window-days", "-3"], 2, "Invalid --update-window-days", "0 to 365")


def test_absurd_window(sandbox: SandboxServer, loaded: Path) -> None:
    check(sandbox, loaded, ["run", "--update-window-days", "100000"], 2, "Invalid --update-window-days")


def test_unknown_pipeline(sandbox: SandboxServer, loaded: Path) -> None:
    check(sandbox, loaded, ["run", "ad_acounts"], 2, "Unknown pipeline ad_acounts", "choose from")


def test_malformed_account_id(sandbox: SandboxServer, loaded: Path) -> None:
    check(sandbox, loaded, ["run", "--accounts", "12x"], 2, "Invalid account id")


def test_unknown_account(sandbox: SandboxServer, loaded: Path) -> None:
    hidden = sandbox.world.hidden_account_ids[0]
    check(sandbox, loaded, ["run", *TABLES, "--accounts", str(hidden)], 2, f"Unknown ad account {hidden}",
          "--accounts")


def test_unknown_organization(sandbox: SandboxServer, loaded: Path) -> None:
    check(sandbox, loaded, ["run", "organization_pages", "--organizations", "999999"], 2,
          "Unknown organization 999999", "--organizations")


def test_organization_without_a_lead_role(sandbox: SandboxServer, loaded: Path) -> None:
    check(sandbox, loaded, ["run", "lead_forms", "--organizations", "200002"], 2,
          "Unknown organization 200002 for the lead pipelines", "LEAD_GEN_FORMS_MANAGER", "--organizations")


def test_malformed_token(sandbox: SandboxServer, loaded: Path) -> None:
    check(sandbox, loaded, ["run", *TABLES], 2, "Malformed LinkedIn access token", "'Bearer '",
          token="Bearer abc.def")


def test_missing_token(sandbox: SandboxServer, loaded: Path) -> None:
    check(sandbox, loaded, ["run", *TABLES], 2, "No LinkedIn access token", "lisync auth login", token=None)


def test_malformed_api_version(sandbox: SandboxServer, loaded: Path) -> None:
    check(sandbox, loaded, ["run", *TABLES, "--api-version", "2024"], 2, "Invalid --api-version", "YYYYMM")


def test_retired_api_version(sandbox: SandboxServer, loaded: Path) -> None:
    check(sandbox, loaded, ["run", *TABLES, "--api-version", "202001"], 1,
          "LinkedIn retired API version 202001; upgrade lisync or set api_version")


def test_unwritable_duckdb_path(sandbox: SandboxServer, loaded: Path) -> None:
    folder = loaded / "a-folder"
    folder.mkdir(exist_ok=True)
    before = tables(loaded)
    result = lisync(sandbox, loaded, ["run", *TABLES, "--api-base-url", f"{sandbox.base_url}/rest",
                                      "--duckdb", str(folder)], base=False)
    assert_one_line_error(result, 2, "Cannot write DuckDB file", "--duckdb")
    assert tables(loaded) == before


def test_unreachable_postgres(sandbox: SandboxServer, loaded: Path) -> None:
    before = tables(loaded)
    dsn = "postgresql://lisync:secret-password@127.0.0.1:1/nowhere"
    result = lisync(sandbox, loaded, ["run", *TABLES, "--api-base-url", f"{sandbox.base_url}/rest",
                                      "--destination", "postgres", "--destination-credentials", dsn,
                                      "--pipelines-dir", str(loaded / "dlt-pg")], base=False)
    assert_one_line_error(result, 2, "Cannot connect to destination 'postgres'", "--destination-credentials")
    assert "secret-password" not in result.stderr + result.stdout
    assert sandbox.stats()["total"] >= 0 and tables(loaded) == before


def test_config_file_with_a_typo(sandbox: SandboxServer, loaded: Path) -> None:
    (loaded / ".dlt").mkdir(exist_ok=True)
    (loaded / ".dlt" / "config.toml").write_text('[sources.linkedin]\nacount_ids = "1"\n')
    try:
        check(sandbox, loaded, ["run", *TABLES], 2, "Unknown setting 'acount_ids'", "did you mean 'account_ids'")
    finally:
        (loaded / ".dlt" / "config.toml").unlink()
