"""`lisync auth` as a library: browser login with a loopback callback (or paste-back), logout and status.

The CLI only renders what these functions return. ``login`` runs LinkedIn's authorization-code flow:

1. a fresh CSRF ``state`` and the authorization URL (:func:`lisync.linkedin.auth.oauth.build_authorization_url`);
2. either a one-shot HTTP server on ``127.0.0.1:<port><path>`` that captures the redirect, or, headless,
   the member pastes the URL their browser was sent to (the page itself fails to load; that is fine);
3. the state check and the code exchange, then the credentials are saved to the private store.

The redirect URL (``http://127.0.0.1:8765/callback`` by default) must be registered on the LinkedIn app
exactly, port included.
"""

from __future__ import annotations

import datetime as dt
import html
import threading
import webbrowser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from lisync.linkedin.auth.credentials import DEFAULT_AUTH_BASE_URL, Credentials, CredentialStore, expiry_warnings
from lisync.linkedin.auth.oauth import (
    AuthError,
    TokenEndpointError,
    build_authorization_url,
    exchange_code,
    new_state,
    parse_redirected_url,
    revoke_token,
    utc_now,
)
from lisync.linkedin.auth.scopes import DEFAULT_PIPELINES, blocked_pipelines

__all__ = ["AuthStatus", "CallbackServer", "LogoutResult", "auth_status", "login", "logout"]

DEFAULT_CALLBACK_HOST = "127.0.0.1"
DEFAULT_CALLBACK_PORT = 8765
DEFAULT_CALLBACK_PATH = "/callback"
DEFAULT_LOGIN_TIMEOUT_SECONDS = 300.0

_DONE_PAGE = ("<!doctype html><html><head><meta charset='utf-8'><title>lisync</title></head><body>"
              "<h1>{title}</h1><p>{text}</p></body></html>")


class CallbackServer:
    """A one-request HTTP server on the loopback interface that captures LinkedIn's redirect.

    Use as a context manager; ``port=0`` picks a free port (tests and the sandbox accept any loopback
    port; real LinkedIn needs the exact registered one).

    Args:
        port: TCP port on 127.0.0.1.
        path: The redirect path to answer (other paths get 404, e.g. the browser's favicon request).
        host: Interface to bind; keep the loopback default.

    """

    def __init__(self, port: int = DEFAULT_CALLBACK_PORT, path: str = DEFAULT_CALLBACK_PATH,
                 host: str = DEFAULT_CALLBACK_HOST) -> None:
        self.path = path if path.startswith("/") else f"/{path}"
        self._received: str | None = None
        self._done = threading.Event()
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                params = parse_qs(parts.query)
                if parts.path != outer.path or not ({"code", "error"} & params.keys()):
                    self.send_error(404)
                    return
                denied = "error" in params
                title = "lisync was not authorized" if denied else "lisync is signed in"
                text = ("LinkedIn did not authorize lisync; see your terminal." if denied
                        else "You can close this tab and return to your terminal.")
                page = _DONE_PAGE.format(title=html.escape(title), text=html.escape(text)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(page)
                if not outer._done.is_set():
                    outer._received = self.path
                    outer._done.set()

            def log_message(self, format: str, *args: Any) -> None:
                # The default logs the request line, which carries the authorization code.
                return

        try:
            self._server = HTTPServer((host, port), _Handler)
        except OSError as exc:
            raise AuthError(f"Cannot listen on {host}:{port} for LinkedIn's redirect ({exc.strerror}): "
                            "free the port or choose another with --port (and register that redirect URL "
                            "on the LinkedIn app).") from None
        self.host = host
        self.port = int(self._server.server_address[1])
        # A short poll interval makes shutdown prompt once the one redirect has arrived.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="lisync-oauth-callback", daemon=True)

    @property
    def redirect_uri(self) -> str:
        """The redirect URL to send in the authorization request."""
        return f"http://{self.host}:{self.port}{self.path}"

    def __enter__(self) -> CallbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving and release the port."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

    def wait(self, timeout_seconds: float = DEFAULT_LOGIN_TIMEOUT_SECONDS) -> str:
        """Wait for the redirect and return its path with query (e.g. ``/callback?code=..&state=..``).

        Raises:
            AuthError: When no redirect arrives in time.

        """
        if not self._done.wait(timeout_seconds):
            raise AuthError(f"No answer from LinkedIn within {timeout_seconds:.0f} seconds: run "
                            "`lisync auth login` again, or use --no-browser to paste the redirected URL.")
        self.close()
        assert self._received is not None
        return self._received


def login(client_id: str, client_secret: str, scopes: Iterable[str], *,
          auth_base_url: str = DEFAULT_AUTH_BASE_URL,
          port: int = DEFAULT_CALLBACK_PORT,
          callback_path: str = DEFAULT_CALLBACK_PATH,
          open_browser: bool = True,
          browser: Callable[[str], object] | None = None,
          paste_url: Callable[[], str] | None = None,
          show_url: Callable[[str], object] | None = None,
          timeout_seconds: float = DEFAULT_LOGIN_TIMEOUT_SECONDS,
          store: CredentialStore | None = None,
          session: requests.Session | None = None,
          now: dt.datetime | None = None) -> Credentials:
    """Sign in with LinkedIn and return (and, given a store, save) the new credentials.

    Args:
        client_id: The LinkedIn app's client id.
        client_secret: The LinkedIn app's client secret.
        scopes: Scopes to request (see :func:`lisync.linkedin.auth.scopes.scopes_for`).
        auth_base_url: OAuth server (LinkedIn, or ``{sandbox}/oauth/v2``).
        port: Loopback port of the redirect URL (``0`` = any free port, callback mode only).
        callback_path: Path of the redirect URL.
        open_browser: Open the authorization URL in a browser (callback mode).
        browser: Opens a URL; :func:`webbrowser.open` by default (tests pass an HTTP driver).
        paste_url: Headless mode: returns the URL the browser was redirected to, as pasted by the user.
            When given, no server is started.
        show_url: Receives the authorization URL so the caller can print it (always called).
        timeout_seconds: How long the callback server waits.
        store: Where to save the credentials; nothing is saved when ``None``.
        session: HTTP session for the code exchange.
        now: Time used for expiries (default: now).

    Returns:
        The new credentials.

    Raises:
        StateMismatchError: The redirect belongs to another login attempt.
        AuthorizationDenied: The member cancelled or LinkedIn refused the request.
        TokenEndpointError: LinkedIn refused the code exchange.
        AuthError: Timeout, port in use, or LinkedIn unreachable.

    """
    state = new_state()
    scope_list = list(scopes)
    if paste_url is not None and not port:
        raise ValueError("Headless login needs a fixed --port: it is part of the redirect URL registered on "
                         "the LinkedIn app.")
    if paste_url is not None:
        redirect_uri = f"http://{DEFAULT_CALLBACK_HOST}:{port}{callback_path}"
        url = build_authorization_url(auth_base_url, client_id, redirect_uri, scope_list, state)
        if show_url:
            show_url(url)
        code = parse_redirected_url(paste_url(), state)
    else:
        with CallbackServer(port, callback_path) as server:
            redirect_uri = server.redirect_uri
            url = build_authorization_url(auth_base_url, client_id, redirect_uri, scope_list, state)
            if show_url:
                show_url(url)
            if open_browser:
                (browser or webbrowser.open)(url)
            received = server.wait(timeout_seconds)
        code = parse_redirected_url(received, state)
    credentials = exchange_code(auth_base_url, client_id, client_secret, code, redirect_uri,
                                session=session, now=now)
    if store is not None:
        store.save(credentials)
    return credentials


@dataclass(frozen=True)
class LogoutResult:
    """What ``logout`` did.

    Attributes:
        removed: Whether a credential file was deleted.
        revoked: Whether LinkedIn confirmed the access token's revocation.
        revoke_error: Why revocation failed, if it was attempted and failed (the file is removed anyway).

    """

    removed: bool
    revoked: bool = False
    revoke_error: str | None = None


def logout(store: CredentialStore, *, revoke: bool = True, session: requests.Session | None = None
           ) -> LogoutResult:
    """Forget the stored credentials, first revoking the access token at LinkedIn when possible.

    Args:
        store: The credential store.
        revoke: Try ``/oauth/v2/revoke`` before deleting (best effort).
        session: HTTP session for the revocation.

    Returns:
        What was done.

    """
    credentials = store.load()
    if credentials is None:
        return LogoutResult(removed=store.delete())
    revoked, error = False, None
    if revoke and credentials.access_token and credentials.client_id and credentials.client_secret:
        try:
            revoke_token(credentials.auth_base_url, credentials.client_id, credentials.client_secret,
                         credentials.access_token, session=session)
            revoked = True
        except (TokenEndpointError, AuthError) as exc:
            error = str(exc)
    return LogoutResult(removed=store.delete(), revoked=revoked, revoke_error=error)


@dataclass(frozen=True)
class AuthStatus:
    """What ``lisync auth status`` shows. No secret is held here.

    Attributes:
        logged_in: Whether credentials exist.
        client_id: The app's client id.
        auth_base_url: The OAuth server.
        scopes: Granted scopes.
        access_token_expires_at: Access token expiry.
        refresh_token_expires_at: Refresh token expiry.
        can_refresh: Whether lisync can renew the access token unattended.
        blocked: Pipelines the scopes cannot run, with what each lacks.
        warnings: Expiry warnings with fixes.
        now: The time the status was computed for.

    """

    logged_in: bool
    client_id: str | None = None
    auth_base_url: str | None = None
    scopes: frozenset[str] = frozenset()
    access_token_expires_at: dt.datetime | None = None
    refresh_token_expires_at: dt.datetime | None = None
    can_refresh: bool = False
    blocked: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    now: dt.datetime | None = None

    def lines(self) -> list[str]:
        """Return the status as short human lines, warnings last."""
        if not self.logged_in:
            return ["Not signed in: run `lisync auth login` (or set LINKEDIN_ACCESS_TOKEN)."]
        out = [f"Signed in to {self.auth_base_url} as app {self.client_id or '(unknown client)'}.",
               f"Scopes: {', '.join(sorted(self.scopes)) or '(unknown)'}.",
               f"Access token: {_when(self.access_token_expires_at, self.now)}.",
               (f"Refresh token: {_when(self.refresh_token_expires_at, self.now)}; lisync renews the access "
                "token by itself." if self.can_refresh else "No refresh token: sign in again when the access "
                "token expires.")]
        for pipeline, missing in self.blocked.items():
            out.append(f"Pipeline {pipeline} cannot run: the token lacks {' and '.join(missing)}.")
        return out + self.warnings


def _when(moment: dt.datetime | None, now: dt.datetime | None) -> str:
    if moment is None:
        return "expiry unknown"
    stamp = moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    if now is None:
        return f"expires {stamp}"
    days = (moment - now).total_seconds() / 86400
    return f"expired {stamp}" if days <= 0 else f"expires {stamp} (in {days:.1f} days)"


def auth_status(credentials: Credentials | None, now: dt.datetime | None = None,
                pipelines: Iterable[str] = DEFAULT_PIPELINES) -> AuthStatus:
    """Summarise credentials for display.

    Args:
        credentials: Stored credentials, or ``None``.
        now: Current time (default: now).
        pipelines: Pipelines whose scopes to check; by default all but the opt-in (Lead Sync) ones.

    Returns:
        The status; render it with :meth:`AuthStatus.lines`.

    """
    now = now or utc_now()
    if credentials is None:
        return AuthStatus(logged_in=False, now=now)
    blocked = blocked_pipelines(credentials.scopes, pipelines) if credentials.scopes else {}
    return AuthStatus(
        logged_in=True, client_id=credentials.client_id, auth_base_url=credentials.auth_base_url,
        scopes=credentials.scopes, access_token_expires_at=credentials.access_token_expires_at,
        refresh_token_expires_at=credentials.refresh_token_expires_at, can_refresh=credentials.can_refresh,
        blocked=blocked, warnings=expiry_warnings(credentials, now), now=now)

