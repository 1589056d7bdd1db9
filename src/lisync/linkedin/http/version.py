"""LinkedIn's REST base URL and the pinned ``LinkedIn-Version``, with the version's one-year support window.

:func:`version_sunset_warning` says when the pinned (or configured) ``LinkedIn-Version`` nears the end of
LinkedIn's one-year support.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from lisync.linkedin.http.sunsets import sunset_date

DEFAULT_API_BASE_URL: Final = "https://api.linkedin.com/rest"

# The one place the LinkedIn API version is pinned. LinkedIn supports each monthly version for one year;
# override with --api-version / SOURCES__LINKEDIN__API_VERSION when LinkedIn retires it.
DEFAULT_API_VERSION: Final = "202610"

# LinkedIn supports each monthly API version for about a year; warn this many days before that year ends.
VERSION_SUPPORT_MONTHS: Final = 12
VERSION_SUNSET_WARNING_DAYS: Final = 60


def version_support_ends(version: str) -> dt.date | None:
    """Return when LinkedIn's one-year support of ``version`` (``YYYYMM`` or ``YYYYMM.RR``) ends, or ``None``.

    The end is taken as the first day of the version's month one year later: LinkedIn's sunset dates fall in
    that month, so this is the earliest day the version may stop working.
    """
    listed = sunset_date(version)  # the table of published dates wins over the one-year rule
    if listed is not None:
        return listed
    digits = version.strip().split(".")[0]
    if len(digits) not in (6, 8) or not digits.isdigit() or not 1 <= int(digits[4:6]) <= 12:
        return None
    year, month = int(digits[:4]), int(digits[4:6])
    return dt.date(year + VERSION_SUPPORT_MONTHS // 12, month, 1)


def version_sunset_warning(version: str, today: dt.date) -> str | None:
    """Return a one-line warning when ``version`` is within 60 days of its support end (or past it), else ``None``."""
    ends = version_support_ends(version)
    if ends is None or today < ends - dt.timedelta(days=VERSION_SUNSET_WARNING_DAYS):
        return None
    when = f"in {(ends - today).days} days ({ends})" if today < ends else f"on {ends}"
    return (f"LinkedIn API version {version} leaves LinkedIn's one-year support window {when}: upgrade lisync "
            "or set api_version (--api-version) to a newer YYYYMM version before LinkedIn retires it.")
