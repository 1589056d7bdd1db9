"""The Fivetran LinkedIn Ad Analytics source tables, as view definitions over lisync's tables.

Names and types follow Fivetran's published schema for its LinkedIn Ad Analytics connector (the ERD at
https://fivetran.com/docs/connectors/applications/linkedin-ads/connector-schema) as its open dbt package
reads it: the column lists of ``fivetran/dbt_linkedin_source`` (``macros/get_*_columns.sql``) and of
``fivetran/dbt_linkedin`` (``models/staging/src_linkedin.yml``). Those packages fill any column a
warehouse lacks with NULL, so a view carries every listed column, with a typed NULL where lisync has no
such data (documented per view). Fivetran adds ``_fivetran_synced`` to every table; here it is the time of
the dlt load that last wrote the row.

A view has candidate sources tried in order (e.g. ``campaign_performance`` where it was replicated, else
the creative rows rolled up by campaign); when none is present the view is disabled, and the message
names the Fivetran package variable (``linkedin_ads__using_*``) that turns its models off.

The SQL is one dialect that DuckDB and PostgreSQL both accept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from lisync.linkedin.analytics.fields import LINKEDIN_METRICS

TType = Literal["bigint", "double", "text", "timestamp", "boolean", "date"]
TPassthrough = Literal["none", "row", "sum"]

SQL_TYPES: Final[dict[TType, str]] = {"bigint": "BIGINT", "double": "DOUBLE PRECISION", "text": "TEXT",
                                      "timestamp": "TIMESTAMP", "boolean": "BOOLEAN", "date": "DATE"}

# LinkedIn metrics whose values are amounts or ratios (double); every other metric is a count (bigint).
DOUBLE_METRICS: Final = frozenset({"costInLocalCurrency", "costInUsd", "conversionValueInLocalCurrency",
                                   "audiencePenetration", "averageDwellTime", "costPerQualifiedLead"})
# Metrics that do not add up across creatives or days: never summed into a rollup.
NON_ADDITIVE_METRICS: Final = frozenset({"approximateMemberReach", "approximateUniqueImpressions",
                                         "audiencePenetration", "averageDwellTime", "costPerQualifiedLead"})


def snake_case(metric: str) -> str:
    """Return Fivetran's column name for a LinkedIn metric: ``costInUsd`` → ``cost_in_usd``."""
    return re.sub(r"([A-Z])", r"_\1", metric).lower()


# lisync column (LinkedIn's name, lower-cased by the spec) → LinkedIn's camelCase metric name
METRIC_BY_COLUMN: Final[dict[str, str]] = {m.lower(): m for m in LINKEDIN_METRICS}

SYNCED = "(to_timestamp(CAST(s._dlt_load_id AS DOUBLE PRECISION)) AT TIME ZONE 'UTC')"


def _epoch_ms(column: str) -> str:
    return f"(to_timestamp(s.{column} / 1000.0) AT TIME ZONE 'UTC')"


def _utc(column: str) -> str:
    return f"(s.{column} AT TIME ZONE 'UTC')"


def _num(column: str) -> str:
    """A metric that may have landed as text (LinkedIn sends money as decimal strings)."""
    return f"CAST(s.{column} AS DOUBLE PRECISION)"


def _sum(column: str) -> str:
    return f"SUM({_num(column)})"


@dataclass(frozen=True)
class Source:
    """One way to build a view from lisync tables.

    Attributes:
        tables: lisync table → the columns this source reads from it; the first table is aliased ``s``.
        exprs: View column → SQL over ``s`` and the joins' aliases (a column not listed is a typed NULL).
        where: Optional filter.
        group_by: Optional GROUP BY list (the exprs are then aggregates or grouped columns).
        passthrough: Add the first table's other LinkedIn metric columns, snake_cased: ``row`` as they are,
            ``sum`` summed (additive metrics only), ``none`` not at all.
        note: What the rows mean when built from this source (shown by the CLI).
        joins: ``(table, alias, condition)`` LEFT JOINs onto ``s``; each table is also listed in ``tables``.
    """

    tables: Mapping[str, tuple[str, ...]]
    exprs: Mapping[str, str]
    note: str
    where: str | None = None
    group_by: str | None = None
    passthrough: TPassthrough = "none"
    joins: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class FivetranView:
    """A Fivetran-named view: its columns (in Fivetran's order), candidate sources and package variable.

    Attributes:
        name: Fivetran's table name.
        columns: ``(column, type)`` pairs, Fivetran's names.
        sources: Candidate sources, best first.
        using_variable: The Fivetran dbt package variable that disables models over this table, if any.
        missing: Columns that are always NULL here, with why (documentation).
    """

    name: str
    columns: tuple[tuple[str, TType], ...]
    sources: tuple[Source, ...]
    using_variable: str | None = None
    missing: Mapping[str, str] = field(default_factory=dict)


ACCOUNT_HISTORY = FivetranView(
    name="account_history",
    columns=(("id", "bigint"), ("last_modified_time", "timestamp"), ("created_time", "timestamp"),
             ("name", "text"), ("currency", "text"), ("version_tag", "text"), ("reference", "text"),
             ("status", "text"), ("type", "text"), ("notified_on_campaign_optimization", "boolean"),
             ("notified_on_creative_approval", "boolean"), ("notified_on_creative_rejection", "boolean"),
             ("notified_on_end_of_campaign", "boolean"), ("total_budget_amount", "double"),
             ("total_budget_currency_code", "text"), ("total_budget_ends_at", "bigint"),
             ("_fivetran_synced", "timestamp")),
    sources=(Source(
        tables={"ad_accounts": ("id", "changeauditstamps__lastmodified", "changeauditstamps__created", "name",
                                "currency", "version__versiontag", "reference", "status", "type")},
        exprs={"id": "s.id", "last_modified_time": _epoch_ms("changeauditstamps__lastmodified"),
               "created_time": _epoch_ms("changeauditstamps__created"), "name": "s.name",
               "currency": "s.currency", "version_tag": "CAST(CAST(s.version__versiontag AS BIGINT) AS TEXT)",
               "reference": "s.reference", "status": "s.status", "type": "s.type",
               "notified_on_campaign_optimization": "s.notifiedoncampaignoptimization",
               "notified_on_creative_approval": "s.notifiedoncreativeapproval",
               "notified_on_creative_rejection": "s.notifiedoncreativerejection",
               "notified_on_end_of_campaign": "s.notifiedonendofcampaign", "_fivetran_synced": SYNCED},
        note="one row per account version (every version when entity history is on, else the current one)"),),
    missing={"total_budget_amount": "LinkedIn's documented adAccounts schema has no account budget (only Airbyte's "
                                    "schema lists totalBudget); the seed's ad_accounts has no such column",
             "total_budget_currency_code": "as total_budget_amount",
             "total_budget_ends_at": "as total_budget_amount"},
)

CAMPAIGN_GROUP_HISTORY = FivetranView(
    name="campaign_group_history",
    columns=(("id", "bigint"), ("last_modified_time", "timestamp"), ("account_id", "bigint"),
             ("created_time", "timestamp"), ("name", "text"), ("backfilled", "boolean"),
             ("run_schedule_start", "timestamp"), ("run_schedule_end", "timestamp"), ("status", "text"),
             ("_fivetran_synced", "timestamp")),
    sources=(Source(
        tables={"campaign_group_metadata": ("id", "account_id", "changeauditstamps_lastmodified_time")},
        exprs={"id": "s.id", "last_modified_time": _utc("changeauditstamps_lastmodified_time"),
               "account_id": "s.account_id", "created_time": _utc("changeauditstamps_created_time"),
               "name": "s.name", "backfilled": "s.backfilled", "run_schedule_start": _utc("runschedule_start"),
               "run_schedule_end": _utc("runschedule_end"), "status": "s.status", "_fivetran_synced": SYNCED},
        note="one row per campaign group version"),),
)

CAMPAIGN_HISTORY = FivetranView(
    name="campaign_history",
    columns=(("id", "bigint"), ("last_modified_time", "timestamp"), ("account_id", "bigint"),
             ("campaign_group_id", "bigint"), ("created_time", "timestamp"), ("name", "text"),
             ("version_tag", "text"), ("associated_entity", "text"), ("audience_expansion_enabled", "boolean"),
             ("cost_type", "text"), ("creative_selection", "text"), ("daily_budget_amount", "double"),
             ("daily_budget_currency_code", "text"), ("format", "text"), ("locale_country", "text"),
             ("locale_language", "text"), ("objective_type", "text"), ("offsite_delivery_enabled", "boolean"),
             ("optimization_target_type", "text"), ("run_schedule_start", "timestamp"),
             ("run_schedule_end", "timestamp"), ("status", "text"), ("type", "text"),
             ("unit_cost_amount", "double"), ("unit_cost_currency_code", "text"),
             ("_fivetran_synced", "timestamp")),
    sources=(Source(
        tables={"campaign_metadata": ("id", "account_id", "campaign_group_id", "changeauditstamps_lastmodified_time")},
        exprs={"id": "s.id", "last_modified_time": _utc("changeauditstamps_lastmodified_time"),
               "account_id": "s.account_id", "campaign_group_id": "s.campaign_group_id",
               "created_time": _utc("changeauditstamps_created_time"), "name": "s.name",
               "version_tag": "s.version_versiontag", "associated_entity": "s.associated_entity_reference",
               "audience_expansion_enabled": "s.audienceexpansionenabled", "cost_type": "s.costtype",
               "creative_selection": "s.creativeselection", "daily_budget_amount": "s.dailybudget_amount",
               "daily_budget_currency_code": "s.dailybudget_currencycode", "format": "s.format",
               "locale_country": "s.locale_country", "locale_language": "s.locale_language",
               "objective_type": "s.objectivetype", "offsite_delivery_enabled": "s.offsitedeliveryenabled",
               "optimization_target_type": "s.optimizationtargettype",
               "run_schedule_start": _utc("runschedule_start"), "run_schedule_end": _utc("runschedule_end"),
               "status": "s.status", "type": "s.type", "unit_cost_amount": "s.unitcost_amount",
               "unit_cost_currency_code": "s.unitcost_currencycode", "_fivetran_synced": SYNCED},
        note="one row per campaign version"),),
)

_CREATIVE_EXPRS = {"id": "s.id", "last_modified_at": _utc("last_modified_at"), "created_at": _utc("created_at"),
                   "last_modified_time": _utc("last_modified_at"), "created_time": _utc("created_at"),
                   "campaign_id": "s.campaign_id", "intended_status": "s.intended_status",
                   "_fivetran_synced": SYNCED}
_CREATIVE_COLUMNS = ("id", "campaign_id", "last_modified_at", "created_at", "intended_status")
# creative_landing_pages (extension contract creatives.json) holds the page of text ads, spotlight ads and
# sponsored content (from the sponsored post). Fivetran's package reads coalesce(text_ad_landing_page,
# spotlight_landing_page, click_uri); click_uri (the pre-2023 API's field, which sponsored content had too)
# carries every creative's URL, so sponsored pages reach the package's URL report through it.
_LANDING_PAGE_EXPRS = {
    "click_uri": "lp.landing_page",
    "text_ad_landing_page": "CASE WHEN lp.content_type = 'TEXT_AD' THEN lp.landing_page END",
    "spotlight_landing_page": "CASE WHEN lp.content_type = 'SPOTLIGHT' THEN lp.landing_page END"}

CREATIVE_HISTORY = FivetranView(
    name="creative_history",
    columns=(("id", "bigint"), ("last_modified_at", "timestamp"), ("created_at", "timestamp"),
             ("last_modified_time", "timestamp"), ("created_time", "timestamp"), ("campaign_id", "bigint"),
             ("intended_status", "text"), ("click_uri", "text"), ("text_ad_landing_page", "text"),
             ("spotlight_landing_page", "text"), ("_fivetran_synced", "timestamp")),
    sources=(
        Source(tables={"creative_metadata": _CREATIVE_COLUMNS,
                       "creative_landing_pages": ("creative_id", "content_type", "landing_page")},
               exprs={**_CREATIVE_EXPRS, **_LANDING_PAGE_EXPRS},
               joins=(("creative_landing_pages", "lp", "lp.creative_id = s.id"),),
               note="one row per creative version, with its landing page (text, spotlight and sponsored ads)"),
        Source(tables={"creative_metadata": _CREATIVE_COLUMNS}, exprs=_CREATIVE_EXPRS,
               note="one row per creative version; no landing pages (replicate creative_landing_pages)"),
    ),
    missing={"click_uri": "NULL for creatives without a landing page (InMail, lead-gen and brand posts without "
                          "one), for sponsored content when the token may not read the sponsored posts, and for "
                          "every creative when creative_landing_pages was not replicated",
             "text_ad_landing_page": "as click_uri; set for text ads only",
             "spotlight_landing_page": "as click_uri; set for spotlight ads only"},
)

_AD_METRICS: tuple[tuple[str, TType], ...] = (
    ("clicks", "bigint"), ("impressions", "bigint"), ("cost_in_local_currency", "double"),
    ("cost_in_usd", "double"), ("conversion_value_in_local_currency", "double"),
    ("external_website_conversions", "bigint"), ("one_click_leads", "bigint"))
_METRIC_COLUMNS = {"clicks": "clicks", "impressions": "impressions",
                   "cost_in_local_currency": "costinlocalcurrency", "cost_in_usd": "costinusd",
                   "conversion_value_in_local_currency": "conversionvalueinlocalcurrency",
                   "external_website_conversions": "externalwebsiteconversions", "one_click_leads": "oneclickleads"}
_ROW_METRICS = {name: _num(column) for name, column in _METRIC_COLUMNS.items()}
_SUM_METRICS = {name: _sum(column) for name, column in _METRIC_COLUMNS.items()}

AD_ANALYTICS_BY_CREATIVE = FivetranView(
    name="ad_analytics_by_creative",
    columns=(("creative_id", "bigint"), ("day", "timestamp"), *_AD_METRICS, ("_fivetran_synced", "timestamp")),
    sources=(Source(
        tables={"ad_performance": ("metric_date", "creative_id", *_METRIC_COLUMNS.values())},
        exprs={"creative_id": "s.creative_id", "day": "CAST(s.metric_date AS TIMESTAMP)", **_ROW_METRICS,
               "_fivetran_synced": SYNCED},
        passthrough="row", note="creative × day, as LinkedIn reports it (pivot CREATIVE, DAILY)"),),
)

AD_ANALYTICS_BY_CAMPAIGN = FivetranView(
    name="ad_analytics_by_campaign",
    columns=(("campaign_id", "bigint"), ("day", "timestamp"), *_AD_METRICS, ("_fivetran_synced", "timestamp")),
    sources=(
        Source(tables={"campaign_performance": ("metric_date", "campaign_id", *_METRIC_COLUMNS.values())},
               exprs={"campaign_id": "s.campaign_id", "day": "CAST(s.metric_date AS TIMESTAMP)", **_ROW_METRICS,
                      "_fivetran_synced": SYNCED},
               passthrough="row", note="campaign × day, as LinkedIn reports it (pivot CAMPAIGN, DAILY)"),
        Source(tables={"ad_performance": ("metric_date", "campaign_id", *_METRIC_COLUMNS.values())},
               exprs={"campaign_id": "s.campaign_id", "day": "CAST(s.metric_date AS TIMESTAMP)", **_SUM_METRICS,
                      "_fivetran_synced": f"MAX({SYNCED})"},
               group_by="s.campaign_id, s.metric_date", passthrough="sum",
               note="creative rows summed by campaign and day (additive metrics only; replicate "
                    "campaign_performance for reach)"),
    ),
)

_MONTH = ("CAST(CAST(EXTRACT(YEAR FROM s.metric_date) AS INTEGER) AS TEXT) || '-' || "
          "lpad(CAST(CAST(EXTRACT(MONTH FROM s.metric_date) AS INTEGER) AS TEXT), 2, '0')")
_GEO_ID = "CAST(regexp_replace(s.demographic_value, '^.*:', '') AS BIGINT)"


_DEMOGRAPHIC_COLUMNS = {k: v for k, v in _METRIC_COLUMNS.items() if k != "conversion_value_in_local_currency"}


def _monthly_demographic(name: str, member_column: str, pivot: str) -> FivetranView:
    return FivetranView(
        name=name,
        columns=(("campaign_id", "bigint"), ("month", "text"), (member_column, "bigint"), *_AD_METRICS,
                 ("_fivetran_synced", "timestamp")),
        sources=(Source(
            tables={"ad_demographics": ("metric_date", "granularity", "campaign_id", "demographic_pivot",
                                        "demographic_value",
                                        *_DEMOGRAPHIC_COLUMNS.values())},
            exprs={"campaign_id": "s.campaign_id", "month": _MONTH, member_column: _GEO_ID,
                   **{k: _num(v) for k, v in _DEMOGRAPHIC_COLUMNS.items()}, "_fivetran_synced": SYNCED},
            where=f"s.demographic_pivot = '{pivot}' AND s.granularity = 'MONTHLY'",
            note=f"campaign × {pivot} value × month (LinkedIn serves top values only)"),),
        using_variable=f"linkedin_ads__using_{name}",
        missing={"conversion_value_in_local_currency": "LinkedIn reports conversionValueInLocalCurrency for "
                 "non-demographic pivots only (ads reporting schema), so ad_demographics cannot hold it"},
    )


MONTHLY_BY_COUNTRY = _monthly_demographic("monthly_ad_analytics_by_member_country", "member_country",
                                          "MEMBER_COUNTRY_V2")
MONTHLY_BY_REGION = _monthly_demographic("monthly_ad_analytics_by_member_region", "member_region",
                                         "MEMBER_REGION_V2")

GEO = FivetranView(
    name="geo",
    columns=(("id", "bigint"), ("value", "text"), ("_fivetran_synced", "timestamp")),
    sources=(Source(
        tables={"demographic_values": ("demographic_value", "value_type", "value_id", "name")},
        exprs={"id": "s.value_id", "value": "s.name", "_fivetran_synced": SYNCED},
        where="s.value_type = 'geo' AND s.value_id IS NOT NULL AND s.value_id <> ''",
        note="LinkedIn geo ids with their names (from demographic_values)"),),
    using_variable="linkedin_ads__using_geo",
)

FIVETRAN_VIEWS: Final[tuple[FivetranView, ...]] = (
    ACCOUNT_HISTORY, CAMPAIGN_GROUP_HISTORY, CAMPAIGN_HISTORY, CREATIVE_HISTORY, AD_ANALYTICS_BY_CAMPAIGN,
    AD_ANALYTICS_BY_CREATIVE, MONTHLY_BY_COUNTRY, MONTHLY_BY_REGION, GEO)


def passthrough_columns(source: Source, view: FivetranView, landed: set[str]) -> list[tuple[str, TType, str]]:
    """Return ``(column, type, expr)`` for the source table's other LinkedIn metrics, Fivetran-named.

    Args:
        source: The chosen source.
        view: The view it builds.
        landed: The columns of the source's first table in the destination (lower case).

    Returns:
        Extra columns in a stable (alphabetical) order; none when the source passes nothing through.
    """
    if source.passthrough == "none":
        return []
    taken = {name for name, _ in view.columns} | set(_METRIC_COLUMNS.values())
    extra: list[tuple[str, TType, str]] = []
    for column in sorted(landed):
        metric = METRIC_BY_COLUMN.get(column)
        if metric is None or column in taken or snake_case(metric) in taken:
            continue
        if source.passthrough == "sum" and metric in NON_ADDITIVE_METRICS:
            continue
        kind: TType = "double" if metric in DOUBLE_METRICS else "bigint"
        expr = _sum(column) if source.passthrough == "sum" else _num(column)
        extra.append((snake_case(metric), kind, expr))
    return extra


def view_select(view: FivetranView, source: Source, dataset_sql: str, landed: set[str]) -> str:
    """Return the SELECT that defines ``view`` from ``source``.

    Args:
        view: The view.
        source: One of ``view.sources`` whose tables exist.
        dataset_sql: The quoted schema holding lisync's tables.
        landed: Columns of the source's first table (lower case), for metric pass-through.

    Returns:
        SQL that DuckDB and PostgreSQL both accept.
    """
    items = []
    for name, kind in view.columns:
        expr = source.exprs.get(name, "NULL")
        items.append(f'CAST({expr} AS {SQL_TYPES[kind]}) AS "{name}"')
    items += [f'CAST({expr} AS {SQL_TYPES[kind]}) AS "{name}"'
              for name, kind, expr in passthrough_columns(source, view, landed)]
    table = next(iter(source.tables))
    sql = "SELECT " + ",\n       ".join(items) + f"\nFROM {dataset_sql}.\"{table}\" AS s"
    for joined, alias, condition in source.joins:
        sql += f"\nLEFT JOIN {dataset_sql}.\"{joined}\" AS {alias} ON {condition}"
    if source.where:
        sql += f"\nWHERE {source.where}"
    if source.group_by:
        sql += f"\nGROUP BY {source.group_by}"
    return sql
