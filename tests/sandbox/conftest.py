"""Shared sandbox fixtures: a loopback SandboxServer factory and a default small sandbox.

Other sandbox test files reuse these: ``sandbox`` (scale "small", seed 7, today 2026-11-15, one per session)
and ``sandbox_factory(**config)`` for a fresh server with any :class:`SandboxConfig` fields (stopped at
the end of the test). ``li_headers(token=..., version=..., **extra)`` builds LinkedIn request headers and
``api_get("/adAccounts?q=search")`` sends an authenticated, versioned GET to the session sandbox.
Import nothing from this file: use the fixtures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

SANDBOX_TODAY = dt.date(2026, 11, 15)
SANDBOX_SEED = 7
API_VERSION = "202610"
TOKEN = "sandbox-test-token"


def default_config(**overrides: Any) -> SandboxConfig:
    """Return the tests' default config (small, seed 7, today 2026-11-15) with overrides applied."""
    values: dict[str, Any] = {"seed": SANDBOX_SEED, "scale": "small", "today": SANDBOX_TODAY}
    values.update(overrides)
    return SandboxConfig(**values)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxServer]:
    """A session-wide sandbox: scale small, seed 7, today 2026-11-15. Do not move its clock."""
    with SandboxServer(default_config()) as server:
        yield server


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., SandboxServer]]:
    """Start a fresh sandbox per call: ``sandbox_factory(seed=3, strict_tokens=True, ...)``."""
    started: list[SandboxServer] = []

    def start(**config: Any) -> SandboxServer:
        server = SandboxServer(default_config(**config)).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def api_headers(token: str | None = TOKEN, version: str | None = API_VERSION, **extra: str) -> dict[str, str]:
    """Return LinkedIn request headers (bearer token, version, Rest.li 2.0) plus ``extra``."""
    headers = {"X-Restli-Protocol-Version": "2.0.0", **extra}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if version is not None:
        headers["LinkedIn-Version"] = version
    return headers


@pytest.fixture(scope="session")
def li_headers() -> Callable[..., dict[str, str]]:
    """The :func:`api_headers` builder: ``li_headers(token="t", version="202601", **extra)``."""
    return api_headers


@pytest.fixture
def api_get(sandbox: SandboxServer) -> Callable[..., requests.Response]:
    """``api_get("/adAccounts?q=search", token=..., version=...)`` against the session sandbox."""

    def get(
        path_and_query: str, token: str | None = TOKEN, version: str | None = API_VERSION, **headers: str
    ) -> requests.Response:
        return requests.get(
            f"{sandbox.base_url}/rest{path_and_query}",
            headers=api_headers(token, version, **headers),
            timeout=10,
        )

    return get
