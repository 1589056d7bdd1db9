"""The verify step of ``lisync run``: reconcile what the run read with LinkedIn's totals, repair, report.

Runs after the load has committed. The accounts the run read in ``ad_performance``, ``conversion_performance``
and the entity-level tables (``account_performance``, ``campaign_group_performance``, ``campaign_performance``)
are verified from the read start date to today (or ``--end-date``) against LinkedIn's account-month
totals; account-months that differ are re-read without metadata trimming and upserted, then verified again.
Posts: the run's company pages, listed versus landed. The result is the summary's ``verify`` section; a
difference that remains fails the run (DESIGN rule 13: never silent).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import dlt

from lisync.config.settings import RunSettings
from lisync.linkedin.http.client import LinkedInClient
from lisync.run.destinations import preferred_file_format
from lisync.run.families import RunScope
from lisync.run.load_guard import duckdb_write_lock
from lisync.run.posts_repair import check_posts
from lisync.run.summary import RunSummary
from lisync.run.verify import VerifyReport, run_scopes, verify_tables
from lisync.sources.analytics import DEFAULT_HISTORY_DAYS

__all__ = ["verify_run"]


def verify_run(pipeline: dlt.Pipeline, settings: RunSettings, today: dt.date, client: LinkedInClient,
               scope: RunScope, summary: RunSummary, duckdb_file: str | None) -> VerifyReport | None:
    """Verify (and repair) what this run read; record the outcome in the run summary.

    Args:
        pipeline: The run's pipeline, after its load.
        settings: The run settings.
        today: The run's day.
        client: The LinkedIn client.
        scope: The accounts and pages the run covered.
        summary: The run summary (its ``details["analytics"]`` say which accounts were read).
        duckdb_file: The DuckDB file a shard must lock while touching it, else ``None``.

    Returns:
        The report, or ``None`` when the run read nothing verifiable.
    """
    if settings.destination == "filesystem":
        # Files cannot merge: dlt appends every re-read row, so the landed sums double with each run and a
        # comparison would "repair" correct data. The current state is read with the documented
        # latest-load-per-key query (docs/destinations.md), which verification does not model.
        summary.add_note("verify: skipped for the filesystem destination (files append re-read rows instead of "
                         "merging them); verify a SQL destination, or read the files' current state as "
                         "docs/destinations.md shows.")
        return None
    start = settings.start_date or today - dt.timedelta(days=DEFAULT_HISTORY_DAYS)
    scopes = run_scopes(settings.pipelines, summary.details.get("analytics") or {}, start, settings.last_day(today))
    organizations = scope.organizations or [] if "organization_posts" in settings.pipelines else []
    if not scopes and not organizations:
        return None

    def locked() -> Any:
        return duckdb_write_lock(duckdb_file) if duckdb_file else contextlib.nullcontext()

    report = verify_tables(pipeline, settings, client, scopes, repair=True,
                           file_format=preferred_file_format(settings.destination), locked=locked,
                           accounts=scope.accounts.selected if scope.accounts is not None else ())
    if organizations:
        report.posts = check_posts(pipeline, settings, today, client, organizations, summary.add_note, start, locked,
                                   repair=True)
    summary.verify = report.as_summary()
    if report.differences:
        first = report.differences[0]
        summary.status = "failed"
        summary.error = (f"verify: {len(report.differences)} totals still differ from LinkedIn's after repair "
                         f"(first: {first.table} account {first.account_id} {first.month} {first.metric}: "
                         f"LinkedIn {first.linkedin:g}, landed {first.landed:g}).")
    elif report.posts is not None and report.posts.missing_count:
        summary.status = "failed"
        summary.error = (f"verify: {report.posts.missing_count} posts LinkedIn lists did not land (organizations "
                         f"{', '.join(report.posts.missing)}).")
    return report
