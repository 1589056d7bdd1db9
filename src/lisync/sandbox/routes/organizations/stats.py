"""Organization statistics endpoints: page, follower and share statistics, lifetime or by time bucket.

* ``GET /organizationPageStatistics?q=organization``, ``/organizationalEntityFollowerStatistics`` and
  ``/organizationalEntityShareStatistics?q=organizationalEntity``: lifetime without ``timeIntervals``,
  one element per whole bucket with it; share statistics also per post (``shares``/``ugcPosts`` lists). The
  endpoint counts organic activity only ("Sponsored activity is not counted"): a dark post the organization's
  sponsored creatives reference (:mod:`lisync.sandbox.ads.dsc_posts`) is answered with zero counts.

Statistics windows follow what real traffic shows: buckets must be whole (end ≥ start + one granularity
unit), start and end less than 14 months apart, start within the last 12 months and at least two days
before now, all on the sandbox clock. Days inside LinkedIn's ~2-day data lag have no data yet.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from lisync.sandbox.ads.dsc_posts import sponsored_creatives_by_post
from lisync.sandbox.errors import RestliError
from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.organic.organizations import ADMINISTRATOR, Organization
from lisync.sandbox.organic.posts import PostSkeleton
from lisync.sandbox.organic.time import (
    DAY_MS,
    TGranularity,
    add_months,
    date_to_ms,
    days_in,
    ms_to_datetime,
    time_buckets,
)
from lisync.sandbox.routes.organizations.params import (
    STATISTICS_SCOPES,
    bad_request,
    list_param,
    organic_world,
    organization_param,
    require_role,
)

GRANULARITIES = ("DAY", "WEEK", "MONTH")
# Share statistics are served "within all of the days or months" of the range (LinkedIn's share-statistics
# page, every version); page and follower statistics also take WEEK.
SHARE_GRANULARITIES = ("DAY", "MONTH")


def _describe(raw: Any) -> str:
    """Echo intervals as LinkedIn does: ``[{timeGranularityType=DAY, timeRange={start=.., end=..}}]``."""
    if not isinstance(raw, dict):
        return f"[{raw}]"
    given = raw.get("timeRange")
    time_range = given if isinstance(given, dict) else {}
    return (f"[{{timeGranularityType={raw.get('timeGranularityType')}, "
            f"timeRange={{start={time_range.get('start')}, end={time_range.get('end')}}}}}]")


def _time_intervals(request: SandboxRequest, granularities: tuple[str, ...] = GRANULARITIES,
                    ) -> tuple[int, int, TGranularity] | None:
    """Parse and validate ``timeIntervals`` (2.0 record or 1.0 dotted); ``None`` when absent (lifetime)."""
    raw = request.query.get("timeIntervals")
    if raw is None:
        return None
    if isinstance(raw, list) and len(raw) == 1:
        raw = raw[0]
    time_range = raw.get("timeRange") if isinstance(raw, dict) else None
    granularity = raw.get("timeGranularityType") if isinstance(raw, dict) else None
    try:
        start = int(time_range["start"]) if isinstance(time_range, dict) else None
        end = int(time_range["end"]) if isinstance(time_range, dict) and "end" in time_range else None
    except (TypeError, ValueError):
        start = None
    if start is None or granularity not in granularities:
        raise bad_request("Parameter 'timeIntervals' is invalid")
    clock = organic_world(request).clock
    now_ms = clock.now_ms()
    end = now_ms if end is None else end
    invalid = f"Invalid timeIntervals parameter {_describe(raw)}."
    unit_end = (int(add_months(ms_to_datetime(start), 1).timestamp() * 1000) if granularity == "MONTH"
                else start + DAY_MS * (7 if granularity == "WEEK" else 1))
    if end < unit_end:
        raise bad_request(f"{invalid} End time must be greater than start time by at least one multiple of "
                          f"the granularity type [{granularity}]")
    if end >= int(add_months(ms_to_datetime(start), 14).timestamp() * 1000):
        raise bad_request(f"{invalid} Start time and end time must be less than 14 months apart.")
    twelve_months_ago = date_to_ms(_months_before(clock.today, 12))
    if start < twelve_months_ago:
        raise bad_request(f"{invalid} Start time must be within the last 12 months (rolling window).")
    if start > now_ms - 2 * DAY_MS:
        raise bad_request(f"{invalid} Start time must be at least 2 days before the current time.")
    return start, end, granularity


def _months_before(day: dt.date, months: int) -> dt.date:
    moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return add_months(moment, -months).date()


def _statistics_response(elements: list[dict[str, Any]]) -> SandboxResponse:
    return SandboxResponse({"paging": {"start": 0, "count": 10, "links": []}, "elements": elements})


def find_page_statistics(request: SandboxRequest) -> SandboxResponse:
    """Lifetime (segmented) or time-bound page views and clicks of an administered organization."""
    org = require_role(request, organization_param(request, "organization"), frozenset({ADMINISTRATOR}),
                       "organizationPageStatistics", "FINDER-organization")
    if org.primary_type == "BRAND":
        # Chosen: LinkedIn serves showcase pages through brandPageStatistics (page-statistics docs).
        raise bad_request(f"Organization {org.id} is a showcase page: use brandPageStatistics?q=brand&brand="
                          f"urn:li:organizationBrand:{org.id}.")
    return page_statistics_response(request, org, "organization", org.urn)


def page_statistics_response(request: SandboxRequest, org: Organization, key: str, entity_urn: str,
                             ) -> SandboxResponse:
    """Lifetime or time-bound page statistics of ``org``, each element naming it under ``key``.

    Shared by ``organizationPageStatistics`` (``key`` ``organization``) and ``brandPageStatistics``
    (``brand``, see :mod:`lisync.sandbox.routes.organizations.brands`).
    """
    organic = organic_world(request)
    window = _time_intervals(request)
    if window is None:
        lifetime = organic.stats.lifetime_page_statistics(org)
        lifetime.pop("organization", None)
        return _statistics_response([{key: entity_urn, **lifetime}])
    cutoff_ms = date_to_ms(organic.data_cutoff())
    elements = []
    for low, high in time_buckets(*window):
        if low < cutoff_ms:
            metrics = organic.stats.page_metrics(org, days_in(low, high))
            elements.append({key: entity_urn, "timeRange": {"start": low, "end": high},
                             "totalPageStatistics": organic.stats.shape_page_statistics(metrics)})
    return _statistics_response(elements)


def find_follower_statistics(request: SandboxRequest) -> SandboxResponse:
    """Lifetime follower counts by facet, or time-bound organic/paid follower gains."""
    organic = organic_world(request)
    org = require_role(request, organization_param(request, "organizationalEntity"), frozenset({ADMINISTRATOR}),
                       "organizationalEntityFollowerStatistics", "FINDER-organizationalEntity")
    window = _time_intervals(request)
    if window is None:
        return _statistics_response([organic.stats.lifetime_follower_statistics(org)])
    cutoff_ms = date_to_ms(organic.data_cutoff())
    elements = []
    for low, high in time_buckets(*window):
        if low >= cutoff_ms:
            continue
        gains = [organic.stats.follower_gains(org, day) for day in days_in(low, high)]
        elements.append({"timeRange": {"start": low, "end": high}, "organizationalEntity": org.urn,
                         "followerGains": {"organicFollowerGain": sum(g[0] for g in gains),
                                           "paidFollowerGain": sum(g[1] for g in gains)}})
    return _statistics_response(elements)


def _sponsored_dark_posts(request: SandboxRequest, org: Organization) -> set[str]:
    """Return the URNs of the dark posts ``org``'s sponsored creatives reference (its ad accounts' posts)."""
    world = request.world
    return {urn for urn, creative in sponsored_creatives_by_post(world.creatives).items()
            if (world.account(world.account_id_of(creative)) or {}).get("reference") == org.urn}


def _posts_for_statistics(request: SandboxRequest, org: Organization) -> list[tuple[str, PostSkeleton | str]]:
    """Return the requested ``shares`` / ``ugcPosts`` as ``(field, post)``, refusing foreign posts.

    A sponsored creative's dark post of ``org`` (not in the organic world) is returned as its URN.
    """
    out: list[tuple[str, PostSkeleton | str]] = []
    organic = organic_world(request)
    sponsored: set[str] | None = None
    for field, namespace in (("shares", "urn:li:share:"), ("ugcPosts", "urn:li:ugcPost:")):
        for index, urn in enumerate(list_param(request, field)):
            post = organic.content.find_post(urn) if urn.startswith(namespace) else None
            if post is None and urn.startswith(namespace):
                sponsored = _sponsored_dark_posts(request, org) if sponsored is None else sponsored
                if urn in sponsored:
                    out.append((field[:-1], urn))
                    continue
            if post is None or post.org.id != org.id:
                message = ("Unpermitted fields present in PARAMETER: Data Processing Exception while "
                           f"processing fields [/{field}[{index}]]")
                raise RestliError(403, message, code="ACCESS_DENIED", service_error_code=100)
            out.append((field[:-1], post))
    return out


def find_share_statistics(request: SandboxRequest) -> SandboxResponse:
    """Organic share statistics: lifetime, time-bound, or per post (``shares`` / ``ugcPosts``)."""
    organic = organic_world(request)
    org = require_role(request, organization_param(request, "organizationalEntity"), frozenset({ADMINISTRATOR}),
                       "organizationalEntityShareStatistics", "FINDER-organizationalEntity")
    posts = _posts_for_statistics(request, org)
    window = _time_intervals(request, SHARE_GRANULARITIES)
    cutoff = organic.data_cutoff()
    buckets = [] if window is None else [b for b in time_buckets(*window) if b[0] < date_to_ms(cutoff)]
    elements: list[dict[str, Any]] = []
    if posts:
        for field, post in posts:
            if isinstance(post, str):  # a sponsored dark post: no organic activity
                zero = organic.stats.shape_share_statistics(Counter())
                elements.extend({"organizationalEntity": org.urn, field: post, "totalShareStatistics": zero}
                                | ({} if window is None else {"timeRange": {"start": low, "end": high}})
                                for low, high in ([(0, 0)] if window is None else buckets)
                                if window is None or days_in(low, high))
                continue
            if window is None:
                stats = organic.stats.shape_share_statistics(organic.content.post_share_metrics(post))
                elements.append({"organizationalEntity": org.urn, field: post.urn,
                                 "totalShareStatistics": stats})
                continue
            for low, high in buckets:
                days = days_in(low, high)
                if not days:
                    continue
                before = organic.content.post_share_metrics(post, min(days[0], cutoff))
                after = organic.content.post_share_metrics(post, min(days[-1] + dt.timedelta(days=1), cutoff))
                after.subtract(before)
                elements.append({"organizationalEntity": org.urn, field: post.urn,
                                 "timeRange": {"start": low, "end": high},
                                 "totalShareStatistics": organic.stats.shape_share_statistics(after)})
        return _statistics_response(elements)
    if window is None:
        totals = organic.stats.share_metrics(org, organic.stats.lifetime_days())
        lifetime = organic.stats.shape_share_statistics(totals, mentions=True)
        return _statistics_response([{"organizationalEntity": org.urn, "totalShareStatistics": lifetime}])
    for low, high in buckets:
        totals = organic.stats.share_metrics(org, days_in(low, high))
        elements.append({"organizationalEntity": org.urn, "timeRange": {"start": low, "end": high},
                         "totalShareStatistics": organic.stats.shape_share_statistics(totals)})
    return _statistics_response(elements)


# The endpoints this module answers, in the order of the route table.
ROUTES: tuple[Route, ...] = (
    Route("GET", "/organizationPageStatistics", "organization", find_page_statistics,
          "organizationPageStatistics", scopes=STATISTICS_SCOPES),
    Route("GET", "/organizationalEntityFollowerStatistics", "organizationalEntity", find_follower_statistics,
          "organizationalEntityFollowerStatistics", scopes=STATISTICS_SCOPES),
    Route("GET", "/organizationalEntityShareStatistics", "organizationalEntity", find_share_statistics,
          "organizationalEntityShareStatistics", scopes=STATISTICS_SCOPES),
)
