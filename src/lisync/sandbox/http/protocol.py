"""What a sandbox handler sees and returns: the decoded request, the response and the route description.

Every endpoint module of the sandbox (ads entities, analytics, organizations, OAuth) lists its handlers as
:class:`Route` values (collected in :mod:`lisync.sandbox.routes.table`); a handler receives a
:class:`SandboxRequest` whose query has already been decoded from Rest.li (2.0 or 1.0 syntax, tunneled or
not) into plain Python values:

* ``List(a,b)`` and 1.0 ``x[0]=a&x[1]=b`` become ``list`` values;
* records ``(k:v,k2:v2)`` and 1.0 dotted ``x.k=v`` become ``dict`` values;
* every leaf is a percent-decoded ``str`` (handlers convert numbers themselves);
* a parameter given once is a scalar, not a one-element list (1.0 repeated ``ids=a&ids=b`` is a list).

Handlers return a :class:`SandboxResponse` or raise :class:`~lisync.sandbox.errors.RestliError`, which the
app renders as LinkedIn's error envelope ``{"status", "serviceErrorCode", "code", "message"}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lisync.sandbox.oauth.grants import TokenGrant

if TYPE_CHECKING:
    from lisync.sandbox.world import World


@dataclass
class SandboxRequest:
    """One decoded API request, as handlers see it.

    Attributes:
        method: The effective HTTP method (``GET`` for a tunneled POST).
        path: The path below ``/rest`` (or the full path for non-``/rest`` routes), e.g. ``/adAccounts/1``.
        path_params: Values captured by the route pattern, percent-decoded.
        query: Decoded query parameters (see the module docstring).
        raw_query: The query string exactly as received (from the URL or the tunneled body).
        headers: Request headers (case-insensitive mapping).
        grant: The token's grant (``None`` on routes that do not need a token, e.g. OAuth).
        world: The sandbox world.
        body: The raw request body for non-tunneled POSTs (e.g. OAuth form posts), else ``b""``.
        version: The ``LinkedIn-Version`` header value for ``/rest`` routes.
    """

    method: str
    path: str
    path_params: dict[str, str]
    query: dict[str, Any]
    raw_query: str
    headers: Mapping[str, str]
    grant: TokenGrant | None
    world: World
    body: bytes = b""
    version: str | None = None


@dataclass
class SandboxResponse:
    """A handler's answer: status, JSON body (or ``None`` for an empty body) and extra headers."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


THandler = Callable[[SandboxRequest], SandboxResponse]
TScopeSets = tuple[frozenset[str], ...]


@dataclass(frozen=True)
class Route:
    """One endpoint of the sandbox.

    Attributes:
        method: HTTP method the route answers (after tunneling is resolved).
        pattern: Path pattern with ``{name}`` placeholders, e.g. ``/adAccounts/{account_id}/adCampaigns``.
        finder: The ``q=`` value the route serves, or ``None`` for a route selected without ``q``.
        handler: The function that answers.
        resource: LinkedIn's internal resource name, used in 403 messages.
        scopes: Alternative scope sets; the token must hold every scope of at least one set.
            Empty means no scope check (OAuth endpoints, admin endpoints).
        versioned: Whether the route is under ``/rest`` and needs ``LinkedIn-Version`` and a token.
    """

    method: str
    pattern: str
    finder: str | None
    handler: THandler
    resource: str
    scopes: TScopeSets = ()
    versioned: bool = True

    def match(self, path: str) -> dict[str, str] | None:
        """Return the captured path params when ``path`` matches this route's pattern, else ``None``."""
        found = _compile(self.pattern).fullmatch(path)
        return found.groupdict() if found else None


_PATTERN_CACHE: dict[str, re.Pattern[str]] = {}


def _compile(pattern: str) -> re.Pattern[str]:
    if pattern not in _PATTERN_CACHE:
        _PATTERN_CACHE[pattern] = re.compile(re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern))
    return _PATTERN_CACHE[pattern]
