"""Organic video statistics: views, viewers and watch time per video post and day (``videoAnalytics``).

Per organization and run:

* the organization's published posts (``posts?q=author``, see :func:`lisync.linkedin.posts.list_posts`),
  keeping ``urn:li:ugcPost`` posts whose content is a ``urn:li:video`` (only those have video analytics);
* per video post, one ``GET /rest/videoAnalytics?q=entity&entity={ugcPost}&type={type}&aggregation=DAY
  &timeRange=(start:..,end:..)`` call per metric type (``VIDEO_VIEW``, ``VIEWER``, ``TIME_WATCHED``,
  ``TIME_WATCHED_FOR_VIDEO_VIEWS``), start inclusive, end exclusive.

The read window is ``[savepoint − update window, today)``, never before the post's publishing day nor more
than 182 days back: LinkedIn drops ``VIDEO_VIEW`` and ``VIEWER`` data after six months. Permission
``r_organization_social`` (ADMINISTRATOR or DIRECT_SPONSORED_CONTENT_POSTER on the page). Docs:
https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/video-analytics-api
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from lisync.linkedin.convert import dig, ms_to_timestamp, to_float
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.restli import restli_record
from lisync.linkedin.pages.posts import day_start_ms, list_posts

VIDEO_ANALYTICS = "videoAnalytics"
# LinkedIn's metric type → column.
VIDEO_TYPES: dict[str, str] = {
    "VIDEO_VIEW": "video_views",
    "VIEWER": "viewers",
    "TIME_WATCHED": "time_watched_ms",
    "TIME_WATCHED_FOR_VIDEO_VIEWS": "time_watched_for_video_views_ms",
}
RETENTION_DAYS = 182
DEFAULT_UPDATE_WINDOW_DAYS = 7


def is_video_post(post: dict[str, Any]) -> bool:
    """Whether a Posts API element is a published ``ugcPost`` with a video."""
    media = dig(post, "content", "media", "id")
    return (str(post.get("id", "")).startswith("urn:li:ugcPost:") and post.get("lifecycleState") == "PUBLISHED"
            and isinstance(media, str) and media.startswith("urn:li:video:"))


def list_video_posts(client: LinkedInClient, organization_urn: str, since: dt.date) -> list[dict[str, Any]]:
    """Return the organization's video posts published on or after ``since``."""
    floor = day_start_ms(since)
    return [p for page in list_posts(client, organization_urn, None) for p in page
            if is_video_post(p) and (to_float(p.get("publishedAt") or p.get("createdAt")) or 0) >= floor]


def read_window(published_ms: float | None, savepoint: dt.date | None, today: dt.date,
                update_window_days: int, end_date: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """Return ``(start, end)`` days to read for one post (end exclusive), or ``None`` when nothing is due.

    ``end_date``: a bounded backfill's last day; the read stops after it when that is before today.
    """
    floor = today - dt.timedelta(days=RETENTION_DAYS)
    published = ms_to_timestamp(published_ms)
    start = max(floor, published.date() if published else floor)
    if savepoint is not None:
        start = max(start, savepoint - dt.timedelta(days=update_window_days - 1))
    end = today if end_date is None else min(today, end_date + dt.timedelta(days=1))
    return (start, end) if start < end else None


def fetch_video_days(client: LinkedInClient, post_urn: str, start: dt.date, end: dt.date,
                     ) -> dict[dt.date, dict[str, float | None]]:
    """Call ``videoAnalytics`` once per type and return the metrics per day (keyed by column)."""
    days: dict[dt.date, dict[str, float | None]] = {}
    time_range = restli_record(start=day_start_ms(start), end=day_start_ms(end))
    for kind, column in VIDEO_TYPES.items():
        params = {"q": "entity", "entity": post_urn, "type": kind, "aggregation": "DAY", "timeRange": time_range}
        for element in client.get(VIDEO_ANALYTICS, params).get("elements") or []:
            started = ms_to_timestamp(dig(element, "timeRange", "start"))
            if started is not None:
                days.setdefault(started.date(), {})[column] = to_float(element.get("value"))
    return days


def shape_video_rows(post_urn: str, organization_urn: str,
                     days: dict[dt.date, dict[str, float | None]]) -> Iterator[dict[str, Any]]:
    """Yield one ``organization_video_statistics`` row per day (pure)."""
    for day in sorted(days):
        yield {"post_id": post_urn, "organization_urn": organization_urn, "metric_date": day,
               **{column: days[day].get(column) for column in VIDEO_TYPES.values()}}
