"""Row shapers for the performance tables: merged adAnalytics metrics + entity lookups → spec rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from lisync.linkedin.analytics.fields import metric_columns
from lisync.linkedin.convert import to_float, to_text
from lisync.linkedin.http.restli import urn, urn_id
from lisync.spec.loader import table_spec as spec_table_spec


@dataclass(frozen=True)
class CreativeInfo:
    """What a performance row needs to know about a creative and its parents."""

    creative_name: str | None
    campaign_id: str | None
    campaign_name: str | None
    campaign_group_id: str | None
    campaign_group_name: str | None
    account_id: str | None


def build_creative_index(campaign_groups: list[dict[str, Any]], campaigns: list[dict[str, Any]],
                         creatives: list[dict[str, Any]]) -> dict[str, CreativeInfo]:
    """Index creatives by numeric id with their campaign, group and account ids and names."""
    groups = {str(g.get("id")): g for g in campaign_groups}
    by_campaign = {str(c.get("id")): c for c in campaigns}
    index: dict[str, CreativeInfo] = {}
    for creative in creatives:
        creative_id = urn_id(to_text(creative.get("id")))
        if creative_id is None:
            continue
        campaign_id = urn_id(to_text(creative.get("campaign")))
        campaign = by_campaign.get(campaign_id or "", {})
        group_id = urn_id(to_text(campaign.get("campaignGroup")))
        group = groups.get(group_id or "", {})
        index[creative_id] = CreativeInfo(
            creative_name=to_text(creative.get("name")),
            campaign_id=campaign_id,
            campaign_name=to_text(campaign.get("name")),
            campaign_group_id=group_id,
            campaign_group_name=to_text(group.get("name")),
            account_id=urn_id(to_text(creative.get("account"))) or urn_id(to_text(campaign.get("account"))),
        )
    return index


@cache
def _metric_plan(table: str) -> tuple[tuple[str, str, bool], ...]:
    """``(column, LinkedIn field, is_text)`` for each metric column of ``table`` (computed once)."""
    table_spec = spec_table_spec(table)
    return tuple((column, field, table_spec.column(column).type == "text")
                 for column, field in metric_columns(table).items())


def _metric_values(table: str, metrics: dict[str, Any]) -> dict[str, Any]:
    return {column: (to_text if is_text else to_float)(metrics.get(field))
            for column, field, is_text in _metric_plan(table)}


def shape_ad_performance(creative_urn: str, day: dt.date, metrics: dict[str, Any],
                         info: CreativeInfo | None) -> dict[str, Any]:
    """Shape one (creative, day) of merged metrics into an ``ad_performance`` row."""
    row = ad_performance_dimensions(creative_urn, day, info)
    row.update(_metric_values("ad_performance", metrics))
    return row


def ad_performance_dimensions(creative_urn: str, day: dt.date, info: CreativeInfo | None) -> dict[str, Any]:
    """The ``ad_performance`` columns of one (creative, day) that are not metrics: date, ids, references, names."""
    info = info or CreativeInfo(None, None, None, None, None, None)
    return {
        "metric_date": day,
        "account_id": info.account_id,
        "creative_reference": creative_urn,
        "creative_id": urn_id(creative_urn),
        "creative_name": info.creative_name,
        "campaign_reference": urn("sponsoredCampaign", info.campaign_id) if info.campaign_id else None,
        "campaign_id": info.campaign_id,
        "campaign_name": info.campaign_name,
        "campaign_group_reference": urn("sponsoredCampaignGroup", info.campaign_group_id)
        if info.campaign_group_id else None,
        "campaign_group_id": info.campaign_group_id,
        "campaign_group_name": info.campaign_group_name,
    }


def shape_conversion_performance(creative_urn: str, conversion_urn: str, day: dt.date, metrics: dict[str, Any],
                                 info: CreativeInfo | None) -> dict[str, Any]:
    """Shape one (creative, conversion rule, day) of merged metrics into a ``conversion_performance`` row."""
    row = conversion_performance_dimensions(creative_urn, conversion_urn, day, info)
    row.update(_metric_values("conversion_performance", metrics))
    return row


def conversion_performance_dimensions(creative_urn: str, conversion_urn: str, day: dt.date,
                                      info: CreativeInfo | None) -> dict[str, Any]:
    """The ``conversion_performance`` columns of one row that are not metrics: date, ids, references, names."""
    info = info or CreativeInfo(None, None, None, None, None, None)
    return {
        "metric_date": day,
        "account_id": info.account_id,
        "campaign_reference": urn("sponsoredCampaign", info.campaign_id) if info.campaign_id else None,
        "campaign_id": info.campaign_id,
        "campaign_name": info.campaign_name,
        "conversion_reference": conversion_urn,
        "conversion_id": urn_id(conversion_urn),
        "creative_reference": creative_urn,
        "creative_id": urn_id(creative_urn),
        "creative_name": info.creative_name,
    }
