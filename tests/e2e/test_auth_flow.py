"""End to end through the CLI: `lisync auth login` → run → token expires mid-run → refresh → `auth status`.

Everything runs against the sandbox over loopback; the "browser" is an HTTP client that submits the consent
form, so no real browser is involved.
"""

from __future__ import annotations

import datetime as dt
import stat
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import requests
from tests.e2e.auth_helpers import (
    AMBIENT_SETTINGS,
    CLIENT_ID,
    CLIENT_SECRET,
    DAY,
    HOUR,
    approve_in_browser,
    cli_paths,
    install_clock_jump,
    oauth_sandbox,
    revoke_authorization,
    set_oauth,
    token_requests,
)
from typer.testing import CliRunner

from lisync.cli import app
from lisync.linkedin.auth.credentials import CredentialStore
from lisync.sandbox.server import SandboxServer

cli = CliRunner()


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A private credential store per test, no ambient tokens, and a browser that clicks Allow."""
    for name in AMBIENT_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    found = cli_paths(tmp_path)
    monkeypatch.setenv("LISYNC_CREDENTIALS_PATH", str(found["credentials"]))
    monkeypatch.setattr(webbrowser, "open", approve_in_browser)
    return found


def login(base_url: str, *pipelines: str) -> str:
    result = cli.invoke(app, ["auth", "login", *pipelines, "--client-id", CLIENT_ID, "--client-secret",
                              CLIENT_SECRET, "--port", "0", "--oauth-base-url", f"{base_url}/oauth/v2"])
    assert result.exit_code == 0, result.output
    return result.output


def run(base_url: str, paths: dict[str, Path], *pipelines: str) -> tuple[int, str, str]:
    result = cli.invoke(app, ["run", *pipelines, "--api-base-url", f"{base_url}/rest", "--duckdb",
                              str(paths["duckdb"]), "--pipelines-dir", str(paths["pipelines_dir"]),
                              "--pipeline-name", "lisync_auth_e2e"])
    return result.exit_code, result.stdout, result.stderr


def status() -> tuple[int, str]:
    result = cli.invoke(app, ["auth", "status"])
    return result.exit_code, result.stdout


def days_line(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(label))


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    server = oauth_sandbox()
    with server:
        yield server


def test_login_run_with_mid_run_expiry_refreshes_and_status_shows_the_new_expiry(
        paths: dict[str, Path]) -> None:
    server = oauth_sandbox(oauth_access_token_ttl_seconds=6 * HOUR)
    jump = install_clock_jump(server)
    with server:
        base = server.base_url
        login(base, "ad_accounts", "campaign_metadata")
        store = CredentialStore(paths["credentials"])
        signed_in = store.load()
        assert signed_in is not None and signed_in.scopes == {"r_ads"}
        assert stat.S_IMODE(paths["credentials"].stat().st_mode) == 0o600
        code, before = status()
        assert code == 0
        assert "(in 0.2 days)" in days_line(before, "Access token:")

        set_oauth(server, access_token_ttl_seconds=30 * DAY)  # the refreshed token will live 30 days
        jump.arm(requests_answered=1)  # the token expires after the run's first API request
        code, stdout, stderr = run(base, paths, "ad_accounts", "campaign_metadata")

        assert code == 0, stderr + stdout
        assert jump.jump_at is not None and jump.seen > jump.jump_at, "the token expired in the middle of the run"
        assert token_requests(server) == 2  # the code exchange and exactly one refresh
        refreshed = store.load()
        assert refreshed is not None
        assert refreshed.access_token != signed_in.access_token
        assert refreshed.refresh_token == signed_in.refresh_token
        assert stat.S_IMODE(paths["credentials"].stat().st_mode) == 0o600
        expires = refreshed.access_token_expires_at
        assert expires is not None and expires - dt.datetime.now(dt.UTC) > dt.timedelta(days=29)
        code, after = status()
        assert code == 0
        line = days_line(after, "Access token:")
        assert expires.strftime("%Y-%m-%d %H:%M UTC") in line and "(in 30.0 days)" in line
        # Refreshing never extends the refresh token: it keeps its year, minus the day the sandbox jumped.
        assert "(in 364.0 days)" in days_line(after, "Refresh token:")
        visible = server.world.account_ids_for(server.world.default_grant)
        with duckdb.connect(str(paths["duckdb"]), read_only=True) as conn:
            landed = conn.execute("select count(*) from linkedin.ad_accounts").fetchone()
        assert landed is not None and landed[0] == len(visible)


def test_status_names_the_member_scopes_and_blocked_pipelines(sandbox: SandboxServer, paths: dict[str, Path]) -> None:
    output = login(sandbox.base_url, "ad_accounts")
    assert "Signed in as urn:li:person:" in output
    code, text = status()
    assert code == 0
    assert "Member: urn:li:person:" in text
    assert "Scopes: r_ads." in text
    assert "Pipeline ad_performance cannot run: the token lacks r_ads_reporting." in text
    assert str(paths["credentials"]) in text


def test_run_warns_when_the_refresh_token_has_under_30_days_left(paths: dict[str, Path]) -> None:
    with oauth_sandbox(oauth_access_token_ttl_seconds=6 * HOUR) as server:
        set_oauth(server, refresh_token_ttl_seconds=20 * DAY)
        login(server.base_url, "ad_accounts")
        code, _, stderr = run(server.base_url, paths, "ad_accounts")
    assert code == 0, stderr
    warnings = [line for line in stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "refresh token expires in 20 days" in warnings[0] and "lisync auth login" in warnings[0]


def test_revoked_authorization_fails_the_run_once_with_the_fix(sandbox: SandboxServer, paths: dict[str, Path]) -> None:
    server = sandbox
    login(server.base_url, "ad_accounts")
    stored = CredentialStore(paths["credentials"]).load()
    assert stored is not None
    revoke_authorization(server, stored.access_token)
    code, stdout, stderr = run(server.base_url, paths, "ad_accounts")
    assert code == 1
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "lisync auth login" in errors[0] and "Traceback" not in stderr
    assert token_requests(server) == 2  # the code exchange and one refused refresh: no loop
    assert stored.refresh_token is not None
    assert stored.refresh_token not in stderr + stdout


def test_logout_revokes_and_removes_the_credentials(sandbox: SandboxServer, paths: dict[str, Path]) -> None:
    server = sandbox
    login(server.base_url, "ad_accounts")
    stored = CredentialStore(paths["credentials"]).load()
    assert stored is not None
    result = cli.invoke(app, ["auth", "logout"])
    assert result.exit_code == 0, result.output
    assert "Signed out" in result.stdout and "revoked" in result.stdout
    assert not paths["credentials"].exists()
    answer = requests.get(f"{server.base_url}/rest/adAccounts?q=search", timeout=10,
                          headers={"Authorization": f"Bearer {stored.access_token}", "LinkedIn-Version": "202610"})
    assert answer.status_code == 401 and answer.json()["code"] == "REVOKED_ACCESS_TOKEN"
    code, text = status()
    assert code == 1 and "Not signed in" in text
    again = cli.invoke(app, ["auth", "logout"])
    assert again.exit_code == 0 and "nothing stored" in again.stdout


def test_run_without_any_credentials_is_one_line_exit_2(paths: dict[str, Path]) -> None:
    result = cli.invoke(app, ["run", "ad_accounts", "--api-base-url", "http://127.0.0.1:9/rest"])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "lisync auth login" in lines[0]


def test_login_denied_by_an_unknown_scope_is_one_line(sandbox: SandboxServer, paths: dict[str, Path]) -> None:
    result = cli.invoke(app, ["auth", "login", "--scopes", "r_ads,r_not_a_scope", "--client-id", CLIENT_ID,
                              "--client-secret", CLIENT_SECRET, "--port", "0", "--oauth-base-url",
                              f"{sandbox.base_url}/oauth/v2"])
    assert result.exit_code == 1
    assert "unauthorized_scope_error" in result.stderr and "r_not_a_scope" in result.stderr
    assert not paths["credentials"].exists()


def test_app_without_refresh_tokens_says_so_and_an_expired_token_fails_once(paths: dict[str, Path]) -> None:
    app_without_refresh = {"client_id": "plain-app", "client_secret": "plain-secret", "allow_loopback": True,
                           "refresh_tokens": False}
    with oauth_sandbox(oauth_access_token_ttl_seconds=6 * HOUR, oauth_clients=[app_without_refresh]) as server:
        signed_in = cli.invoke(app, ["auth", "login", "ad_accounts", "--client-id", "plain-app", "--client-secret",
                                     "plain-secret", "--port", "0", "--oauth-base-url",
                                     f"{server.base_url}/oauth/v2"])
        assert signed_in.exit_code == 0, signed_in.output
        assert "no refresh token" in signed_in.stdout
        server.world.clock.advance(1)  # the 6-hour token has expired on the sandbox clock
        code, _, stderr = run(server.base_url, paths, "ad_accounts")
    assert code == 1
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "401 EXPIRED_ACCESS_TOKEN" in errors[0] and "lisync auth login" in errors[0]
    assert token_requests(server) == 1  # the code exchange only: nothing to refresh with
