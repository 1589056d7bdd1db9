"""Creative profiles: what a creative's daily ad metrics depend on, derived once from the sandbox world.

A profile fixes a creative's serving window (the days it can have any activity), its ad kind, cost model,
price and rates, and the conversion rules that apply to it (:class:`RuleLink`). Everything is a pure
function of the world's entities and the seed, hashed with :func:`uniforms`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lisync.sandbox import synth
from lisync.sandbox.analytics.catalog import USD_PER_UNIT

_SERVING_STATUSES = frozenset({"ACTIVE"})
_NEVER_SERVED = frozenset({"DRAFT"})

_UNPACK_16 = struct.Struct(">16I").unpack
_TO_UNIT = 1 / 4294967296.0


def digest_uniforms(digest: bytes) -> tuple[float, ...]:
    """Return the 16 floats in [0, 1) that a 64-byte ``digest`` encodes."""
    return tuple(v * _TO_UNIT for v in _UNPACK_16(digest))


def uniforms(*parts: object) -> tuple[float, ...]:
    """Return 16 deterministic floats in [0, 1) from one hash of ``parts``."""
    return digest_uniforms(hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=64).digest())


def urn_id(urn: str) -> int:
    """Return the numeric id at the end of ``urn`` (``urn:li:sponsoredCampaign:42`` -> 42)."""
    return int(urn.rsplit(":", 1)[-1])


def _date_of(ms: int | None) -> dt.date | None:
    return None if ms is None else synth.ms_to_date(int(ms))


@dataclass(frozen=True, slots=True)
class RuleLink:
    """One conversion rule as it applies to one creative."""

    conversion_id: int
    first_day: dt.date
    last_day: dt.date | None
    click_window: int
    view_window: int
    post_click_rate: float
    post_view_rate: float
    value_micros: int
    dynamic_value: bool


@dataclass(frozen=True, slots=True)
class CreativeProfile:
    """Everything about a creative that its daily metrics depend on, derived once from the world."""

    urn: str
    campaign_id: int
    group_id: int
    account_id: int
    currency: str
    share: str | None
    first_day: dt.date | None
    last_day: dt.date | None
    kind: str
    cost_type: str
    unit_price: float
    p_active: float
    base_impressions: float
    ctr: float
    engagement: float
    viral: float
    dwell_seconds: float
    lead_gen: bool
    jobs: bool
    events: bool
    newsletter: bool
    rules: tuple[RuleLink, ...] = field(default=())

    def active_days(self, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
        """Return the part of ``[start, end]`` in which the creative can serve, or ``None``."""
        if self.first_day is None:
            return None
        low = max(start, self.first_day)
        high = end if self.last_day is None else min(end, self.last_day)
        return (low, high) if low <= high else None


def serving_window(creative: dict[str, Any], campaign: dict[str, Any], group: dict[str, Any] | None,
                   account: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    """Return the first and last day (``None``: open-ended) a creative can serve; ``(None, None)`` if never."""
    statuses = (campaign.get("status"), (group or {}).get("status"), account.get("status"),
                creative.get("intendedStatus"))
    review = creative.get("review", {}).get("status")
    if any(s in _NEVER_SERVED for s in statuses) or review in (None, "REJECTED"):
        return None, None
    schedule = campaign.get("runSchedule") or {}
    first = max(d for d in (_date_of(schedule.get("start")), _date_of(creative.get("createdAt")),
                            _date_of(campaign["changeAuditStamps"]["created"]["time"])) if d is not None)
    ends: list[dt.date] = []
    if schedule.get("end") is not None:
        ends.append(synth.ms_to_date(int(schedule["end"]) - 1))
    # A stopped campaign or account served until it was last modified (the stop); group edits are
    # too often renames to date anything, and a creative under review stopped at its last edit.
    for entity, status in ((campaign, statuses[0]), (account, statuses[2])):
        if status not in _SERVING_STATUSES:
            ends.append(synth.ms_to_date(entity["changeAuditStamps"]["lastModified"]["time"]))
    if statuses[3] not in _SERVING_STATUSES or review != "APPROVED":
        ends.append(synth.ms_to_date(int(creative["lastModifiedAt"])))
    last = min(ends) if ends else None
    if last is not None and last < first:
        return None, None
    return first, last


def build_profile(seed: int, creative: dict[str, Any], campaign: dict[str, Any], group: dict[str, Any] | None,
                  account: dict[str, Any], rules: list[dict[str, Any]]) -> CreativeProfile:
    """Derive a creative's profile from its world entities.

    Args:
        seed: The world's seed.
        creative: The creative entity.
        campaign: Its campaign.
        group: Its campaign group, if the world knows it.
        account: Its ad account.
        rules: The conversion rules associated with the campaign.

    Returns:
        The creative's profile.

    """
    urn = creative["id"]
    u = uniforms(seed, "profile", urn)
    first, last = serving_window(creative, campaign, group, account)
    ctype, fmt = campaign.get("type", "SPONSORED_UPDATES"), campaign.get("format", "STANDARD_UPDATE")
    objective = campaign.get("objectiveType") or ""
    kind = {"TEXT_AD": "text", "SPONSORED_INMAILS": "conversation" if u[9] < 0.5 else "message",
            "DYNAMIC": "dynamic"}.get(ctype) or {"SINGLE_VIDEO": "video", "CAROUSEL": "carousel",
                                                  "DOCUMENT": "document"}.get(fmt, "content")
    cost_type = campaign.get("costType", "CPM")
    if cost_type == "CPV" and kind != "video":
        cost_type = "CPM"
    usd_price = {"CPM": 18 + 50 * u[5], "CPC": 2.5 + 9 * u[5],
                 "CPV": 0.04 + 0.2 * u[5]}.get(cost_type, 30.0)
    currency = account.get("currency", "USD")
    ctr_range = {"text": (0.0004, 0.0025), "message": (0.02, 0.06), "conversation": (0.03, 0.08),
                 "dynamic": (0.001, 0.008)}.get(kind, (0.003, 0.018))
    account_id = int(account["id"])
    reference = (creative.get("content") or {}).get("reference")
    return CreativeProfile(
        urn=urn, campaign_id=int(campaign["id"]), group_id=urn_id(campaign["campaignGroup"]),
        account_id=account_id, currency=currency,
        share=reference if isinstance(reference, str) and reference.split(":")[2] in ("share", "ugcPost")
        else None,
        first_day=first, last_day=last, kind=kind, cost_type=cost_type,
        unit_price=usd_price / USD_PER_UNIT.get(currency, 1.0),
        p_active=0.0 if u[0] < 0.06 else 0.45 + 0.5 * u[1],
        base_impressions=math.exp(math.log(40) + (math.log(6000) - math.log(40)) * u[2]),
        ctr=ctr_range[0] + (ctr_range[1] - ctr_range[0]) * u[3],
        engagement=0.002 + 0.01 * u[4], viral=0.004 + 0.03 * u[6], dwell_seconds=1.5 + 7 * u[7],
        lead_gen=objective == "LEAD_GENERATION", jobs=objective in ("JOB_APPLICANT", "TALENT_LEAD") or (
            kind == "dynamic" and u[8] < 0.3), events=kind == "content" and u[10] < 0.15,
        newsletter=kind in ("content", "document") and u[11] < 0.1,
        rules=tuple(rule_links(seed, urn, int(campaign["id"]), rules)))


def rule_links(seed: int, creative_urn: str, campaign_id: int, rules: list[dict[str, Any]]) -> Iterator[RuleLink]:
    """Yield how each of the campaign's conversion ``rules`` applies to one of its creatives, by rule id."""
    campaign_urn = f"urn:li:sponsoredCampaign:{campaign_id}"
    for rule in sorted(rules, key=lambda r: r["id"]):
        u = uniforms(seed, "rule", creative_urn, rule["id"])
        starts = [synth.ms_to_date(int(rule["created"]))]
        starts += [synth.ms_to_date(int(a["associatedAt"])) for a in rule.get("associatedCampaigns", [])
                   if isinstance(a, dict) and a.get("campaign") == campaign_urn and "associatedAt" in a]
        last = None if rule.get("enabled", True) else synth.ms_to_date(int(rule.get("lastModified",
                                                                                  rule["created"])))
        value = rule.get("value") or {}
        amount = float(value.get("amount", 0) or 0)
        rate = USD_PER_UNIT.get(value.get("currencyCode", "USD"), 1.0)
        yield RuleLink(
            conversion_id=int(rule["id"]), first_day=max(starts), last_day=last,
            click_window=int(rule.get("postClickAttributionWindowSize", 30)),
            view_window=int(rule.get("viewThroughAttributionWindowSize", 7)),
            post_click_rate=0.01 + 0.12 * u[0], post_view_rate=0.00005 + 0.0004 * u[1],
            value_micros=round(amount * 1_000_000 * rate),
            dynamic_value=rule.get("valueType") == "DYNAMIC")
