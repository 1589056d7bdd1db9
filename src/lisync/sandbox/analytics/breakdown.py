"""Breakdown pivots of the sandbox's ``adAnalytics`` (MEMBER_*, device, placement...), split from entity rows.

Demographic (MEMBER_*), device, placement, serving location, company and objective pivots are split from
the entity rows so every breakdown stays within its total.

How a breakdown row is made: the creative-day metrics are first summed per requested entity pivots, time
bucket *and campaign* (:meth:`AnalyticsReport.aggregate`); each such row is then split over the
campaign's values of the breakdown pivot with fixed weights (a pure function of seed, campaign and pivot)
that add up to at most 1, every count rounded down. So a campaign's demographic breakdown never exceeds
its total, and a value's rows summed over the breakdown's siblings never exceed the entity row.

LinkedIn's documented limits on professional demographic pivots (MEMBER_*), kept here:

* only the top 100 values per entity row (by impressions) are returned;
* values with fewer than 3 impressions are left out (privacy threshold);
* data is delayed: today has no demographic data yet;
* retention: demographic data is kept for 2 years (730 days) — older days answer nothing;
* ``approximateMemberReach``, ``audiencePenetration``, ``conversionValueInLocalCurrency``, ``cardImpressions``,
  ``cardClicks``, ``viralCardImpressions`` and ``viralCardClicks`` are not available (left out of elements).

With ``IMPRESSION_DEVICE_TYPE`` reach and conversion metrics are not available either (left out), and reach
(``approximateMemberReach``, ``audiencePenetration``) is served for entity pivots only (ACCOUNT, CAMPAIGN_GROUP,
CAMPAIGN, CREATIVE, SHARE, COMPANY): a request with CONVERSION or any breakdown pivot gets no reach.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from lisync.sandbox import synth
from lisync.sandbox.analytics.catalog import RULE_CONVERSION_METRICS, TMetrics
from lisync.sandbox.analytics.demographics import DEMOGRAPHIC_PIVOTS, pivot_values
from lisync.sandbox.analytics.rows import AggregateRow

__all__ = ["BREAKDOWN_PIVOTS", "DEMOGRAPHIC_RETENTION_DAYS", "DEMOGRAPHIC_TOP_VALUES", "NOT_WITH_DEMOGRAPHICS",
           "NOT_WITH_DEVICE", "breakdown_rows", "demographic_window", "excluded_metrics", "is_breakdown"]

DEMOGRAPHIC_TOP_VALUES = 100
DEMOGRAPHIC_MIN_IMPRESSIONS = 3
DEMOGRAPHIC_RETENTION_DAYS = 730
DEVICE_TYPES = ("DESKTOP_WEB", "MOBILE_WEB", "MOBILE_APP", "TABLET_APP", "CONNECTED_TV", "UNDETECTED")
PLACEMENTS = ("LINKEDIN_FEED", "LINKEDIN_RIGHT_RAIL", "LINKEDIN_MESSAGING", "LINKEDIN_AUDIENCE_NETWORK")
SERVING_LOCATIONS = ("ON_SITE", "OFF_SITE")
# Pivots split from entity rows; the rest of LinkedIn's pivots (CONVERSATION_NODE, CONVERSATION_NODE_OPTION_INDEX,
# CARD_INDEX, EVENT_STAGE) are accepted and answer with no elements.
BREAKDOWN_PIVOTS = frozenset({*DEMOGRAPHIC_PIVOTS, "IMPRESSION_DEVICE_TYPE", "PLACEMENT_NAME", "SERVING_LOCATION",
                              "COMPANY", "OBJECTIVE_TYPE"})
NOT_WITH_DEMOGRAPHICS = frozenset({"approximateMemberReach", "audiencePenetration", "conversionValueInLocalCurrency",
                                   "cardImpressions", "cardClicks", "viralCardImpressions", "viralCardClicks"})
NOT_WITH_DEVICE = frozenset({"approximateMemberReach", "audiencePenetration", *RULE_CONVERSION_METRICS})
# Reach is served for entity pivots only: with any other pivot (CONVERSION, a breakdown) it is left out.
REACH_PIVOTS = frozenset({"ACCOUNT", "CAMPAIGN_GROUP", "CAMPAIGN", "CREATIVE", "SHARE", "COMPANY"})
REACH_METRICS = frozenset({"approximateMemberReach", "audiencePenetration"})
# How many of a pivot's catalog values one campaign reaches.
_VALUES_PER_CAMPAIGN = {"MEMBER_COMPANY": 140, "MEMBER_JOB_TITLE": 24, "MEMBER_INDUSTRY": 14,
                        "MEMBER_REGION_V2": 10, "MEMBER_COUNTRY_V2": 8}


def is_breakdown(pivot: str) -> bool:
    """Return whether ``pivot`` is split from entity rows (rather than read from a creative's profile)."""
    return pivot in BREAKDOWN_PIVOTS


def _weights(seed: int, campaign: dict[str, Any], account: dict[str, Any] | None,
             pivot: str) -> list[tuple[str, float]]:
    """Return ``(value, share)`` for one campaign and pivot; shares add up to at most 1."""
    cid = campaign["id"]
    if pivot == "COMPANY":
        reference = (account or {}).get("reference")
        return [(reference, 1.0)] if isinstance(reference, str) else []
    if pivot == "OBJECTIVE_TYPE":
        objective = campaign.get("objectiveType")
        return [(objective, 1.0)] if isinstance(objective, str) else []
    if pivot == "SERVING_LOCATION":
        if not campaign.get("offsiteDeliveryEnabled"):
            return [("ON_SITE", 1.0)]
        off = 0.1 + 0.25 * synth.unit(seed, "offsite", cid)
        return [("ON_SITE", 1.0 - off), ("OFF_SITE", off)]
    if pivot == "IMPRESSION_DEVICE_TYPE":
        values: Sequence[str] = DEVICE_TYPES
        k = len(values)
    elif pivot == "PLACEMENT_NAME":
        values = PLACEMENTS if campaign.get("offsiteDeliveryEnabled") else PLACEMENTS[:3]
        k = len(values)
    else:
        catalog = pivot_values(pivot)
        k = min(len(catalog), _VALUES_PER_CAMPAIGN.get(pivot, len(catalog)))
        start = synth.between(0, len(catalog) - 1, seed, "demo-start", cid, pivot)
        values = [catalog[(start + i * 7) % len(catalog)].value for i in range(len(catalog))]
        values = list(dict.fromkeys(values))[:k]
    raw = [(v, (0.05 + synth.unit(seed, "demo-w", cid, pivot, v)) ** 3) for v in values[:k]]
    total = sum(w for _, w in raw) or 1.0
    known = 0.97 if pivot in DEMOGRAPHIC_PIVOTS else 1.0  # some members have no such profile field
    return [(v, known * w / total) for v, w in raw]


def _split(sums: TMetrics, share: float, excluded: frozenset[str]) -> TMetrics:
    out: TMetrics = {}
    for name, value in sums.items():
        if name in excluded:
            continue
        part = int(value * share)
        if part:
            out[name] = part
    return out


def excluded_metrics(pivots: Sequence[str]) -> frozenset[str]:
    """Return the metrics LinkedIn leaves out for these pivots (reach, card and conversion metrics...)."""
    excluded: frozenset[str] = frozenset()
    if any(p not in REACH_PIVOTS for p in pivots):
        excluded |= REACH_METRICS
    if any(p in DEMOGRAPHIC_PIVOTS for p in pivots):
        excluded |= NOT_WITH_DEMOGRAPHICS
    if "IMPRESSION_DEVICE_TYPE" in pivots:
        excluded |= NOT_WITH_DEVICE
    return excluded


def demographic_window(start: dt.date, end: dt.date, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """Clip a requested range to the days demographic data exists for (not today, not beyond 2 years)."""
    first = max(start, today - dt.timedelta(days=DEMOGRAPHIC_RETENTION_DAYS - 1))
    last = min(end, today - dt.timedelta(days=1))
    return (first, last) if first <= last else None


def breakdown_rows(model: Any, creative_urns: Sequence[str], start: dt.date, end: dt.date, granularity: str,
                   pivots: Sequence[str]) -> list[AggregateRow]:
    """Return report rows for ``pivots`` when at least one of them is a breakdown pivot.

    Args:
        model: The :class:`~lisync.sandbox.analytics_model.AnalyticsModel`.
        creative_urns: Creatives in scope.
        start: First requested day.
        end: Last requested day.
        granularity: ``DAILY``, ``MONTHLY``, ``YEARLY`` or ``ALL``.
        pivots: Requested pivots, in order (entity and breakdown pivots mixed).

    Returns:
        Rows keyed by the pivots in request order; metrics not available with these pivots are absent.

    """
    demographic = any(p in DEMOGRAPHIC_PIVOTS for p in pivots)
    days_start, days_end = start, end
    if demographic:
        window = demographic_window(start, end, model.today)
        if window is None:
            return []
        days_start, days_end = window
    entity = [p for p in pivots if not is_breakdown(p)]
    split = [p for p in pivots if is_breakdown(p)]
    base = model.report.aggregate(creative_urns, days_start, days_end, granularity, [*entity, "CAMPAIGN"])
    excluded = excluded_metrics(pivots)
    world = model.world
    weights_cache: dict[tuple[int, str], list[tuple[str, float]]] = {}
    out: dict[tuple[dt.date, tuple[str, ...]], AggregateRow] = {}
    for row in base:
        campaign_id = int(row.pivot_values[-1].rsplit(":", 1)[-1])
        campaign = world.campaign(campaign_id)
        if campaign is None:
            continue
        account_id = int(str(campaign["account"]).rsplit(":", 1)[-1])
        combos: list[tuple[dict[str, str], float]] = [({}, 1.0)]
        for pivot in split:
            key = (campaign_id, pivot)
            if key not in weights_cache:
                weights_cache[key] = _weights(model.seed, campaign, world.account(account_id), pivot)
            combos = [({**chosen, pivot: value}, share * w) for chosen, share in combos
                      for value, w in weights_cache[key]]
        parts = [(chosen, _split(row.sums, share, excluded)) for chosen, share in combos]
        if demographic:
            parts = [p for p in parts if p[1].get("impressions", 0) >= DEMOGRAPHIC_MIN_IMPRESSIONS]
            parts.sort(key=lambda p: -p[1].get("impressions", 0))
            parts = parts[:DEMOGRAPHIC_TOP_VALUES]
        entity_values = dict(zip(entity, row.pivot_values[:-1], strict=True))
        start_day = start if granularity == "ALL" else row.start
        end_day = end if granularity == "ALL" else row.end
        for chosen, metrics in parts:
            if not metrics:
                continue
            values = tuple(chosen[p] if p in chosen else entity_values[p] for p in pivots)
            target = out.get((start_day, values))
            if target is None:
                target = out[(start_day, values)] = AggregateRow(start_day, end_day, values)
            for name, value in metrics.items():
                target.sums[name] = target.sums.get(name, 0) + value
            target.days |= row.days
    return list(out.values())
