"""The sandbox OAuth server's bookkeeping: registered clients, codes, refresh grants, issued tokens, lifetimes.

One :class:`OAuthState` per world, built by :func:`new_oauth_state` and held as ``world.oauth``. Every
access token the OAuth routes (:mod:`lisync.sandbox.routes.oauth.flow`) issue is also registered in
``world.tokens`` as a :class:`~lisync.sandbox.oauth.grants.TokenGrant`; the app enforces expiry, revocation and
scopes from there. Token values derive from the world seed and a serial, so the same seed and call
sequence give the same tokens.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from lisync.sandbox.oauth.grants import ALL_SCOPES, TokenGrant

DEFAULT_CLIENT_ID = "sandbox-client-id"
DEFAULT_CLIENT_SECRET = "sandbox-client-secret"
ACCESS_TOKEN_TTL_SECONDS = 60 * 86400  # 5184000, LinkedIn's 60 days
REFRESH_TOKEN_TTL_SECONDS = 365 * 86400  # 31536000, LinkedIn's 365 days
AUTHORIZATION_CODE_TTL_SECONDS = 30 * 60
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})


@dataclass(frozen=True)
class OAuthClient:
    """One registered LinkedIn developer application.

    Attributes:
        client_id: The application's client id.
        client_secret: The application's client secret.
        redirect_uris: Registered redirect URLs, matched exactly (LinkedIn requires an exact match).
        allow_loopback: Also accept any ``http://127.0.0.1|localhost:<port>/<path>`` redirect (CLI logins).
        scopes: Scopes the application's products grant; asking for others fails with
            ``unauthorized_scope_error``.
        refresh_tokens: Whether the app has programmatic refresh tokens (approved MDP partners).

    """

    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...] = ()
    allow_loopback: bool = False
    scopes: frozenset[str] = ALL_SCOPES
    refresh_tokens: bool = True

    def accepts_redirect(self, redirect_uri: str) -> bool:
        """Return whether ``redirect_uri`` is registered for this client."""
        if redirect_uri in self.redirect_uris:
            return True
        if not self.allow_loopback:
            return False
        parts = urlsplit(redirect_uri)
        return parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS and not parts.fragment


@dataclass
class AuthorizationCode:
    """An authorization code waiting to be exchanged (single use)."""

    client_id: str
    redirect_uri: str
    scopes: frozenset[str]
    member_urn: str
    issued_at_ms: int
    used: bool = False


@dataclass
class RefreshGrant:
    """A refresh token: who consented to what, when, and until when it can be used."""

    client_id: str
    member_urn: str
    scopes: frozenset[str]
    authorized_at_ms: int
    expires_at_ms: int
    revoked: bool = False


@dataclass(frozen=True)
class IssuedToken:
    """How an access token was obtained (for introspection and the member's "remove app")."""

    client_id: str
    member_urn: str
    authorized_at_ms: int
    created_at_ms: int
    refresh_token: str | None


@dataclass
class OAuthState:
    """The sandbox OAuth server's bookkeeping for one world.

    Attributes:
        clients: Registered applications by client id.
        access_token_ttl_seconds: Lifetime of new access tokens (tests shorten it to expire tokens mid-run).
        refresh_token_ttl_seconds: Lifetime of a refresh token from the member's original consent.
        seed: Seed the deterministic token values derive from.
        codes: Authorization codes by value.
        refresh_grants: Refresh tokens by value.
        issued: How each access token was obtained, by value.
        approvals: Scopes each ``(member URN, client id)`` has approved so far.

    """

    clients: dict[str, OAuthClient]
    access_token_ttl_seconds: int = ACCESS_TOKEN_TTL_SECONDS
    refresh_token_ttl_seconds: int = REFRESH_TOKEN_TTL_SECONDS
    seed: int = 0
    codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    refresh_grants: dict[str, RefreshGrant] = field(default_factory=dict)
    issued: dict[str, IssuedToken] = field(default_factory=dict)
    approvals: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    serial: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def new_secret(self, kind: str, length: int) -> str:
        """Return the next deterministic opaque value, ``AQ``-prefixed like LinkedIn's, ``length`` long."""
        self.serial += 1
        material = b""
        block = 0
        while len(material) * 4 // 3 < length:
            material += hashlib.sha512(f"{self.seed}|{kind}|{self.serial}|{block}".encode()).digest()
            block += 1
        return ("AQ" + base64.urlsafe_b64encode(material).decode().rstrip("="))[:length]

    def settings(self) -> dict[str, Any]:
        """Return the admin view of lifetimes and clients (secrets included: this is the sandbox)."""
        return {
            "access_token_ttl_seconds": self.access_token_ttl_seconds,
            "refresh_token_ttl_seconds": self.refresh_token_ttl_seconds,
            "clients": [client_to_json(c) for c in self.clients.values()],
        }


def new_oauth_state(seed: int, clients: Iterable[Any] = (), access_token_ttl_seconds: int | None = None,
                    refresh_token_ttl_seconds: int | None = None) -> OAuthState:
    """Return a world's fresh OAuth state: the default client plus ``clients``, and the token lifetimes.

    The default client ``sandbox-client-id`` / ``sandbox-client-secret`` accepts any loopback redirect.

    Args:
        seed: The world seed the token values derive from.
        clients: Extra registered applications, as :class:`OAuthClient` values or mappings
            ``{"client_id", "client_secret", "redirect_uris", "allow_loopback", "scopes", "refresh_tokens"}``.
        access_token_ttl_seconds: Lifetime of issued access tokens (``None``: LinkedIn's 60 days).
        refresh_token_ttl_seconds: Lifetime of refresh tokens (``None``: LinkedIn's 365 days).

    Returns:
        The new :class:`OAuthState`.

    """
    registered = {DEFAULT_CLIENT_ID: OAuthClient(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, allow_loopback=True)}
    for spec in clients:
        client = client_from_json(spec)
        registered[client.client_id] = client
    return OAuthState(
        clients=registered,
        access_token_ttl_seconds=int(access_token_ttl_seconds or ACCESS_TOKEN_TTL_SECONDS),
        refresh_token_ttl_seconds=int(refresh_token_ttl_seconds or REFRESH_TOKEN_TTL_SECONDS),
        seed=seed,
    )


def client_from_json(spec: Any) -> OAuthClient:
    """Return the :class:`OAuthClient` described by an admin/config mapping (or the client itself)."""
    if isinstance(spec, OAuthClient):
        return spec
    return OAuthClient(
        client_id=str(spec["client_id"]),
        client_secret=str(spec["client_secret"]),
        redirect_uris=tuple(spec.get("redirect_uris", ())),
        allow_loopback=bool(spec.get("allow_loopback", False)),
        scopes=frozenset(spec["scopes"]) if spec.get("scopes") is not None else ALL_SCOPES,
        refresh_tokens=bool(spec.get("refresh_tokens", True)),
    )


def client_to_json(client: OAuthClient) -> dict[str, Any]:
    """Return the admin view of ``client`` (the inverse of :func:`client_from_json`)."""
    return {"client_id": client.client_id, "client_secret": client.client_secret,
            "redirect_uris": list(client.redirect_uris), "allow_loopback": client.allow_loopback,
            "scopes": sorted(client.scopes), "refresh_tokens": client.refresh_tokens}


def registered_tokens(world: Any) -> dict[str, TokenGrant]:
    """Return ``world.tokens``, the access tokens the app accepts, creating it if the world has none."""
    tokens = getattr(world, "tokens", None)
    if tokens is None:
        tokens = {}
        world.tokens = tokens
    return tokens


def revoke_access_token(world: Any, token: str) -> None:
    """Mark one registered access token revoked (unknown tokens are ignored)."""
    tokens = registered_tokens(world)
    if token in tokens:
        tokens[token] = replace(tokens[token], revoked=True)


def revoke_member_authorization(world: Any, token: str) -> int:
    """Revoke the app's whole authorization for the member behind ``token``, as the member would.

    Every access and refresh token the same client obtained for the same member is revoked and the
    approval is forgotten (the next authorize request shows the consent page again).

    Args:
        world: The sandbox world.
        token: Any access or refresh token of that authorization.

    Returns:
        How many access tokens were revoked (0 when the token is unknown).

    """
    state: OAuthState = world.oauth
    with state.lock:
        owner: tuple[str, str] | None = None
        if token in state.issued:
            owner = (state.issued[token].member_urn, state.issued[token].client_id)
        elif token in state.refresh_grants:
            owner = (state.refresh_grants[token].member_urn, state.refresh_grants[token].client_id)
        if owner is None:
            return 0
        revoked = 0
        for value, issued in state.issued.items():
            if (issued.member_urn, issued.client_id) == owner:
                revoke_access_token(world, value)
                revoked += 1
        for grant in state.refresh_grants.values():
            if (grant.member_urn, grant.client_id) == owner:
                grant.revoked = True
        state.approvals.pop(owner, None)
        return revoked
