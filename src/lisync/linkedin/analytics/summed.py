"""Sums a report's rows across the requests of one run, for reports whose rows span ad accounts.

A custom report without an account-scoped pivot (``IMPRESSION_DEVICE_TYPE`` alone, say) answers one row per
pivot value and period for all the accounts of a request. When the planner spreads the accounts (or the days of
one period) over several requests, every request answers the same key with its own share, and the table's row is
their sum. Such rows are few (pivot values × periods), so they are held until the run's last request and yielded
once. A row built from several requests leaves its non-additive metrics (averages, cost-per, reach) empty:
they cannot be rebuilt from the parts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from lisync.linkedin.analytics.report_fields import NON_ADDITIVE_METRICS

TKey = tuple[tuple[str, ...], dt.date | None]


@dataclass
class SummedRow:
    """One key's sum so far.

    Attributes:
        start: First day of the row's period (the earliest part's).
        end: Last day of the row's period (the latest part's).
        metrics: LinkedIn metric name → value (summed when ``parts`` > 1).
        parts: How many requests answered this key.
    """

    start: dt.date
    end: dt.date
    metrics: dict[str, Any] = field(default_factory=dict)
    parts: int = 0


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _add(total: Any, value: Any) -> Any:
    """Add two LinkedIn metric values, keeping the value's kind (money arrives as decimal strings)."""
    left, right = _number(total), _number(value)
    if left is None or right is None:
        return value if left is None else total
    out = left + right
    if isinstance(total, str) or isinstance(value, str):
        return str(out)
    if isinstance(total, int) and isinstance(value, int):
        return int(out)
    return float(out)


class SummedRows:
    """Rows of one report summed by pivot values and period across the run's requests.

    Args:
        granularity: ``DAILY`` (one row per day), ``MONTHLY`` (per calendar month) or ``ALL`` (one period).
        metrics: The report's LinkedIn metric names.
    """

    def __init__(self, granularity: str, metrics: Sequence[str]) -> None:
        self.granularity = granularity
        self.metrics = tuple(metrics)
        self._rows: dict[TKey, SummedRow] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def _bucket(self, day: dt.date) -> dt.date | None:
        if self.granularity == "ALL":
            return None
        return day.replace(day=1) if self.granularity == "MONTHLY" else day

    def add(self, pivot_values: tuple[str, ...], start: dt.date, end: dt.date, metrics: Mapping[str, Any]) -> None:
        """Add one request's row for ``pivot_values`` over ``start…end``."""
        key = (pivot_values, self._bucket(start))
        row = self._rows.get(key)
        if row is None:
            self._rows[key] = SummedRow(start, end, {m: metrics.get(m) for m in self.metrics}, 1)
            return
        row.start, row.end, row.parts = min(row.start, start), max(row.end, end), row.parts + 1
        for metric in self.metrics:
            row.metrics[metric] = _add(row.metrics[metric], metrics.get(metric))

    def rows(self) -> Iterator[tuple[tuple[str, ...], SummedRow]]:
        """Yield every key's row; non-additive metrics of rows built from several requests are ``None``.

        ALL rows all span the run's whole range (the earliest start and latest end of any part), as one
        unsplit request's rows would.
        """
        if self.granularity == "ALL" and self._rows:
            first = min(row.start for row in self._rows.values())
            last = max(row.end for row in self._rows.values())
            for row in self._rows.values():
                row.start, row.end = first, last
        for (pivot_values, _), row in self._rows.items():
            if row.parts > 1:
                for metric in NON_ADDITIVE_METRICS.intersection(self.metrics):
                    row.metrics[metric] = None
            yield pivot_values, row

    @property
    def combined(self) -> int:
        """How many rows were built from more than one request."""
        return sum(1 for row in self._rows.values() if row.parts > 1)
