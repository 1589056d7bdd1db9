"""Checks the LinkedIn endpoint settings before any request: the REST base URL and the API version.

A base URL without a scheme used to fail with "Cannot reach LinkedIn at  (" and an empty host, ``ftp://``
was accepted, and a URL missing ``/rest`` or pointing at another web server produced a misleading 404 about
ids. A version in the future was called "retired". These checks refuse such values with one line naming the
value and the fix.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from lisync.errors import ConfigError
from lisync.linkedin.http.version import DEFAULT_API_BASE_URL, DEFAULT_API_VERSION

__all__ = ["REST_PATH", "check_api_version_released", "check_base_url"]

REST_PATH = "/rest"  # LinkedIn's versioned REST API lives under https://api.linkedin.com/rest


def check_base_url(url: str) -> str:
    """Return ``url`` when it is an http(s) URL with a host whose path ends in ``/rest``.

    Raises:
        ConfigError: Naming the URL, what is wrong and LinkedIn's URL.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"Invalid --api-base-url {url!r}: use an http(s) URL with a host, such as "
                          f"{DEFAULT_API_BASE_URL} (or the URL `lisync sandbox` prints).")
    if not parts.path.rstrip("/").endswith(REST_PATH):
        raise ConfigError(f"--api-base-url {url} does not look like LinkedIn's REST API: its path must end in "
                          f"{REST_PATH}, as in {DEFAULT_API_BASE_URL} (for the sandbox, add /rest to its URL).")
    return url


def check_api_version_released(version: str, today: dt.date | None = None) -> str:
    """Return ``version`` (``YYYYMM`` or ``YYYYMM.RR``) when its month is real and not in the future.

    Raises:
        ConfigError: For month 00 or 13+, or a month after the current one (LinkedIn has not released it).
    """
    digits = version.split(".")[0]
    year, month = int(digits[:4]), int(digits[4:6])
    if not 1 <= month <= 12:
        raise ConfigError(f"Invalid --api-version {version}: {month:02d} is not a month; use LinkedIn's YYYYMM form, "
                          f"e.g. {DEFAULT_API_VERSION}.")
    now = today or dt.datetime.now(dt.UTC).date()
    if (year, month) > (now.year, now.month):
        raise ConfigError(f"--api-version {version} is in the future: LinkedIn has not released it; use a released "
                          f"YYYYMM version, e.g. {DEFAULT_API_VERSION} (the version this lisync pins).")
    return version
