"""The LinkedIn client of a run: the settings' base URL, API version and retry policy, and a token provider."""

from __future__ import annotations

from lisync.config.settings import RunSettings
from lisync.errors import ConfigError
from lisync.linkedin.http.bearer import StaticTokenProvider, TokenProvider
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.stats import RequestStats


def make_client(settings: RunSettings, token_provider: TokenProvider | None = None,
                stats: RequestStats | None = None) -> LinkedInClient:
    """Return the LinkedIn client for ``settings``.

    Args:
        settings: The run settings.
        token_provider: Where access tokens come from (see :func:`lisync.config.tokens.run_token_provider`);
            default: the settings' fixed access token.
        stats: Where requests are counted.

    Raises:
        ConfigError: When there is neither a token provider nor an access token.
    """
    if token_provider is None:
        if not settings.access_token:
            raise ConfigError("No LinkedIn access token: sign in with `lisync auth login`, or pass "
                              "--access-token / set LINKEDIN_ACCESS_TOKEN.")
        token_provider = StaticTokenProvider(settings.access_token)
    return LinkedInClient(token_provider, base_url=settings.api_base_url, api_version=settings.api_version,
                          stats=stats, retry_policy=settings.retry_policy)
