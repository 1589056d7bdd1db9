"""Deterministic daily ad metrics for the sandbox's ``adAnalytics``, computed on demand from hashes.

Nothing is precomputed per day: a creative-day's values are a pure function of ``(world.seed, creative,
day)`` plus the creative's profile (derived once from its campaign, account and conversion rules), so
memory stays flat however large the world or the requested window is. Days outside a creative's
serving window are skipped without hashing.

Consistency rules the model keeps (and its tests check):

* activity only while the creative can serve: campaign, group, account and creative not DRAFT, creative
  reviewed and not REJECTED, from ``runSchedule.start`` (and no earlier than the creative's ``createdAt``:
  no spend before creation) to the run end, or to the last-modified day of a stopped campaign, account or
  creative (a creative back under review stopped at its last edit); many creative-days inside that
  window still have no activity at all, and LinkedIn omits those rows;
* clicks ≤ impressions, landingPageClicks + companyPageClicks ≤ clicks, video and document quartiles
  monotone (starts ≥ firstQuartile ≥ midpoint ≥ thirdQuartile ≥ completions), every ``viral*`` ≤ its base,
  externalWebsiteConversions = postClick + postView, jobApplications/registrations = postClick + postView;
* cost follows the campaign's ``costType`` (CPM: impressions, CPC: clicks, CPV: video views) in the
  account's currency; costInUsd converts each day's cost at that day's rate;
* conversions only for rules associated with the creative's campaign, after the rule's creation and the
  association, while the rule is enabled, and within its attribution windows.

Restatement ("today" is ``world.clock.today``; age = today − day, in days):

* days after today have no data; today has partial data (it is still running);
* DELIVERY metrics (impressions, clicks, cost, video/document/carousel/messaging/lead-form counts) settle
  after 3 days: the values for today, today−1 and today−2 still grow; a day is final at age ≥ 3;
* SOCIAL engagement (reactions, likes, comments, commentLikes, shares, follows, otherEngagements,
  totalEngagements and every non-conversion ``viral*`` metric) keeps arriving for 7 days (final at age ≥ 7);
* qualifiedLeads (and costPerQualifiedLead) are shared by advertisers later: final at age ≥ 30;
* conversion-rule metrics (externalWebsite*Conversions, their viral variants and
  conversionValueInLocalCurrency) are reported on the day of the ad interaction and keep arriving for the
  rule's attribution window: post-click ones until age ≥ ``postClickAttributionWindowSize``, post-view ones
  until age ≥ ``viewThroughAttributionWindowSize`` (1, 7, 30, 90 or 365 days);
* LinkedIn-native conversions (jobApplications, jobApplyClicks, registrations and their post*/viral*
  variants) use a 30-day click / 7-day view window: final at age ≥ 30.

So the honest update window for a connector is the largest attribution window among the account's
conversion rules (30 days by default, up to 365), and at least 30 days; delivery-only reports need 3.
:meth:`AnalyticsModel.restatement_days` returns these numbers for a world.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import struct
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lisync.sandbox import synth

TMetrics = dict[str, int]

# ----------------------------------------------------------------------------------------- field catalog

BASE_COUNT_METRICS: tuple[str, ...] = (
    "actionClicks", "adUnitClicks", "cardClicks", "cardImpressions", "clicks", "commentLikes",
    "comments", "companyPageClicks", "documentCompletions", "documentFirstQuartileCompletions",
    "documentMidpointCompletions", "documentThirdQuartileCompletions", "downloadClicks", "follows",
    "fullScreenPlays", "headlineClicks", "headlineImpressions", "impressions", "landingPageClicks",
    "leadGenerationMailContactInfoShares", "leadGenerationMailInterestedClicks", "likes",
    "oneClickLeadFormOpens", "oneClickLeads", "opens", "otherEngagements", "qualifiedLeads", "reactions",
    "sends", "shares", "subscriptionClicks", "talentLeads", "textUrlClicks", "totalEngagements",
    "validWorkEmailLeads", "videoCompletions", "videoFirstQuartileCompletions",
    "videoMidpointCompletions", "videoStarts", "videoThirdQuartileCompletions", "videoViews",
)
# Base metrics that have a ``viral`` twin (viralX <= X).
VIRAL_BASES: tuple[str, ...] = (
    "cardClicks", "cardImpressions", "clicks", "commentLikes", "comments", "companyPageClicks",
    "documentCompletions", "documentFirstQuartileCompletions", "documentMidpointCompletions",
    "documentThirdQuartileCompletions", "downloadClicks", "follows", "fullScreenPlays", "impressions",
    "landingPageClicks", "likes", "oneClickLeadFormOpens", "oneClickLeads", "otherEngagements", "reactions",
    "shares", "subscriptionClicks", "totalEngagements", "videoCompletions", "videoFirstQuartileCompletions",
    "videoMidpointCompletions", "videoStarts", "videoThirdQuartileCompletions", "videoViews",
)
RULE_CONVERSION_METRICS: tuple[str, ...] = (
    "externalWebsiteConversions", "externalWebsitePostClickConversions", "externalWebsitePostViewConversions",
    "viralExternalWebsiteConversions", "viralExternalWebsitePostClickConversions",
    "viralExternalWebsitePostViewConversions", "conversionValueInLocalCurrency",
)
_NATIVE_BASES = ("JobApplications", "JobApplyClicks", "Registrations")
NATIVE_CONVERSION_METRICS: tuple[str, ...] = tuple(
    name for base in _NATIVE_BASES for name in (
        base[0].lower() + base[1:], f"postClick{base}", f"postView{base}", f"viral{base}",
        f"viralPostClick{base}", f"viralPostView{base}"))
# LinkedIn types these BigDecimal and returns them as JSON strings.
DECIMAL_METRICS: frozenset[str] = frozenset(
    {"costInLocalCurrency", "costInUsd", "conversionValueInLocalCurrency", "costPerQualifiedLead",
     *NATIVE_CONVERSION_METRICS})
# Money metrics are carried internally as integer micro-units so sums are exact.
MICRO_METRICS: frozenset[str] = frozenset(
    {"costInLocalCurrency", "costInUsd", "conversionValueInLocalCurrency"})
# Not additive over days or entities: computed per response row.
ROW_METRICS: tuple[str, ...] = ("approximateMemberReach", "audiencePenetration", "averageDwellTime",
                                "costPerQualifiedLead")
ADDITIVE_METRICS: tuple[str, ...] = (
    *BASE_COUNT_METRICS, *(f"viral{b[0].upper()}{b[1:]}" for b in VIRAL_BASES), *RULE_CONVERSION_METRICS,
    *NATIVE_CONVERSION_METRICS, "costInLocalCurrency", "costInUsd")
# Accepted in ``fields`` but never populated any more (replaced by approximateMemberReach in 2024).
LEGACY_METRICS: frozenset[str] = frozenset({"approximateUniqueImpressions"})
METRIC_FIELDS: frozenset[str] = frozenset({*ADDITIVE_METRICS, *ROW_METRICS, *LEGACY_METRICS})
REACH_MAX_RANGE_DAYS = 92

# ------------------------------------------------------------------------------------ restatement rules

DELIVERY_SETTLE_DAYS = 3
SOCIAL_SETTLE_DAYS = 7
QUALIFIED_LEAD_SETTLE_DAYS = 30
NATIVE_CLICK_WINDOW_DAYS = 30
NATIVE_VIEW_WINDOW_DAYS = 7
# Share of a day's final value already reported at age 0, 1, 2... (today is only partly over).
_DELIVERY_MATURITY = (0.45, 0.92, 0.985)
_SOCIAL_MATURITY = (0.3, 0.72, 0.86, 0.93, 0.965, 0.985, 0.995)
SOCIAL_METRICS: frozenset[str] = frozenset(
    {"reactions", "likes", "comments", "commentLikes", "shares", "follows", "otherEngagements",
     *(f"viral{b[0].upper()}{b[1:]}" for b in VIRAL_BASES)})

# ------------------------------------------------------------------------------------------- currencies

# USD per unit of the account currency; each day drifts within ±1% so costInUsd is a real conversion.
USD_PER_UNIT: dict[str, float] = {"USD": 1.0, "EUR": 1.085, "GBP": 1.268, "BRL": 0.192, "CAD": 0.738,
                                  "AUD": 0.662, "CHF": 1.128, "INR": 0.012, "JPY": 0.0067, "SEK": 0.095}
DEFAULT_METRIC_VALUE_LIMIT = 45_000_000
METRIC_VALUE_WINDOW_SECONDS = 300.0

_SERVING_STATUSES = frozenset({"ACTIVE"})
_NEVER_SERVED = frozenset({"DRAFT"})


_UNPACK_16 = struct.Struct(">16I").unpack
_TO_UNIT = 1 / 4294967296.0


def _uniforms(*parts: object) -> tuple[float, ...]:
    """Return 16 deterministic floats in [0, 1) from one hash of ``parts``."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=64).digest()
    return tuple(v * _TO_UNIT for v in _UNPACK_16(digest))


def _urn_id(urn: str) -> int:
    return int(urn.rsplit(":", 1)[-1])


def _date_of(ms: int | None) -> dt.date | None:
    return None if ms is None else synth.ms_to_date(int(ms))


def delivery_maturity(age: int) -> float:
    """Return the share of a day's final delivery metrics reported when the day is ``age`` days old."""
    return _DELIVERY_MATURITY[age] if age < len(_DELIVERY_MATURITY) else 1.0


def social_maturity(age: int) -> float:
    """Return the share of a day's final social engagement reported when the day is ``age`` days old."""
    return _SOCIAL_MATURITY[age] if age < len(_SOCIAL_MATURITY) else 1.0


def arrival_share(age: int, window_days: int) -> float:
    """Return the share of a day's attributable conversions already reported at ``age`` (1.0 once closed).

    Most conversions arrive within days (an exponential part); a steady trickle keeps arriving until the
    attribution window closes (a linear part), so values can change for the whole window.
    """
    if age >= window_days:
        return 1.0
    tau = max(1.0, min(5.0, window_days / 4))
    fast = (1 - math.exp(-(age + 0.5) / tau)) / (1 - math.exp(-window_days / tau))
    return min(0.85 * fast + 0.15 * (age + 0.5) / window_days, 1.0)


def format_decimal(value: float | int) -> str:
    """Format a BigDecimal metric as LinkedIn does: a plain decimal string without trailing zeros."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


# ----------------------------------------------------------------------------------------------- profiles


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


# --------------------------------------------------------------------------------------------- throttle


class MetricValueThrottle:
    """LinkedIn's adAnalytics data-volume limit: metric values served per token in a rolling window.

    Args:
        model: The model whose ``metric_value_limit`` / ``metric_value_window_seconds`` apply (read live so
            tests can lower them).

    """

    def __init__(self, model: AnalyticsModel) -> None:
        self._model = model
        self._served: dict[str, deque[tuple[float, int]]] = {}

    def admit(self, token_key: str, values: int, now: float | None = None) -> bool:
        """Record ``values`` metric values for ``token_key`` unless that would exceed the window's limit.

        Returns:
            ``True`` when the request may be answered, ``False`` when it must get the 429.

        """
        now = time.monotonic() if now is None else now
        served = self._served.setdefault(token_key, deque())
        while served and served[0][0] <= now - self._model.metric_value_window_seconds:
            served.popleft()
        used = sum(count for _, count in served)
        if used + values > self._model.metric_value_limit:
            return False
        served.append((now, values))
        return True


# ------------------------------------------------------------------------------------------------ model


@dataclass
class AggregateRow:
    """Summed metrics for one pivot-value combination and time bucket."""

    start: dt.date
    end: dt.date
    pivot_values: tuple[str, ...]
    sums: TMetrics = field(default_factory=dict)
    days: set[dt.date] = field(default_factory=set)


class AnalyticsModel:
    """On-demand daily metrics of a :class:`~lisync.sandbox.world.World`.

    Attributes:
        metric_value_limit: Metric values a token may receive per rolling window before the 429
            (LinkedIn: 45,000,000 per 5 minutes); tests lower it.
        metric_value_window_seconds: Length of that rolling window, on the real monotonic clock.
        throttle: The per-token counter that enforces it.

    """

    def __init__(self, world: Any) -> None:
        self.world = world
        self.seed = world.seed
        self.metric_value_limit = DEFAULT_METRIC_VALUE_LIMIT
        self.metric_value_window_seconds = METRIC_VALUE_WINDOW_SECONDS
        self.throttle = MetricValueThrottle(self)
        self._profiles: dict[str, CreativeProfile] = {}
        self._hashers: dict[str, Any] = {}
        self._last_daily: tuple[Any, tuple[float, ...]] = (None, ())
        self._index: dict[str, dict[int, list[str]]] | None = None
        self._rules_by_campaign: dict[int, list[dict[str, Any]]] | None = None

    # ------------------------------------------------------------------------------------- world index

    @property
    def today(self) -> dt.date:
        """The sandbox's current day."""
        return self.world.clock.today

    def _indexes(self) -> dict[str, dict[int, list[str]]]:
        if self._index is None:
            by: dict[str, dict[int, list[str]]] = {"account": {}, "group": {}, "campaign": {}}
            campaigns = {c["id"]: c for c in self._all("campaigns")}
            for creative in self._all("creatives"):
                campaign = campaigns.get(_urn_id(creative["campaign"]))
                if campaign is None:
                    continue
                by["account"].setdefault(_urn_id(creative["account"]), []).append(creative["id"])
                by["group"].setdefault(_urn_id(campaign["campaignGroup"]), []).append(creative["id"])
                by["campaign"].setdefault(campaign["id"], []).append(creative["id"])
            self._index = by
        return self._index

    def _all(self, kind: str) -> list[dict[str, Any]]:
        return getattr(self.world, f"all_{kind}", None) or getattr(self.world, kind)

    def creatives_for(self, *, accounts: Iterable[int] | None = None, groups: Iterable[int] | None = None,
                      campaigns: Iterable[int] | None = None,
                      creatives: Iterable[str] | None = None) -> list[str]:
        """Return the sorted URNs of existing creatives matching every given filter (``None``: no filter)."""
        index = self._indexes()
        selected: set[str] | None = None
        for kind, ids in (("account", accounts), ("group", groups), ("campaign", campaigns)):
            if ids is None:
                continue
            found = {urn for i in ids for urn in index[kind].get(i, ())}
            selected = found if selected is None else selected & found
        if creatives is not None:
            wanted = set(creatives)
            selected = wanted if selected is None else selected & wanted
        if selected is None:
            selected = {urn for urns in index["account"].values() for urn in urns}
        existing = [urn for urn in selected if self.world.creative(urn) is not None]
        return sorted(existing, key=_urn_id)

    def _rules_for_campaign(self, campaign_id: int) -> list[dict[str, Any]]:
        if self._rules_by_campaign is None:
            rules: dict[int, list[dict[str, Any]]] = {}
            for rule in self._all("conversions"):
                linked = {_urn_id(u) for u in rule.get("campaigns", [])}
                linked |= {_urn_id(a["campaign"]) for a in rule.get("associatedCampaigns", [])
                           if isinstance(a, dict) and "campaign" in a}
                for cid in linked:
                    rules.setdefault(cid, []).append(rule)
            self._rules_by_campaign = rules
        return self._rules_by_campaign.get(campaign_id, [])

    # ----------------------------------------------------------------------------------------- profiles

    def profile(self, creative_urn: str) -> CreativeProfile | None:
        """Return the (cached) profile of a creative, or ``None`` when the world does not know it."""
        cached = self._profiles.get(creative_urn)
        if cached is not None:
            return cached
        creative = self._find("creatives", creative_urn)
        if creative is None:
            return None
        campaign = self._find("campaigns", _urn_id(creative["campaign"]))
        account = self._find("accounts", _urn_id(creative["account"]))
        if campaign is None or account is None:
            return None
        group = self._find("campaign_groups", _urn_id(campaign["campaignGroup"]))
        built = self._build_profile(creative, campaign, group, account)
        self._profiles[creative_urn] = built
        return built

    def _find(self, kind: str, key: int | str) -> dict[str, Any] | None:
        lookup = {"creatives": "_creatives_by_id", "campaigns": "_campaigns_by_id",
                  "accounts": "_accounts_by_id", "campaign_groups": "_groups_by_id"}[kind]
        table = getattr(self.world, lookup, None)
        numeric = _urn_id(key) if isinstance(key, str) else key
        if table is not None:
            return table.get(numeric)
        return next((e for e in self._all(kind) if e["id"] == key or e["id"] == numeric), None)

    def _serving_window(self, creative: dict[str, Any], campaign: dict[str, Any],
                        group: dict[str, Any] | None,
                        account: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
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

    def _build_profile(self, creative: dict[str, Any], campaign: dict[str, Any], group: dict[str, Any] | None,
                       account: dict[str, Any]) -> CreativeProfile:
        seed, urn = self.seed, creative["id"]
        u = _uniforms(seed, "profile", urn)
        first, last = self._serving_window(creative, campaign, group, account)
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
            urn=urn, campaign_id=int(campaign["id"]), group_id=_urn_id(campaign["campaignGroup"]),
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
            rules=tuple(self._rule_links(urn, int(campaign["id"]))))

    def _rule_links(self, creative_urn: str, campaign_id: int) -> Iterator[RuleLink]:
        campaign_urn = f"urn:li:sponsoredCampaign:{campaign_id}"
        for rule in sorted(self._rules_for_campaign(campaign_id), key=lambda r: r["id"]):
            u = _uniforms(self.seed, "rule", creative_urn, rule["id"])
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

    # --------------------------------------------------------------------------------------- daily values

    def _daily(self, profile: CreativeProfile, day: dt.date, salt: str) -> tuple[float, ...]:
        """Return 16 floats in [0, 1) for ``(seed, creative, salt, day)``; the last digest is memoised."""
        key = (profile.urn, salt, day)
        if self._last_daily[0] == key:
            return self._last_daily[1]
        hasher = self._hashers.get(profile.urn)
        if hasher is None:
            hasher = self._hashers[profile.urn] = hashlib.blake2b(
                f"{self.seed}\x1f{profile.urn}\x1f".encode(), digest_size=64)
        h = hasher.copy()
        h.update(f"{salt}\x1f{day.toordinal()}".encode())
        values = tuple(v * _TO_UNIT for v in _UNPACK_16(h.digest()))
        self._last_daily = (key, values)
        return values

    def final_day(self, profile: CreativeProfile, day: dt.date) -> TMetrics | None:
        """Return a creative-day's settled non-conversion counts (no money), or ``None`` without activity."""
        u = self._daily(profile, day, "day")
        if u[0] >= profile.p_active:
            return None
        weekday = 0.6 if day.weekday() >= 5 else 1.0
        impressions = int(profile.base_impressions * weekday * (0.55 + 0.9 * u[1])) + 1
        clicks = int(impressions * profile.ctr * (0.6 + 0.8 * u[2]))
        m: TMetrics = {"impressions": impressions, "clicks": clicks}
        kind = profile.kind
        if kind in ("message", "conversation"):
            m["sends"] = impressions
            opens = int(impressions * (0.3 + 0.3 * u[3]))
            m["opens"] = opens
            action = min(clicks, opens)
            m["actionClicks"] = action
            m["adUnitClicks"] = int(action * 0.15 * u[4])
            m["textUrlClicks"] = int(action * 0.1 * u[5])
            m["landingPageClicks"] = int(action * (0.5 + 0.3 * u[6]))
            if kind == "conversation":
                m["headlineImpressions"] = opens
                m["headlineClicks"] = int(action * (0.2 + 0.3 * u[7]))
            if profile.lead_gen:
                interested = int(action * (0.2 + 0.3 * u[8]))
                m["leadGenerationMailInterestedClicks"] = interested
                m["leadGenerationMailContactInfoShares"] = int(interested * (0.3 + 0.4 * u[9]))
        else:
            landing = int(clicks * (0.55 + 0.35 * u[3]))
            m["landingPageClicks"] = landing
            m["companyPageClicks"] = int((clicks - landing) * 0.4 * u[4])
            if kind != "text":
                self._social(profile, impressions, u, m)
            if kind == "video":
                starts = int(impressions * (0.35 + 0.4 * u[8]))
                m["videoStarts"] = starts
                m["videoViews"] = int(starts * (0.45 + 0.35 * u[9]))
                first = int(starts * (0.55 + 0.3 * u[10]))
                mid = int(first * (0.6 + 0.3 * u[11]))
                third = int(mid * (0.65 + 0.3 * u[12]))
                m.update(videoFirstQuartileCompletions=first, videoMidpointCompletions=mid,
                         videoThirdQuartileCompletions=third,
                         videoCompletions=int(third * (0.7 + 0.25 * u[13])))
                m["fullScreenPlays"] = int(m["videoViews"] * (0.02 + 0.06 * u[14]))
            elif kind == "document":
                first = int(impressions * (0.03 + 0.05 * u[8]))
                mid = int(first * (0.5 + 0.3 * u[9]))
                third = int(mid * (0.55 + 0.3 * u[10]))
                m.update(documentFirstQuartileCompletions=first, documentMidpointCompletions=mid,
                         documentThirdQuartileCompletions=third,
                         documentCompletions=int(third * (0.6 + 0.3 * u[11])))
                m["downloadClicks"] = int(first * 0.1 * u[12])
            elif kind == "carousel":
                m["cardImpressions"] = int(impressions * (1.2 + 1.3 * u[8]))
                m["cardClicks"] = clicks + int(clicks * 0.4 * u[9])
            if profile.newsletter:
                m["subscriptionClicks"] = int(clicks * 0.08 * u[13])
            if profile.lead_gen:
                form_opens = int(clicks * (0.2 + 0.3 * u[14]))
                leads = int(form_opens * (0.2 + 0.35 * u[15]))
                m.update(oneClickLeadFormOpens=form_opens, oneClickLeads=leads,
                         validWorkEmailLeads=int(leads * (0.4 + 0.4 * u[5])),
                         qualifiedLeads=int(leads * (0.1 + 0.3 * u[6])))
            if profile.jobs:
                m["talentLeads"] = int(clicks * 0.05 * u[15])
        m["_dwellCentiseconds"] = int(impressions * profile.dwell_seconds * (0.8 + 0.4 * u[7]) * 100)
        return {k: v for k, v in m.items() if v}

    def _social(self, profile: CreativeProfile, impressions: int, u: tuple[float, ...], m: TMetrics) -> None:
        rate = profile.engagement
        reactions = int(impressions * rate * (0.5 + u[5]))
        m.update(reactions=reactions, likes=int(reactions * (0.6 + 0.3 * u[6])),
                 comments=int(impressions * rate * 0.12 * u[7]), shares=int(impressions * rate * 0.08 * u[8]),
                 follows=int(impressions * rate * (0.3 if profile.kind == "dynamic" else 0.05)
                             * (0.5 + u[9])),
                 otherEngagements=int(impressions * rate * 0.4 * u[10]))
        m["commentLikes"] = int(m["comments"] * 0.6 * u[11])

    def _matured(self, profile: CreativeProfile, day: dt.date, final: TMetrics, age: int) -> TMetrics:
        delivery, social = delivery_maturity(age), social_maturity(age)
        qualified = arrival_share(age, QUALIFIED_LEAD_SETTLE_DAYS)
        out: TMetrics = {}
        for name, value in final.items():
            share = social if name in SOCIAL_METRICS else qualified if name == "qualifiedLeads" else delivery
            out[name] = int(value * share)
        if profile.kind not in ("text", "message", "conversation"):
            viral = profile.viral * (0.5 + self._daily(profile, day, "extra")[3])
            for base in VIRAL_BASES:
                if base in final and base != "totalEngagements":
                    # Viral activity comes from reshares, so it trails like social engagement.
                    out[f"viral{base[0].upper()}{base[1:]}"] = int(final[base] * viral * social)
        out["totalEngagements"] = sum(out.get(k, 0) for k in (
            "clicks", "reactions", "comments", "shares", "follows", "otherEngagements"))
        viral_total = sum(out.get(k, 0) for k in (
            "viralClicks", "viralReactions", "viralComments", "viralShares", "viralFollows",
            "viralOtherEngagements"))
        if viral_total:
            out["viralTotalEngagements"] = viral_total
        self._native_conversions(profile, day, final, age, out)
        cost = self._cost_micros(profile, day, out)
        if cost:
            out["costInLocalCurrency"] = cost
            out["costInUsd"] = round(cost * usd_rate(self.seed, profile.currency, day))
        return out

    def _native_conversions(self, profile: CreativeProfile, day: dt.date, final: TMetrics, age: int,
                            out: TMetrics) -> None:
        kinds = [base for base, on in (("JobApplyClicks", profile.jobs), ("JobApplications", profile.jobs),
                                       ("Registrations", profile.events)) if on]
        if not kinds:
            return
        u = self._daily(profile, day, "extra")  # indexes 0-2, 4-6, 8-10 and 12-14
        click_share = arrival_share(age, NATIVE_CLICK_WINDOW_DAYS)
        view_share = arrival_share(age, NATIVE_VIEW_WINDOW_DAYS)
        for i, base in enumerate(kinds):
            depth = 0.25 if base == "JobApplications" else 1.0
            post_click = int(final.get("clicks", 0) * 0.05 * depth * u[i] * click_share)
            post_view = int(final["impressions"] * 0.0004 * depth * u[i + 4] * view_share)
            viral_click, viral_view = int(post_click * 0.3 * u[i + 8]), int(post_view * 0.3 * u[i + 12])
            lower = base[0].lower() + base[1:]
            for name, value in ((f"postClick{base}", post_click), (f"postView{base}", post_view),
                                (lower, post_click + post_view), (f"viralPostClick{base}", viral_click),
                                (f"viralPostView{base}", viral_view),
                                (f"viral{base}", viral_click + viral_view)):
                if value:
                    out[name] = value

    def _cost_micros(self, profile: CreativeProfile, day: dt.date, out: TMetrics) -> int:
        driver = {"CPC": out.get("clicks", 0), "CPV": out.get("videoViews", 0)}.get(
            profile.cost_type, out.get("impressions", 0))
        per_unit = profile.unit_price / (1000 if profile.cost_type == "CPM" else 1)
        noise = 0.9 + 0.2 * self._daily(profile, day, "extra")[7]
        return round(driver * per_unit * noise * 1_000_000)

    def rule_conversions(self, profile: CreativeProfile, day: dt.date, final: TMetrics,
                         age: int) -> list[tuple[int, TMetrics]]:
        """Return ``(conversion id, metrics)`` for each rule with conversions on this creative-day."""
        out = []
        for rule in profile.rules:
            if day < rule.first_day or (rule.last_day is not None and day > rule.last_day):
                continue
            u = self._daily(profile, day, f"conv{rule.conversion_id}")
            post_click = int(final.get("clicks", 0) * rule.post_click_rate * (0.4 + 1.2 * u[0])
                             * arrival_share(age, rule.click_window))
            post_view = int(final["impressions"] * rule.post_view_rate * (0.4 + 1.2 * u[1])
                            * arrival_share(age, rule.view_window))
            if not post_click and not post_view:
                continue
            viral_click, viral_view = int(post_click * 0.25 * u[2]), int(post_view * 0.25 * u[3])
            unit = rule.value_micros * ((0.5 + u[4]) if rule.dynamic_value else 1.0)
            metrics = {"externalWebsiteConversions": post_click + post_view,
                       "externalWebsitePostClickConversions": post_click,
                       "externalWebsitePostViewConversions": post_view,
                       "viralExternalWebsiteConversions": viral_click + viral_view,
                       "viralExternalWebsitePostClickConversions": viral_click,
                       "viralExternalWebsitePostViewConversions": viral_view,
                       "conversionValueInLocalCurrency": round((post_click + post_view) * unit)}
            out.append((rule.conversion_id, {k: v for k, v in metrics.items() if v}))
        return out

    def _settled_inputs(self, creative_urn: str, day: dt.date
                        ) -> tuple[CreativeProfile, TMetrics, int] | None:
        profile = self.profile(creative_urn)
        if profile is None or profile.active_days(day, day) is None:
            return None
        age = (self.today - day).days
        if age < 0:
            return None
        final = self.final_day(profile, day)
        return None if final is None else (profile, final, age)

    def creative_day(self, creative_urn: str, day: dt.date) -> TMetrics | None:
        """Return a creative-day's metrics as reported today (restated), or ``None`` without activity.

        Args:
            creative_urn: ``urn:li:sponsoredCreative:N``.
            day: The UTC day.

        Returns:
            Metric name -> value for the non-zero metrics (money in micro-units of the account currency or
            USD; internal helper keys start with ``_``), or ``None`` when nothing is reported for the day.

        """
        inputs = self._settled_inputs(creative_urn, day)
        if inputs is None:
            return None
        profile, final, age = inputs
        metrics = self._matured(profile, day, final, age)
        for _, conversion in self.rule_conversions(profile, day, final, age):
            for name, value in conversion.items():
                metrics[name] = metrics.get(name, 0) + value
        metrics = {k: v for k, v in metrics.items() if v}
        return metrics if any(not k.startswith("_") for k in metrics) else None

    def creative_conversion_day(self, creative_urn: str, day: dt.date) -> list[tuple[int, TMetrics]]:
        """Return ``[(conversion id, metrics)]`` for a creative-day as reported today (restated)."""
        inputs = self._settled_inputs(creative_urn, day)
        if inputs is None:
            return []
        profile, final, age = inputs
        return self.rule_conversions(profile, day, final, age)

    # ---------------------------------------------------------------------------------------- reporting

    def aggregate(self, creative_urns: Sequence[str], start: dt.date, end: dt.date, granularity: str,
                  pivots: Sequence[str]) -> list[AggregateRow]:
        """Sum restated creative-day metrics into rows per pivot-value combination and time bucket.

        Args:
            creative_urns: Creatives in scope (already filtered by facets and token visibility).
            start: First day, inclusive (UTC).
            end: Last day, inclusive.
            granularity: ``DAILY``, ``MONTHLY``, ``YEARLY`` or ``ALL``.
            pivots: Pivot names among ``CREATIVE``, ``CAMPAIGN``, ``CAMPAIGN_GROUP``, ``ACCOUNT``,
                ``CONVERSION``, ``SHARE``.

        Returns:
            Rows in no particular order; rows only exist for buckets with some activity.

        """
        by_conversion = "CONVERSION" in pivots
        last = min(end, self.today)
        rows: dict[tuple[dt.date, tuple[str, ...]], AggregateRow] = {}
        for urn in creative_urns:
            profile = self.profile(urn)
            if profile is None:
                continue
            window = profile.active_days(start, last)
            if window is None or (by_conversion and not profile.rules):
                continue
            if "SHARE" in pivots and profile.share is None:
                continue
            day = window[0]
            while day <= window[1]:
                if by_conversion:
                    parts: list[tuple[int | None, TMetrics]] = list(self.creative_conversion_day(urn, day))
                else:
                    totals = self.creative_day(urn, day)
                    parts = [(None, totals)] if totals else []
                if parts:
                    b_start, b_end = bucket_of(day, start, end, granularity)
                    for conversion_id, metrics in parts:
                        key = tuple(pivot_value(p, profile, conversion_id) for p in pivots)
                        row = rows.get((b_start, key))
                        if row is None:
                            row = rows[(b_start, key)] = AggregateRow(b_start, b_end, key)
                        sums = row.sums
                        for name, value in metrics.items():
                            sums[name] = sums.get(name, 0) + value
                        row.days.add(day)
                day += dt.timedelta(days=1)
        return list(rows.values())

    def restatement_days(self, account_id: int | None = None) -> dict[str, int]:
        """Return, per metric family, how many most recent days (today included) can still change.

        Args:
            account_id: Limit the conversion windows to this account's rules (default: every rule).

        Returns:
            ``{"delivery", "social", "qualifiedLeads", "nativeConversions", "conversions"}`` in days.

        """
        rules = [r for r in self._all("conversions")
                 if account_id is None or _urn_id(r["account"]) == account_id]
        windows = [max(int(r.get("postClickAttributionWindowSize", 30)),
                       int(r.get("viewThroughAttributionWindowSize", 7))) for r in rules]
        return {"delivery": DELIVERY_SETTLE_DAYS, "social": SOCIAL_SETTLE_DAYS,
                "qualifiedLeads": QUALIFIED_LEAD_SETTLE_DAYS, "nativeConversions": NATIVE_CLICK_WINDOW_DAYS,
                "conversions": max(windows, default=NATIVE_CLICK_WINDOW_DAYS)}


# ----------------------------------------------------------------------------------------------- helpers


@lru_cache(maxsize=8192)
def usd_rate(seed: int, currency: str, day: dt.date) -> float:
    """Return the USD value of one unit of ``currency`` on ``day`` (deterministic, drifting within ±1%)."""
    base = USD_PER_UNIT.get(currency, 1.0)
    if currency == "USD":
        return 1.0
    return base * (0.99 + 0.02 * synth.unit(seed, "fx", currency, day.toordinal()))


def bucket_of(day: dt.date, start: dt.date, end: dt.date, granularity: str) -> tuple[dt.date, dt.date]:
    """Return the ``(first, last)`` days of the time bucket holding ``day``, clipped to ``[start, end]``."""
    if granularity == "DAILY":
        return day, day
    if granularity == "ALL":
        return start, end
    if granularity == "YEARLY":
        first, last = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    else:
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return max(first, start), min(last, end)


def pivot_value(pivot: str, profile: CreativeProfile, conversion_id: int | None) -> str:
    """Return the ``pivotValues`` entry of one pivot for a creative (and conversion rule)."""
    if pivot == "CREATIVE":
        return profile.urn
    if pivot == "CAMPAIGN":
        return f"urn:li:sponsoredCampaign:{profile.campaign_id}"
    if pivot == "CAMPAIGN_GROUP":
        return f"urn:li:sponsoredCampaignGroup:{profile.group_id}"
    if pivot == "ACCOUNT":
        return f"urn:li:sponsoredAccount:{profile.account_id}"
    if pivot == "CONVERSION":
        return f"urn:lla:llaPartnerConversion:{conversion_id}"
    if pivot == "SHARE" and profile.share is not None:
        return profile.share
    raise ValueError(f"Pivot {pivot} is not modelled by the sandbox analytics model.")


def approximate_reach(impressions: int, active_days: int) -> int:
    """Return an approximate member reach: fewer unique members than impressions, more so over more days."""
    if impressions <= 0:
        return 0
    return max(1, math.ceil(impressions / (1.15 + 0.35 * math.log(max(active_days, 1)))))
