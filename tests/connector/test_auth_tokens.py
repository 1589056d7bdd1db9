"""The token provider: proactive refresh, one refresh per 401, persistence first, no loops, thread safety."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path

import pytest
import requests

from lisync.linkedin.auth.credentials import Credentials, CredentialStore
from lisync.linkedin.auth.login import login
from lisync.linkedin.auth.oauth import NotLoggedIn, ReauthorizationRequired
from lisync.linkedin.auth.tokens import RefreshingTokenProvider, provider_from_settings
from lisync.linkedin.http.bearer import StaticTokenProvider
from lisync.linkedin.http.client import LinkedInClient
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

CLIENT_ID = "sandbox-client-id"
CLIENT_SECRET = "sandbox-client-secret"
SCOPES = ["r_ads", "r_ads_reporting"]
START = dt.datetime(2026, 11, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    """A fresh strict sandbox per test, so clock moves and revocations stay local."""
    config = SandboxConfig(seed=7, scale="tiny", today=dt.date(2026, 11, 15), strict_tokens=True)
    with SandboxServer(config) as server:
        yield server


class FakeClock:
    """The connector's wall clock, moved by hand."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def browser(url: str) -> None:
    page = requests.get(url, allow_redirects=False, timeout=10)
    if page.status_code == 200:
        fields = re.findall(r"name='([^']+)' value='([^']*)'", page.text)
        form = {n: unescape(v) for n, v in fields if n != "approve"} | {"approve": "true"}
        page = requests.post(url.split("/oauth/v2/")[0] + "/oauth/v2/authorization", data=form,
                             allow_redirects=False, timeout=10)
    requests.get(page.headers["Location"], timeout=10)


def sign_in(sandbox: SandboxServer, store: CredentialStore | None = None, ttl_seconds: int | None = None,
            now: dt.datetime = START) -> Credentials:
    if ttl_seconds is not None:
        requests.post(f"{sandbox.base_url}/_sandbox/oauth", json={"access_token_ttl_seconds": ttl_seconds},
                      timeout=10).raise_for_status()
    return login(CLIENT_ID, CLIENT_SECRET, SCOPES, auth_base_url=f"{sandbox.base_url}/oauth/v2", port=0,
                 browser=browser, store=store, now=now)


def advance_sandbox(sandbox: SandboxServer, days: int) -> None:
    answer = requests.post(f"{sandbox.base_url}/_sandbox/clock", json={"advance_days": days}, timeout=10)
    answer.raise_for_status()


def accounts(sandbox: SandboxServer, token: str) -> requests.Response:
    return requests.get(f"{sandbox.base_url}/rest/adAccounts?q=search", timeout=10,
                        headers={"Authorization": f"Bearer {token}", "LinkedIn-Version": "202610"})


def refreshes(sandbox: SandboxServer) -> int:
    return sandbox.stats()["by_endpoint"].get("POST oauth/v2/accessToken", 0) - 1  # minus the code exchange


def test_fresh_token_is_served_without_refreshing(sandbox: SandboxServer) -> None:
    provider = RefreshingTokenProvider(sign_in(sandbox), clock=FakeClock())
    token = provider.access_token()
    assert token == provider.credentials.access_token
    assert provider.refresh_count == 0 and refreshes(sandbox) == 0


def test_refreshes_ahead_of_known_expiry_and_persists(sandbox: SandboxServer, tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "credentials.json")
    first = sign_in(sandbox, store)
    clock = FakeClock()
    provider = RefreshingTokenProvider(first, store, clock=clock)
    clock.advance(days=60, minutes=-4)  # inside the 5-minute margin
    token = provider.access_token()
    assert token != first.access_token
    assert provider.refresh_count == 1
    assert store.load() == provider.credentials
    assert accounts(sandbox, token).status_code == 200
    assert provider.access_token() == token  # no second refresh for a fresh token


def test_short_lived_token_is_not_refreshed_on_every_request(sandbox: SandboxServer) -> None:
    clock = FakeClock()
    provider = RefreshingTokenProvider(sign_in(sandbox, ttl_seconds=120), clock=clock)
    clock.advance(seconds=50)  # inside 5 minutes of expiry, but the margin is capped at half the lifetime
    provider.access_token()
    assert provider.refresh_count == 0
    clock.advance(seconds=15)
    provider.access_token()
    assert provider.refresh_count == 1


def test_token_expiring_mid_run_on_the_sandbox_clock_is_refreshed_once(
        sandbox: SandboxServer, tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "credentials.json")
    provider = RefreshingTokenProvider(sign_in(sandbox, store, ttl_seconds=3600), store, clock=FakeClock())
    old = provider.access_token()
    advance_sandbox(sandbox, 1)  # the sandbox's clock runs ahead of what the connector was told
    expired = accounts(sandbox, old)
    assert expired.json()["code"] == "EXPIRED_ACCESS_TOKEN"

    assert provider.handle_unauthorized("EXPIRED_ACCESS_TOKEN") is True
    new = provider.access_token()
    assert new != old
    persisted = store.load()
    assert persisted is not None
    assert persisted.access_token == new  # persisted before handle_unauthorized returned
    assert accounts(sandbox, new).status_code == 200
    # A request that raced the refresh with the old token just retries; no second refresh.
    assert provider.handle_unauthorized("EXPIRED_ACCESS_TOKEN", used_token=old) is True
    assert provider.refresh_count == 1 and refreshes(sandbox) == 1


def test_a_token_is_refreshed_at_most_once(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    provider = RefreshingTokenProvider(sign_in(sandbox), clock=FakeClock())
    assert provider.handle_unauthorized(None) is True
    first_refresh = provider.access_token()
    assert provider.handle_unauthorized(None) is True  # the new token failing is a new token: one try
    # A server that keeps handing back the same token cannot make lisync loop.
    import lisync.linkedin.auth.tokens as tokens_module

    same = provider.credentials
    monkeypatch.setattr(tokens_module, "refresh_access_token", lambda creds, **kw: same)
    assert provider.handle_unauthorized(None) is False
    assert provider.handle_unauthorized(None) is False
    assert first_refresh != provider.access_token()


def test_revoked_authorization_asks_for_login_instead_of_looping(sandbox: SandboxServer) -> None:
    credentials = sign_in(sandbox)
    provider = RefreshingTokenProvider(credentials, clock=FakeClock())
    requests.post(f"{sandbox.base_url}/_sandbox/oauth/revoke", json={"token": credentials.access_token},
                  timeout=10).raise_for_status()
    assert accounts(sandbox, credentials.access_token).json()["code"] == "REVOKED_ACCESS_TOKEN"
    with pytest.raises(ReauthorizationRequired) as caught:
        provider.handle_unauthorized("REVOKED_ACCESS_TOKEN")
    assert "lisync auth login" in str(caught.value)
    assert credentials.refresh_token is not None
    assert credentials.refresh_token not in str(caught.value)
    assert provider.handle_unauthorized("REVOKED_ACCESS_TOKEN") is False  # never tries that token again
    assert refreshes(sandbox) == 1


def test_refresh_failure_ahead_of_expiry_keeps_the_still_valid_token(sandbox: SandboxServer) -> None:
    credentials = sign_in(sandbox)
    clock = FakeClock()
    provider = RefreshingTokenProvider(credentials, clock=clock)
    requests.post(f"{sandbox.base_url}/_sandbox/oauth/revoke", json={"token": credentials.refresh_token},
                  timeout=10).raise_for_status()
    clock.advance(days=60, minutes=-1)
    assert provider.access_token() == credentials.access_token
    assert provider.access_token() == credentials.access_token
    assert refreshes(sandbox) == 1  # tried once, not on every call
    clock.advance(minutes=2)
    with pytest.raises(ReauthorizationRequired):
        provider.access_token()


def test_concurrent_401s_cause_a_single_refresh(sandbox: SandboxServer) -> None:
    provider = RefreshingTokenProvider(sign_in(sandbox), clock=FakeClock())
    old = provider.access_token()
    barrier = threading.Barrier(8)
    answers: list[bool] = []

    def on_401() -> None:
        barrier.wait()
        answers.append(provider.handle_unauthorized("EXPIRED_ACCESS_TOKEN", used_token=old))

    threads = [threading.Thread(target=on_401) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [True] * 8
    assert provider.refresh_count == 1 and refreshes(sandbox) == 1


def test_adopts_a_token_another_process_already_refreshed(sandbox: SandboxServer, tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "credentials.json")
    credentials = sign_in(sandbox, store)
    ours = RefreshingTokenProvider(credentials, store, clock=FakeClock())
    theirs = RefreshingTokenProvider(credentials, store, clock=FakeClock())
    assert theirs.handle_unauthorized(None) is True
    assert ours.handle_unauthorized(None) is True
    assert ours.access_token() == theirs.access_token()
    assert refreshes(sandbox) == 1


def test_client_retries_once_with_the_refreshed_token(sandbox: SandboxServer, tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "credentials.json")
    provider = RefreshingTokenProvider(sign_in(sandbox, store, ttl_seconds=3600), store, clock=FakeClock())
    client = LinkedInClient(provider, base_url=f"{sandbox.base_url}/rest", api_version="202610",
                            max_attempts=1)
    assert client.get("adAccounts", {"q": "search"})["elements"]
    advance_sandbox(sandbox, 1)
    assert client.get("adAccounts", {"q": "search"})["elements"]
    assert provider.refresh_count == 1


def test_refresh_token_days_left_follows_the_clock(sandbox: SandboxServer) -> None:
    clock = FakeClock()
    provider = RefreshingTokenProvider(sign_in(sandbox), clock=clock)
    assert provider.refresh_token_days_left() == pytest.approx(365)
    clock.advance(days=340)
    assert provider.refresh_token_days_left() == pytest.approx(25)
    assert any("25 days" in w for w in provider.warnings())


def test_static_token_never_refreshes() -> None:
    provider = StaticTokenProvider("plain-token")
    assert provider.access_token() == "plain-token"
    assert provider.handle_unauthorized("EXPIRED_ACCESS_TOKEN") is False
    assert "plain-token" not in repr(provider)


def test_provider_from_settings_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN", raising=False)
    store = CredentialStore(tmp_path / "credentials.json")
    with pytest.raises(NotLoggedIn, match="lisync auth login"):
        provider_from_settings(store=store)
    store.save(Credentials(access_token="stored", client_id="c"))
    stored = provider_from_settings(store=store)
    assert isinstance(stored, RefreshingTokenProvider) and stored.access_token() == "stored"
    monkeypatch.setenv("LINKEDIN_ACCESS_TOKEN", "from-env")
    assert provider_from_settings(store=store).access_token() == "from-env"
    assert provider_from_settings("from-flag", store=store).access_token() == "from-flag"
    explicit = provider_from_settings("from-flag", store=store, client_id="c", client_secret="s",
                                      refresh_token="r")
    assert isinstance(explicit, RefreshingTokenProvider)
    assert explicit.credentials.refresh_token == "r"


def test_refresh_token_only_credentials_fetch_a_token_first(sandbox: SandboxServer) -> None:
    signed = sign_in(sandbox)
    provider: Callable[[], str] = provider_from_settings(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, refresh_token=signed.refresh_token,
        auth_base_url=f"{sandbox.base_url}/oauth/v2").access_token
    assert accounts(sandbox, provider()).status_code == 200

