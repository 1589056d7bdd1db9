"""Helpers for the sign-in end-to-end tests: an OAuth sandbox, a consent-driving "browser", a mid-run clock jump.

Used by test_auth_flow.py, test_check.py and test_secret_canaries.py (import, do not copy).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import requests

from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

TODAY = dt.date(2026, 11, 15)
CLIENT_ID = "sandbox-client-id"
CLIENT_SECRET = "sandbox-client-secret"
HOUR = 3600
DAY = 86400
# Every variable that could hand a run a token other than the one under test.
AMBIENT_SETTINGS = ("LINKEDIN_ACCESS_TOKEN", "LINKEDIN_CLIENT_ID", "LINKEDIN_CLIENT_SECRET",
                    "SOURCES__LINKEDIN__ACCESS_TOKEN", "SOURCES__LINKEDIN__REFRESH_TOKEN",
                    "SOURCES__LINKEDIN__CLIENT_ID", "SOURCES__LINKEDIN__CLIENT_SECRET",
                    "SOURCES__LINKEDIN__OAUTH_BASE_URL", "SOURCES__LINKEDIN__CREDENTIALS_PATH")


def oauth_sandbox(**overrides: Any) -> SandboxServer:
    """A tiny strict sandbox (only OAuth-issued or registered tokens work); start it with ``with``."""
    values: dict[str, Any] = {"port": 0, "seed": 7, "scale": "tiny", "today": TODAY, "strict_tokens": True}
    values.update(overrides)
    return SandboxServer(SandboxConfig(**values))


def approve_in_browser(url: str) -> bool:
    """Act as the member's browser: open the consent page, click Allow, follow the redirect to the callback."""
    page = requests.get(url, allow_redirects=False, timeout=10)
    if page.status_code == 200:
        fields = re.findall(r"name='([^']+)' value='([^']*)'", page.text)
        form = {name: unescape(value) for name, value in fields if name != "approve"} | {"approve": "true"}
        page = requests.post(url.split("?")[0], data=form, allow_redirects=False, timeout=10)
    assert page.status_code == 302, page.text
    requests.get(page.headers["Location"], timeout=10)
    return True


def redirected_url(url: str) -> str:
    """Approve like :func:`approve_in_browser` but return the redirect instead of following it (headless)."""
    page = requests.get(url, allow_redirects=False, timeout=10)
    fields = re.findall(r"name='([^']+)' value='([^']*)'", page.text)
    form = {name: unescape(value) for name, value in fields if name != "approve"} | {"approve": "true"}
    answer = requests.post(url.split("?")[0], data=form, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def set_oauth(sandbox: SandboxServer, **settings: Any) -> None:
    """Change the sandbox OAuth server's settings (token lifetimes, clients) over its admin API."""
    requests.post(f"{sandbox.base_url}/_sandbox/oauth", json=settings, timeout=10).raise_for_status()


def revoke_authorization(sandbox: SandboxServer, token: str) -> None:
    """Act as the member removing the app: every token of that authorization dies."""
    requests.post(f"{sandbox.base_url}/_sandbox/oauth/revoke", json={"token": token},
                  timeout=10).raise_for_status()


def token_requests(sandbox: SandboxServer) -> int:
    """How many times the token endpoint was called (code exchanges plus refreshes)."""
    return int(sandbox.stats()["by_endpoint"].get("POST oauth/v2/accessToken", 0))


def issued_secrets(sandbox: SandboxServer) -> set[str]:
    """Every access and refresh token the sandbox's OAuth server issued so far."""
    state = sandbox.world.oauth
    return set(state.issued) | set(state.refresh_grants)


class JumpClockAfter:
    """ASGI middleware: once armed, after n more ``/rest/`` requests are answered, move the sandbox a day ahead.

    Tokens the sandbox issued with a lifetime under a day then answer 401 ``EXPIRED_ACCESS_TOKEN`` on the next
    request, exactly as a token expiring in the middle of a long run does. Counting requests (not time)
    keeps the moment deterministic.
    """

    def __init__(self, app: Callable[..., Any], sandbox: SandboxServer) -> None:
        self.app = app
        self.state = getattr(app, "state", None)  # SandboxServer.stats() reads app.state
        self.sandbox = sandbox
        self.seen = 0
        self.jump_at: int | None = None

    def arm(self, requests_answered: int) -> None:
        """Jump after ``requests_answered`` more API requests."""
        self.jump_at = self.seen + requests_answered

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)
        if scope.get("type") == "http" and str(scope.get("path", "")).startswith("/rest/"):
            self.seen += 1
            if self.seen == self.jump_at:
                self.sandbox.world.clock.advance(1)


def install_clock_jump(sandbox: SandboxServer) -> JumpClockAfter:
    """Install a (disarmed) :class:`JumpClockAfter` on a sandbox that has not started yet and return it."""
    middleware = JumpClockAfter(sandbox.app, sandbox)
    sandbox.app = middleware  # type: ignore[assignment]
    return middleware


def cli_paths(tmp_path: Path) -> dict[str, Path]:
    """Where one test's CLI runs keep things: credentials, DuckDB file, dlt state."""
    return {"credentials": tmp_path / "config" / "lisync" / "credentials.json",
            "duckdb": tmp_path / "lisync.duckdb", "pipelines_dir": tmp_path / "dlt"}


def private_cli_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: bool = True) -> None:
    """Keep a CLI test away from the developer's LinkedIn settings and credential store.

    Clears every ambient LinkedIn setting, points the credential store into ``tmp_path`` and, with ``browser``,
    answers the sign-in page the way a member who approves would.
    """
    for name in AMBIENT_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LISYNC_CREDENTIALS_PATH", str(tmp_path / "credentials.json"))
    if browser:
        import webbrowser

        monkeypatch.setattr(webbrowser, "open", approve_in_browser)
