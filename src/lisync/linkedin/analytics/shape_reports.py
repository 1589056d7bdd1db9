"""Row shapers of the reports family: entity × day, campaign × demographic value × period, custom reports.

Pure functions from merged adAnalytics metrics (LinkedIn field → value) and entity lookups to spec rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from lisync.linkedin.analytics.custom_reports import CustomReport
from lisync.linkedin.analytics.fetch import ReportSpec
from lisync.linkedin.analytics.fields import METRICS_PER_CHUNK, metric_columns
from lisync.linkedin.analytics.report_fields import DEMOGRAPHIC_PIVOTS, EXTENDED_DESCRIPTIONS, company_size_name
from lisync.linkedin.convert import to_float, to_text
from lisync.linkedin.http.restli import urn, urn_id
from lisync.spec.loader import table_spec

# table -> (pivot, URN kind of its values)
ENTITY_LEVELS: dict[str, tuple[str, str]] = {
    "account_performance": ("ACCOUNT", "sponsoredAccount"),
    "campaign_group_performance": ("CAMPAIGN_GROUP", "sponsoredCampaignGroup"),
    "campaign_performance": ("CAMPAIGN", "sponsoredCampaign"),
}
# A custom report's metric column type: text where ad_performance keeps the metric as text, else float.
_TEXT_METRIC_COLUMNS = frozenset(c.name for c in table_spec("ad_performance").columns if c.type == "text")


@dataclass(frozen=True)
class EntityInfo:
    """Names and parents of one account, campaign group or campaign."""

    name: str | None
    account_id: str | None
    campaign_group_id: str | None = None


def build_entity_index(accounts: list[dict[str, Any]], groups: list[dict[str, Any]],
                       campaigns: list[dict[str, Any]]) -> dict[str, dict[str, EntityInfo]]:
    """Index accounts, campaign groups and campaigns by numeric id (``{"ACCOUNT": {...}, ...}``)."""
    index: dict[str, dict[str, EntityInfo]] = {"ACCOUNT": {}, "CAMPAIGN_GROUP": {}, "CAMPAIGN": {}}
    for account in accounts:
        account_id = urn_id(to_text(account.get("id")))
        if account_id:
            index["ACCOUNT"][account_id] = EntityInfo(to_text(account.get("name")), account_id)
    for group in groups:
        group_id = urn_id(to_text(group.get("id")))
        if group_id:
            index["CAMPAIGN_GROUP"][group_id] = EntityInfo(to_text(group.get("name")),
                                                           urn_id(to_text(group.get("account"))), group_id)
    for campaign in campaigns:
        campaign_id = urn_id(to_text(campaign.get("id")))
        if campaign_id:
            index["CAMPAIGN"][campaign_id] = EntityInfo(to_text(campaign.get("name")),
                                                        urn_id(to_text(campaign.get("account"))),
                                                        urn_id(to_text(campaign.get("campaignGroup"))))
    return index


@cache
def _metric_plan(table: str) -> tuple[tuple[str, str, bool], ...]:
    tspec = table_spec(table)
    return tuple((column, field, tspec.column(column).type == "text")
                 for column, field in metric_columns(table).items())


def metric_values(table: str, metrics: dict[str, Any], extended: tuple[str, ...] = ()) -> dict[str, Any]:
    """Return a spec table's metric columns from merged metrics, plus the opted-in newer metrics."""
    row = {column: (to_text if is_text else to_float)(metrics.get(field))
           for column, field, is_text in _metric_plan(table)}
    return row | extended_values(metrics, extended)


def extended_values(metrics: dict[str, Any], extended: tuple[str, ...]) -> dict[str, Any]:
    """Return the opted-in newer metrics of merged metrics as float columns (empty when not opted in)."""
    return {name.lower(): to_float(metrics.get(name)) for name in extended}


def with_extended_chunks(report: ReportSpec, extended: tuple[str, ...]) -> ReportSpec:
    """Return ``report`` asking also for the newer metrics, in chunks of their own (the 20-field limit)."""
    extra = tuple(tuple(extended[i:i + METRICS_PER_CHUNK]) for i in range(0, len(extended), METRICS_PER_CHUNK))
    return replace(report, chunks=(*report.chunks, *extra))


def extended_column_hints(extended: tuple[str, ...]) -> dict[str, Any]:
    """Dlt column hints for the opted-in newer metrics (nullable doubles with LinkedIn's description)."""
    return {name.lower(): {"name": name.lower(), "data_type": "double", "nullable": True,
                           "description": EXTENDED_DESCRIPTIONS.get(name, "")} for name in extended}


def shape_entity_row(table: str, entity_urn: str, day: dt.date, metrics: dict[str, Any],
                     index: dict[str, dict[str, EntityInfo]], extended: tuple[str, ...] = ()) -> dict[str, Any]:
    """Shape one (entity, day) into an account, campaign group or campaign performance row."""
    row: dict[str, Any] = {"metric_date": day}
    row.update(entity_dimensions(table, entity_urn, index))
    row.update(metric_values(table, metrics, extended))
    return row


def entity_dimensions(table: str, entity_urn: str, index: dict[str, dict[str, EntityInfo]]) -> dict[str, Any]:
    """The columns of an entity performance row that are not the date or metrics: ids, references, names."""
    pivot, kind = ENTITY_LEVELS[table]
    entity_id = urn_id(entity_urn)
    info = index.get(pivot, {}).get(entity_id or "") or EntityInfo(None, None)
    if pivot == "ACCOUNT":
        return {"account_reference": entity_urn, "account_id": entity_id, "account_name": info.name}
    if pivot == "CAMPAIGN_GROUP":
        return {"account_id": info.account_id, "campaign_group_reference": entity_urn,
                "campaign_group_id": entity_id, "campaign_group_name": info.name}
    return {"account_id": info.account_id, "campaign_group_id": info.campaign_group_id,
            "campaign_reference": entity_urn or urn(kind, entity_id or ""), "campaign_id": entity_id,
            "campaign_name": info.name}


def shape_demographic_row(campaign_id: str, account_id: str | None, pivot: str, value: str, day: dt.date,
                          granularity: str, metrics: dict[str, Any]) -> dict[str, Any]:
    """Shape one (campaign, demographic value, period) into an ``ad_demographics`` row."""
    row: dict[str, Any] = {
        "metric_date": day, "granularity": granularity, "account_id": account_id,
        "campaign_reference": urn("sponsoredCampaign", campaign_id), "campaign_id": campaign_id,
        "demographic_pivot": pivot, "demographic_value": value,
    }
    row.update(metric_values("ad_demographics", metrics))
    return row


def value_type(pivot: str) -> str:
    """Return what a demographic pivot's values are (``title``, ``geo``..., ``staff_count_range``)."""
    return DEMOGRAPHIC_PIVOTS.get(pivot) or "staff_count_range"


def shape_demographic_value(value: str, kind: str, name: str | None) -> dict[str, Any]:
    """Shape one ``demographic_values`` row; company sizes (code or staffCountRange URN) get LinkedIn's names."""
    if kind == "staff_count_range":
        return {"demographic_value": value, "value_type": kind, "value_id": None,
                "name": name or company_size_name(value)}
    return {"demographic_value": value, "value_type": kind, "value_id": urn_id(value), "name": name}


def localized_name(element: dict[str, Any]) -> str | None:
    """Read a name from a standardized-data or organization element (en_US first)."""
    for key in ("localizedName",):
        if isinstance(element.get(key), str):
            return str(element[key])
    name = element.get("name")
    if isinstance(name, dict):
        localized = name.get("localized")
        if isinstance(localized, dict) and localized:
            return to_text(localized.get("en_US") or next(iter(localized.values())))
        if isinstance(name.get("value"), str):
            return str(name["value"])
    default = element.get("defaultLocalizedName")
    if isinstance(default, dict):
        return to_text(default.get("value"))
    return None


def custom_columns(report: CustomReport, with_account: bool) -> dict[str, Any]:
    """Dlt column hints of a custom report's table: date range, pivot values, metrics (all nullable but keys)."""
    cols: dict[str, dict[str, Any]] = {
        "date_start": {"data_type": "date", "description": "First day of the row's period (UTC)."},
        "date_end": {"data_type": "date", "description": "Last day of the row's period (UTC)."},
    }
    if with_account:
        cols["account_id"] = {"data_type": "text", "description": "Numeric identifier of the ad account."}
    for pivot, column in zip(report.pivots, report.pivot_columns, strict=True):
        cols[column] = {"data_type": "text", "description": f"Value of LinkedIn's {pivot} pivot (URN or code)."}
    for metric in report.metrics:
        text = metric.lower() in _TEXT_METRIC_COLUMNS
        cols[metric.lower()] = {"data_type": "text" if text else "double", "description": f"LinkedIn's {metric}."}
    keys = custom_primary_key(report, with_account)
    for name, hint in cols.items():
        hint["name"] = name
        hint["nullable"] = name not in keys and name != "date_end"
        if name in keys:
            hint["primary_key"] = True
    return cols


def custom_text_fields(report: CustomReport) -> frozenset[str]:
    """The metrics of a custom report that land in text columns (where ad_performance keeps them as text)."""
    return frozenset(m for m in report.metrics if m.lower() in _TEXT_METRIC_COLUMNS)


def custom_primary_key(report: CustomReport, with_account: bool) -> list[str]:
    """A custom report's key: its period, the account (demographic reports) and its pivot values.

    A DAILY or MONTHLY period is named by its first day alone: the current month's row grows run after run
    (its ``date_end`` moves), and each run must replace it, not add a second one. ALL periods are the read
    range itself, so both ends name them.
    """
    period = ["date_start", "date_end"] if report.granularity == "ALL" else ["date_start"]
    return [*period, *(["account_id"] if with_account else []), *report.pivot_columns]


def shape_custom_row(report: CustomReport, pivot_values: tuple[str, ...], start: dt.date, end: dt.date,
                     metrics: dict[str, Any], account_id: str | None) -> dict[str, Any]:
    """Shape one merged element of a custom report into its table's row."""
    row: dict[str, Any] = {"date_start": start, "date_end": end}
    if account_id is not None:
        row["account_id"] = account_id
    row.update(zip(report.pivot_columns, pivot_values, strict=True))
    for metric in report.metrics:
        converter = to_text if metric.lower() in _TEXT_METRIC_COLUMNS else to_float
        row[metric.lower()] = converter(metrics.get(metric))
    return row
