"""Which token provider a run or check uses, with OAuth and credential-store failures made one-line.

Precedence (:func:`run_token_provider`, see :func:`lisync.linkedin.auth.tokens.provider_from_settings`): a refresh
token with the app's client id and secret from dlt config/secrets (the access token, if also set, is its first
token), then an explicit access token (``--access-token``, dlt secret ``access_token``, ``LINKEDIN_ACCESS_TOKEN``),
then the credential store ``lisync auth login`` wrote. The CLI, ``lisync check`` and :mod:`lisync.orchestrate` all
use it, so a scheduled run renews an expired token the same way an interactive one does.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from lisync.config.parse import config_value, secret_value
from lisync.errors import NotSignedIn, SignInFailed
from lisync.linkedin.auth.credentials import (
    CREDENTIALS_PATH_ENV,
    DEFAULT_AUTH_BASE_URL,
    CredentialStore,
    CredentialStoreError,
)
from lisync.linkedin.auth.oauth import AuthError, NotLoggedIn
from lisync.linkedin.auth.tokens import ACCESS_TOKEN_ENV, RefreshingTokenProvider, provider_from_settings
from lisync.linkedin.http.bearer import TokenProvider

__all__ = ["TranslatingProvider", "credential_store", "linkedin_secret", "linkedin_setting", "oauth_base_url",
           "run_token_provider"]


def linkedin_setting(key: str) -> str | None:
    """Return the ``sources.linkedin`` config value ``key``, stripped, or ``None`` when unset or empty."""
    value = config_value(key)
    return str(value).strip() if value not in (None, "") else None


def linkedin_secret(key: str) -> str | None:
    """Return the ``sources.linkedin`` secret ``key``, stripped, or ``None`` when unset or empty."""
    value = secret_value(key)
    return str(value).strip() if value not in (None, "") else None


def credential_store() -> CredentialStore:
    """Return the credential store: ``$LISYNC_CREDENTIALS_PATH``, ``credentials_path`` config, or the default."""
    if os.environ.get(CREDENTIALS_PATH_ENV):
        return CredentialStore()
    configured = linkedin_setting("credentials_path")
    return CredentialStore(os.path.expanduser(configured) if configured else None)


def oauth_base_url(flag: str | None = None) -> str:
    """Return the OAuth server: the flag, then ``oauth_base_url`` config, then LinkedIn's."""
    return (flag or linkedin_setting("oauth_base_url") or DEFAULT_AUTH_BASE_URL).rstrip("/")


class TranslatingProvider:
    """Wraps a token provider so OAuth and credential-store failures surface as one-line lisync errors."""

    def __init__(self, inner: TokenProvider) -> None:
        self.inner = inner

    def __repr__(self) -> str:
        return f"TranslatingProvider({self.inner!r})"

    def _call(self, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except NotLoggedIn as exc:
            raise NotSignedIn(str(exc)) from None
        except (AuthError, CredentialStoreError) as exc:
            raise SignInFailed(str(exc)) from None

    def access_token(self) -> str:
        """Return the inner provider's token."""
        token: str = self._call(self.inner.access_token)
        return token

    def handle_unauthorized(self, error_code: str | None, used_token: str | None = None) -> bool:
        """Let the inner provider renew the token after a 401."""
        inner = self.inner
        if isinstance(inner, RefreshingTokenProvider):
            return bool(self._call(lambda: inner.handle_unauthorized(error_code, used_token=used_token)))
        return bool(self._call(lambda: inner.handle_unauthorized(error_code)))

    def warnings(self) -> list[str]:
        """Return the inner provider's expiry warnings (none for a fixed token)."""
        if isinstance(self.inner, RefreshingTokenProvider):
            return self.inner.warnings()
        return []


def run_token_provider(access_token: str | None) -> TranslatingProvider:
    """Return the token provider for a run or a check.

    Args:
        access_token: The resolved explicit token (flag, dlt secret or ``LINKEDIN_ACCESS_TOKEN``), if any.

    Raises:
        NotSignedIn: Nothing to authenticate with.
        SignInFailed: The credential file exists but cannot be read.

    """
    try:
        inner = provider_from_settings(
            access_token, store=credential_store(), client_id=linkedin_setting("client_id"),
            client_secret=linkedin_secret("client_secret"), refresh_token=linkedin_secret("refresh_token"),
            auth_base_url=oauth_base_url())
    except NotLoggedIn:
        raise NotSignedIn(f"No LinkedIn access token: run `lisync auth login`, pass --access-token or set "
                          f"{ACCESS_TOKEN_ENV}.") from None
    except CredentialStoreError as exc:
        raise SignInFailed(str(exc)) from None
    return TranslatingProvider(inner)
