"""The sandbox's OAuth 2.0 server: consent page, code and refresh grants, introspection and revocation.

LinkedIn-facing routes (full paths, no ``LinkedIn-Version``, no bearer token):

* ``GET  /oauth/v2/authorization`` — LinkedIn's authorize URL. Answers a small HTML consent page whose form
  posts back to the same path; a member who already approved the same (or wider) scopes for the client is
  redirected straight back with a code, as LinkedIn does.
* ``POST /oauth/v2/authorization`` — the consent form (``approve=true|false``): 302 to
  ``{redirect_uri}?code=..&state=..`` or ``?error=user_cancelled_authorize&error_description=..&state=..``.
* ``POST /oauth/v2/accessToken`` — ``authorization_code`` (code valid 30 minutes on the sandbox clock,
  single use, same client and redirect URI) and ``refresh_token`` grants. Responses carry ``expires_in``,
  ``refresh_token``, ``refresh_token_expires_in`` (what is left of the 365-day refresh token: refreshing
  never extends it) and a comma-separated ``scope``.
* ``POST /oauth/v2/introspectToken`` — LinkedIn's token introspection (timestamps in seconds).
* ``POST /oauth/v2/revoke`` — revokes an access token (form ``client_id``, ``client_secret``, ``token``).

The sandbox admin routes ``/_sandbox/oauth`` live in :mod:`lisync.sandbox.routes.oauth.admin`.

Every issued access token is registered in ``world.tokens`` as a
:class:`~lisync.sandbox.oauth.grants.TokenGrant`; the app enforces expiry (401 EXPIRED_ACCESS_TOKEN),
revocation and scopes from there. The OAuth bookkeeping (codes, refresh tokens, approvals, lifetimes) lives
in the world's :class:`~lisync.sandbox.oauth.state.OAuthState` (``world.oauth``).
"""

from __future__ import annotations

import hmac
import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.oauth.grants import TokenGrant
from lisync.sandbox.oauth.state import (
    AUTHORIZATION_CODE_TTL_SECONDS,
    AuthorizationCode,
    IssuedToken,
    OAuthClient,
    OAuthState,
    RefreshGrant,
    registered_tokens,
    revoke_access_token,
)

DEFAULT_MEMBER_URN = TokenGrant().member_urn

# LinkedIn's own wording where it is known (authorization-code-flow docs and issue threads quoting real
# responses); the rest follows RFC 6749 names and is marked in the report as unconfirmed.
CODE_MISMATCH_MESSAGE = (
    "Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. "
    "Or authorization code expired. Or external member binding exists")
CODE_NOT_FOUND_MESSAGE = "Unable to retrieve access token: authorization code not found"
REFRESH_INVALID_MESSAGE = "The provided authorization grant or refresh token is invalid, expired or revoked"
CLIENT_AUTH_MESSAGE = "Client authentication failed"
# Form fields of the introspection and revocation calls.
_TOKEN_CALL_FIELDS = ("client_id", "client_secret", "token")


# ---------------------------------------------------------------------------------------------- helpers


def form_fields(request: SandboxRequest) -> dict[str, str]:
    """Return form fields from the body, falling back to the query string (LinkedIn accepts both)."""
    fields = dict(parse_qsl(request.raw_query, keep_blank_values=True))
    if request.body:
        fields.update(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    return fields


def _oauth_error(status: int, error: str, description: str) -> SandboxResponse:
    return SandboxResponse({"error": error, "error_description": description}, status=status)


def _missing(fields: Mapping[str, str], names: Iterable[str]) -> SandboxResponse | None:
    for name in names:
        if not fields.get(name):
            return _oauth_error(400, "invalid_request", f'A required parameter "{name}" is missing')
    return None


def _redirect(redirect_uri: str, params: Mapping[str, str]) -> SandboxResponse:
    parts = urlsplit(redirect_uri)
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), *params.items()])
    location = urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    return SandboxResponse(None, status=302, headers={"Location": location, "Cache-Control": "no-store"})


def _page(status: int, title: str, body_html: str) -> SandboxResponse:
    page = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1>{body_html}</body></html>")
    return SandboxResponse(page, status=status, headers={"Content-Type": "text/html; charset=utf-8"})


def _authenticated_client(state: OAuthState, fields: Mapping[str, str]) -> OAuthClient | None:
    client = state.clients.get(fields.get("client_id", ""))
    if client is None or not _same(client.client_secret, fields.get("client_secret", "")):
        return None
    return client


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _authenticate(request: SandboxRequest, fields: Mapping[str, str], required: Iterable[str]
                  ) -> tuple[OAuthState, OAuthClient] | SandboxResponse:
    """Check a client call: ``required`` form fields present, then the client id and secret.

    Returns:
        The world's OAuth state and the calling client, or the 400/401 error response to send.

    """
    problem = _missing(fields, required)
    if problem:
        return problem
    state = request.world.oauth
    client = _authenticated_client(state, fields)
    if client is None:
        return _oauth_error(401, "invalid_client", CLIENT_AUTH_MESSAGE)
    return state, client


def _now_ms(world: Any) -> int:
    return int(world.clock.now_ms())


# ---------------------------------------------------------------------------------------- authorization


@dataclass(frozen=True)
class _AuthorizeRequest:
    client: OAuthClient
    redirect_uri: str
    state: str | None
    scopes: tuple[str, ...]


def _validate_authorize(request: SandboxRequest, fields: Mapping[str, str]
                        ) -> _AuthorizeRequest | SandboxResponse:
    state = request.world.oauth
    client = state.clients.get(fields.get("client_id", ""))
    if client is None:
        return _page(400, "Invalid client_id", "<p>The passed in client_id is invalid.</p>")
    redirect_uri = fields.get("redirect_uri", "")
    if not redirect_uri or not client.accepts_redirect(redirect_uri):
        return _page(400, "Invalid redirect_uri",
                     "<p>The redirect_uri does not match the registered value</p>")
    csrf = fields.get("state")
    echo = {"state": csrf} if csrf is not None else {}
    if fields.get("response_type") != "code":
        return _redirect(redirect_uri, {"error": "unsupported_response_type",
                                        "error_description": 'response_type must be "code"', **echo})
    scopes = tuple(dict.fromkeys(s for s in fields.get("scope", "").replace(",", " ").split() if s))
    if not scopes:
        missing_scope = 'A required parameter "scope" is missing'
        return _redirect(redirect_uri, {"error": "invalid_request", "error_description": missing_scope,
                                        **echo})
    for scope in scopes:
        if scope not in client.scopes:
            # LinkedIn HTML-escapes the quotes inside the description (seen in real redirect URLs).
            return _redirect(redirect_uri, {
                "error": "unauthorized_scope_error",
                "error_description": f"Scope &quot;{scope}&quot; is not authorized for your application",
                **echo})
    return _AuthorizeRequest(client, redirect_uri, csrf, scopes)


def _issue_code(request: SandboxRequest, ask: _AuthorizeRequest, member_urn: str) -> SandboxResponse:
    state = request.world.oauth
    with state.lock:
        code = state.new_secret("code", 120)
        state.codes[code] = AuthorizationCode(ask.client.client_id, ask.redirect_uri, frozenset(ask.scopes),
                                               member_urn, _now_ms(request.world))
        key = (member_urn, ask.client.client_id)
        state.approvals[key] = state.approvals.get(key, frozenset()) | frozenset(ask.scopes)
    params = {"code": code}
    if ask.state is not None:
        params["state"] = ask.state
    return _redirect(ask.redirect_uri, params)


def authorization_page(request: SandboxRequest) -> SandboxResponse:
    """Show the consent page, or redirect at once when the member already approved these scopes."""
    fields = dict(parse_qsl(request.raw_query, keep_blank_values=True))
    ask = _validate_authorize(request, fields)
    if isinstance(ask, SandboxResponse):
        return ask
    member_urn = _default_member(request.world)
    state = request.world.oauth
    with state.lock:
        approved = state.approvals.get((member_urn, ask.client.client_id), frozenset())
    if set(ask.scopes) <= approved:
        return _issue_code(request, ask, member_urn)
    hidden = "".join(
        f"<input type='hidden' name='{name}' value='{html.escape(value, quote=True)}'>"
        for name, value in (("response_type", "code"), ("client_id", ask.client.client_id),
                            ("redirect_uri", ask.redirect_uri), ("scope", " ".join(ask.scopes)),
                            *((("state", ask.state),) if ask.state is not None else ())))
    scope_items = "".join(f"<li>{html.escape(s)}</li>" for s in ask.scopes)
    body = (f"<p>{html.escape(ask.client.client_id)} would like to access your LinkedIn data as "
            f"{html.escape(member_urn)}:</p><ul>{scope_items}</ul>"
            f"<form method='post' action='/oauth/v2/authorization'>{hidden}"
            f"<input type='hidden' name='member_urn' value='{html.escape(member_urn, quote=True)}'>"
            "<button type='submit' name='approve' value='true'>Allow</button>"
            "<button type='submit' name='approve' value='false'>Cancel</button></form>")
    return _page(200, "LinkedIn sandbox: authorize application", body)


def authorization_decision(request: SandboxRequest) -> SandboxResponse:
    """Handle the consent form: approve issues a code, cancel redirects with ``user_cancelled_authorize``."""
    fields = form_fields(request)
    ask = _validate_authorize(request, fields)
    if isinstance(ask, SandboxResponse):
        return ask
    if fields.get("approve", "").lower() != "true":
        params = {"error": "user_cancelled_authorize",
                  "error_description": "The user cancelled the authorization"}
        if ask.state is not None:
            params["state"] = ask.state
        return _redirect(ask.redirect_uri, params)
    return _issue_code(request, ask, fields.get("member_urn") or _default_member(request.world))


def _default_member(world: Any) -> str:
    grant = getattr(world, "default_grant", None)
    return grant.member_urn if isinstance(grant, TokenGrant) else DEFAULT_MEMBER_URN


def _member_grant(world: Any, member_urn: str) -> TokenGrant:
    # The default member's roles (visible accounts, administered pages, media access) come from the
    # world's default grant; the OAuth token only narrows the scopes and adds an expiry.
    grant = getattr(world, "default_grant", None)
    if isinstance(grant, TokenGrant) and grant.member_urn == member_urn:
        return grant
    return TokenGrant(member_urn=member_urn)


# ---------------------------------------------------------------------------------------------- tokens


def access_token(request: SandboxRequest) -> SandboxResponse:
    """Exchange an authorization code or a refresh token for a new access token."""
    fields = form_fields(request)
    problem = _missing(fields, ("grant_type",))
    if problem:
        return problem
    grant_type = fields["grant_type"]
    if grant_type == "authorization_code":
        required: tuple[str, ...] = ("code", "redirect_uri", "client_id", "client_secret")
    elif grant_type == "refresh_token":
        required = ("refresh_token", "client_id", "client_secret")
    else:
        return _oauth_error(400, "unsupported_grant_type", f"grant_type {grant_type!r} is not supported")
    checked = _authenticate(request, fields, required)
    if isinstance(checked, SandboxResponse):
        return checked
    state, client = checked
    with state.lock:
        if grant_type == "authorization_code":
            return _exchange_code(request.world, state, client, fields)
        return _refresh(request.world, state, client, fields["refresh_token"])


def _exchange_code(world: Any, state: OAuthState, client: OAuthClient, fields: Mapping[str, str]
                   ) -> SandboxResponse:
    found = state.codes.get(fields["code"])
    if found is None or found.used:
        return _oauth_error(401, "invalid_request", CODE_NOT_FOUND_MESSAGE)
    now = _now_ms(world)
    if (found.client_id != client.client_id or found.redirect_uri != fields["redirect_uri"]
            or now - found.issued_at_ms > AUTHORIZATION_CODE_TTL_SECONDS * 1000):
        return _oauth_error(400, "invalid_request", CODE_MISMATCH_MESSAGE)
    found.used = True
    refresh_token = None
    refresh_expires_at = None
    if client.refresh_tokens:
        refresh_token = state.new_secret("refresh", 500)
        refresh_expires_at = now + state.refresh_token_ttl_seconds * 1000
        state.refresh_grants[refresh_token] = RefreshGrant(client.client_id, found.member_urn, found.scopes,
                                                            now, refresh_expires_at)
    return _token_response(world, state, client, found.member_urn, found.scopes, now, now,
                           refresh_token, refresh_expires_at)


def _refresh(world: Any, state: OAuthState, client: OAuthClient, refresh_token: str) -> SandboxResponse:
    grant = state.refresh_grants.get(refresh_token)
    now = _now_ms(world)
    if grant is None or grant.revoked or grant.client_id != client.client_id or now >= grant.expires_at_ms:
        return _oauth_error(400, "invalid_request", REFRESH_INVALID_MESSAGE)
    return _token_response(world, state, client, grant.member_urn, grant.scopes, grant.authorized_at_ms, now,
                           refresh_token, grant.expires_at_ms)


def _token_response(world: Any, state: OAuthState, client: OAuthClient, member_urn: str,
                    scopes: frozenset[str], authorized_at_ms: int, now: int, refresh_token: str | None,
                    refresh_expires_at: int | None) -> SandboxResponse:
    expires_at = now + state.access_token_ttl_seconds * 1000
    if refresh_expires_at is not None:
        # LinkedIn: near the end of the refresh token's year both tokens expire together.
        expires_at = min(expires_at, refresh_expires_at)
    token = state.new_secret("access", 500)
    registered_tokens(world)[token] = replace(_member_grant(world, member_urn), scopes=scopes, expires_at_ms=expires_at,
                                    client_id=client.client_id, revoked=False)
    state.issued[token] = IssuedToken(client.client_id, member_urn, authorized_at_ms, now, refresh_token)
    body: dict[str, Any] = {"access_token": token, "expires_in": (expires_at - now) // 1000}
    if refresh_token is not None and refresh_expires_at is not None:
        body["refresh_token"] = refresh_token
        body["refresh_token_expires_in"] = (refresh_expires_at - now) // 1000
    body["scope"] = ",".join(sorted(scopes))
    return SandboxResponse(body, headers={"Cache-Control": "no-store"})


# ------------------------------------------------------------------------------ introspection, revoke


def introspect_token(request: SandboxRequest) -> SandboxResponse:
    """Describe a token to the client that owns it; anyone else learns only ``active: false``."""
    fields = form_fields(request)
    checked = _authenticate(request, fields, _TOKEN_CALL_FIELDS)
    if isinstance(checked, SandboxResponse):
        return checked
    state, client = checked
    with state.lock:
        token = fields["token"]
        issued = state.issued.get(token)
        grant = registered_tokens(request.world).get(token)
        if issued is None or grant is None or issued.client_id != client.client_id:
            return SandboxResponse({"active": False})
        now = _now_ms(request.world)
        expired = grant.expires_at_ms is not None and now >= grant.expires_at_ms
        status = "revoked" if grant.revoked else "expired" if expired else "active"
        body = {
            "active": status == "active",
            "client_id": client.client_id,
            "authorized_at": issued.authorized_at_ms // 1000,
            "created_at": issued.created_at_ms // 1000,
            "status": status,
            "expires_at": (grant.expires_at_ms or 0) // 1000,
            "scope": ",".join(sorted(grant.scopes)),
            "auth_type": "3L",
        }
    return SandboxResponse(body)


def revoke_token(request: SandboxRequest) -> SandboxResponse:
    """Revoke one access token of the calling client (unknown tokens are ignored, per RFC 7009)."""
    fields = form_fields(request)
    checked = _authenticate(request, fields, _TOKEN_CALL_FIELDS)
    if isinstance(checked, SandboxResponse):
        return checked
    state, client = checked
    with state.lock:
        issued = state.issued.get(fields["token"])
        if issued is not None and issued.client_id == client.client_id:
            revoke_access_token(request.world, fields["token"])
    return SandboxResponse(None)


# The endpoints this module answers, in the order of the route table.
ROUTES: tuple[Route, ...] = (
    Route("GET", "/oauth/v2/authorization", None, authorization_page, "oauthAuthorization", versioned=False),
    Route("POST", "/oauth/v2/authorization", None, authorization_decision, "oauthAuthorization", versioned=False),
    Route("POST", "/oauth/v2/accessToken", None, access_token, "oauthAccessToken", versioned=False),
    Route("POST", "/oauth/v2/introspectToken", None, introspect_token, "oauthIntrospectToken", versioned=False),
    Route("POST", "/oauth/v2/revoke", None, revoke_token, "oauthRevoke", versioned=False),
)
