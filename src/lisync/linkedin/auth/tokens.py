"""Access tokens for the HTTP client: a thread-safe provider that refreshes and persists them.

The client calls ``access_token()`` before each request and ``handle_unauthorized(code)`` after a 401.
The provider refreshes proactively when the access token is about to expire, as far as it knows: it can
only judge by the ``expires_in`` LinkedIn (or the sandbox, whose clock may run ahead) gave it, so a 401
``EXPIRED_ACCESS_TOKEN`` is the authoritative signal and triggers one refresh per distinct access token,
never a loop. New tokens are written to the credential store before the provider answers.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable

import requests

from lisync.linkedin.auth.credentials import (
    DEFAULT_AUTH_BASE_URL,
    Credentials,
    CredentialStore,
    CredentialStoreError,
    expiry_warnings,
)
from lisync.linkedin.auth.oauth import AuthError, NotLoggedIn, ReauthorizationRequired, refresh_access_token, utc_now
from lisync.linkedin.http.bearer import StaticTokenProvider, TokenProvider

__all__ = ["ACCESS_TOKEN_ENV", "RefreshingTokenProvider", "StaticTokenProvider", "provider_from_settings"]

ACCESS_TOKEN_ENV = "LINKEDIN_ACCESS_TOKEN"
DEFAULT_REFRESH_MARGIN = dt.timedelta(minutes=5)

log = logging.getLogger(__name__)


class RefreshingTokenProvider:
    """Hands out the current access token and renews it with the refresh token when needed.

    Args:
        credentials: The starting credentials (an empty access token means "refresh before first use").
        store: Where renewed credentials are saved; ``None`` keeps them in memory only.
        refresh_margin: Refresh this long before the known expiry (capped at half the token's lifetime,
            so a short-lived sandbox token is not refreshed on every request).
        session: HTTP session for the token endpoint.
        clock: Returns the current UTC time (tests pass a fake).

    """

    def __init__(self, credentials: Credentials, store: CredentialStore | None = None, *,
                 refresh_margin: dt.timedelta = DEFAULT_REFRESH_MARGIN,
                 session: requests.Session | None = None,
                 clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._credentials = credentials
        self._store = store
        self._margin = refresh_margin
        self._session = session
        self._clock = clock
        self._lock = threading.RLock()
        self._refreshed_from: set[str] = set()
        self._proactive_failed_for: str | None = None
        self._refusal: ReauthorizationRequired | None = None
        self.refresh_count = 0

    def __repr__(self) -> str:
        return f"RefreshingTokenProvider(client_id={self._credentials.client_id!r}, token=***)"

    @property
    def credentials(self) -> Credentials:
        """The current credentials."""
        with self._lock:
            return self._credentials

    def access_token(self) -> str:
        """Return the token to send now, refreshing first when it is missing or about to expire.

        Raises:
            ReauthorizationRequired: The token is unusable and LinkedIn refused the refresh token.
            NotLoggedIn: There is no access token and no way to get one.
            AuthError: The token is unusable and LinkedIn could not be reached to refresh it.

        """
        with self._lock:
            current = self._credentials
            if not self._due(current):
                return current.access_token
            usable = bool(current.access_token) and not self._expired(current)
            if self._refusal is not None and not usable:
                raise self._refusal
            if not current.can_refresh or self._refusal is not None or (
                    usable and current.access_token == self._proactive_failed_for):
                if not current.access_token:
                    raise NotLoggedIn("No LinkedIn access token: run `lisync auth login`.")
                return current.access_token
            try:
                if not self._adopt_from_store():
                    self._refresh()
            except AuthError as exc:
                if isinstance(exc, ReauthorizationRequired):
                    self._refusal = exc
                if not usable:
                    raise
                # The old token still works for a while; a 401 will say when it stops.
                log.warning("Could not refresh the LinkedIn access token ahead of expiry: %s", exc)
                self._proactive_failed_for = current.access_token
            return self._credentials.access_token

    def handle_unauthorized(self, error_code: str | None, used_token: str | None = None) -> bool:
        """React to a 401 from LinkedIn.

        Args:
            error_code: LinkedIn's ``code`` from the 401 body (e.g. ``EXPIRED_ACCESS_TOKEN``), if any.
            used_token: The token the failed request carried; lets concurrent requests that raced a
                refresh simply retry with the new token.

        Returns:
            ``True`` when a different, freshly obtained (and already persisted) token is ready and the
            request should be sent once more; ``False`` when nothing can be done (no refresh token, or this
            token was already refreshed once and still failed).

        Raises:
            ReauthorizationRequired: LinkedIn refused the refresh token (expired or revoked): the member
                must run ``lisync auth login`` again.
            AuthError: LinkedIn's OAuth server could not be reached.
            CredentialStoreError: The renewed credentials could not be saved.

        """
        with self._lock:
            current = self._credentials.access_token
            if used_token is not None and used_token != current:
                return True
            if not self._credentials.can_refresh or current in self._refreshed_from:
                return False
            log.info("LinkedIn answered 401 %s; refreshing the access token.", error_code or "(no code)")
            if not self._adopt_from_store():
                self._refresh()
            return self._credentials.access_token != current

    def refresh_token_days_left(self) -> float | None:
        """Return the days until the refresh token expires (negative once expired), or ``None``."""
        with self._lock:
            expires = self._credentials.refresh_token_expires_at
            if not self._credentials.refresh_token or expires is None:
                return None
            return (expires - self._clock()).total_seconds() / 86400

    def warnings(self) -> list[str]:
        """Return expiry warnings for the current credentials (see ``expiry_warnings``)."""
        with self._lock:
            return expiry_warnings(self._credentials, self._clock())

    # ----------------------------------------------------------------------------------------- internals

    def _expired(self, credentials: Credentials) -> bool:
        expires = credentials.access_token_expires_at
        return expires is not None and self._clock() >= expires

    def _due(self, credentials: Credentials) -> bool:
        if not credentials.access_token:
            return True
        expires = credentials.access_token_expires_at
        if expires is None:
            return False
        margin = self._margin
        if credentials.obtained_at is not None:
            margin = min(margin, (expires - credentials.obtained_at) / 2)
        return self._clock() >= expires - margin

    def _refresh(self) -> None:
        old = self._credentials
        try:
            new = refresh_access_token(old, session=self._session, now=self._clock())
        except ReauthorizationRequired as exc:
            self._refreshed_from.add(old.access_token)
            self._refusal = exc
            raise
        self._refreshed_from.add(old.access_token)
        if self._store is not None:
            self._store.save(new)
        self._credentials = new
        self._proactive_failed_for = None
        self.refresh_count += 1

    def _adopt_from_store(self) -> bool:
        # Another lisync process may have refreshed already; reuse its token rather than minting one more.
        if self._store is None:
            return False
        try:
            stored = self._store.load()
        except CredentialStoreError:
            return False
        current = self._credentials
        if (stored is None or not stored.access_token or stored.access_token == current.access_token
                or stored.access_token in self._refreshed_from or stored.client_id != current.client_id
                or self._due(stored)):
            return False
        self._refreshed_from.add(current.access_token)
        self._credentials = stored
        return True


def provider_from_settings(access_token: str | None = None, *, store: CredentialStore | None = None,
                           client_id: str | None = None, client_secret: str | None = None,
                           refresh_token: str | None = None, auth_base_url: str = DEFAULT_AUTH_BASE_URL,
                           session: requests.Session | None = None) -> TokenProvider:
    """Choose the token source, most explicit first.

    1. ``refresh_token`` + ``client_id`` + ``client_secret`` (e.g. dlt secrets): a refreshing provider kept
       in memory (with ``access_token`` as its first token, if given);
    2. ``access_token`` (flag, dlt secret) or ``$LINKEDIN_ACCESS_TOKEN``: a fixed token, never refreshed;
    3. the credential store written by ``lisync auth login``: a refreshing provider that persists.

    Args:
        access_token: An explicit access token.
        store: The credential store (default location when ``None``).
        client_id: Client id for an explicit refresh token.
        client_secret: Client secret for an explicit refresh token.
        refresh_token: An explicit refresh token.
        auth_base_url: OAuth server for an explicit refresh token.
        session: HTTP session for refreshes.

    Returns:
        A token provider for :class:`lisync.linkedin.http.client.LinkedInClient`.

    Raises:
        NotLoggedIn: Nothing to authenticate with.
        CredentialStoreError: The credential file exists but is unreadable.

    """
    if refresh_token and client_id and client_secret:
        explicit = Credentials(access_token=access_token or "", refresh_token=refresh_token,
                               client_id=client_id, client_secret=client_secret,
                               auth_base_url=auth_base_url.rstrip("/"))
        return RefreshingTokenProvider(explicit, None, session=session)
    token = access_token or os.environ.get(ACCESS_TOKEN_ENV)
    if token:
        return StaticTokenProvider(token)
    store = store or CredentialStore()
    stored = store.load()
    if stored is None:
        raise NotLoggedIn(f"No LinkedIn credentials: run `lisync auth login`, or set {ACCESS_TOKEN_ENV}.")
    return RefreshingTokenProvider(stored, store, session=session)
