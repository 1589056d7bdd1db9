"""Point a peer connector at the sandbox: rewrite LinkedIn URLs to loopback and refuse every other host.

Loaded by ``sitecustomize.py`` in the peer's own interpreter (``PYTHONPATH=bench/peers/launcher``), so the
peer's code runs unmodified. ``LISYNC_PEER_SANDBOX=http://127.0.0.1:PORT`` names the sandbox. Two layers:

* ``requests``' ``HTTPAdapter.send`` rewrites ``https://api.linkedin.com`` and ``https://www.linkedin.com``
  (the peers hard-code both, next-page links included) to the sandbox before the request leaves;
* every ``socket.connect`` to an address that is not loopback raises, whatever library opened it.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SANDBOX_ENV = "LISYNC_PEER_SANDBOX"
LINKEDIN_HOSTS = frozenset({"api.linkedin.com", "www.linkedin.com", "linkedin.com"})


class NonLoopbackConnectionError(ConnectionRefusedError):
    """A peer tried to reach a host other than the loopback sandbox."""


def is_loopback_host(host: str) -> bool:
    """Return whether ``host`` is a loopback name or address (``localhost``, 127.0.0.0/8, ``::1``)."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def sandbox_origin(value: str) -> str:
    """Validate the sandbox origin (``http://127.0.0.1:PORT``) and return it without a trailing slash.

    Raises:
        ValueError: When the origin is not an http URL on a loopback host.

    """
    parts = urlsplit(value.strip())
    if parts.scheme != "http" or not parts.hostname or not is_loopback_host(parts.hostname):
        raise ValueError(f"{SANDBOX_ENV} must be http://127.0.0.1:PORT, got {value!r}")
    return f"http://{parts.netloc}"


def rewrite_url(url: str, origin: str) -> str:
    """Return ``url`` aimed at the sandbox when it names LinkedIn; other loopback URLs pass unchanged.

    Args:
        url: The URL the peer asked for.
        origin: The sandbox origin, e.g. ``http://127.0.0.1:8787``.

    Raises:
        NonLoopbackConnectionError: When ``url`` names any other non-loopback host.

    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in LINKEDIN_HOSTS:
        target = urlsplit(origin)
        return urlunsplit(("http", target.netloc, parts.path, parts.query, parts.fragment))
    if is_loopback_host(host):
        return url
    raise NonLoopbackConnectionError(f"peer launcher: refusing a request to {host!r}; only the sandbox is allowed")


def _guarded_connect(original: Any) -> Any:
    def connect(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback_host(str(address[0])):
            raise NonLoopbackConnectionError(
                f"peer launcher: refusing a connection to {address[0]!r}; only loopback is allowed")
        return original(sock, address)

    return connect


def install_socket_guard() -> None:
    """Make every IPv4/IPv6 ``connect``/``connect_ex`` to a non-loopback address raise."""
    if getattr(socket.socket, "_lisync_guarded", False):
        return
    socket.socket.connect = _guarded_connect(socket.socket.connect)  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect(socket.socket.connect_ex)  # type: ignore[method-assign]
    socket.socket._lisync_guarded = True  # type: ignore[attr-defined]


def install_requests_redirect(origin: str) -> bool:
    """Wrap ``requests.adapters.HTTPAdapter.send`` to rewrite LinkedIn URLs; ``False`` without requests."""
    try:
        from requests.adapters import HTTPAdapter
    except ImportError:
        return False
    if getattr(HTTPAdapter, "_lisync_redirected", False):
        return True
    original_send = HTTPAdapter.send

    def send(adapter: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        request.url = rewrite_url(request.url, origin)
        return original_send(adapter, request, *args, **kwargs)

    HTTPAdapter.send = send  # type: ignore[assignment]
    HTTPAdapter._lisync_redirected = True  # type: ignore[attr-defined]
    return True


def install_from_environment() -> None:
    """Install both layers when ``LISYNC_PEER_SANDBOX`` is set (a peer process); otherwise do nothing."""
    value = os.environ.get(SANDBOX_ENV)
    if not value:
        return
    origin = sandbox_origin(value)
    install_socket_guard()
    install_requests_redirect(origin)
