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

Restatement: a day's values keep growing for a while after it (delivery 3 days, social engagement 7,
qualified leads and LinkedIn-native conversions 30, rule conversions their attribution windows);
:mod:`lisync.sandbox.analytics.catalog` states the rules and holds their constants, and
:meth:`AnalyticsModel.restatement_days` returns the resulting update windows for a world.

The field catalog lives in :mod:`~lisync.sandbox.analytics.catalog`, creative profiles in
:mod:`~lisync.sandbox.analytics.profiles`, a creative-day's settled counts in
:mod:`~lisync.sandbox.analytics.counts`, its conversions in :mod:`~lisync.sandbox.analytics.conversions`,
report rows in :mod:`~lisync.sandbox.analytics.rows`, their summing (and the answer cache) in
:mod:`~lisync.sandbox.analytics.report` and the data-volume throttle in
:mod:`~lisync.sandbox.analytics.throttle`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from lisync.sandbox import synth
from lisync.sandbox.analytics.catalog import (
    DELIVERY_SETTLE_DAYS,
    NATIVE_CLICK_WINDOW_DAYS,
    QUALIFIED_LEAD_SETTLE_DAYS,
    SOCIAL_METRICS,
    SOCIAL_SETTLE_DAYS,
    USD_PER_UNIT,
    VIRAL_BASES,
    TMetrics,
    arrival_share,
    delivery_maturity,
    social_maturity,
)
from lisync.sandbox.analytics.conversions import add_native_conversions, rule_conversions
from lisync.sandbox.analytics.counts import settled_counts
from lisync.sandbox.analytics.profiles import CreativeProfile, build_profile, digest_uniforms, urn_id
from lisync.sandbox.analytics.report import AnalyticsReport
from lisync.sandbox.analytics.throttle import MetricValueThrottle


class AnalyticsModel:
    """On-demand daily metrics of a :class:`~lisync.sandbox.world.World`, their report rows and the throttle.

    Attributes:
        report: Sums this model's creative-day metrics into report rows (and keeps recent answers).
        throttle: LinkedIn's per-token data-volume limit (``throttle.limit``: 45,000,000 metric values
            per 5 minutes; tests lower it).

    """

    def __init__(self, world: Any) -> None:
        self.world = world
        self.seed = world.seed
        self.throttle = MetricValueThrottle()
        self.report = AnalyticsReport(self)
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
                campaign = campaigns.get(urn_id(creative["campaign"]))
                if campaign is None:
                    continue
                by["account"].setdefault(urn_id(creative["account"]), []).append(creative["id"])
                by["group"].setdefault(urn_id(campaign["campaignGroup"]), []).append(creative["id"])
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
        return sorted(existing, key=urn_id)

    def _rules_for_campaign(self, campaign_id: int) -> list[dict[str, Any]]:
        if self._rules_by_campaign is None:
            rules: dict[int, list[dict[str, Any]]] = {}
            for rule in self._all("conversions"):
                linked = {urn_id(u) for u in rule.get("campaigns", [])}
                linked |= {urn_id(a["campaign"]) for a in rule.get("associatedCampaigns", [])
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
        campaign = self._find("campaigns", urn_id(creative["campaign"]))
        account = self._find("accounts", urn_id(creative["account"]))
        if campaign is None or account is None:
            return None
        group = self._find("campaign_groups", urn_id(campaign["campaignGroup"]))
        built = build_profile(self.seed, creative, campaign, group, account,
                              self._rules_for_campaign(int(campaign["id"])))
        self._profiles[creative_urn] = built
        return built

    def _find(self, kind: str, key: int | str) -> dict[str, Any] | None:
        lookup = {"creatives": "_creatives_by_id", "campaigns": "_campaigns_by_id",
                  "accounts": "_accounts_by_id", "campaign_groups": "_groups_by_id"}[kind]
        table = getattr(self.world, lookup, None)
        numeric = urn_id(key) if isinstance(key, str) else key
        if table is not None:
            return table.get(numeric)
        return next((e for e in self._all(kind) if e["id"] == key or e["id"] == numeric), None)

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
        values = digest_uniforms(h.digest())
        self._last_daily = (key, values)
        return values

    def final_day(self, profile: CreativeProfile, day: dt.date) -> TMetrics | None:
        """Return a creative-day's settled non-conversion counts (no money), or ``None`` without activity."""
        return settled_counts(profile, day, self._daily(profile, day, "day"))

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
        add_native_conversions(profile, final, age, lambda salt: self._daily(profile, day, salt), out)
        cost = self._cost_micros(profile, day, out)
        if cost:
            out["costInLocalCurrency"] = cost
            out["costInUsd"] = round(cost * usd_rate(self.seed, profile.currency, day))
        return out

    def _cost_micros(self, profile: CreativeProfile, day: dt.date, out: TMetrics) -> int:
        driver = {"CPC": out.get("clicks", 0), "CPV": out.get("videoViews", 0)}.get(
            profile.cost_type, out.get("impressions", 0))
        per_unit = profile.unit_price / (1000 if profile.cost_type == "CPM" else 1)
        noise = 0.9 + 0.2 * self._daily(profile, day, "extra")[7]
        return round(driver * per_unit * noise * 1_000_000)

    def rule_conversions(self, profile: CreativeProfile, day: dt.date, final: TMetrics,
                         age: int) -> list[tuple[int, TMetrics]]:
        """Return ``(conversion id, metrics)`` for each rule with conversions on this creative-day."""
        return rule_conversions(profile, day, final, age, lambda salt: self._daily(profile, day, salt))

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

    def restatement_days(self, account_id: int | None = None) -> dict[str, int]:
        """Return, per metric family, how many most recent days (today included) can still change.

        Args:
            account_id: Limit the conversion windows to this account's rules (default: every rule).

        Returns:
            ``{"delivery", "social", "qualifiedLeads", "nativeConversions", "conversions"}`` in days.

        """
        rules = [r for r in self._all("conversions")
                 if account_id is None or urn_id(r["account"]) == account_id]
        windows = [max(int(r.get("postClickAttributionWindowSize", 30)),
                       int(r.get("viewThroughAttributionWindowSize", 7))) for r in rules]
        return {"delivery": DELIVERY_SETTLE_DAYS, "social": SOCIAL_SETTLE_DAYS,
                "qualifiedLeads": QUALIFIED_LEAD_SETTLE_DAYS, "nativeConversions": NATIVE_CLICK_WINDOW_DAYS,
                "conversions": max(windows, default=NATIVE_CLICK_WINDOW_DAYS)}


@lru_cache(maxsize=8192)
def usd_rate(seed: int, currency: str, day: dt.date) -> float:
    """Return the USD value of one unit of ``currency`` on ``day`` (deterministic, drifting within ±1%)."""
    base = USD_PER_UNIT.get(currency, 1.0)
    if currency == "USD":
        return 1.0
    return base * (0.99 + 0.02 * synth.unit(seed, "fx", currency, day.toordinal()))
