"""The ``analytics`` source: ``ad_performance`` and ``conversion_performance`` (incremental with update window).

Resources (``merge`` on the spec's keys):

* ``ad_performance`` — ``GET /rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY``, one row per
  creative and day;
* ``conversion_performance`` — ``GET /rest/adAnalytics?q=statistics&pivots=List(CREATIVE,CONVERSION)``, one
  row per creative, conversion rule and day.

Requests use the ``accounts`` facet, so campaigns and creatives without activity cost nothing; the planner
(:mod:`lisync.linkedin.analytics.planner`) packs accounts and days under LinkedIn's 15,000-element cap and
skips days on which no campaign could serve. Each account has its own savepoint. The entity listings come from
the run's :class:`~lisync.linkedin.ads.catalog.AccountCatalog`, shared with the ``ads`` source. The default
update window per account is the longest attribution window among its conversion rules, and at least 30 days,
because LinkedIn keeps attributing conversions (and restating those days) until the window closes.
Docs: https://learn.microsoft.com/en-us/linkedin/marketing/integrations/ads-reporting/ads-reporting
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import dlt
import pyarrow as pa
from dlt.common.destination import TLoaderFileFormat
from dlt.extract.resource import DltResource

from lisync.config.settings import RunSettings
from lisync.linkedin.ads.accounts import AccountScope
from lisync.linkedin.ads.catalog import AccountCatalog
from lisync.linkedin.analytics.columns import ColumnarRows
from lisync.linkedin.analytics.fetch import FetchStats, ReportSpec, run_report
from lisync.linkedin.analytics.fields import REACH_METRICS, metric_chunks
from lisync.linkedin.analytics.planner import DEFAULT_BUDGET, AccountLoad, estimate_account_load
from lisync.linkedin.analytics.report_fields import extended_metrics
from lisync.linkedin.analytics.shape import (
    CreativeInfo,
    build_creative_index,
    shape_ad_performance,
    shape_conversion_performance,
)
from lisync.linkedin.analytics.shape_arrow import ad_performance_table, conversion_performance_table
from lisync.linkedin.analytics.shape_reports import extended_column_hints, extended_values, with_extended_chunks
from lisync.linkedin.analytics.sizing import default_update_window, rows_per_campaign_day
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.restli import urn_id
from lisync.sources.arrow import UNIQUE_MERGE, UniqueKeys, dlt_column_hints, with_dlt_columns
from lisync.sources.incremental import get_savepoint, plan_read_window, set_savepoint
from lisync.sources.partial import ScopeGuard
from lisync.spec.hints import with_spec
from lisync.spec.naming import new_schema

PIPELINES = ("ad_performance", "conversion_performance")
ROW_BATCH = 1_000  # rows handed to dlt at a time; dlt writes them out, so memory stays flat
DEFAULT_HISTORY_DAYS = 365

REPORTS: dict[str, ReportSpec] = {
    "ad_performance": ReportSpec("ad_performance", ("CREATIVE",), tuple(metric_chunks("ad_performance"))),
    # LinkedIn serves reach for entity pivots only, never with CONVERSION: not asked, the column stays empty.
    "conversion_performance": ReportSpec("conversion_performance", ("CREATIVE", "CONVERSION"),
                                         tuple(metric_chunks("conversion_performance", REACH_METRICS))),
}


@dataclass(frozen=True)
class AnalyticsInputs:
    """What the performance resources read from: settings, the run's day, the client and shared listings.

    Attributes:
        settings: The run settings (start date, update window, row budget).
        today: The run's "today" (UTC).
        client: The LinkedIn client.
        accounts: The selected ad accounts.
        catalog: The run's per-account listings, shared with the ads source.
        guard: Skips accounts LinkedIn refuses.
        add_note: Where notes go (the run summary).
        details: The run summary's per-family diagnostics (``details["analytics"][table]`` is written).
        file_format: The run's load file format, for tables a resource sends as variants (dlt gives the
            format ``pipeline.extract`` sets only to a resource's own table); ``None``: dlt's default.
    """

    settings: RunSettings
    today: dt.date
    client: LinkedInClient
    accounts: AccountScope
    catalog: AccountCatalog
    guard: ScopeGuard
    add_note: Callable[[str], None]
    details: dict[str, Any]
    file_format: TLoaderFileFormat | None = None


@dlt.source(schema=new_schema(), max_table_nesting=0)
def analytics_source(pipelines: list[str], inputs: AnalyticsInputs) -> list[DltResource]:
    """The performance tables of ``pipelines`` (``ad_performance``, ``conversion_performance``)."""
    inputs.catalog.want("campaigns", "creatives", "conversions")
    if "ad_performance" in pipelines:
        inputs.catalog.want("groups")
    return [performance_resource(table, inputs) for table in pipelines]


def performance_resource(table: str, inputs: AnalyticsInputs) -> DltResource:
    """Return the dlt resource for one performance table."""
    report = REPORTS[table]
    settings, today, client = inputs.settings, inputs.today, inputs.client
    extended = extended_metrics(settings.api_version, table) if settings.extended_metrics else ()
    if extended:
        report = with_extended_chunks(report, extended)
    catalog, guard = inputs.catalog, inputs.guard
    start_date = settings.start_date or (today - dt.timedelta(days=DEFAULT_HISTORY_DAYS))
    budget = float(settings.analytics_row_budget or DEFAULT_BUDGET)
    workers = client.retry_policy.max_concurrency
    arrow = settings.extract_format == "arrow"

    @dlt.resource(name=table)
    def performance() -> Iterator[list[dict[str, Any]] | pa.Table]:
        catalog.prefetch(inputs.accounts.selected_ids, workers)
        state = dlt.current.resource_state()
        loads: list[AccountLoad] = []
        read_until: dict[str, dt.date] = {}
        read_from: dict[str, str] = {}
        index: dict[str, CreativeInfo] = {}
        for account in inputs.accounts.selected:
            account_id = str(account["id"])
            listings = guard.guarded("account", account_id, lambda a: (
                catalog.conversions(a), catalog.campaigns(a), catalog.creatives(a),
                catalog.campaign_groups(a) if table == "ad_performance" else []))
            if listings is None:
                continue  # refused: no rows, and its savepoint stays where it was
            conversions, campaigns, creatives, groups = listings
            window_days = settings.update_window_days
            if window_days is None:
                window_days = default_update_window(conversions)
            window = plan_read_window(get_savepoint(state, account_id), start_date, window_days, today,
                                      settings.end_date)
            if window is None:
                continue
            read_until[account_id] = window.end
            read_from[account_id] = window.start.isoformat()
            index.update(build_creative_index(groups, campaigns, creatives))
            load = estimate_account_load(account_id, window.start, window.end, campaigns,
                                         rows_per_campaign_day(table, creatives, conversions))
            if load is not None:
                loads.append(load)
        stats = FetchStats()
        keys = UniqueKeys(table)
        for merged in run_report(client, report, loads, stats, budget, workers=workers, arrow=arrow):
            if isinstance(merged, ColumnarRows):  # Arrow: one table per planned request, no per-row work
                if table == "ad_performance":
                    shaped = ad_performance_table(merged.table(), index, extended)
                else:  # as the dict path: the newer metrics land on ad_performance only
                    shaped = conversion_performance_table(merged.table(), index)
                keys.add(shaped)
                yield with_dlt_columns(shaped)
                continue
            batch: list[dict[str, Any]] = []
            for (pivots, day), metrics in merged.items():
                info = index.get(urn_id(pivots[0]) or "")
                if table == "ad_performance":
                    batch.append(shape_ad_performance(pivots[0], day, metrics, info)
                                 | extended_values(metrics, extended))
                else:
                    batch.append(shape_conversion_performance(pivots[0], pivots[1], day, metrics, info))
                if len(batch) >= ROW_BATCH:
                    keys.add(batch)
                    yield batch
                    batch = []
            if batch:
                keys.add(batch)
                yield batch
        keys.check()
        for account_id, day in read_until.items():
            set_savepoint(state, account_id, day)
        inputs.details.setdefault("analytics", {})[table] = {
            "requests": stats.requests, "rows": stats.returned_rows, "planned_rows": stats.planned_rows,
            "density": round(stats.density, 3), "cap_splits": stats.cap_splits,
            "accounts_read": len(loads), "accounts_in_scope": len(read_until), "read_from": read_from,
        }
        if stats.dropped_elements:
            inputs.add_note(f"{table}: {stats.dropped_elements} adAnalytics elements without pivotValues or "
                                 "dateRange were dropped.")

    resource = with_spec(performance(), UNIQUE_MERGE)
    if extended:
        resource.apply_hints(columns=extended_column_hints(extended))
    if arrow:
        resource.apply_hints(columns=dlt_column_hints())
    return resource
