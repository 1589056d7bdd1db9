"""A listing page is decoded once and its selector compiled once, however many pages a listing has.

dlt's RESTClient asks ``response.json()`` for each page (its data selector, then the paginator) and compiles a
selector given as text again on every page; lisync hands it the body its retry check already decoded and a
selector compiled once. Real loopback HTTP against the sandbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import jsonpath_ng.ext
import pytest
import requests

from lisync.linkedin.http.bearer import StaticTokenProvider
from lisync.linkedin.http.client import LinkedInClient
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

TODAY = dt.date(2026, 11, 15)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(seed=7, scale="tiny", today=TODAY)) as server:
        yield server


def test_pages_are_decoded_once_and_the_selector_never_recompiled(sandbox: SandboxServer,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    counts = {"requests_json": 0, "compile": 0}
    decode, compile_selector = requests.Response.json, jsonpath_ng.ext.parse

    def counting_json(self: requests.Response, **kwargs: Any) -> Any:
        counts["requests_json"] += 1
        return decode(self, **kwargs)

    def counting_compile(text: str) -> Any:
        counts["compile"] += 1
        return compile_selector(text)

    monkeypatch.setattr(requests.Response, "json", counting_json)
    monkeypatch.setattr("dlt.common.jsonpath._parse", counting_compile)
    client = LinkedInClient(StaticTokenProvider("parse-token"), base_url=f"{sandbox.base_url}/rest")
    pages = list(client.paginate_cursor("adAccounts", {"q": "search"}, 1))  # one account per page
    assert len(pages) >= 2 and all(len(page) == 1 for page in pages[:-1])
    assert counts == {"requests_json": 0, "compile": 0}


def test_environment_proxies_still_apply(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment is read once per host, not ignored: a proxy set there is used (and fails here)."""
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens on the discard port
    monkeypatch.setenv("NO_PROXY", "")
    monkeypatch.delenv("no_proxy", raising=False)
    client = LinkedInClient(StaticTokenProvider("parse-token"), base_url=f"{sandbox.base_url}/rest")
    session = client._rest.session
    settings = session.merge_environment_settings(f"{sandbox.base_url}/rest/adAccounts", {}, None, None, None)
    assert settings["proxies"].get("http") == "http://127.0.0.1:9"
    settings["proxies"]["http"] = "changed"  # a caller's change does not leak into the kept result
    again = session.merge_environment_settings(f"{sandbox.base_url}/rest/adAccounts", {}, None, None, None)
    assert again["proxies"]["http"] == "http://127.0.0.1:9"
