"""Signing in with LinkedIn against the sandbox over real loopback HTTP, without a browser."""

from __future__ import annotations

import datetime as dt
import re
import stat
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import requests

from lisync.linkedin.auth.credentials import CredentialStore
from lisync.linkedin.auth.login import CallbackServer, auth_status, login, logout
from lisync.linkedin.auth.oauth import (
    AuthError,
    AuthorizationDenied,
    StateMismatchError,
    TokenEndpointError,
    build_authorization_url,
    exchange_code,
    introspect_token,
    new_state,
    parse_redirected_url,
)
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

CLIENT_ID = "sandbox-client-id"
CLIENT_SECRET = "sandbox-client-secret"
SCOPES = ["r_ads", "r_ads_reporting"]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    config = SandboxConfig(seed=7, scale="tiny", today=dt.date(2026, 11, 15), strict_tokens=True)
    with SandboxServer(config) as server:
        yield server


@pytest.fixture
def auth_base(sandbox: SandboxServer) -> str:
    return f"{sandbox.base_url}/oauth/v2"


def approve_in_browser(url: str, approve: bool = True) -> str:
    """Act as the member's browser on the sandbox consent page; return the redirect Location."""
    response = requests.get(url, allow_redirects=False, timeout=10)
    if response.status_code == 200:
        form = {name: unescape(value) for name, value in
                re.findall(r"name='([^']+)' value='([^']*)'", response.text) if name != "approve"}
        form["approve"] = "true" if approve else "false"
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        response = requests.post(f"{origin}/oauth/v2/authorization", data=form, allow_redirects=False,
                                 timeout=10)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def browser_that_approves(url: str) -> None:
    requests.get(approve_in_browser(url), timeout=10)  # the redirect lands on lisync's callback server


def api_status(sandbox: SandboxServer, token: str) -> int:
    return requests.get(f"{sandbox.base_url}/rest/adAccounts?q=search", timeout=10, headers={
        "Authorization": f"Bearer {token}", "LinkedIn-Version": "202610"}).status_code


def token_calls(sandbox: SandboxServer) -> int:
    return sandbox.stats()["by_endpoint"].get("POST oauth/v2/accessToken", 0)


# ------------------------------------------------------------------------------------------ pure parts


def test_authorization_url_is_linkedins_format() -> None:
    url = build_authorization_url("https://www.linkedin.com/oauth/v2/", "abc", "http://127.0.0.1:8765/callback",
                                  ["r_ads", "r_ads_reporting", "r_ads"], "st8")
    assert url == ("https://www.linkedin.com/oauth/v2/authorization?response_type=code&client_id=abc"
                   "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback&state=st8&scope=r_ads%20r_ads_reporting")
    with pytest.raises(ValueError):
        build_authorization_url("https://x", "abc", "http://127.0.0.1/cb", [], "s")


def test_states_are_unguessable_and_distinct() -> None:
    states = {new_state() for _ in range(50)}
    assert len(states) == 50
    assert all(len(s) >= 32 for s in states)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8765/callback?code=C0DE&state=S1",
    "/callback?state=S1&code=C0DE",
    "?code=C0DE&state=S1",
    "code=C0DE&state=S1",
])
def test_parse_redirected_url_accepts_full_urls_paths_and_queries(url: str) -> None:
    assert parse_redirected_url(url, "S1") == "C0DE"


def test_parse_redirected_url_rejects_a_foreign_state_before_anything_else() -> None:
    with pytest.raises(StateMismatchError, match="does not match"):
        parse_redirected_url("http://127.0.0.1/cb?code=C0DE&state=attacker", "S1")
    with pytest.raises(StateMismatchError):
        parse_redirected_url("http://127.0.0.1/cb?code=C0DE", "S1")
    with pytest.raises(StateMismatchError):
        parse_redirected_url("http://127.0.0.1/cb?error=user_cancelled_authorize&state=other", "S1")


def test_parse_redirected_url_reports_denial_and_missing_code() -> None:
    query = urlencode({"error": "user_cancelled_authorize", "error_description": "The user cancelled",
                       "state": "S1"})
    with pytest.raises(AuthorizationDenied) as denied:
        parse_redirected_url(f"http://127.0.0.1/cb?{query}", "S1")
    assert denied.value.error == "user_cancelled_authorize"
    assert "approve the request" in str(denied.value)
    with pytest.raises(AuthError, match="no authorization code"):
        parse_redirected_url("http://127.0.0.1/cb?state=S1", "S1")


def test_callback_server_answers_one_redirect_and_ignores_other_paths() -> None:
    with CallbackServer(port=0, path="/callback") as server:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/callback", server.redirect_uri)
        origin = server.redirect_uri.rsplit("/", 1)[0]
        assert requests.get(f"{origin}/favicon.ico", timeout=10).status_code == 404
        assert requests.get(f"{origin}/callback", timeout=10).status_code == 404  # no code, no error
        page = requests.get(f"{server.redirect_uri}?code=C1&state=S", timeout=10)
        assert page.status_code == 200 and "close this tab" in page.text
        assert server.wait(5) == "/callback?code=C1&state=S"


def test_callback_server_times_out_with_a_hint() -> None:
    with CallbackServer(port=0) as server, pytest.raises(AuthError, match="--no-browser"):
        server.wait(0.05)


def test_busy_port_is_a_clear_error() -> None:
    with CallbackServer(port=0) as first, pytest.raises(AuthError, match="Cannot listen"):
        CallbackServer(port=first.port)


# -------------------------------------------------------------------------------- against the sandbox


def test_login_with_callback_server_saves_private_working_credentials(
        sandbox: SandboxServer, auth_base: str, tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "lisync" / "credentials.json")
    shown: list[str] = []
    now = dt.datetime(2026, 11, 15, 9, 0, tzinfo=dt.UTC)
    credentials = login(CLIENT_ID, CLIENT_SECRET, SCOPES, auth_base_url=auth_base, port=0,
                        browser=browser_that_approves, show_url=shown.append, store=store, now=now)
    assert shown and shown[0].startswith(f"{auth_base}/authorization?response_type=code")
    assert credentials.scopes == frozenset(SCOPES)
    assert credentials.can_refresh
    assert credentials.access_token_expires_at == now + dt.timedelta(days=60)
    assert credentials.refresh_token_expires_at == now + dt.timedelta(days=365)
    assert credentials.auth_base_url == auth_base
    assert store.load() == credentials
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert api_status(sandbox, credentials.access_token) == 200


def test_headless_login_with_pasted_url(sandbox: SandboxServer, auth_base: str) -> None:
    shown: list[str] = []
    credentials = login(CLIENT_ID, CLIENT_SECRET, SCOPES, auth_base_url=auth_base, port=8765,
                        show_url=shown.append, paste_url=lambda: approve_in_browser(shown[0]))
    assert "redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback" in shown[0]
    assert api_status(sandbox, credentials.access_token) == 200


def test_pasted_url_from_another_attempt_is_rejected_before_exchange(sandbox: SandboxServer,
                                                                      auth_base: str) -> None:
    shown: list[str] = []

    def paste_tampered() -> str:
        location = approve_in_browser(shown[0])
        return re.sub(r"state=[^&]+", "state=forged", location)

    before = token_calls(sandbox)
    with pytest.raises(StateMismatchError):
        login(CLIENT_ID, CLIENT_SECRET, SCOPES, auth_base_url=auth_base, show_url=shown.append,
              paste_url=paste_tampered)
    assert token_calls(sandbox) == before


def test_cancelled_consent_raises_authorization_denied(sandbox: SandboxServer, auth_base: str) -> None:
    set_scopes = ["rw_ads"]  # a scope not yet approved, so the consent page is shown

    def browser_that_cancels(url: str) -> None:
        requests.get(approve_in_browser(url, approve=False), timeout=10)

    with pytest.raises(AuthorizationDenied) as denied:
        login(CLIENT_ID, CLIENT_SECRET, set_scopes, auth_base_url=auth_base, port=0,
              browser=browser_that_cancels)
    assert denied.value.error == "user_cancelled_authorize"


def test_code_reuse_is_rejected_without_leaking_secrets(sandbox: SandboxServer, auth_base: str) -> None:
    redirect = "http://127.0.0.1:8765/callback"
    state = new_state()
    location = approve_in_browser(build_authorization_url(auth_base, CLIENT_ID, redirect, SCOPES, state))
    code = parse_redirected_url(location, state)
    exchange_code(auth_base, CLIENT_ID, CLIENT_SECRET, code, redirect)
    with pytest.raises(TokenEndpointError) as reused:
        exchange_code(auth_base, CLIENT_ID, CLIENT_SECRET, code, redirect)
    assert reused.value.status == 401 and reused.value.error == "invalid_request"
    assert "authorization code not found" in str(reused.value)
    assert code not in str(reused.value) and CLIENT_SECRET not in str(reused.value)


def test_wrong_client_secret_is_reported_without_echoing_it(auth_base: str) -> None:
    redirect = "http://127.0.0.1:8765/callback"
    state = new_state()
    code = parse_redirected_url(
        approve_in_browser(build_authorization_url(auth_base, CLIENT_ID, redirect, SCOPES, state)), state)
    with pytest.raises(TokenEndpointError) as refused:
        exchange_code(auth_base, CLIENT_ID, "wrong-secret-value", code, redirect)
    assert refused.value.error == "invalid_client"
    assert "wrong-secret-value" not in str(refused.value)


def test_unreachable_oauth_server_is_an_auth_error() -> None:
    with CallbackServer(port=0) as closed:
        dead = f"http://127.0.0.1:{closed.port}/nowhere"
    with pytest.raises(AuthError, match="Cannot reach"):
        exchange_code(dead, CLIENT_ID, CLIENT_SECRET, "code", "http://127.0.0.1:1/cb")


def test_introspection_describes_the_token(auth_base: str) -> None:
    credentials = login(CLIENT_ID, CLIENT_SECRET, SCOPES, auth_base_url=auth_base, port=0,
                        browser=browser_that_approves)
    info = introspect_token(auth_base, CLIENT_ID, CLIENT_SECRET, credentials.access_token)
    assert info.active and info.status == "active" and info.auth_type == "3L"
    assert info.scopes == frozenset(SCOPES)
    assert info.expires_at is not None and info.created_at is not None
    assert (info.expires_at - info.created_at) == dt.timedelta(days=60)
    assert not introspect_token(auth_base, CLIENT_ID, CLIENT_SECRET, "not-a-token").active


def test_logout_revokes_and_forgets(sandbox: SandboxServer, auth_base: str, tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "credentials.json")
    credentials = login(CLIENT_ID, CLIENT_SECRET, SCOPES, auth_base_url=auth_base, port=0,
                        browser=browser_that_approves, store=store)
    result = logout(store)
    assert result.removed and result.revoked and result.revoke_error is None
    assert not store.path.exists()
    assert api_status(sandbox, credentials.access_token) == 401
    assert logout(store).removed is False


def test_status_lists_expiry_and_pipelines_the_scopes_cannot_run() -> None:
    from lisync.linkedin.auth.credentials import Credentials

    now = dt.datetime(2026, 11, 15, tzinfo=dt.UTC)
    credentials = Credentials(access_token="t", access_token_expires_at=now + dt.timedelta(days=2),
                              refresh_token="r", refresh_token_expires_at=now + dt.timedelta(days=20),
                              scopes=frozenset({"r_ads", "r_ads_reporting"}), client_id="app",
                              client_secret="s",
                              auth_base_url="https://www.linkedin.com/oauth/v2")
    status = auth_status(credentials, now)
    lines = status.lines()
    assert lines[0] == "Signed in to https://www.linkedin.com/oauth/v2 as app app."
    assert "expires 2026-11-17 00:00 UTC (in 2.0 days)" in lines[2]
    assert set(status.blocked) == {"organization_pages", "organization_posts", "organization_followers",
                                   "organization_video_statistics"}
    assert any("organization_posts cannot run" in line and "r_organization_social" in line for line in lines)
    assert any("20 days" in line for line in status.warnings)
    assert auth_status(None, now).lines()[0].startswith("Not signed in")

