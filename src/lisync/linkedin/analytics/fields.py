"""adAnalytics fields: LinkedIn's documented metric names, their spec columns, and request chunks.

LinkedIn accepts at most 20 entries in ``fields`` per adAnalytics request, ``pivotValues`` and
``dateRange`` included, so each table's metrics are requested in chunks of 18 and merged by key
(pivot values + day), never by position: LinkedIn omits a row from a chunk when all of that chunk's
metrics are zero, so chunks can return different row sets.
"""

from __future__ import annotations

from typing import Final

from lisync.spec.loader import table_spec

# Every metric in LinkedIn's ads-reporting schema (li-lms-2026), camelCase as the API spells them.
LINKEDIN_METRICS: Final[tuple[str, ...]] = (
    "actionClicks", "adUnitClicks", "approximateMemberReach", "approximateUniqueImpressions",
    "audiencePenetration", "averageDwellTime", "cardClicks", "cardImpressions", "clicks", "commentLikes",
    "comments", "companyPageClicks", "conversionValueInLocalCurrency", "costInLocalCurrency", "costInUsd",
    "costPerQualifiedLead", "documentCompletions", "documentFirstQuartileCompletions",
    "documentMidpointCompletions", "documentThirdQuartileCompletions", "downloadClicks",
    "externalWebsiteConversions", "externalWebsitePostClickConversions", "externalWebsitePostViewConversions",
    "follows", "fullScreenPlays", "headlineClicks", "headlineImpressions", "impressions", "jobApplications",
    "jobApplyClicks", "landingPageClicks", "leadGenerationMailContactInfoShares",
    "leadGenerationMailInterestedClicks", "likes", "oneClickLeadFormOpens", "oneClickLeads", "opens",
    "otherEngagements", "postClickJobApplications", "postClickJobApplyClicks", "postClickRegistrations",
    "postViewJobApplications", "postViewJobApplyClicks", "postViewRegistrations", "qualifiedLeads",
    "reactions", "registrations", "sends", "shares", "subscriptionClicks", "talentLeads", "textUrlClicks",
    "totalEngagements", "validWorkEmailLeads", "videoCompletions", "videoFirstQuartileCompletions",
    "videoMidpointCompletions", "videoStarts", "videoThirdQuartileCompletions", "videoViews",
    "viralCardClicks", "viralCardImpressions", "viralClicks", "viralCommentLikes", "viralComments",
    "viralCompanyPageClicks", "viralDocumentCompletions", "viralDocumentFirstQuartileCompletions",
    "viralDocumentMidpointCompletions", "viralDocumentThirdQuartileCompletions", "viralDownloadClicks",
    "viralExternalWebsiteConversions", "viralExternalWebsitePostClickConversions",
    "viralExternalWebsitePostViewConversions", "viralFollows", "viralFullScreenPlays", "viralImpressions",
    "viralJobApplications", "viralJobApplyClicks", "viralLandingPageClicks", "viralLikes",
    "viralOneClickLeadFormOpens", "viralOneClickLeads", "viralOtherEngagements",
    "viralPostClickJobApplications", "viralPostClickJobApplyClicks", "viralPostClickRegistrations",
    "viralPostViewJobApplications", "viralPostViewJobApplyClicks", "viralPostViewRegistrations",
    "viralReactions", "viralRegistrations", "viralShares", "viralSubscriptionClicks", "viralTotalEngagements",
    "viralVideoCompletions", "viralVideoFirstQuartileCompletions", "viralVideoMidpointCompletions",
    "viralVideoStarts", "viralVideoThirdQuartileCompletions", "viralVideoViews",)
KEY_FIELDS: Final = ("pivotValues", "dateRange")
MAX_FIELDS_PER_REQUEST: Final = 20
METRICS_PER_CHUNK: Final = MAX_FIELDS_PER_REQUEST - len(KEY_FIELDS)
# Metrics LinkedIn serves only for date ranges of at most this many days.
REACH_METRICS: Final = frozenset({"approximateMemberReach", "audiencePenetration"})
REACH_MAX_RANGE_DAYS: Final = 92
# The most-used delivery metrics go first, so the first chunk carries the rows that exist at all.
LEADING_METRICS: Final = ("impressions", "clicks", "costInLocalCurrency", "costInUsd", "landingPageClicks",
                          "externalWebsiteConversions", "conversionValueInLocalCurrency", "totalEngagements")
# Columns of the performance tables that are ids, references and names rather than metrics.
DIMENSION_COLUMNS: Final = frozenset({
    "metric_date", "account_id", "creative_reference", "creative_id", "creative_name", "campaign_reference",
    "campaign_id", "campaign_name", "campaign_group_reference", "campaign_group_id", "campaign_group_name",
    "conversion_reference", "conversion_id",
    # the reports family's tables (issue #14)
    "account_reference", "account_name", "granularity", "demographic_pivot", "demographic_value",
})

_BY_COLUMN: Final = {name.lower(): name for name in LINKEDIN_METRICS}


def metric_columns(table: str) -> dict[str, str]:
    """Return ``{spec column: LinkedIn field}`` for the metric columns of a performance table.

    Raises:
        KeyError: If the spec names a metric LinkedIn does not document (a contract error).
    """
    return {c.name: _BY_COLUMN[c.name] for c in table_spec(table).columns if c.name not in DIMENSION_COLUMNS}


def metric_chunks(table: str, exclude: frozenset[str] = frozenset()) -> list[tuple[str, ...]]:
    """Split a table's metrics into request chunks of at most :data:`METRICS_PER_CHUNK` fields.

    Leading delivery metrics come first; the reach metrics (valid only for short date ranges) share the
    last chunk, so only that chunk needs the shorter date windows. Metrics in ``exclude`` (ones LinkedIn
    does not serve for the table's pivots) are not asked for; their columns stay empty.
    """
    fields = [f for f in metric_columns(table).values() if f not in exclude]
    leading = [f for f in LEADING_METRICS if f in fields]
    reach = [f for f in fields if f in REACH_METRICS]
    rest = [f for f in fields if f not in leading and f not in reach]
    ordered = leading + rest
    chunks = [tuple(ordered[i:i + METRICS_PER_CHUNK]) for i in range(0, len(ordered), METRICS_PER_CHUNK)]
    if reach:
        if chunks and len(chunks[-1]) + len(reach) <= METRICS_PER_CHUNK:
            chunks[-1] = (*chunks[-1], *reach)
        else:
            chunks.append(tuple(reach))
    return chunks
