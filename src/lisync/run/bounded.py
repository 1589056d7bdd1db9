"""Bounded backfills (``--end-date``): which pipelines honour the end date, and the note for those that cannot.

Time-windowed pipelines read up to the end date (inclusive) and their savepoints stop there, so a later run
without ``--end-date`` continues from it: the performance and report tables (``adAnalytics`` date ranges),
``organization_pages`` (whole periods ending on or before it), ``organization_posts`` in incremental mode
(posts last modified on or before it), ``organization_video_statistics`` and ``lead_form_responses``
(submitted on or before it). Full pipelines, the ``organization_followers`` snapshot and full posts
replication read what LinkedIn holds today: they ignore the end date, and the run says so once.
"""

from __future__ import annotations

import datetime as dt

from lisync.config.settings import RunSettings
from lisync.sources import analytics, leads, organic, pages, reports

__all__ = ["WINDOWED_PIPELINES", "end_date_note", "honours_end_date"]

WINDOWED_PIPELINES = frozenset({
    *analytics.PIPELINES, *reports.PIPELINES, pages.PAGES_TABLE, pages.POSTS_TABLE, organic.VIDEO_TABLE,
    leads.RESPONSES_TABLE,
})


def honours_end_date(pipeline: str, settings: RunSettings) -> bool:
    """Whether ``pipeline`` stops reading at ``settings.end_date`` (custom reports do; full posts mode does not)."""
    if pipeline == pages.POSTS_TABLE:
        return settings.posts_replication == "incremental"
    return pipeline in WINDOWED_PIPELINES or pipeline in settings.custom_reports


def end_date_note(settings: RunSettings, today: dt.date) -> str | None:
    """The one note of a bounded run: the selected pipelines that ignore ``--end-date``, else ``None``.

    Args:
        settings: The run settings (``end_date`` set for a bounded backfill).
        today: The run's day.
    """
    if settings.end_date is None:
        return None
    ignored = [p for p in settings.pipelines if not honours_end_date(p, settings)]
    if not ignored:
        return None
    return (f"--end-date {settings.end_date}: {', '.join(ignored)} ignore it and read what LinkedIn holds on "
            f"{today} (Full or snapshot replication); the time-windowed pipelines stop at "
            f"{settings.last_day(today)}.")
