"""Savepoints for *Incremental with update window* pipelines: what to read this run, and when to advance.

The spec's semantics: a savepoint starts at *Read start date* and moves forward only after data is safely
loaded; each run re-reads from ``savepoint − update window`` up to today and upserts, because LinkedIn
restates recent days. A bounded backfill (``--end-date``) reads up to its end date instead, and the savepoint
stops there, so a later open run continues from it. lisync keeps one savepoint per entity scope (an ad
account, an organization) in dlt's resource state, which dlt writes into the destination in the same load
as the rows — so a savepoint can never run ahead of committed data, and a crash before the load commits
re-reads the same window next time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

SAVEPOINTS_KEY = "savepoints"


@dataclass(frozen=True)
class ReadWindow:
    """The inclusive range of days one run reads for one scope."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        """Number of days in the window."""
        return (self.end - self.start).days + 1


def plan_read_window(savepoint: dt.date | None, start_date: dt.date, update_window_days: int,
                     today: dt.date, end_date: dt.date | None = None) -> ReadWindow | None:
    """Return the days to read this run, or ``None`` when there is nothing to read.

    Args:
        savepoint: The last day already loaded for this scope (``None`` on the first run).
        start_date: *Read start date*: nothing before it is ever read.
        update_window_days: How many days before the savepoint are re-read (restated data).
        today: The run's UTC date; reading stops there (today's partial data is re-read next run).
        end_date: The bounded backfill's last day (``--end-date``): reading stops there when it is before
            ``today``; the update window never reaches past it either.

    Returns:
        The window, or ``None`` if it would start after its last day.
    """
    last = today if end_date is None else min(today, end_date)
    start = start_date if savepoint is None else max(start_date, savepoint - dt.timedelta(days=update_window_days))
    if start > last:
        return None
    return ReadWindow(start, last)


def get_savepoint(state: MutableMapping[str, Any], scope: str) -> dt.date | None:
    """Return the savepoint stored for ``scope`` in a dlt resource state, or ``None``."""
    value = (state.get(SAVEPOINTS_KEY) or {}).get(scope)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None  # a corrupted savepoint re-reads from the start date rather than failing


def set_savepoint(state: MutableMapping[str, Any], scope: str, day: dt.date) -> None:
    """Store ``day`` as ``scope``'s savepoint (never moves it backwards)."""
    savepoints = state.setdefault(SAVEPOINTS_KEY, {})
    current = get_savepoint(state, scope)
    if current is None or day > current:
        savepoints[scope] = day.isoformat()
