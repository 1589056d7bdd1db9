"""The performance pipelines: ``ad_performance`` and ``conversion_performance`` (incremental with update window).

Resources (``merge`` on the spec's keys):

* ``ad_performance`` — ``GET /rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY``, one row per
  creative and day;
* ``conversion_performance`` — ``GET /rest/adAnalytics?q=statistics&pivots=List(CREATIVE,CONVERSION)``, one
  row per creative, conversion rule and day.

Requests use the ``accounts`` facet, so campaigns and creatives without activity cost nothing; the planner
(``analytics_planner``) packs accounts and days under LinkedIn's 15,000-element cap and skips days on
which no campaign could serve. Each account has its own savepoint. The default update window per account
is the longest attribution window among its conversion rules, and at least 30 days, because LinkedIn
keeps attributing conversions (and restating those days) until the window closes.
Docs: https://learn.microsoft.com/en-us/linkedin/marketing/integrations/ads-reporting/ads-reporting
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from lisync.context import RunContext
from lisync.incremental import get_savepoint, plan_read_window, set_savepoint
from lisync.linkedin.ads_family import prefetch_listings
from lisync.linkedin.analytics_fetch import FetchStats, ReportSpec, run_report
from lisync.linkedin.analytics_fields import metric_chunks
from lisync.linkedin.analytics_planner import DEFAULT_BUDGET, AccountLoad, estimate_account_load
from lisync.linkedin.catalog import AccountCatalog
from lisync.linkedin.convert import to_float, to_text
from lisync.linkedin.hints import with_spec
from lisync.linkedin.restli import urn_id
from lisync.linkedin.shape_analytics import (
    CreativeInfo,
    build_creative_index,
    shape_ad_performance,
    shape_conversion_performance,
)
from lisync.partial import guarded

MIN_UPDATE_WINDOW_DAYS = 30
ROW_BATCH = 1_000  # rows handed to dlt at a time; dlt writes them out, so memory stays flat
DEFAULT_HISTORY_DAYS = 365

REPORTS: dict[str, ReportSpec] = {
    "ad_performance": ReportSpec("ad_performance", ("CREATIVE",), tuple(metric_chunks("ad_performance"))),
    "conversion_performance": ReportSpec("conversion_performance", ("CREATIVE", "CONVERSION"),
                                         tuple(metric_chunks("conversion_performance"))),
}


def default_update_window(conversions: list[dict[str, Any]]) -> int:
    """Return the update window for an account: its longest conversion attribution window, at least 30 days."""
    longest = MIN_UPDATE_WINDOW_DAYS
    for rule in conversions:
        for key in ("postClickAttributionWindowSize", "viewThroughAttributionWindowSize"):
            days = to_float(rule.get(key))
            if days is not None and days > longest:
                longest = int(days)
    return longest


def conversions_by_campaign(conversions: list[dict[str, Any]]) -> Counter[str]:
    """Count the conversion rules associated with each campaign (numeric id)."""
    counts: Counter[str] = Counter()
    for rule in conversions:
        listed, associated = rule.get("campaigns"), rule.get("associatedCampaigns")
        campaigns = {urn_id(c) for c in (listed if isinstance(listed, list) else []) if isinstance(c, str)}
        for item in associated if isinstance(associated, list) else []:
            if isinstance(item, dict) and isinstance(item.get("campaign"), str):
                campaigns.add(urn_id(item["campaign"]))
        for campaign in campaigns:
            if campaign:
                counts[campaign] += 1
    return counts


def rows_per_campaign_day(table: str, creatives: list[dict[str, Any]],
                          conversions: list[dict[str, Any]]) -> dict[str, int]:
    """Upper-bound rows one serving day of each campaign yields in ``table``.

    A creative still in DRAFT has never served; every other creative (paused, archived, removed…) may
    hold data for the days it ran. Per-conversion rows multiply by the campaign's conversion rules.
    """
    per_campaign: Counter[str] = Counter()
    for creative in creatives:
        if creative.get("intendedStatus") == "DRAFT":
            continue
        campaign = urn_id(to_text(creative.get("campaign")))
        if campaign:
            per_campaign[campaign] += 1
    if table == "conversion_performance":
        rules = conversions_by_campaign(conversions)
        return {c: n * rules.get(c, 0) for c, n in per_campaign.items() if rules.get(c, 0)}
    return dict(per_campaign)


def performance_resource(ctx: RunContext, catalog: AccountCatalog, table: str) -> DltResource:
    """Return the dlt resource for one performance table."""
    report = REPORTS[table]
    settings = ctx.settings
    start_date = settings.start_date or (ctx.today - dt.timedelta(days=DEFAULT_HISTORY_DAYS))
    budget = float(settings.extras.get("analytics_row_budget") or DEFAULT_BUDGET)

    @dlt.resource(name=table)
    def performance() -> Iterator[list[dict[str, Any]]]:
        prefetch_listings(ctx)
        state = dlt.current.resource_state()
        loads: list[AccountLoad] = []
        read_until: dict[str, dt.date] = {}
        read_from: dict[str, str] = {}
        index: dict[str, CreativeInfo] = {}
        for account in ctx.selected_accounts:
            account_id = str(account["id"])
            listings = guarded(ctx, "account", account_id, lambda a: (
                catalog.conversions(a), catalog.campaigns(a), catalog.creatives(a),
                catalog.campaign_groups(a) if table == "ad_performance" else []))
            if listings is None:
                continue  # refused: no rows, and its savepoint stays where it was
            conversions, campaigns, creatives, groups = listings
            window_days = settings.update_window_days
            if window_days is None:
                window_days = default_update_window(conversions)
            window = plan_read_window(get_savepoint(state, account_id), start_date, window_days, ctx.today)
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
        workers = ctx.client.retry_policy.max_concurrency
        for merged in run_report(ctx.client, report, loads, stats, budget, workers=workers):
            batch: list[dict[str, Any]] = []
            for (pivots, day), metrics in merged.items():
                info = index.get(urn_id(pivots[0]) or "")
                if table == "ad_performance":
                    batch.append(shape_ad_performance(pivots[0], day, metrics, info))
                else:
                    batch.append(shape_conversion_performance(pivots[0], pivots[1], day, metrics, info))
                if len(batch) >= ROW_BATCH:
                    yield batch
                    batch = []
            if batch:
                yield batch
        for account_id, day in read_until.items():
            set_savepoint(state, account_id, day)
        ctx.summary.details.setdefault("analytics", {})[table] = {
            "requests": stats.requests, "rows": stats.returned_rows, "planned_rows": stats.planned_rows,
            "density": round(stats.density, 3), "cap_splits": stats.cap_splits,
            "accounts_read": len(loads), "accounts_in_scope": len(read_until), "read_from": read_from,
        }
        if stats.dropped_elements:
            ctx.summary.add_note(f"{table}: {stats.dropped_elements} adAnalytics elements without pivotValues or "
                                 "dateRange were dropped.")

    return with_spec(performance(), "merge")
