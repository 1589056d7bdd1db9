"""The sandbox's shared contract: clock, scale, token grants, request/response types and the route table.

Every endpoint module of the sandbox (ads entities, analytics, organizations, OAuth) registers its
handlers with :func:`route` and receives a :class:`SandboxRequest` whose query has already been decoded
from Rest.li (2.0 or 1.0 syntax, tunneled or not) into plain Python values:

* ``List(a,b)`` and 1.0 ``x[0]=a&x[1]=b`` become ``list`` values;
* records ``(k:v,k2:v2)`` and 1.0 dotted ``x.k=v`` become ``dict`` values;
* every leaf is a percent-decoded ``str`` (handlers convert numbers themselves);
* a parameter given once is a scalar, not a one-element list (1.0 repeated ``ids=a&ids=b`` is a list).

Handlers return a :class:`SandboxResponse` or raise :class:`RestliError`, which the app renders as
LinkedIn's error envelope ``{"status", "serviceErrorCode", "code", "message"}``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

TScaleName = Literal["tiny", "small", "medium", "large"]


@dataclass
class Clock:
    """The sandbox's notion of "today" (UTC). Tests move it forward to see restated data.

    Attributes:
        today: The current UTC date in the sandbox world.
    """

    today: dt.date

    def now(self) -> dt.datetime:
        """Return the current sandbox instant: today's date at the real wall-clock time of day, in UTC."""
        wall = dt.datetime.now(dt.UTC)
        return dt.datetime.combine(self.today, wall.timetz())

    def now_ms(self) -> int:
        """Return :meth:`now` as epoch milliseconds."""
        return int(self.now().timestamp() * 1000)

    def advance(self, days: int) -> None:
        """Move "today" forward (or back, with a negative number) by ``days``."""
        self.today = self.today + dt.timedelta(days=days)


@dataclass(frozen=True)
class Scale:
    """How big the synthetic world is. Every count is deterministic for a given seed.

    Attributes:
        accounts: Ad accounts visible to the default member.
        hidden_accounts: Extra ad accounts that exist but the default member cannot see.
        campaign_groups_per_account: Campaign groups per account (plus LinkedIn's default group).
        campaigns_per_group: Campaigns per campaign group.
        creatives_per_campaign: Creatives per campaign.
        conversions_per_account: Conversion rules per account.
        history_days: Days of history before "today" over which entities are created and run.
        organizations: Company pages the default member administers.
        posts_per_organization: Posts authored by each organization within the history.
    """

    accounts: int = 3
    hidden_accounts: int = 1
    campaign_groups_per_account: int = 2
    campaigns_per_group: int = 3
    creatives_per_campaign: int = 2
    conversions_per_account: int = 3
    history_days: int = 120
    organizations: int = 2
    posts_per_organization: int = 30

    @property
    def creatives(self) -> int:
        """Total creatives in visible accounts."""
        return self.accounts * self.campaign_groups_per_account * self.campaigns_per_group * (
            self.creatives_per_campaign
        )


SCALES: dict[str, Scale] = {
    "tiny": Scale(accounts=2, hidden_accounts=1, campaign_groups_per_account=1, campaigns_per_group=2,
                  creatives_per_campaign=2, conversions_per_account=2, history_days=60, organizations=2,
                  posts_per_organization=12),
    "small": Scale(),
    "medium": Scale(accounts=8, campaign_groups_per_account=3, campaigns_per_group=5, creatives_per_campaign=4,
                    conversions_per_account=4, history_days=365, organizations=3, posts_per_organization=120),
    "large": Scale(accounts=20, campaign_groups_per_account=5, campaigns_per_group=5, creatives_per_campaign=4,
                   conversions_per_account=5, history_days=365, organizations=5, posts_per_organization=300),
}


def resolve_scale(name: str, **overrides: int) -> Scale:
    """Return the named scale preset with any per-knob overrides applied.

    Args:
        name: One of ``tiny``, ``small``, ``medium``, ``large``.
        **overrides: Knob values that replace the preset's (e.g. ``accounts=40``).

    Returns:
        The resulting :class:`Scale`.

    Raises:
        ValueError: For an unknown preset or knob, or a negative count.
    """
    if name not in SCALES:
        raise ValueError(f"Unknown sandbox scale {name!r}: use one of {', '.join(SCALES)}.")
    known = set(Scale.__dataclass_fields__)
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(f"Unknown sandbox scale knob(s) {', '.join(unknown)}: use {', '.join(sorted(known))}.")
    if any(v < 0 for v in overrides.values()):
        raise ValueError("Sandbox scale knobs must be zero or more.")
    return replace(SCALES[name], **overrides)


# Every scope the sandbox knows about; the default grant holds them all.
ALL_SCOPES: frozenset[str] = frozenset({
    "r_ads", "rw_ads", "r_ads_reporting", "r_organization_social", "w_organization_social",
    "rw_organization_admin", "r_organization_admin", "r_basicprofile", "r_liteprofile", "openid", "profile",
    "email", "rw_conversions", "r_marketing_leadgen_automation",
})


@dataclass(frozen=True)
class TokenGrant:
    """What one access token may do in the sandbox.

    Attributes:
        member_urn: The member the token acts for (``urn:li:person:...``).
        scopes: OAuth scopes granted to the token.
        account_ids: Ad account ids the member can see; ``None`` means every visible account of the world.
        organization_ids: Organization ids on which the member is an approved ADMINISTRATOR;
            ``None`` means every administered organization of the world.
        media_permission: Whether the token may read images/videos (download URLs); without it those
            lookups come back FORBIDDEN.
        expires_at_ms: Epoch-ms expiry on the sandbox clock; ``None`` never expires.
        revoked: Whether the member revoked the token.
        client_id: The OAuth client that obtained the token, if issued by the sandbox.
    """

    member_urn: str = "urn:li:person:sandboxMember1"
    scopes: frozenset[str] = ALL_SCOPES
    account_ids: frozenset[int] | None = None
    organization_ids: frozenset[int] | None = None
    media_permission: bool = True
    expires_at_ms: int | None = None
    revoked: bool = False
    client_id: str | None = None


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
        world: The sandbox world (``lisync.sandbox.world.World``).
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
    world: Any
    body: bytes = b""
    version: str | None = None


@dataclass
class SandboxResponse:
    """A handler's answer: status, JSON body (or ``None`` for an empty body) and extra headers."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class RestliError(Exception):
    """A LinkedIn-shaped API error; the app renders it as ``{status, serviceErrorCode, code, message}``.

    Args:
        status: HTTP status.
        message: LinkedIn's message text.
        code: LinkedIn's symbolic code (omitted from the body when ``None``, as LinkedIn often does).
        service_error_code: LinkedIn's numeric service error code (omitted when ``None``).
        headers: Extra response headers (e.g. ``Retry-After``).
    """

    def __init__(self, status: int, message: str, code: str | None = None,
                 service_error_code: int | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.service_error_code = service_error_code
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """Return LinkedIn's error envelope for this error."""
        out: dict[str, Any] = {"status": self.status}
        if self.service_error_code is not None:
            out["serviceErrorCode"] = self.service_error_code
        if self.code is not None:
            out["code"] = self.code
        out["message"] = self.message
        return out


def access_denied(resource: str, method: str, version: str | None) -> RestliError:
    """Return LinkedIn's 403 for a token that lacks the scope or role for ``resource``."""
    return RestliError(403, f"Not enough permissions to access: {resource}.{method}.{version or '20240101'}",
                       code="ACCESS_DENIED", service_error_code=100)


THandler = Callable[[SandboxRequest], SandboxResponse]
TScopeSets = tuple[frozenset[str], ...]


@dataclass(frozen=True)
class Route:
    """One registered endpoint.

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


ROUTES: list[Route] = []


def route(method: str, pattern: str, *, finder: str | None = None, resource: str,
          scopes: TScopeSets = (), versioned: bool = True) -> Callable[[THandler], THandler]:
    """Register a handler in :data:`ROUTES`.

    Args:
        method: ``GET`` or ``POST`` (effective method).
        pattern: Path pattern below ``/rest`` for versioned routes, or the full path otherwise.
        finder: The ``q`` value this handler serves (``None``: no ``q`` expected).
        resource: LinkedIn's resource name for 403 messages (e.g. ``adAnalytics``).
        scopes: Alternative scope sets the token must satisfy.
        versioned: ``False`` for OAuth and sandbox-admin routes.

    Returns:
        A decorator that registers and returns the handler unchanged.
    """

    def register(handler: THandler) -> THandler:
        ROUTES.append(Route(method.upper(), pattern, finder, handler, resource, scopes, versioned))
        return handler

    return register
