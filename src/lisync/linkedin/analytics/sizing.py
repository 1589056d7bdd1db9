"""Sizing an account's adAnalytics reads: its update window, and how many rows a serving day may yield."""

from __future__ import annotations

from collections import Counter
from typing import Any

from lisync.linkedin.convert import to_float, to_text
from lisync.linkedin.http.restli import urn_id

MIN_UPDATE_WINDOW_DAYS = 30


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
