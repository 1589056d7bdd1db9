"""Calendar helpers of the organic world: epoch milliseconds, month arithmetic and statistics time buckets.

LinkedIn's organic statistics take ``timeIntervals`` in epoch milliseconds with a ``DAY``, ``WEEK`` or
``MONTH`` granularity; these functions turn such a window into whole buckets and UTC dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from lisync.sandbox import synth

TGranularity = Literal["DAY", "WEEK", "MONTH"]

DAY_MS = 86_400_000
# LinkedIn's organic statistics lag about two days behind today.
DATA_LAG_DAYS = 2


def data_cutoff(today: dt.date) -> dt.date:
    """First date without organic statistics yet on ``today`` (LinkedIn's data lag)."""
    return today - dt.timedelta(days=DATA_LAG_DAYS - 1)


def date_to_ms(day: dt.date) -> int:
    """Epoch milliseconds of ``day`` at 00:00 UTC."""
    return synth.day_start_ms(day)


def ms_to_datetime(ms: int) -> dt.datetime:
    """Return the UTC datetime of epoch milliseconds ``ms``."""
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """``moment`` plus ``months`` calendar months, clamping the day to the target month's length."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    next_first = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_first - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def time_buckets(start_ms: int, end_ms: int, granularity: TGranularity) -> list[tuple[int, int]]:
    """Split ``[start_ms, end_ms)`` into whole buckets of ``granularity`` aligned on ``start_ms``.

    Args:
        start_ms: Inclusive start, epoch ms.
        end_ms: Exclusive end, epoch ms.
        granularity: ``DAY``, ``WEEK`` or ``MONTH`` (calendar months from the start's day).

    Returns:
        ``(bucket_start_ms, bucket_end_ms)`` pairs; a trailing partial bucket is left out.

    """
    buckets: list[tuple[int, int]] = []
    start = ms_to_datetime(start_ms)
    index = 0
    while True:
        if granularity == "MONTH":
            low, high = add_months(start, index), add_months(start, index + 1)
            bucket = (int(low.timestamp() * 1000), int(high.timestamp() * 1000))
        else:
            width = DAY_MS * (7 if granularity == "WEEK" else 1)
            bucket = (start_ms + index * width, start_ms + (index + 1) * width)
        if bucket[1] > end_ms:
            return buckets
        buckets.append(bucket)
        index += 1


def days_in(start_ms: int, end_ms: int) -> list[dt.date]:
    """Return the UTC dates whose midnight falls in ``[start_ms, end_ms)``."""
    first = ms_to_datetime(start_ms).date()
    if date_to_ms(first) < start_ms:
        first += dt.timedelta(days=1)
    out = []
    while date_to_ms(first) < end_ms:
        out.append(first)
        first += dt.timedelta(days=1)
    return out
