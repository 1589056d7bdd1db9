"""Sums the sandbox's restated creative-day metrics into ``adAnalytics`` report rows, reusing recent answers.

:class:`AnalyticsReport` sums the metrics of any :class:`TCreativeDays` source;
:class:`~lisync.sandbox.analytics.model.AnalyticsModel` is that source and holds one report as ``report``.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol

from lisync.sandbox.analytics.catalog import TMetrics
from lisync.sandbox.analytics.profiles import CreativeProfile
from lisync.sandbox.analytics.rows import AggregateRow, bucket_of, pivot_value

# Answers kept for the next field chunks of the same request (a client's planner sends up to 5 in a row).
AGGREGATE_CACHE_SIZE = 4


class TCreativeDays(Protocol):
    """What a report sums: creative profiles and their restated daily metrics, as of the sandbox's today."""

    @property
    def today(self) -> dt.date:
        """The sandbox's current day."""
        ...

    def profile(self, creative_urn: str) -> CreativeProfile | None:
        """Return a creative's profile, or ``None`` for an unknown creative."""
        ...

    def creative_day(self, creative_urn: str, day: dt.date) -> TMetrics | None:
        """Return a creative-day's restated metrics."""
        ...

    def creative_conversion_day(self, creative_urn: str, day: dt.date) -> list[tuple[int, TMetrics]]:
        """Return a creative-day's restated metrics per conversion rule."""
        ...


class AnalyticsReport:
    """Report rows summed from a :class:`TCreativeDays` source, with the last few answers kept.

    Args:
        source: Where creative profiles and creative-day metrics come from.

    """

    def __init__(self, source: TCreativeDays) -> None:
        self.source = source
        # The last AGGREGATE_CACHE_SIZE answers, least recently used first; the lock guards them (requests
        # are served from several threads).
        self.answers: OrderedDict[tuple[Any, ...], list[AggregateRow]] = OrderedDict()
        self._lock = threading.Lock()

    def aggregate(self, creative_urns: Sequence[str], start: dt.date, end: dt.date, granularity: str,
                  pivots: Sequence[str]) -> list[AggregateRow]:
        """Sum restated creative-day metrics into rows per pivot-value combination and time bucket.

        Clients ask for the same rows several times in a row, once per chunk of at most 20 fields, so the
        last few answers are kept (keyed by everything they depend on, today included); the rows returned
        are shared and must not be changed.

        Args:
            creative_urns: Creatives in scope (already filtered by facets and token visibility).
            start: First day, inclusive (UTC).
            end: Last day, inclusive.
            granularity: ``DAILY``, ``MONTHLY``, ``YEARLY`` or ``ALL``.
            pivots: Pivot names among ``CREATIVE``, ``CAMPAIGN``, ``CAMPAIGN_GROUP``, ``ACCOUNT``,
                ``CONVERSION``, ``SHARE``.

        Returns:
            Rows in no particular order; rows only exist for buckets with some activity.

        """
        key = (tuple(creative_urns), start, end, granularity, tuple(pivots), self.source.today)
        with self._lock:
            cached = self.answers.get(key)
            if cached is not None:
                self.answers.move_to_end(key)
                return cached
        rows = self._sum_rows(creative_urns, start, end, granularity, pivots)
        with self._lock:
            self.answers[key] = rows
            while len(self.answers) > AGGREGATE_CACHE_SIZE:
                self.answers.popitem(last=False)
        return rows

    def _sum_rows(self, creative_urns: Sequence[str], start: dt.date, end: dt.date, granularity: str,
                  pivots: Sequence[str]) -> list[AggregateRow]:
        by_conversion = "CONVERSION" in pivots
        last = min(end, self.source.today)
        rows: dict[tuple[dt.date, tuple[str, ...]], AggregateRow] = {}
        for urn in creative_urns:
            profile = self.source.profile(urn)
            if profile is None:
                continue
            window = profile.active_days(start, last)
            if window is None or (by_conversion and not profile.rules):
                continue
            if "SHARE" in pivots and profile.share is None:
                continue
            day = window[0]
            while day <= window[1]:
                if by_conversion:
                    parts: list[tuple[int | None, TMetrics]] = list(self.source.creative_conversion_day(urn, day))
                else:
                    totals = self.source.creative_day(urn, day)
                    parts = [(None, totals)] if totals else []
                if parts:
                    b_start, b_end = bucket_of(day, start, end, granularity)
                    for conversion_id, metrics in parts:
                        key = tuple(pivot_value(p, profile, conversion_id) for p in pivots)
                        row = rows.get((b_start, key))
                        if row is None:
                            row = rows[(b_start, key)] = AggregateRow(b_start, b_end, key)
                        sums = row.sums
                        for name, value in metrics.items():
                            sums[name] = sums.get(name, 0) + value
                        row.days.add(day)
                day += dt.timedelta(days=1)
        return list(rows.values())
