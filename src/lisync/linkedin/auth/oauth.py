"""LinkedIn OAuth 2.0 (3-legged) client: authorization URL, CSRF state, code exchange, refresh, introspection.

The OAuth server is ``https://www.linkedin.com/oauth/v2`` by default; the sandbox serves the same paths at
``{sandbox}/oauth/v2``. Secrets travel only in POST bodies, never in URLs, and no error message carries a
token or the client secret.

Errors::

    AuthError                   base of every OAuth failure
    ├── AuthorizationDenied     the member cancelled, or LinkedIn refused the authorize request
    ├── StateMismatchError      the redirect's ``state`` is not the one sent (possible CSRF)
    ├── TokenEndpointError      LinkedIn's token/introspection endpoint answered an error
    │   └── ReauthorizationRequired   the refresh token is invalid, expired or revoked
    └── NotLoggedIn             no credentials and no access token
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import requests
from dlt.sources.helpers.requests.retry import Client as RetryingClient

from lisync.errors import LisyncError
from lisync.linkedin.auth.credentials import DEFAULT_AUTH_BASE_URL, Credentials, redact
from lisync.linkedin.auth.scopes import parse_scopes

__all__ = [
    "DEFAULT_AUTH_BASE_URL",
    "AuthError",
    "AuthorizationDenied",
    "NotLoggedIn",
    "ReauthorizationRequired",
    "StateMismatchError",
    "TokenEndpointError",
    "TokenInfo",
    "build_authorization_url",
    "exchange_code",
    "introspect_token",
    "new_state",
    "parse_redirected_url",
    "refresh_access_token",
    "revoke_token",
]

TIMEOUT_SECONDS = 30.0
TClock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """Return the current wall-clock time in UTC."""
    return dt.datetime.now(dt.UTC)


class AuthError(LisyncError):
    """Base class of OAuth failures."""


class AuthorizationDenied(AuthError):
    """LinkedIn redirected back with ``error`` instead of a code (e.g. the member pressed Cancel)."""

    def __init__(self, error: str, description: str | None) -> None:
        self.error = error
        self.description = description or ""
        fix = ("approve the request to continue" if error.startswith("user_cancelled")
               else "check the app's products and scopes in the LinkedIn developer portal"
               if "scope" in error else "check the client id and redirect URL")
        said = f": {self.description}" if self.description else ""
        super().__init__(f"LinkedIn did not authorize lisync ({error}{said}); {fix}.")


class StateMismatchError(AuthError):
    """The ``state`` in the redirect differs from the one lisync sent."""


class NotLoggedIn(AuthError):
    """Neither stored credentials nor an access token are available."""


class TokenEndpointError(AuthError):
    """An OAuth endpoint answered an error.

    Attributes:
        status: HTTP status.
        error: OAuth ``error`` code (e.g. ``invalid_request``), if any.
        description: OAuth ``error_description``, with any secrets removed.

    """

    def __init__(self, action: str, status: int, error: str | None, description: str | None,
                 hint: str = "") -> None:
        self.status = status
        self.error = error
        self.description = description or ""
        said = f" {error}" if error else ""
        detail = f": {self.description}" if self.description else ""
        tail = f" {hint}" if hint else ""
        super().__init__(f"LinkedIn refused to {action} (HTTP {status}{said}{detail}).{tail}")


class ReauthorizationRequired(TokenEndpointError):
    """The refresh token is invalid, expired or revoked: the member must log in again."""


@dataclass(frozen=True)
class TokenInfo:
    """LinkedIn's introspection answer for one token.

    Attributes:
        active: Whether the token can be used now.
        status: ``active``, ``expired`` or ``revoked`` (``None`` when LinkedIn gave no status).
        client_id: The app the token belongs to.
        scopes: Granted scopes.
        expires_at: Expiry, if given.
        authorized_at: When the member authorized the app, if given.
        created_at: When the token was created, if given.
        auth_type: ``3L``, ``2L`` or ``Enterprise_User``.

    """

    active: bool
    status: str | None = None
    client_id: str | None = None
    scopes: frozenset[str] = frozenset()
    expires_at: dt.datetime | None = None
    authorized_at: dt.datetime | None = None
    created_at: dt.datetime | None = None
    auth_type: str | None = None


def new_state() -> str:
    """Return a fresh unguessable ``state`` value for one authorization request (CSRF protection)."""
    return secrets.token_urlsafe(24)


def build_authorization_url(auth_base_url: str, client_id: str, redirect_uri: str, scopes: Iterable[str],
                            state: str) -> str:
    """Return LinkedIn's authorize URL for the authorization-code flow.

    Args:
        auth_base_url: OAuth base, e.g. ``https://www.linkedin.com/oauth/v2``.
        client_id: The app's client id.
        redirect_uri: A redirect URL registered on the app (exact match).
        scopes: Scopes to request (sent space-separated).
        state: The CSRF value from :func:`new_state`.

    Returns:
        The URL to open in the member's browser.

    Raises:
        ValueError: When no scope is given.

    """
    scope_list = list(dict.fromkeys(s for s in scopes if s))
    if not scope_list:
        raise ValueError("Pass at least one OAuth scope: see lisync.linkedin.auth.scopes.scopes_for().")
    query = urlencode({"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
                       "state": state, "scope": " ".join(scope_list)}, quote_via=quote)
    return f"{auth_base_url.rstrip('/')}/authorization?{query}"


def parse_redirected_url(url: str, expected_state: str) -> str:
    """Return the authorization code from the URL LinkedIn redirected the browser to.

    Accepts a full URL, a path with query (``/callback?code=..``), or the bare query string.

    Args:
        url: The redirected URL (pasted by the user in headless mode, or captured by the callback server).
        expected_state: The ``state`` sent in the authorization URL.

    Returns:
        The authorization code.

    Raises:
        StateMismatchError: When ``state`` is missing or differs (checked before anything else).
        AuthorizationDenied: When LinkedIn redirected with ``error``.
        AuthError: When there is no code.

    """
    text = url.strip()
    query = urlsplit(text).query if ("?" in text or "://" in text) else text.lstrip("?")
    params = {key: values[0] for key, values in parse_qs(query, keep_blank_values=True).items()}
    got_state = params.get("state", "")
    if not hmac.compare_digest(got_state.encode(), expected_state.encode()):
        raise StateMismatchError(
            "The redirect's state does not match this login attempt (possible cross-site request forgery, or "
            "a URL from an older attempt): start `lisync auth login` again and use the URL it prints.")
    if params.get("error"):
        raise AuthorizationDenied(params["error"], params.get("error_description"))
    code = params.get("code")
    if not code:
        raise AuthError("The redirected URL has no authorization code: paste the full URL of the page "
                        "LinkedIn sent you to after you clicked Allow.")
    return code


# ------------------------------------------------------------------------------------------------ HTTP


def _session(attempts: int) -> requests.Session:
    # Retries only transient failures (connection errors, 429, 5xx); a 4xx is an answer, never retried.
    client = RetryingClient(request_timeout=TIMEOUT_SECONDS, raise_for_status=False,
                            request_max_attempts=attempts, request_backoff_factor=0.5,
                            request_max_retry_delay=10, respect_retry_after_header=True)
    return client.session


def _post_form(url: str, form: Mapping[str, str], *, session: requests.Session | None, attempts: int,
               action: str) -> tuple[int, Any]:
    http = session or _session(attempts)
    try:
        response = http.post(url, data=dict(form), headers={"Accept": "application/json"},
                             timeout=TIMEOUT_SECONDS)
    except requests.RequestException as exc:
        message = redact(str(exc), form.values())
        raise AuthError(f"Cannot reach LinkedIn's OAuth server to {action}: {message}. "
                        "Check the network (or the sandbox URL) and try again.") from None
    try:
        body = response.json() if response.content else {}
    except ValueError:
        body = {}
    return response.status_code, body


def _raise_for_oauth_error(status: int, body: Any, action: str, secrets_sent: Iterable[str],
                           error_type: type[TokenEndpointError] = TokenEndpointError, hint: str = "") -> None:
    if 200 <= status < 300:
        return
    body = body if isinstance(body, Mapping) else {}
    error = body.get("error") if isinstance(body.get("error"), str) else None
    description = body.get("error_description") or body.get("message")
    description = redact(str(description), secrets_sent) if description else None
    raise error_type(action, status, error, description, hint)


def _expiry(now: dt.datetime, seconds: Any) -> dt.datetime | None:
    try:
        return now + dt.timedelta(seconds=int(seconds))  # LinkedIn sometimes sends the number as a string
    except (TypeError, ValueError):
        return None


def _credentials_from_token_response(body: Any, *, base: Credentials, now: dt.datetime) -> Credentials:
    if not isinstance(body, Mapping) or not isinstance(body.get("access_token"), str):
        raise AuthError("LinkedIn's token endpoint answered without an access_token: try again later.")
    refresh_token = body.get("refresh_token") or base.refresh_token
    refresh_expires = base.refresh_token_expires_at
    if "refresh_token_expires_in" in body:
        refresh_expires = _expiry(now, body["refresh_token_expires_in"])
    scopes = parse_scopes(body.get("scope")) if body.get("scope") else base.scopes
    return base.with_tokens(access_token=body["access_token"], access_token_expires_at=_expiry(
        now, body.get("expires_in")), refresh_token=refresh_token, refresh_token_expires_at=refresh_expires,
        scopes=scopes, obtained_at=now)


def exchange_code(auth_base_url: str, client_id: str, client_secret: str, code: str, redirect_uri: str, *,
                  session: requests.Session | None = None, now: dt.datetime | None = None) -> Credentials:
    """Exchange an authorization code for tokens (``grant_type=authorization_code``).

    Codes are single use, so a failed exchange is never retried after LinkedIn answered.

    Args:
        auth_base_url: OAuth base URL.
        client_id: The app's client id.
        client_secret: The app's client secret.
        code: The code from the redirect.
        redirect_uri: The same redirect URL used in the authorization URL.
        session: HTTP session to use (a retrying one by default).
        now: The time to compute expiries from (default: now).

    Returns:
        The new credentials (client secret included, so they can be refreshed).

    Raises:
        TokenEndpointError: When LinkedIn refuses the code.
        AuthError: When LinkedIn cannot be reached.

    """
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "client_id": client_id, "client_secret": client_secret}
    url = f"{auth_base_url.rstrip('/')}/accessToken"
    action = "exchange the authorization code"
    status, body = _post_form(url, form, session=session, attempts=1, action=action)
    _raise_for_oauth_error(status, body, action, form.values(),
                           hint="Codes are single use and expire after 30 minutes: run `lisync auth login` "
                                "again; if it persists, check the client secret and the redirect URL.")
    base = Credentials(access_token="", client_id=client_id, client_secret=client_secret,
                       auth_base_url=auth_base_url.rstrip("/"))
    return _credentials_from_token_response(body, base=base, now=now or utc_now())


def refresh_access_token(credentials: Credentials, *, session: requests.Session | None = None,
                         now: dt.datetime | None = None) -> Credentials:
    """Get a new access token with the refresh token (``grant_type=refresh_token``).

    LinkedIn keeps the refresh token's original expiry and may return the same refresh token; the old
    access token stays valid until its own expiry.

    Args:
        credentials: Credentials with a refresh token, client id and client secret.
        session: HTTP session to use (a retrying one by default).
        now: The time to compute expiries from (default: now).

    Returns:
        Updated credentials.

    Raises:
        ReauthorizationRequired: When LinkedIn rejects the refresh token (expired, revoked or invalid).
        TokenEndpointError: For other refusals (e.g. a wrong client secret).
        AuthError: When the credentials cannot be refreshed at all, or LinkedIn cannot be reached.

    """
    if not credentials.can_refresh:
        raise AuthError("These credentials cannot be refreshed (no refresh token or client secret): "
                        "run `lisync auth login`.")
    form = {"grant_type": "refresh_token", "refresh_token": credentials.refresh_token or "",
            "client_id": credentials.client_id or "", "client_secret": credentials.client_secret or ""}
    url = f"{credentials.auth_base_url.rstrip('/')}/accessToken"
    status, body = _post_form(url, form, session=session, attempts=3, action="refresh the access token")
    is_grant_error = 400 <= status < 500 and isinstance(body, Mapping) and body.get("error") in (
        "invalid_request", "invalid_grant")
    _raise_for_oauth_error(status, body, "refresh the access token", form.values(),
                           error_type=ReauthorizationRequired if is_grant_error else TokenEndpointError,
                           hint="Run `lisync auth login` to authorize lisync again.")
    return _credentials_from_token_response(body, base=credentials, now=now or utc_now())


def _from_epoch(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def introspect_token(auth_base_url: str, client_id: str, client_secret: str, token: str, *,
                     session: requests.Session | None = None) -> TokenInfo:
    """Ask LinkedIn about a token (``/introspectToken``); timestamps come back in seconds.

    Args:
        auth_base_url: OAuth base URL.
        client_id: The app's client id.
        client_secret: The app's client secret.
        token: The access token to inspect.
        session: HTTP session to use (a retrying one by default).

    Returns:
        The token's status. A token of another app comes back ``active=False``.

    Raises:
        TokenEndpointError: When LinkedIn refuses the request (e.g. wrong client credentials).
        AuthError: When LinkedIn cannot be reached.

    """
    form = {"client_id": client_id, "client_secret": client_secret, "token": token}
    url = f"{auth_base_url.rstrip('/')}/introspectToken"
    status, body = _post_form(url, form, session=session, attempts=3, action="introspect the token")
    _raise_for_oauth_error(status, body, "introspect the token", form.values(),
                           hint="Check the client id and client secret.")
    body = body if isinstance(body, Mapping) else {}
    return TokenInfo(
        active=bool(body.get("active")),
        status=body.get("status"),
        client_id=body.get("client_id"),
        scopes=parse_scopes(body.get("scope")),
        expires_at=_from_epoch(body.get("expires_at")),
        authorized_at=_from_epoch(body.get("authorized_at")),
        created_at=_from_epoch(body.get("created_at")),
        auth_type=body.get("auth_type"),
    )


def revoke_token(auth_base_url: str, client_id: str, client_secret: str, token: str, *,
                 session: requests.Session | None = None) -> None:
    """Revoke an access token (``POST /oauth/v2/revoke``; LinkedIn documents it only in secondary sources).

    Raises:
        TokenEndpointError: When LinkedIn refuses the request.
        AuthError: When LinkedIn cannot be reached.

    """
    form = {"client_id": client_id, "client_secret": client_secret, "token": token}
    url = f"{auth_base_url.rstrip('/')}/revoke"
    status, body = _post_form(url, form, session=session, attempts=3, action="revoke the token")
    _raise_for_oauth_error(status, body, "revoke the token", form.values())
