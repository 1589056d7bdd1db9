"""Connection failures that no retry can fix: fail at once instead of after a minute of silent backoff.

A closed port on this machine (``--api-base-url http://127.0.0.1:1/rest``) refuses at once and keeps
refusing; a host name that does not resolve stays unresolved. Retrying those for a minute only hides the
mistake. :func:`hopeless_reason` recognises them on the first attempt (later attempts mean the endpoint
worked before, so a refusal then is worth retrying).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

__all__ = ["hopeless_reason"]

LOOPBACK_NAMES = ("localhost", "localhost.localdomain")


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        wrapped = [a for a in current.args if isinstance(a, BaseException)]
        stack.extend([current.__cause__, current.__context__, *wrapped])
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
    return seen


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def hopeless_reason(exc: BaseException, url: str, attempt: int) -> str | None:
    """Return why retrying ``exc`` cannot help (``"connection refused"``, ``"unknown host"``), else ``None``.

    Args:
        exc: The exception of the attempt.
        url: The URL the attempt requested.
        attempt: The attempt's number (1 for the first).
    """
    if attempt != 1:
        return None
    causes = _causes(exc)
    if any(isinstance(c, socket.gaierror) for c in causes) or any(
            "Name or service not known" in str(c) or "nodename nor servname" in str(c) for c in causes):
        return "unknown host"
    host = urlsplit(url).hostname or ""
    if _is_loopback(host) and any(isinstance(c, ConnectionRefusedError) or "Connection refused" in str(c)
                                  for c in causes):
        return "connection refused"
    return None
