"""Time-bound organization statistics: the window LinkedIn accepts, the three finders, a row per period.

LinkedIn's rules for time-bound organic statistics (page, follower and share statistics; see
https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/page-statistics and
share-statistics): data exists only for the rolling last 12 months, a request must end at least two days
before now (organic statistics are finalised with about two days of lag), and a range must hold at least one
whole period of its granularity. lisync plans one window per organization and run inside those rules:

* start: the *Read start date* (default and floor: 12 months ago, plus a day of margin) on the first run,
  then ``savepoint − REREAD_DAYS + 1`` so the last days loaded are read again once LinkedIn finalises them;
* end (exclusive): ``today − 2 days``, or the day after a bounded backfill's end date (``--end-date``) when
  that is earlier;
* both ends aligned on period boundaries (ISO weeks start on Monday, months on the 1st), so a period is
  always read whole and its row key (``metric_date`` = first day of the period) never changes.

A 12-month window fits in one request, so a run costs exactly one call per finder per organization.

LinkedIn serves share statistics by day or month only ("within all of the days or months", share-statistics
page); page and follower statistics also come by week. A ``week`` run therefore reads share statistics by
day and sums each ISO week: the counts add up, ``engagement`` is recomputed as LinkedIn defines it (clicks,
likes, comments and shares over impressions), and ``uniqueImpressionsCount`` stays empty, because unique
impressions of seven days are not the sum of each day's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from lisync.linkedin.convert import dig, ms_to_timestamp, to_float
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.restli import restli_record, time_range_ms
from lisync.linkedin.pages.organizations import Organization
from lisync.linkedin.pages.shape_statistics import shape_page_row

TPeriod = Literal["day", "week", "month"]

GRANULARITY: dict[str, str] = {"day": "DAY", "week": "WEEK", "month": "MONTH"}
LOOKBACK_MONTHS = 12
END_LAG_DAYS = 2
REREAD_DAYS = 2
# (path, finder, entity parameter, record holding the statistics)
FINDERS = (
    ("organizationPageStatistics", "organization", "organization", "totalPageStatistics"),
    ("organizationalEntityFollowerStatistics", "organizationalEntity", "organizationalEntity",
     "followerGains"),
    ("organizationalEntityShareStatistics", "organizationalEntity", "organizationalEntity",
     "totalShareStatistics"),
)
SHARE_FINDER = FINDERS[2]
# Showcase pages: page statistics by organization brand (page-statistics docs).
BRAND_PAGE_FINDER = ("brandPageStatistics", "brand", "brand", "totalPageStatistics")
# What a week of share statistics is summed from, and the counts behind LinkedIn's engagement rate.
ADDITIVE_SHARE_COUNTS = ("impressionCount", "clickCount", "likeCount", "commentCount", "shareCount")
ENGAGED_COUNTS = ("clickCount", "likeCount", "commentCount", "shareCount")


@dataclass(frozen=True)
class StatisticsWindow:
    """Whole periods to request: ``start`` inclusive, ``end`` exclusive, both on period boundaries."""

    start: dt.date
    end: dt.date
    period: TPeriod


def months_before(day: dt.date, months: int) -> dt.date:
    """Return ``day`` minus ``months`` calendar months (the day clamped to the target month's length)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_first = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (next_first - dt.timedelta(days=1)).day))


def earliest_start(today: dt.date) -> dt.date:
    """First day LinkedIn still serves: 12 months back, plus one day so the time of day never matters."""
    return months_before(today, LOOKBACK_MONTHS) + dt.timedelta(days=1)


def align_down(day: dt.date, period: TPeriod) -> dt.date:
    """Return the first day of the period holding ``day``."""
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def next_boundary(day: dt.date, period: TPeriod) -> dt.date:
    """Return the first day of the period after the one holding ``day``."""
    start = align_down(day, period)
    if period == "week":
        return start + dt.timedelta(days=7)
    if period == "month":
        return (start + dt.timedelta(days=32)).replace(day=1)
    return start + dt.timedelta(days=1)


def plan_statistics_window(savepoint: dt.date | None, start_date: dt.date | None, today: dt.date,
                           period: TPeriod, end_date: dt.date | None = None) -> StatisticsWindow | None:
    """Return the whole periods to read this run, or ``None`` when not even one period is ready.

    Args:
        savepoint: Last day already loaded for this organization and period (``None`` on the first run).
        start_date: *Read start date*, if the user set one.
        today: The run's UTC date.
        period: ``day``, ``week`` or ``month``.
        end_date: A bounded backfill's last day: only whole periods ending on or before it are read.

    """
    floor = earliest_start(today)
    start = (savepoint - dt.timedelta(days=REREAD_DAYS - 1)) if savepoint else (start_date or floor)
    if start_date and start < start_date:
        start = start_date
    start = align_down(max(start, floor), period)
    if start < floor:
        start = next_boundary(start, period)
    end = today - dt.timedelta(days=END_LAG_DAYS)
    if end_date is not None:
        end = min(end, end_date + dt.timedelta(days=1))
    end = align_down(end, period)
    if end < next_boundary(start, period):
        return None
    return StatisticsWindow(start, end, period)


def fetch_time_bound(client: LinkedInClient, finder: tuple[str, str, str, str], organization_urn: str,
                     window: StatisticsWindow, granularity: TPeriod | None = None) -> dict[dt.date, dict[str, Any]]:
    """Call one time-bound finder and return its statistics record per bucket start date.

    Args:
        client: The LinkedIn client.
        finder: One of :data:`FINDERS`.
        organization_urn: The organization.
        window: The whole periods to read.
        granularity: Bucket size to ask for, when not the window's period.

    """
    path, q, entity, record = finder
    params = {
        "q": q,
        entity: organization_urn,
        "timeIntervals": restli_record(timeRange=time_range_ms(window.start, window.end),
                                       timeGranularityType=GRANULARITY[granularity or window.period]),
    }
    body = client.get(path, params)
    out: dict[dt.date, dict[str, Any]] = {}
    for element in body.get("elements") or []:
        started = ms_to_timestamp(dig(element, "timeRange", "start"))
        value = element.get(record) if isinstance(element, dict) else None
        if started is not None and isinstance(value, dict):
            out[started.date()] = value
    return out


def read_organization_periods(client: LinkedInClient, organization: Organization,
                              window: StatisticsWindow) -> Iterator[dict[str, Any]]:
    """Yield one ``organization_pages`` row per period that any of the three finders reported.

    A showcase page's page statistics come from ``brandPageStatistics`` (its brand URN); its follower and
    share statistics, like a company page's, from the ``organizationalEntity`` finders.
    """
    if organization.showcase:
        page = fetch_time_bound(client, BRAND_PAGE_FINDER, organization.brand_urn, window)
    else:
        page = fetch_time_bound(client, FINDERS[0], organization.urn, window)
    followers = fetch_time_bound(client, FINDERS[1], organization.urn, window)
    if window.period == "week":
        shares = weekly_share_statistics(fetch_time_bound(client, SHARE_FINDER, organization.urn, window, "day"))
    else:
        shares = fetch_time_bound(client, SHARE_FINDER, organization.urn, window)
    for day in sorted(set(page) | set(followers) | set(shares)):
        if window.start <= day < window.end:
            yield shape_page_row(day, organization.urn, organization.name, page.get(day), followers.get(day),
                                 shares.get(day))


def weekly_share_statistics(daily: dict[dt.date, dict[str, Any]]) -> dict[dt.date, dict[str, Any]]:
    """Sum daily ``totalShareStatistics`` records into one record per ISO week (keyed by its Monday).

    Counts are summed; ``engagement`` is recomputed from the sums; ``uniqueImpressionsCount`` is left out
    (unique impressions do not add up across days).
    """
    weeks: dict[dt.date, dict[str, Any]] = {}
    for day, record in daily.items():
        totals = weeks.setdefault(align_down(day, "week"), {})
        for key in ADDITIVE_SHARE_COUNTS:
            value = to_float(record.get(key))
            if value is not None:
                totals[key] = totals.get(key, 0.0) + value
    for totals in weeks.values():
        impressions = totals.get("impressionCount")
        engaged = sum(totals.get(key, 0.0) for key in ENGAGED_COUNTS)
        totals["engagement"] = engaged / impressions if impressions else 0.0
    return weeks


def last_day_of_period(day: dt.date, period: TPeriod) -> dt.date:
    """Return the last day of the period starting on ``day``."""
    return next_boundary(day, period) - dt.timedelta(days=1)
