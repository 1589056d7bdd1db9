"""LinkedIn-Version sunset dates: the one table lisync keeps, and the margin the pinned version has left.

LinkedIn releases a Marketing API version every month and supports each for at least one year
(https://learn.microsoft.com/en-us/linkedin/marketing/versioning); a retired version answers
``426 NONEXISTENT_VERSION``. The table below holds the sunset dates LinkedIn has published (deprecation
notices on the versioning page) and, for versions not yet announced, the end of the promised year (the
first day of the month one year after the release: the earliest a sunset may fall). CI fails when the
pinned version (:data:`lisync.linkedin.http.version.DEFAULT_API_VERSION`) is within :data:`PIN_MARGIN_DAYS` of its
sunset, or missing from the table: add the new pin's row when you move the pin.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

__all__ = ["PIN_MARGIN_DAYS", "SUNSET_DATES", "sunset_date"]

PIN_MARGIN_DAYS: Final = 90

# version → (sunset date, source). "notice": LinkedIn's deprecation notice says it has been sunset by then
# (the notice's docs view); "one year": the end of LinkedIn's one-year support promise.
SUNSET_DATES: Final[dict[str, tuple[dt.date, str]]] = {
    "202305": (dt.date(2024, 5, 1), "notice (versioning page, view li-lms-2024-05)"),
    "202311": (dt.date(2024, 11, 1), "notice (versioning page, view li-lms-2024-11)"),
    "202401": (dt.date(2025, 1, 1), "notice (versioning page, view li-lms-2025-01)"),
    "202511": (dt.date(2026, 11, 1), "one year"),
    "202601": (dt.date(2027, 1, 1), "one year"),
    "202610": (dt.date(2027, 10, 1), "one year"),
}


def sunset_date(version: str) -> dt.date | None:
    """Return the table's sunset date of ``version`` (``YYYYMM`` or ``YYYYMM.RR``), or ``None`` if not listed."""
    entry = SUNSET_DATES.get(version.strip().split(".")[0])
    return entry[0] if entry else None
