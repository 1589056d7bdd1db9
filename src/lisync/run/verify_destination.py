"""``lisync verify`` as a library call: reconcile a destination with LinkedIn's totals, optionally repair.

Takes the same settings as a run (connection, scope, destination): the accounts the *Accounts* filter
selects, from the read start date (default 365 days ago) to today (or the end date), for the selected
performance tables;
posts (``organization_posts``): the posts LinkedIn lists for the selected company pages versus the landed
ones. The destination's own state and schema are used (restored from the destination, as a run does).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from lisync.config.settings import RunSettings
from lisync.linkedin.ads.catalog import AccountCatalog
from lisync.linkedin.http.bearer import TokenProvider
from lisync.linkedin.http.stats import RequestStats
from lisync.run.client import make_client
from lisync.run.destinations import preferred_file_format
from lisync.run.discovery import discover_scope
from lisync.run.load_guard import duckdb_write_lock
from lisync.run.pipeline import make_pipeline
from lisync.run.posts_repair import check_posts
from lisync.run.reconcile import VERIFIED_TABLES
from lisync.run.state import restore_state_from_destination
from lisync.run.summary import RunSummary
from lisync.run.verify import TableScope, VerifyReport, verify_tables
from lisync.sources.analytics import DEFAULT_HISTORY_DAYS

__all__ = ["verify_destination"]

VERIFIABLE = (*VERIFIED_TABLES, "organization_posts")


def verify_destination(settings: RunSettings, token_provider: TokenProvider | None = None,
                       repair: bool = False, landed_only: bool = False) -> tuple[VerifyReport, RequestStats]:
    """Verify the destination of ``settings`` against LinkedIn (and repair differences with ``repair``).

    ``landed_only`` keeps only the selected pipelines whose table exists in the destination (what
    ``lisync verify`` does when no pipeline is named).

    Returns:
        The report and the client's request counters (every request verification cost).

    Raises:
        ConfigError: For a missing token or an unusable destination (before any LinkedIn call).
        LinkedInError: When LinkedIn refuses or fails.
    """
    settings = dataclasses.replace(settings, pipelines=[p for p in settings.pipelines if p in VERIFIABLE])
    stats = RequestStats()
    client = make_client(settings, token_provider, stats)
    today = settings.today or dt.datetime.now(dt.UTC).date()
    summary = RunSummary(pipelines=list(settings.pipelines))
    pipeline = make_pipeline(settings)
    lock_file = settings.duckdb_path if settings.destination == "duckdb" and settings.shard else None
    with duckdb_write_lock(lock_file):
        restore_state_from_destination(pipeline, settings.destination)
    if landed_only:
        landed: set[str] = set(pipeline.default_schema.data_table_names()) if pipeline.default_schema_name else set()
        settings = dataclasses.replace(settings, pipelines=[p for p in settings.pipelines if p in landed])
    scope = discover_scope(settings, client, summary)
    tables = [t for t in VERIFIED_TABLES if t in settings.pipelines]
    accounts = tuple(scope.accounts.selected_ids) if scope.accounts is not None else ()
    start = settings.start_date or today - dt.timedelta(days=DEFAULT_HISTORY_DAYS)
    scopes = [TableScope(table, accounts, start, settings.last_day(today)) for table in tables]
    report = verify_tables(pipeline, settings, client, scopes, repair=repair, catalog=AccountCatalog(client),
                           file_format=preferred_file_format(settings.destination),
                           locked=lambda: duckdb_write_lock(lock_file),
                           accounts=scope.accounts.selected if scope.accounts is not None else ())
    if "organization_posts" in settings.pipelines and scope.organizations:
        report.posts = check_posts(pipeline, settings, today, client, scope.organizations, summary.add_note, start,
                                   lambda: duckdb_write_lock(lock_file), repair)
    return report, stats
