"""Typed constants shared across lisync: API defaults, pipeline names, defaults for run settings."""

from __future__ import annotations

from typing import Final

DEFAULT_API_BASE_URL: Final = "https://api.linkedin.com/rest"
DEFAULT_OAUTH_BASE_URL: Final = "https://www.linkedin.com/oauth/v2"

# The one place the LinkedIn API version is pinned. LinkedIn supports each monthly version for one year;
# override with --api-version / SOURCES__LINKEDIN__API_VERSION when LinkedIn retires it.
DEFAULT_API_VERSION: Final = "202610"

DEFAULT_DATASET: Final = "linkedin"
DEFAULT_DUCKDB_PATH: Final = "linkedin.duckdb"
DEMO_DUCKDB_PATH: Final = "lisync_demo.duckdb"
