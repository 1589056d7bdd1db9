"""Small, pure value conversions used by every row shaper: epoch ms, money, nested lookups, JSON text."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import Any


def dig(obj: Any, *path: str) -> Any:
    """Return ``obj[path[0]][path[1]]…`` or ``None`` when any step is missing or not a mapping."""
    for key in path:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj


def to_float(value: Any) -> float | None:
    """Return ``value`` as a float (LinkedIn sends money and BigDecimals as strings), else ``None``.

    Booleans, non-numeric strings, NaN and infinities become ``None`` rather than a wrong number.
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def to_bool(value: Any) -> bool | None:
    """Return ``value`` if it is a real boolean, else ``None`` (never guesses from strings or numbers)."""
    return value if isinstance(value, bool) else None


def to_text(value: Any) -> str | None:
    """Return ``value`` as text: strings as they are, numbers via ``str``, lists/dicts as compact JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def ms_to_timestamp(value: Any) -> dt.datetime | None:
    """Return an aware UTC datetime for epoch milliseconds, or ``None`` for missing/invalid values."""
    number = to_float(value)
    if number is None:
        return None
    try:
        return dt.datetime.fromtimestamp(number / 1000.0, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def restli_date_to_date(value: Any) -> dt.date | None:
    """Return a ``date`` from LinkedIn's ``{"year", "month", "day"}`` record, or ``None``."""
    if not isinstance(value, Mapping):
        return None
    try:
        return dt.date(int(value["year"]), int(value["month"]), int(value["day"]))
    except (KeyError, TypeError, ValueError):
        return None
