"""Sums the sandbox's restated creative-day metrics into ``adAnalytics`` report rows, reusing recent answers.

:class:`AnalyticsReportMixin` holds the behaviour; :class:`~lisync.sandbox.analytics_model.AnalyticsModel`
inherits it and provides the per-creative-day metrics it sums.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from lisync.sandbox.analytics_catalog import TMetrics
from lisync.sandbox.analytics_profiles import CreativeProfile
from lisync.sandbox.analytics_rows import AggregateRow, bucket_of, pivot_value

__all__ = ["AGGREGATE_CACHE_SIZE", "AnalyticsReportMixin"]

# Answers kept for the next field chunks of the same request (a client's planner sends up to 5 in a row).
AGGREGATE_CACHE_SIZE = 4


class AnalyticsReportMixin:
    """Report rows of an analytics model; mixed into :class:`~lisync.sandbox.analytics_model.AnalyticsModel`.

    The host class initialises the attributes below and provides :attr:`today`, :meth:`profile`,
    :meth:`creative_day` and :meth:`creative_conversion_day`.

    Attributes:
        _aggregates: The last :data:`AGGREGATE_CACHE_SIZE` answers, least recently used first.
        _aggregate_lock: Guards ``_aggregates`` (requests are served from several threads).

    """

    _aggregates: OrderedDict[tuple[Any, ...], list[AggregateRow]]
    _aggregate_lock: threading.Lock

    @property
    def today(self) -> dt.date:
        """The sandbox's current day (provided by the host class)."""
        raise NotImplementedError

    def profile(self, creative_urn: str) -> CreativeProfile | None:
        """Return a creative's profile (provided by the host class)."""
        raise NotImplementedError

    def creative_day(self, creative_urn: str, day: dt.date) -> TMetrics | None:
        """Return a creative-day's restated metrics (provided by the host class)."""
        raise NotImplementedError

    def creative_conversion_day(self, creative_urn: str, day: dt.date) -> list[tuple[int, TMetrics]]:
        """Return a creative-day's restated metrics per conversion rule (provided by the host class)."""
        raise NotImplementedError

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
        key = (tuple(creative_urns), start, end, granularity, tuple(pivots), self.today)
        with self._aggregate_lock:
            cached = self._aggregates.get(key)
            if cached is not None:
                self._aggregates.move_to_end(key)
                return cached
        rows = self._sum_rows(creative_urns, start, end, granularity, pivots)
        with self._aggregate_lock:
            self._aggregates[key] = rows
            while len(self._aggregates) > AGGREGATE_CACHE_SIZE:
                self._aggregates.popitem(last=False)
        return rows

    def _sum_rows(self, creative_urns: Sequence[str], start: dt.date, end: dt.date, granularity: str,
                  pivots: Sequence[str]) -> list[AggregateRow]:
        by_conversion = "CONVERSION" in pivots
        last = min(end, self.today)
        rows: dict[tuple[dt.date, tuple[str, ...]], AggregateRow] = {}
        for urn in creative_urns:
            profile = self.profile(urn)
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
                    parts: list[tuple[int | None, TMetrics]] = list(self.creative_conversion_day(urn, day))
                else:
                    totals = self.creative_day(urn, day)
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
