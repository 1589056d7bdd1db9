"""Verify organization posts for a run or ``lisync verify``, and repair: re-read organizations with missing posts.

An organization with listed-but-missing posts is read again from the read start date (the incremental
reader with a throwaway savepoint state, so the real savepoints do not move) and upserted; then its listing
is compared again. What is still missing stays in the report and fails the run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import dlt
from dlt.extract.source import DltSource

from lisync.config.settings import RunSettings
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.pages.organizations import Organization
from lisync.run.destinations import preferred_file_format
from lisync.run.load_guard import load_with_retry
from lisync.run.verify_posts import PostsCheck, verify_posts
from lisync.sources.pages import PagesInputs, PostsPlan, posts_resources
from lisync.sources.partial import ScopeGuard
from lisync.spec.naming import SCHEMA_NAME, new_schema

__all__ = ["check_posts"]


def check_posts(pipeline: dlt.Pipeline, settings: RunSettings, today: dt.date, client: LinkedInClient,
                organizations: list[Organization], add_note: Callable[[str], None], start: dt.date,
                locked: Callable[[], Any], repair: bool) -> PostsCheck:
    """Compare listed and landed posts of ``organizations``; with ``repair``, re-read those with missing posts.

    Args:
        pipeline: The dlt pipeline bound to the destination.
        settings: The run settings (posts history, shard).
        today: The run's day: posts modified on it (or after the settings' end date) are out of scope.
        client: The LinkedIn client.
        organizations: The selected company pages.
        add_note: Where notes go (the run summary).
        start: The read start date.
        locked: Context-manager factory held while touching the destination.
        repair: Re-read organizations with missing posts and verify them again.
    """
    records = [{"id": o.id, "urn": o.urn} for o in organizations]
    until = min(today, settings.last_day(today) + dt.timedelta(days=1))  # a bounded backfill ends earlier
    check = verify_posts(pipeline, client, records, start, until, locked)
    if not repair or not check.missing_count:
        return check
    affected = [o for o in organizations if o.id in check.missing]
    before = client.stats.as_dict()["total"]
    inputs = PagesInputs(settings, today, client, affected, ScopeGuard(settings.strict, add_note), add_note)
    plan = PostsPlan(full=False, start_date=start, update_window_days=0, today=today, end_date=settings.end_date)
    source = DltSource(new_schema(), SCHEMA_NAME, posts_resources(inputs, plan, state={}))
    source.max_table_nesting = 0
    pipeline.extract(source, loader_file_format=preferred_file_format(settings.destination))
    pipeline.normalize()
    with locked():
        load_with_retry(pipeline)
    again = verify_posts(pipeline, client, [r for r in records if r["id"] in check.missing], start, until, locked)
    check.repaired = {org: len(posts) for org, posts in check.missing.items()}
    check.repair_requests = client.stats.as_dict()["total"] - before
    check.missing, check.missing_count = again.missing, again.missing_count
    check.landed = check.listed - again.missing_count
    return check
