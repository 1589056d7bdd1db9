"""The metric catalog of the sandbox's ``adAnalytics``: which fields exist, how they are typed, when they settle.

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
:meth:`lisync.sandbox.analytics.model.AnalyticsModel.restatement_days` returns these numbers for a world.
"""

from __future__ import annotations

import math

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
# Metrics LinkedIn added in 202601 (video and event watch time), derived per row from additive counts.
NEWER_METRICS: frozenset[str] = frozenset({"videoWatchTime", "averageVideoWatchTime", "eventViews", "eventWatchTime",
                                           "averageEventWatchTime", "costPerEventView"})
METRIC_FIELDS: frozenset[str] = frozenset({*ADDITIVE_METRICS, *ROW_METRICS, *LEGACY_METRICS, *NEWER_METRICS})
# The LinkedIn-Version that introduced each metric added since versioning began (LinkedIn's schema notes: "only
# supported from API version 202411 onwards"; recent changes, 202601: event and video watch time). Older
# versions answer 400 to them, as to any unknown field.
METRIC_SINCE_VERSION: dict[str, str] = {"averageDwellTime": "202411", "audiencePenetration": "202411",
                                        **{name: "202601" for name in sorted(NEWER_METRICS)}}
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


def metrics_newer_than(version: str | None) -> frozenset[str]:
    """Return the metrics a ``LinkedIn-Version`` (``YYYYMM``, ``YYYYMM.RR`` or ``YYYYMMDD``) does not have yet."""
    month = (version or "").strip()[:6]
    if len(month) != 6 or not month.isdigit():
        return frozenset()
    return frozenset(name for name, since in METRIC_SINCE_VERSION.items() if month < since)


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
