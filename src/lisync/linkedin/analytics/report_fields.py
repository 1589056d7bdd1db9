"""What the reports family asks adAnalytics for: pivots, demographic values, newer metrics per LinkedIn-Version.

LinkedIn's documented pivots (ads-reporting schema, ``pivot``/``pivots`` parameter), which of them carry reach,
the eight professional demographic pivots with the namespace of their values, LinkedIn's company-size codes
with their names, and — in one place — the metrics LinkedIn added after the seed contract, per the
``LinkedIn-Version`` that introduced them.
Docs: https://learn.microsoft.com/en-us/linkedin/marketing/integrations/ads-reporting/ads-reporting-schema
"""

from __future__ import annotations

import re
from typing import Final

from lisync.linkedin.analytics.fields import LINKEDIN_METRICS

# Every pivot LinkedIn documents for q=analytics / q=statistics.
PIVOTS: Final[tuple[str, ...]] = (
    "ACCOUNT", "CAMPAIGN_GROUP", "CAMPAIGN", "CREATIVE", "SHARE", "COMPANY", "CONVERSION", "CONVERSATION_NODE",
    "CONVERSATION_NODE_OPTION_INDEX", "SERVING_LOCATION", "CARD_INDEX", "PLACEMENT_NAME", "IMPRESSION_DEVICE_TYPE",
    "OBJECTIVE_TYPE", "EVENT_STAGE", "MEMBER_COMPANY_SIZE", "MEMBER_INDUSTRY", "MEMBER_SENIORITY", "MEMBER_JOB_TITLE",
    "MEMBER_JOB_FUNCTION", "MEMBER_COUNTRY_V2", "MEMBER_REGION_V2", "MEMBER_COMPANY",
)
# Reach (approximateMemberReach, audiencePenetration) is served for these pivots only.
REACH_PIVOTS: Final = frozenset({"ACCOUNT", "CAMPAIGN_GROUP", "CAMPAIGN", "CREATIVE", "SHARE", "COMPANY"})
REACH_METRICS: Final = frozenset({"approximateMemberReach", "audiencePenetration"})
# Ratios and unique counts: a row's value cannot be rebuilt from the values of its parts (see summed.py).
NON_ADDITIVE_METRICS: Final = frozenset({*REACH_METRICS, "averageDwellTime", "averageVideoWatchTime",
                                         "averageEventWatchTime", "costPerEventView", "costPerQualifiedLead"})
MAX_PIVOTS: Final = 3

# The professional demographic pivots and what their values are (URN namespace; None: a company-size code).
DEMOGRAPHIC_PIVOTS: Final[dict[str, str | None]] = {
    "MEMBER_COMPANY": "organization",
    "MEMBER_COMPANY_SIZE": None,
    "MEMBER_INDUSTRY": "industry",
    "MEMBER_SENIORITY": "seniority",
    "MEMBER_JOB_TITLE": "title",
    "MEMBER_JOB_FUNCTION": "function",
    "MEMBER_COUNTRY_V2": "geo",
    "MEMBER_REGION_V2": "geo",
}
# Not available with demographic pivots (LinkedIn's metrics table).
NOT_WITH_DEMOGRAPHICS: Final = frozenset({
    "approximateMemberReach", "audiencePenetration", "conversionValueInLocalCurrency", "cardImpressions",
    "cardClicks", "viralCardImpressions", "viralCardClicks"})
# LinkedIn's staffCountRange codes (MEMBER_COMPANY_SIZE values) and their names.
COMPANY_SIZE_NAMES: Final[dict[str, str]] = {
    "SIZE_1": "Myself only", "SIZE_2_TO_10": "2-10 employees", "SIZE_11_TO_50": "11-50 employees",
    "SIZE_51_TO_200": "51-200 employees", "SIZE_201_TO_500": "201-500 employees",
    "SIZE_501_TO_1000": "501-1,000 employees", "SIZE_1001_TO_5000": "1,001-5,000 employees",
    "SIZE_5001_TO_10000": "5,001-10,000 employees", "SIZE_10001_OR_MORE": "10,001+ employees",
}
# The same ranges as LinkedIn's targeting URNs (``urn:li:staffCountRange:(11,50)``), keyed by their lower bound.
# LinkedIn documents no sample MEMBER_COMPANY_SIZE pivotValue: organizations and follower statistics use the
# codes, targeting uses the URNs, so a value in either form gets its name (see docs/reports.md).
_STAFF_COUNT_LOWER_BOUNDS: Final[dict[int, str]] = {
    1: "SIZE_1", 2: "SIZE_2_TO_10", 11: "SIZE_11_TO_50", 51: "SIZE_51_TO_200", 201: "SIZE_201_TO_500",
    501: "SIZE_501_TO_1000", 1001: "SIZE_1001_TO_5000", 5001: "SIZE_5001_TO_10000", 10001: "SIZE_10001_OR_MORE",
}
_STAFF_COUNT_URN: Final = re.compile(r"urn:li:staffCountRange:\((\d+),(\d*)\)")
# Standardized-data lookup resource per URN namespace (BATCH_GET ``/rest/<resource>?ids=List(..)``).
LOOKUP_RESOURCES: Final[dict[str, str]] = {
    "title": "titles", "industry": "industries", "function": "functions", "seniority": "seniorities",
    "geo": "geo", "organization": "organizationsLookup",
}

# Metrics LinkedIn added after the seed contract, keyed by the LinkedIn-Version that introduced them
# (202411: "New Metrics audiencePenetration and averageDwellTime"; 202601: video and event watch time).
# LinkedIn's thresholded event-watch variants (15 s, 30 s, 2 min) are not listed: their field names are not
# confirmed by any source we could read.
EXTENDED_METRICS: Final[dict[str, tuple[str, ...]]] = {
    "202411": ("averageDwellTime", "audiencePenetration"),
    "202601": ("videoWatchTime", "averageVideoWatchTime", "eventViews", "eventWatchTime", "averageEventWatchTime",
               "costPerEventView"),
}
EXTENDED_DESCRIPTIONS: Final[dict[str, str]] = {
    "averageDwellTime": "Average seconds members spent viewing the ad with at least 50% of its pixels on screen "
                        "(LinkedIn-Version 202411+). Not additive.",
    "audiencePenetration": "Approximate unique members reached divided by the approximate target audience "
                           "(202411+; account, campaign group and campaign level, at most 92-day ranges). "
                           "Not additive.",
    "videoWatchTime": "Total seconds of video watched (202601+).",
    "averageVideoWatchTime": "Average seconds of video watched per view (202601+). Not additive.",
    "eventViews": "Views of a LinkedIn Event (live event or webinar) from the ad (202601+).",
    "eventWatchTime": "Total seconds of a LinkedIn Event watched from the ad (202601+).",
    "averageEventWatchTime": "Average seconds of a LinkedIn Event watched per view (202601+). Not additive.",
    "costPerEventView": "Cost in the account's local currency per event view (202601+). Not additive.",
}
# Tables the opt-in adds the extended metrics to; audiencePenetration only where LinkedIn serves it.
EXTENDED_TABLES: Final = frozenset({"ad_performance", "account_performance", "campaign_group_performance",
                                    "campaign_performance"})
# audiencePenetration needs an ACCOUNT, CAMPAIGN_GROUP or CAMPAIGN pivot (others may come alongside); the
# ads-reporting schema (li-lms-2026-03) says so. Before, lisync read it as CAMPAIGN-only.
PENETRATION_PIVOTS: Final = frozenset({"ACCOUNT", "CAMPAIGN_GROUP", "CAMPAIGN"})
# Tables that get audiencePenetration from the opt-in (campaign_performance has it as a contract column).
PENETRATION_TABLES: Final = frozenset({"account_performance", "campaign_group_performance"})


def extended_metrics(api_version: str, table: str) -> tuple[str, ...]:
    """Return the newer metrics a table gets with ``--extended-metrics`` at ``api_version`` (``YYYYMM``)."""
    if table not in EXTENDED_TABLES:
        return ()
    month = api_version[:6]
    out: list[str] = []
    for since, names in sorted(EXTENDED_METRICS.items()):
        if month >= since:
            out.extend(n for n in names if n != "audiencePenetration" or table in PENETRATION_TABLES)
    return tuple(out)


def unavailable_metrics(api_version: str) -> frozenset[str]:
    """Return the metrics LinkedIn added after ``api_version`` (``YYYYMM``): asking for them there is a 400.

    A contract column such as ``campaign_performance.audiencepenetration`` then stays empty.
    """
    month = api_version[:6]
    return frozenset(m for since, names in EXTENDED_METRICS.items() if month < since for m in names)


def company_size_name(value: str) -> str | None:
    """Return the name of a MEMBER_COMPANY_SIZE value: a ``SIZE_11_TO_50`` code or a staffCountRange URN."""
    if value in COMPANY_SIZE_NAMES:
        return COMPANY_SIZE_NAMES[value]
    found = _STAFF_COUNT_URN.fullmatch(value.strip())
    code = _STAFF_COUNT_LOWER_BOUNDS.get(int(found[1])) if found else None
    return COMPANY_SIZE_NAMES[code] if code else None


def known_metrics() -> frozenset[str]:
    """Every metric name a custom report may ask for (the documented list plus the newer metrics)."""
    return frozenset({*LINKEDIN_METRICS, *(m for names in EXTENDED_METRICS.values() for m in names)})
