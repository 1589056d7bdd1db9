"""The peer benchmark's launcher: LinkedIn URLs go to the loopback sandbox, every other host is refused."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "peers" / "launcher"))

import peer_redirect

ORIGIN = "http://127.0.0.1:8787"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.linkedin.com/rest/adAnalytics?q=analytics&pivot=CREATIVE",
         "http://127.0.0.1:8787/rest/adAnalytics?q=analytics&pivot=CREATIVE"),
        ("https://www.linkedin.com/oauth/v2/accessToken", "http://127.0.0.1:8787/oauth/v2/accessToken"),
        ("https://api.linkedin.com:443/rest/posts?q=dscAdAccount", "http://127.0.0.1:8787/rest/posts?q=dscAdAccount"),
        ("http://127.0.0.1:9000/rest/adAccounts", "http://127.0.0.1:9000/rest/adAccounts"),
        ("http://localhost:9000/x", "http://localhost:9000/x"),
    ],
)
def test_linkedin_urls_are_rewritten_and_loopback_passes(url: str, expected: str) -> None:
    assert peer_redirect.rewrite_url(url, ORIGIN) == expected


@pytest.mark.parametrize("url", ["https://example.com/rest", "https://api.linkedin.com.evil.test/rest",
                                 "http://10.0.0.1/x", "https://airbyte.io/telemetry"])
def test_other_hosts_are_refused(url: str) -> None:
    with pytest.raises(peer_redirect.NonLoopbackConnectionError):
        peer_redirect.rewrite_url(url, ORIGIN)


@pytest.mark.parametrize("origin", ["http://10.1.2.3:80", "https://127.0.0.1:8787", "ftp://127.0.0.1"])
def test_the_sandbox_origin_must_be_plain_http_on_loopback(origin: str) -> None:
    with pytest.raises(ValueError, match="LISYNC_PEER_SANDBOX"):
        peer_redirect.sandbox_origin(origin)


def test_socket_guard_refuses_non_loopback_connects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", socket.socket.connect)
    monkeypatch.setattr(socket.socket, "connect_ex", socket.socket.connect_ex)
    monkeypatch.setattr(socket.socket, "_lisync_guarded", False, raising=False)
    peer_redirect.install_socket_guard()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, \
            pytest.raises(peer_redirect.NonLoopbackConnectionError):
        sock.connect(("192.0.2.1", 80))
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
            client.connect(server.getsockname())
