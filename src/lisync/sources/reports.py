"""The ``reports`` source: entity × day performance, demographics with named values, custom reports.

Resources (``merge`` on their keys, *Incremental with update window*, one savepoint per ad account):

* ``account_performance``, ``campaign_group_performance``, ``campaign_performance`` — ``q=analytics`` with
  ``pivot=ACCOUNT|CAMPAIGN_GROUP|CAMPAIGN``, ``timeGranularity=DAILY``, the ``accounts`` facet; every metric of
  ad_performance (plus ``audiencePenetration`` for campaigns). Reach is read at that level: the reach chunk is
  asked in date ranges of at most 92 days (LinkedIn's limit), and each row's reach is the entity's unique
  members reached *on that day*. It is never summed (a period's reach is not the sum of its days' reach).
* ``ad_demographics`` (+ ``demographic_values``) — ``q=analytics&pivot=MEMBER_*`` for one campaign per request
  (the pivot values cannot tell campaigns apart, and q=statistics does not take demographic pivots),
  ``timeGranularity=MONTHLY`` by default (LinkedIn's recommendation; read windows start on a month's first
  day so every month is read whole) or DAILY; names come from the standardized-data lookups.
* custom reports declared in config — the planner's requests with the declared pivots, granularity and
  metrics; demographic custom reports go one account per request and carry ``account_id``.

Every report is planned by :mod:`lisync.linkedin.analytics_planner` and run by
:func:`lisync.linkedin.analytics_fetch.run_report` (15,000-element cap, 20 fields per request, splitting).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from typing import Any

import dlt
import pyarrow as pa
import pyarrow.compute as pc
from dlt.extract.resource import DltResource

from lisync.config.settings import RunSettings
from lisync.linkedin.analytics.columns import ColumnarRows, pivot_column
from lisync.linkedin.analytics.custom_reports import CustomReport
from lisync.linkedin.analytics.demographic_names import lookup_names
from lisync.linkedin.analytics.fetch import FetchStats, MergedRows, ReportSpec, run_report
from lisync.linkedin.analytics.fields import METRICS_PER_CHUNK, metric_chunks
from lisync.linkedin.analytics.planner import DEFAULT_BUDGET, AccountLoad, estimate_account_load
from lisync.linkedin.analytics.report_fields import (
    DEMOGRAPHIC_PIVOTS,
    NON_ADDITIVE_METRICS,
    extended_metrics,
    unavailable_metrics,
)
from lisync.linkedin.analytics.shape_arrow import (
    custom_report_table,
    demographic_answer_columns,
    demographics_batch_table,
    entity_performance_table,
    summed_report_table,
)
from lisync.linkedin.analytics.shape_reports import (
    ENTITY_LEVELS,
    build_entity_index,
    custom_columns,
    custom_primary_key,
    custom_text_fields,
    extended_column_hints,
    shape_custom_row,
    shape_demographic_row,
    shape_demographic_value,
    shape_entity_row,
    value_type,
    with_extended_chunks,
)
from lisync.linkedin.analytics.sizing import default_update_window
from lisync.linkedin.analytics.summed import SummedColumns, SummedRows
from lisync.linkedin.http.restli import urn_id
from lisync.sources.analytics import DEFAULT_HISTORY_DAYS, ROW_BATCH, AnalyticsInputs
from lisync.sources.arrow import dlt_column_hints, with_dlt_columns
from lisync.sources.incremental import get_savepoint, plan_read_window, set_savepoint
from lisync.spec.hints import table_hints, with_spec
from lisync.spec.naming import new_schema

PIPELINES = ("account_performance", "campaign_group_performance", "campaign_performance", "ad_demographics")

DEMOGRAPHIC_RETENTION_DAYS = 730  # LinkedIn keeps professional demographic data for 2 years
DEMOGRAPHIC_FIELDS = ("impressions", "clicks", "costInLocalCurrency", "costInUsd", "landingPageClicks",
                      "companyPageClicks", "totalEngagements", "reactions", "comments", "shares", "follows",
                      "oneClickLeads", "oneClickLeadFormOpens", "externalWebsiteConversions",
                      "externalWebsitePostClickConversions", "externalWebsitePostViewConversions", "videoViews",
                      "videoCompletions")
# Upper bound of rows one campaign yields per serving day: LinkedIn returns at most 100 values per period.
DEMOGRAPHIC_ROWS_PER_DAY = {"DAILY": 100, "MONTHLY": 4}


def month_start(day: dt.date) -> dt.date:
    """Return the first day of ``day``'s month."""
    return day.replace(day=1)


def _align_to_month(load: AccountLoad) -> AccountLoad:
    """Start a load on its month's first day (zero rows before), so MONTHLY buckets are whole months."""
    first = month_start(load.start)
    pad = (load.start - first).days
    return AccountLoad(load.account_id, first, load.end, (0,) * pad + load.daily_rows)


class _Plan:
    """Per-account read windows and listings of one resource run (the shared first half of every report)."""

    def __init__(self, inputs: AnalyticsInputs, groups: bool) -> None:
        self.inputs, self.groups = inputs, groups
        self.read_until: dict[str, dt.date] = {}
        self.read_from: dict[str, str] = {}
        self.accounts: list[dict[str, Any]] = []
        self.campaigns: list[dict[str, Any]] = []
        self.group_list: list[dict[str, Any]] = []
        self.windows: dict[str, tuple[dt.date, dt.date, list[dict[str, Any]], list[dict[str, Any]]]] = {}

    def read(self, state: Any, earliest: dt.date | None = None) -> None:
        """Resolve every selected account's listings and read window (refused accounts are skipped)."""
        inputs, settings, catalog = self.inputs, self.inputs.settings, self.inputs.catalog
        catalog.prefetch(inputs.accounts.selected_ids, inputs.client.retry_policy.max_concurrency)
        start_date = settings.start_date or (inputs.today - dt.timedelta(days=DEFAULT_HISTORY_DAYS))
        if earliest is not None:
            start_date = max(start_date, earliest)
        for account in inputs.accounts.selected:
            account_id = str(account["id"])
            listings = inputs.guard.guarded("account", account_id, lambda a: (
                catalog.conversions(a), catalog.campaigns(a), catalog.creatives(a),
                catalog.campaign_groups(a) if self.groups else []))
            if listings is None:
                continue
            conversions, campaigns, creatives, groups = listings
            window_days = settings.update_window_days
            if window_days is None:
                window_days = default_update_window(conversions)
            window = plan_read_window(get_savepoint(state, account_id), start_date, window_days, inputs.today,
                                      settings.end_date)
            self.accounts.append(account)
            self.campaigns.extend(campaigns)
            self.group_list.extend(groups)
            if window is None:
                continue
            self.read_until[account_id] = window.end
            self.read_from[account_id] = window.start.isoformat()
            self.windows[account_id] = (window.start, window.end, campaigns, creatives)

    def commit(self, state: Any) -> None:
        """Move every read account's savepoint (dlt stores it with the load)."""
        for account_id, day in self.read_until.items():
            set_savepoint(state, account_id, day)


def _serving_campaigns(creatives: list[dict[str, Any]]) -> dict[str, int]:
    """Campaign id → 1 for campaigns with a creative that may have served (not DRAFT)."""
    out: dict[str, int] = {}
    for creative in creatives:
        if creative.get("intendedStatus") == "DRAFT":
            continue
        campaign = urn_id(str(creative.get("campaign") or ""))
        if campaign:
            out[campaign] = 1
    return out


def _summary(inputs: AnalyticsInputs, table: str, stats: FetchStats, loads: int, plan: _Plan, **extra: Any) -> None:
    inputs.details.setdefault("analytics", {})[table] = {
        "requests": stats.requests, "rows": stats.returned_rows, "planned_rows": stats.planned_rows,
        "density": round(stats.density, 3), "cap_splits": stats.cap_splits, "loads": loads,
        "accounts_in_scope": len(plan.read_until), "read_from": plan.read_from, **extra}


def _batched(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= ROW_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def entity_report(settings: RunSettings, table: str) -> tuple[ReportSpec, tuple[str, ...]]:
    """Return what an entity-level table asks adAnalytics for and its opted-in newer metrics (runs and repairs).

    Metrics newer than ``settings.api_version`` are not asked for (LinkedIn answers 400 to them).
    """
    pivot, _ = ENTITY_LEVELS[table]
    extended = extended_metrics(settings.api_version, table) if settings.extended_metrics else ()
    chunks = tuple(metric_chunks(table, unavailable_metrics(settings.api_version)))
    return with_extended_chunks(ReportSpec(table, (pivot,), chunks), extended), extended


def entity_resource(inputs: AnalyticsInputs, table: str) -> DltResource:
    """Return the resource of ``account_performance``, ``campaign_group_performance`` or ``campaign_performance``.

    With ``extract_format`` ``arrow`` each planned request's answers are merged as Arrow columns and handed to
    dlt as one Arrow table (the same rows, types and nulls as the dict path's rows).
    """
    settings, client = inputs.settings, inputs.client
    report, extended = entity_report(settings, table)
    budget = float(settings.analytics_row_budget or DEFAULT_BUDGET)
    arrow = settings.extract_format == "arrow"

    @dlt.resource(name=table)
    def performance() -> Iterator[list[dict[str, Any]] | pa.Table]:
        state = dlt.current.resource_state()
        plan = _Plan(inputs, groups=True)
        plan.read(state)
        loads = []
        for account_id, (start, end, campaigns, creatives) in plan.windows.items():
            load = estimate_account_load(account_id, start, end, campaigns, _serving_campaigns(creatives))
            if load is not None:
                loads.append(load)
        index = build_entity_index(plan.accounts, plan.group_list, plan.campaigns)
        stats = FetchStats()
        workers = client.retry_policy.max_concurrency
        for merged in run_report(client, report, loads, stats, budget, workers=workers, arrow=arrow):
            if isinstance(merged, ColumnarRows):  # Arrow: one table per planned request, no per-row work
                yield with_dlt_columns(entity_performance_table(table, merged.table(), index, extended))
                continue
            yield from _batched(shape_entity_row(table, pivots[0], day, metrics, index, extended)
                                for (pivots, day), metrics in merged.items())
        plan.commit(state)
        _summary(inputs, table, stats, len(loads), plan)

    resource = with_spec(performance(), "merge")
    if extended:
        resource.apply_hints(columns=extended_column_hints(extended))
    if arrow:
        resource.apply_hints(columns=dlt_column_hints())
    return resource


def demographics_resource(inputs: AnalyticsInputs) -> DltResource:
    """Return the ``ad_demographics`` resource, which also yields the ``demographic_values`` rows."""
    settings, client = inputs.settings, inputs.client
    granularity = settings.demographics_granularity.upper()
    pivots = tuple(settings.demographic_pivots or DEMOGRAPHIC_PIVOTS)
    budget = float(settings.analytics_row_budget or DEFAULT_BUDGET)
    arrow = settings.extract_format == "arrow"

    # The resource carries no table hints of its own: both of its tables are variants with their spec hints
    # (a variant would inherit the resource's columns otherwise).
    @dlt.resource(name="ad_demographics_report")
    def demographics() -> Iterator[Any]:
        state = dlt.current.resource_state()
        plan = _Plan(inputs, groups=False)
        plan.read(state, earliest=inputs.today - dt.timedelta(days=DEMOGRAPHIC_RETENTION_DAYS - 1))
        stats = FetchStats()
        workers = client.retry_policy.max_concurrency
        # One cheap CAMPAIGN-pivot pass (impressions only, accounts facet) finds the campaigns and periods with
        # delivery; demographic requests (one per campaign and pivot) are then made for those alone.
        account_loads, campaign_info = [], {}
        for account_id, (start, end, campaigns, creatives) in plan.windows.items():
            if granularity == "MONTHLY":
                start = month_start(start)
            load = estimate_account_load(account_id, start, end, campaigns, _serving_campaigns(creatives))
            if load is not None:
                account_loads.append(_align_to_month(load) if granularity == "MONTHLY" else load)
            campaign_info.update({str(c.get("id")): (account_id, c) for c in campaigns})
        probe = ReportSpec("ad_demographics", ("CAMPAIGN",), (("impressions",),), granularity=granularity)
        active: dict[str, tuple[dt.date, dt.date]] = {}
        for merged in run_report(client, probe, account_loads, stats, budget, workers=workers):
            for (pivot_values, day), _ in merged.items():
                campaign_id = urn_id(pivot_values[0]) or ""
                last = _period_last(granularity, day, merged.end)
                lo, hi = active.get(campaign_id, (day, last))
                active[campaign_id] = (min(lo, day), max(hi, last))
        loads: list[AccountLoad] = []
        account_of: dict[str, str] = {}
        for campaign_id, (start, end) in sorted(active.items()):
            days = (end - start).days + 1
            loads.append(AccountLoad(campaign_id, start, end, (DEMOGRAPHIC_ROWS_PER_DAY[granularity],) * days))
            account_of[campaign_id] = campaign_info.get(campaign_id, ("", {}))[0]
        values: dict[str, str] = {}
        workers = client.retry_policy.max_concurrency
        # Arrow: an answer holds at most 100 values per period, and both shaping a table and handing it to dlt (which
        # computes the table schema again for every Arrow item) cost about the same for 10 rows as for 1,000: one
        # table per answer (about 1,750 at the bench world) cost more CPU than the dict path. So the answers are kept
        # and shaped together, one table per ROW_BATCH rows (larger batches raised the peak memory of a Postgres load
        # and saved little CPU) and one at the end.
        answers: list[tuple[pa.Table, str, str | None, str]] = []
        pending = 0

        def flush() -> Any:
            nonlocal answers, pending
            table = demographics_batch_table(answers, granularity)
            answers, pending = [], 0
            return dlt.mark.with_table_name(with_dlt_columns(table), "ad_demographics")

        for pivot in pivots:
            report = ReportSpec("ad_demographics", (pivot,), (DEMOGRAPHIC_FIELDS,), granularity=granularity,
                                facet="campaigns", max_facet_ids=1)
            # Answers are decoded as Python values on both paths (Arrow's JSON reader costs more than it saves on
            # answers this small); the Arrow path then shapes them as Arrow columns and hands dlt Arrow tables.
            for answer in run_report(client, report, loads, stats, budget, workers=workers):
                campaign_id = answer.facet_ids[0]
                if arrow:
                    if len(answer):
                        columns = demographic_answer_columns(answer)
                        for value in pc.unique(columns.column(pivot_column(0))).to_pylist():
                            values.setdefault(value, value_type(pivot))
                        answers.append((columns, campaign_id, account_of.get(campaign_id), pivot))
                        pending += columns.num_rows
                        if pending >= ROW_BATCH:
                            yield flush()
                    continue
                rows = []
                for (pivot_values, day), metrics in answer.items():
                    values.setdefault(pivot_values[0], value_type(pivot))
                    rows.append(shape_demographic_row(campaign_id, account_of.get(campaign_id), pivot,
                                                      pivot_values[0], day, granularity, metrics))
                yield from (dlt.mark.with_table_name(batch, "ad_demographics") for batch in _batched(iter(rows)))
        if answers:
            yield flush()
        names = lookup_names(client, values, inputs.add_note)
        if values:
            rows = [shape_demographic_value(value, kind, names.get(value)) for value, kind in sorted(values.items())]
            yield dlt.mark.with_table_name(rows, "demographic_values")
        plan.commit(state)
        _summary(inputs, "ad_demographics", stats, len(loads), plan, granularity=granularity,
                 pivots=list(pivots), values=len(values))

    resource = demographics()
    for table in ("ad_demographics", "demographic_values"):
        # file_format: a variant does not get the run's format from pipeline.extract; without it the dict path
        # loaded DuckDB through one huge INSERT (4.4 GB at the bench world instead of Parquet's ~300 MB)
        resource.apply_hints(table_name=table, create_table_variant=True, write_disposition="merge",
                             file_format=inputs.file_format, **table_hints(table))
    # LinkedIn's top-100 values per campaign and period change as a month fills up: a re-read slice replaces the
    # campaign × pivot × period rows it covers (delete-insert on the merge key), so a value that dropped out of
    # the top 100 does not linger beside the values that replaced it.
    resource.apply_hints(table_name="ad_demographics", create_table_variant=True,
                         merge_key=["metric_date", "granularity", "campaign_id", "demographic_pivot"])
    if arrow:
        resource.apply_hints(table_name="ad_demographics", create_table_variant=True, columns=dlt_column_hints())
    return resource


def custom_resource(inputs: AnalyticsInputs, report: CustomReport) -> DltResource:
    """Return the resource of one declared custom report.

    With ``extract_format`` ``arrow`` each planned request's answers are merged as Arrow columns. A report read
    per account yields them shaped, one table per request; a report summed over accounts reads every metric as
    text, folds each request's columns into its keys' sums in Arrow (:class:`SummedColumns`, as the dict path's
    :class:`SummedRows` sums rows) and yields one table at the end.
    """
    chunks = tuple(tuple(report.metrics[i:i + METRICS_PER_CHUNK])
                   for i in range(0, len(report.metrics), METRICS_PER_CHUNK))
    # Summed metrics arrive as the text LinkedIn wrote, so their sums are exact decimals (as SummedRows adds).
    text_fields = custom_text_fields(report) if report.per_account else frozenset(report.metrics)
    spec = ReportSpec(report.name, report.pivots, chunks, granularity=report.granularity,
                      max_facet_ids=1 if report.demographic else None, text_fields=text_fields)
    client = inputs.client
    arrow = inputs.settings.extract_format == "arrow"
    budget = float(inputs.settings.analytics_row_budget or DEFAULT_BUDGET)
    per_day: Callable[[list[dict[str, Any]]], dict[str, int]] = _serving_campaigns

    @dlt.resource(name=report.name)
    def custom() -> Iterator[list[dict[str, Any]] | pa.Table]:
        state = dlt.current.resource_state()
        plan = _Plan(inputs, groups=False)
        plan.read(state)
        # A row summed over accounts is re-read for every account or for none: all start on the earliest day.
        common = min((w[0] for w in plan.windows.values()), default=None) if not report.per_account else None
        loads = []
        for account_id, (start, end, campaigns, creatives) in plan.windows.items():
            start = common or start
            if report.granularity == "MONTHLY":
                start = month_start(start)
            load = estimate_account_load(account_id, start, end, campaigns, per_day(creatives))
            if load is not None:
                loads.append(_align_to_month(load) if report.granularity == "MONTHLY" else load)
        stats = FetchStats()
        workers = client.retry_policy.max_concurrency
        summed = SummedRows(report.granularity, report.metrics) if not (report.per_account or arrow) else None
        summed_columns = SummedColumns(report.granularity, report.metrics) if not report.per_account and arrow \
            else None
        for merged in run_report(client, spec, loads, stats, budget, workers=workers, arrow=arrow):
            if isinstance(merged, ColumnarRows):  # Arrow: one table per planned request, no per-row work
                columns = merged.table()
                period_end = functools.partial(_period_last, report.granularity, request_end=merged.end)
                if summed_columns is not None:
                    summed_columns.add(columns, period_end)
                elif columns.num_rows:
                    yield with_dlt_columns(custom_report_table(
                        report, columns, period_end, merged.facet_ids[0] if report.demographic else None))
                continue
            if summed is not None:
                for (values, day), metrics in merged.items():
                    summed.add(values, day, _period_end(report, day, merged), metrics)
                continue
            account = merged.facet_ids[0] if report.demographic else None
            yield from _batched(shape_custom_row(report, values, day, _period_end(report, day, merged), metrics,
                                                 account) for (values, day), metrics in merged.items())
        if summed is not None:
            yield from _batched(shape_custom_row(report, values, row.start, row.end, row.metrics, None)
                                for values, row in summed.rows())
        if summed_columns is not None:
            table = summed_columns.table(custom_text_fields(report))
            if table.num_rows:
                yield with_dlt_columns(summed_report_table(report, table))
        totals = summed if summed is not None else summed_columns
        if totals is not None and totals.combined and NON_ADDITIVE_METRICS.intersection(report.metrics):
            inputs.add_note(f"{report.name}: {totals.combined} rows summed over several adAnalytics requests "
                            "leave their non-additive metrics empty (add an ACCOUNT or CAMPAIGN pivot to keep "
                            "them).")
        plan.commit(state)
        _summary(inputs, report.name, stats, len(loads), plan,
                 **({"summed_rows": totals.combined} if totals is not None else {}))

    resource = custom()
    resource.apply_hints(write_disposition="merge", columns=custom_columns(report, report.demographic),
                         primary_key=custom_primary_key(report, report.demographic))
    if arrow:
        resource.apply_hints(columns=dlt_column_hints())
    return resource


def _period_end(report: CustomReport, day: dt.date, merged: MergedRows) -> dt.date:
    """Return the last day of the period starting ``day`` (clipped to the request's range)."""
    return _period_last(report.granularity, day, merged.end)


def _period_last(granularity: str, day: dt.date, request_end: dt.date | None) -> dt.date:
    """Return the last day of the ``granularity`` period starting ``day``, clipped to ``request_end``."""
    if granularity == "DAILY":
        return day
    end = request_end or day
    if granularity == "ALL":
        return end
    month_end = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return min(month_end, end)


@dlt.source(schema=new_schema(), max_table_nesting=0)
def reports_source(pipelines: list[str], inputs: AnalyticsInputs) -> list[DltResource]:
    """The reports tables of ``pipelines``: entity performance, demographics and declared custom reports."""
    inputs.catalog.want("campaigns", "creatives", "conversions", "groups")
    custom = inputs.settings.custom_reports
    resources: list[DltResource] = []
    for pipeline in pipelines:
        if pipeline in ENTITY_LEVELS:
            resources.append(entity_resource(inputs, pipeline))
        elif pipeline == "ad_demographics":
            resources.append(demographics_resource(inputs))
        elif pipeline in custom:
            resources.append(custom_resource(inputs, custom[pipeline]))
    return resources
