"""Report rows of the sandbox's ``adAnalytics``: time buckets, pivot values, summed rows and per-row reach."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from lisync.sandbox.analytics.catalog import TMetrics
from lisync.sandbox.analytics.profiles import CreativeProfile


@dataclass
class AggregateRow:
    """Summed metrics for one pivot-value combination and time bucket."""

    start: dt.date
    end: dt.date
    pivot_values: tuple[str, ...]
    sums: TMetrics = field(default_factory=dict)
    days: set[dt.date] = field(default_factory=set)


def bucket_of(day: dt.date, start: dt.date, end: dt.date, granularity: str) -> tuple[dt.date, dt.date]:
    """Return the ``(first, last)`` days of the time bucket holding ``day``, clipped to ``[start, end]``."""
    if granularity == "DAILY":
        return day, day
    if granularity == "ALL":
        return start, end
    if granularity == "YEARLY":
        first, last = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    else:
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return max(first, start), min(last, end)


def pivot_value(pivot: str, profile: CreativeProfile, conversion_id: int | None) -> str:
    """Return the ``pivotValues`` entry of one pivot for a creative (and conversion rule)."""
    if pivot == "CREATIVE":
        return profile.urn
    if pivot == "CAMPAIGN":
        return f"urn:li:sponsoredCampaign:{profile.campaign_id}"
    if pivot == "CAMPAIGN_GROUP":
        return f"urn:li:sponsoredCampaignGroup:{profile.group_id}"
    if pivot == "ACCOUNT":
        return f"urn:li:sponsoredAccount:{profile.account_id}"
    if pivot == "CONVERSION":
        return f"urn:lla:llaPartnerConversion:{conversion_id}"
    if pivot == "SHARE" and profile.share is not None:
        return profile.share
    raise ValueError(f"Pivot {pivot} is not modelled by the sandbox analytics model.")


def approximate_reach(impressions: int, active_days: int) -> int:
    """Return an approximate member reach: fewer unique members than impressions, more so over more days."""
    if impressions <= 0:
        return 0
    return max(1, math.ceil(impressions / (1.15 + 0.35 * math.log(max(active_days, 1)))))


def watch_time_metric(name: str, sums: TMetrics) -> int | float | str:
    """Return a 202601 watch-time metric of a row, derived from its additive counts (so sums stay consistent).

    ``videoWatchTime`` (seconds) grows with starts, views and completions; ``eventViews`` are the views of
    event ads (registrations' creatives), each watched about 4 minutes; the averages and the cost per event
    view are per row, never additive.
    """
    video_seconds = 3 * sums.get("videoStarts", 0) + 6 * sums.get("videoViews", 0) + 9 * sums.get("videoCompletions", 0)
    event_views = 3 * sums.get("registrations", 0)
    if name == "videoWatchTime":
        return video_seconds
    if name == "averageVideoWatchTime":
        views = sums.get("videoViews", 0)
        return round(video_seconds / views, 2) if views else 0.0
    if name == "eventViews":
        return event_views
    if name == "eventWatchTime":
        return 240 * event_views
    if name == "averageEventWatchTime":
        return 240.0 if event_views else 0.0
    if name == "costPerEventView":
        cost = sums.get("costInLocalCurrency", 0) / 1_000_000
        text = f"{cost / event_views:.6f}".rstrip("0").rstrip(".") if event_views else "0"
        return text or "0"
    raise ValueError(f"{name} is not a watch-time metric")
