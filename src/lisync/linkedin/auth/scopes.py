"""The OAuth scopes and member roles each lisync pipeline needs, and checks of a grant against them.

Sources (Microsoft Learn LinkedIn Marketing docs, checked for this module):

* Ad accounts, campaign groups, campaigns, creatives: ``r_ads`` (read-only) or ``rw_ads``, plus one ad
  account role on each account; ``VIEWER`` is enough to read (account-access-controls).
* Conversion rules (``/conversions?q=account``): ``r_ads`` or ``rw_ads`` with an ad account role
  (ads-reporting/conversion-tracking). ``rw_conversions`` belongs to the Conversions API product and is only
  needed to write conversions (ads-reporting/conversions-api).
* Ad and conversion performance (``/adAnalytics``): ``r_ads_reporting`` (ads-reporting/ads-reporting), and
  ``r_ads`` to list the accounts and campaigns the report is planned over.
* Organization pages: ``rw_organization_admin`` ("Manage organizations pages and retrieve reporting data"),
  the only permission LinkedIn's page-statistics, follower-statistics and share-statistics pages list
  (``r_organization_admin`` is accepted by organization-access-control-by-role only, so it lists the pages
  but cannot read their statistics). The member must be an APPROVED ``ADMINISTRATOR`` of the page.
* Organization followers (follower-statistics, ``networkSizes``): ``rw_organization_admin``, ADMINISTRATOR.
* Organization video statistics (video-analytics-api): ``r_organization_social``, with an ADMINISTRATOR or
  DIRECT_SPONSORED_CONTENT_POSTER role on the page.
* Ad account users (``adAccountUsers?q=accounts``): ``r_ads`` or ``rw_ads`` with an ad account role.
* Lead Gen forms and responses (``/leadForms?q=owner``, ``/leadFormResponses?q=owner``):
  ``r_marketing_leadgen_automation``, granted with LinkedIn's separately approved Lead Sync API product
  (lead-sync/getting-access-leadsync), plus ``r_ads`` to list the accounts and a role on each.
* Organization posts (``/posts?q=author``): ``r_organization_social`` (posts-api; member role ADMINISTRATOR,
  DIRECT_SPONSORED_CONTENT_POSTER or CONTENT_ADMIN), plus ``rw_organization_admin`` for the lifetime post
  statistics from ``organizationalEntityShareStatistics`` (ADMINISTRATOR).

Apps ask only for scopes their LinkedIn products grant: asking for any other scope makes LinkedIn answer
``unauthorized_scope_error`` (e.g. the removed ``r_emailaddress``, airbytehq/airbyte#68679), so lisync asks
for the scopes of the selected pipelines and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Member roles. Any of the ad account roles can read; the organic pipelines need a page ADMINISTRATOR.
AD_ACCOUNT_ROLES: tuple[str, ...] = (
    "ACCOUNT_BILLING_ADMIN", "ACCOUNT_MANAGER", "CAMPAIGN_MANAGER", "CREATIVE_MANAGER", "VIEWER",
)
ORGANIZATION_ROLE = "ADMINISTRATOR"
ORGANIZATION_ROLE_STATE = "APPROVED"

_ADS = frozenset({"r_ads", "rw_ads"})
_REPORTING = frozenset({"r_ads_reporting"})
_ORG_STATS = frozenset({"rw_organization_admin"})
_ORG_SOCIAL = frozenset({"r_organization_social"})
_LEADGEN = frozenset({"r_marketing_leadgen_automation"})

# The scope asked for at login to satisfy each need (least privilege where LinkedIn offers a choice,
# except pages: rw_organization_admin is what the Community Management product grants and documents on
# every statistics endpoint, so an app usually has it and not the legacy read-only variant).
_PREFERRED: dict[frozenset[str], str] = {
    _ADS: "r_ads",
    _REPORTING: "r_ads_reporting",
    _ORG_STATS: "rw_organization_admin",
    _ORG_SOCIAL: "r_organization_social",
    _LEADGEN: "r_marketing_leadgen_automation",
}


@dataclass(frozen=True)
class PipelineAccess:
    """What one pipeline needs from the token and the member.

    Attributes:
        pipeline: Pipeline name (``ad_accounts`` …).
        needs: Scope requirements; each is a set of alternatives, any one of which satisfies it.
        role: The member role the pipeline needs, for messages.
        endpoints: The LinkedIn endpoints the pipeline reads.

    """

    pipeline: str
    needs: tuple[frozenset[str], ...]
    role: str
    endpoints: tuple[str, ...]

    def missing(self, granted: Iterable[str]) -> list[frozenset[str]]:
        """Return the needs that ``granted`` scopes do not satisfy (empty when the pipeline can run)."""
        have = set(granted)
        return [need for need in self.needs if not need & have]


_AD_ROLE = "any ad account role (VIEWER is enough) on each account"
_ORG_ROLE = f"{ORGANIZATION_ROLE} ({ORGANIZATION_ROLE_STATE}) on each organization page"

PIPELINE_ACCESS: dict[str, PipelineAccess] = {
    access.pipeline: access
    for access in (
        PipelineAccess("ad_accounts", (_ADS,), _AD_ROLE,
                       ("/rest/adAccounts?q=search", "/rest/adAccountUsers?q=authenticatedUser")),
        PipelineAccess("campaign_group_metadata", (_ADS,), _AD_ROLE,
                       ("/rest/adAccounts/{id}/adCampaignGroups?q=search",)),
        PipelineAccess("campaign_metadata", (_ADS,), _AD_ROLE,
                       ("/rest/adAccounts/{id}/adCampaigns?q=search",)),
        PipelineAccess("creative_metadata", (_ADS,), _AD_ROLE,
                       ("/rest/adAccounts/{id}/creatives?q=criteria",)),
        PipelineAccess("conversion_details", (_ADS,), _AD_ROLE, ("/rest/conversions?q=account",)),
        # Sponsored creatives' pages come from /rest/posts?ids=List(..) (BATCH_GET), which needs r_organization_social
        # and a page role: without them those pages stay empty (with a note), so it is not a need of the pipeline.
        PipelineAccess("creative_landing_pages", (_ADS,), _AD_ROLE,
                       ("/rest/adAccounts/{id}/creatives?q=criteria",)),
        PipelineAccess("ad_performance", (_REPORTING, _ADS), _AD_ROLE,
                       ("/rest/adAnalytics?q=analytics|statistics", "/rest/adAccounts?q=search")),
        PipelineAccess("conversion_performance", (_REPORTING, _ADS), _AD_ROLE,
                       ("/rest/adAnalytics?q=analytics|statistics", "/rest/conversions?q=account")),
        PipelineAccess("organization_pages", (_ORG_STATS,), _ORG_ROLE,
                       ("/rest/organizationAcls?q=roleAssignee", "/rest/organizations/{id}",
                        "/rest/organizationPageStatistics?q=organization", "/rest/brandPageStatistics?q=brand",
                        "/rest/organizationalEntityFollowerStatistics?q=organizationalEntity",
                        "/rest/organizationalEntityShareStatistics?q=organizationalEntity")),
        PipelineAccess("organization_posts", (_ORG_SOCIAL, _ORG_STATS), _ORG_ROLE,
                       ("/rest/posts?q=author",
                        "/rest/organizationalEntityShareStatistics?q=organizationalEntity",
                        "/rest/images", "/rest/videos")),
        PipelineAccess("lead_forms", (_LEADGEN, _ADS), _AD_ROLE, ("/rest/leadForms?q=owner",)),
        PipelineAccess("lead_form_responses", (_LEADGEN, _ADS), _AD_ROLE,
                       ("/rest/leadFormResponses?q=owner",)),
        PipelineAccess("organization_followers", (_ORG_STATS,), _ORG_ROLE,
                       ("/rest/organizationalEntityFollowerStatistics?q=organizationalEntity",
                        "/rest/networkSizes/{urn}")),
        PipelineAccess("organization_video_statistics", (_ORG_SOCIAL,), _ORG_ROLE,
                       ("/rest/posts?q=author", "/rest/videoAnalytics?q=entity")),
        PipelineAccess("ad_account_users", (_ADS,), _AD_ROLE, ("/rest/adAccountUsers?q=accounts",)),
        # reports family (issue #14): adAnalytics at account, group and campaign level, demographics with names
        PipelineAccess("account_performance", (_REPORTING, _ADS), _AD_ROLE,
                       ("/rest/adAnalytics?q=analytics", "/rest/adAccounts?q=search")),
        PipelineAccess("campaign_group_performance", (_REPORTING, _ADS), _AD_ROLE,
                       ("/rest/adAnalytics?q=analytics", "/rest/adAccounts/{id}/adCampaignGroups?q=search")),
        PipelineAccess("campaign_performance", (_REPORTING, _ADS), _AD_ROLE,
                       ("/rest/adAnalytics?q=analytics", "/rest/adAccounts/{id}/adCampaigns?q=search")),
        # Member-company names come from /rest/organizationsLookup, which needs an organization scope: without
        # one those names stay empty (with a note), so it is not a need of the pipeline.
        PipelineAccess("ad_demographics", (_REPORTING, _ADS), _AD_ROLE,
                       ("/rest/adAnalytics?q=analytics", "/rest/titles", "/rest/industries", "/rest/functions",
                        "/rest/seniorities", "/rest/geo")),
    )
}
PIPELINES: tuple[str, ...] = tuple(PIPELINE_ACCESS)
# Pipelines whose scope comes with a LinkedIn product of its own, approved separately (Lead Sync API): an app
# without it gets ``unauthorized_scope_error`` when it asks, so their scopes are requested only when they are named.
OPT_IN_PIPELINES: tuple[str, ...] = ("lead_forms", "lead_form_responses")
DEFAULT_PIPELINES: tuple[str, ...] = tuple(p for p in PIPELINES if p not in OPT_IN_PIPELINES)


def _access(pipeline: str) -> PipelineAccess:
    try:
        return PIPELINE_ACCESS[pipeline]
    except KeyError:
        raise ValueError(f"Unknown pipeline {pipeline!r}: use one of {', '.join(PIPELINES)}.") from None


def scopes_for(pipelines: Iterable[str] = DEFAULT_PIPELINES) -> list[str]:
    """Return the scopes to request at login so the given pipelines can run, sorted.

    Args:
        pipelines: Pipeline names; by default all but the opt-in ones (:data:`OPT_IN_PIPELINES`).

    Returns:
        One preferred scope per distinct need, e.g. ``["r_ads", "r_ads_reporting"]`` for ``ad_performance``.

    Raises:
        ValueError: For an unknown pipeline name.

    """
    return sorted({_PREFERRED[need] for name in pipelines for need in _access(name).needs})


def describe_need(need: frozenset[str]) -> str:
    """Return a need as text, preferred scope first: ``"r_ads or rw_ads"``."""
    preferred = _PREFERRED.get(need)
    ordered = ([preferred] if preferred else []) + sorted(need - {preferred})
    return " or ".join(ordered)


def blocked_pipelines(granted: Iterable[str], pipelines: Iterable[str] = DEFAULT_PIPELINES) -> dict[str, list[str]]:
    """Return the pipelines the granted scopes cannot run, with what each one lacks.

    Args:
        granted: Scopes of the token (e.g. from the token response or introspection).
        pipelines: Pipelines to check; by default all but the opt-in ones.

    Returns:
        ``{pipeline: ["r_ads_reporting", "r_ads or rw_ads"]}`` for each blocked pipeline; empty if none.

    Raises:
        ValueError: For an unknown pipeline name.

    """
    have = set(granted)
    blocked: dict[str, list[str]] = {}
    for name in pipelines:
        missing = _access(name).missing(have)
        if missing:
            blocked[name] = [describe_need(need) for need in missing]
    return blocked


def parse_scopes(value: str | Iterable[str] | None) -> frozenset[str]:
    """Return scopes from LinkedIn's comma-separated ``scope`` field, a space-separated string, or a list."""
    if value is None:
        return frozenset()
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    return frozenset(item.strip() for item in items if item and item.strip())
