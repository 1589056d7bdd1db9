"""`lisync check` as a library: can this token run the selected pipelines? Scopes, roles, one probe per family.

Two sources of truth, combined:

* token introspection (``/oauth/v2/introspectToken``, needs the app's client id and secret): whether the
  token is active, when it expires and which scopes it holds;
* one cheap API call per endpoint family, made with the token itself, which also works for a token pasted
  from the developer portal and catches what introspection cannot (member roles, a product LinkedIn
  revoked):

  ===================  ================================================================  ======================
  family               probe                                                             needs
  ===================  ================================================================  ======================
  ``ads``              ``adAccounts?q=search&pageSize=1``, then                          r_ads or rw_ads
                       ``adAccountUsers?q=authenticatedUser`` (the member's account roles)
  ``reporting``        ``adAnalytics?q=analytics`` for one account, one day, one metric   r_ads_reporting
  ``org_acls``         ``organizationAcls?q=roleAssignee`` (the member's page roles)       any organization scope
  ``page_statistics``  ``organizationPageStatistics?q=organization`` (lifetime) for one page  rw_organization_admin
  ``posts``            ``posts?q=author&count=1`` for one page                            r_organization_social
  ``leads``            ``leadForms?q=owner&count=1`` for one ad account                   r_marketing_leadgen_automation
  ``lead_orgs``        ``leadForms?q=owner&count=1`` for one page with a lead role        a page lead role
                       (after ``organizationAcls``; :mod:`lisync.check.lead_access`)
  ===================  ================================================================  ======================

A 403 on a probe means the scope is missing (the probes run on pages where the member's role is already
confirmed), a 401 that survives a refresh means the token is dead. Each finding becomes a
:class:`Problem` with the fix, attached to the pipelines it blocks. The probe calls live in
:mod:`lisync.check.probes`, the report types and their JSON form in :mod:`lisync.check.report`.
creative_landing_pages gets a note on its optional need (sponsored-content landing pages:
r_organization_social and a post-reading page role, :mod:`lisync.check.landing_access`), never a problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import partial

from lisync.check.landing_access import LANDING_PAGES_PIPELINE, sponsored_landing_note
from lisync.check.lead_access import assess_organization_leads, lead_role_problems
from lisync.check.probes import (
    ACL_PAGE_SIZE,
    ANALYTICS_PROBE_DAYS_BACK,
    FINDER_HEADERS,
    OrgRole,
    account_problems,
    ad_account_roles,
    administered,
    ads_probe,
    leads_probe,
    organization_problems,
    organization_roles,
    page_statistics_probe,
    posts_probe,
    probe,
    reporting_probe,
)
from lisync.check.report import (
    PRODUCT_FOR_SCOPE,
    CheckReport,
    PipelineCheck,
    ProbeResult,
    Problem,
    TProbeStatus,
    scope_fix,
)
from lisync.linkedin.auth.oauth import AuthError, TokenInfo
from lisync.linkedin.auth.scopes import AD_ACCOUNT_ROLES, PIPELINE_ACCESS, describe_need
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import LinkedInAPIError, LinkedInError

# The report types, scope_fix and the probe constants are re-exported: they lived here before the probes and the
# report data got their own modules.
__all__ = ["ACL_PAGE_SIZE", "ADS_PIPELINES", "ANALYTICS_PROBE_DAYS_BACK", "FINDER_HEADERS", "PAGE_PIPELINES",
           "POST_PIPELINES", "PROBE_SCOPES", "PRODUCT_FOR_SCOPE", "REPORTING_PIPELINES", "CheckReport",
           "PipelineCheck", "ProbeResult", "Problem", "TProbeStatus", "check_access", "identify_member", "scope_fix"]

# The reports family (issue #14) reads adAnalytics like the performance tables.
_REPORTS_PIPELINES = frozenset({"account_performance", "campaign_group_performance", "campaign_performance",
                                "ad_demographics"})
ADS_PIPELINES = frozenset({"ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata",
                           "conversion_details", "creative_landing_pages", "ad_performance", "conversion_performance",
                           "ad_account_users",
                           *_REPORTS_PIPELINES})
REPORTING_PIPELINES = frozenset({"ad_performance", "conversion_performance", *_REPORTS_PIPELINES})
PAGE_PIPELINES = frozenset({"organization_pages", "organization_posts", "organization_followers",
                            "organization_video_statistics"})
POST_PIPELINES = frozenset({"organization_posts", "organization_video_statistics"})
LEAD_PIPELINES = frozenset({"lead_forms", "lead_form_responses"})

# The scopes each probe proves (or disproves); a pipeline need is judged by the probe that covers it.
PROBE_SCOPES: dict[str, frozenset[str]] = {
    "ads": frozenset({"r_ads", "rw_ads"}),
    "reporting": frozenset({"r_ads_reporting"}),
    "page_statistics": frozenset({"rw_organization_admin"}),
    "posts": frozenset({"r_organization_social"}),
    "leads": frozenset({"r_marketing_leadgen_automation"}),
}


def _families(pipelines: Iterable[str]) -> set[str]:
    chosen = set(pipelines)
    families = set()
    if chosen & ADS_PIPELINES:
        families.add("ads")
    if chosen & REPORTING_PIPELINES:
        families.add("reporting")
    if chosen & PAGE_PIPELINES:
        families |= {"org_acls", "page_statistics"}
    if chosen & POST_PIPELINES:
        families.add("posts")
    if chosen & LEAD_PIPELINES:
        families |= {"ads", "leads", "lead_orgs"}
    return families


def check_access(client: LinkedInClient, pipelines: list[str], *, account_ids: list[str] | None = None,
                 organization_ids: list[str] | None = None,
                 introspect: Callable[[], TokenInfo | None] | None = None,
                 today: dt.date | None = None) -> CheckReport:
    """Probe LinkedIn with the client's token and judge each pipeline.

    Args:
        client: A client holding the token to check (its provider may refresh on a 401).
        pipelines: Pipelines to judge.
        account_ids: The *Accounts* filter (``None``: every account with a role).
        organization_ids: The *Organizations* filter (``None``: every administered page).
        introspect: Returns the token's introspection answer, or ``None`` when it cannot; called after the
            probes, which may have renewed the token. An active answer adds scope checks and the expiry.
        today: The date the analytics probe counts back from (default: today, UTC).

    Returns:
        The report; ``report.ok`` is ``False`` when a pipeline cannot run.

    """
    today = today or dt.datetime.now(dt.UTC).date()
    report = CheckReport(pipelines=[PipelineCheck(p) for p in pipelines])
    families = _families(pipelines)
    probes = report.probes

    account_roles: dict[str, str] = {}
    if "ads" in families:
        probes["ads"], answer = probe("ads", lambda: ads_probe(client))
        if answer is not None:
            account_roles, report.member = answer
    if "reporting" in families:
        readable = [a for a, role in account_roles.items() if role in AD_ACCOUNT_ROLES]
        # The scope is what is probed, so any account with a role will do when the wanted ones have none.
        target = next((a for a in [*(account_ids or []), *readable] if a in readable), None)
        if probes["ads"].status != "ok":
            probes["reporting"] = ProbeResult("reporting", "skipped", "the ad account probe failed")
        elif target is None:
            probes["reporting"] = ProbeResult("reporting", "skipped", "no ad account to ask about")
        else:
            probes["reporting"], _ = probe("reporting", lambda: reporting_probe(client, target, today))

    if "leads" in families:
        readable = [a for a, role in account_roles.items() if role in AD_ACCOUNT_ROLES]
        lead_account = next((a for a in [*(account_ids or []), *readable] if a in readable), None)
        if probes["ads"].status != "ok":
            probes["leads"] = ProbeResult("leads", "skipped", "the ad account probe failed")
        elif lead_account is None:
            probes["leads"] = ProbeResult("leads", "skipped", "no ad account to ask about")
        else:
            probes["leads"], _ = probe("leads", partial(leads_probe, client, lead_account))

    org_roles: list[OrgRole] = []
    if "org_acls" in families:
        probes["org_acls"], answer = probe("org_acls", lambda: organization_roles(client))
        if answer is not None:
            org_roles, member = answer
            report.member = report.member or member
        pages = administered(org_roles)
        target_org = next((o for o in [*(organization_ids or []), *pages] if o in pages), None)
        page_families = ["page_statistics"] + (["posts"] if "posts" in families else [])
        for family in page_families:
            if probes["org_acls"].status == "denied":
                # organizationAcls accepts any organization scope: a 403 there means none of them.
                probes[family] = ProbeResult(family, "denied", "organizationAcls answered 403")
            elif probes["org_acls"].status != "ok":
                probes[family] = ProbeResult(family, "skipped", "the organization role probe failed")
            elif target_org is None:
                probes[family] = ProbeResult(family, "skipped", "no administered organization to ask about")
            elif family == "page_statistics":
                probes[family], _ = probe(family, partial(page_statistics_probe, client, target_org))
            else:
                probes[family], _ = probe(family, partial(posts_probe, client, target_org))

    if "lead_orgs" in families:
        if "org_acls" not in probes:  # no page pipeline asked for the member's page roles
            probes["org_acls"], answer = probe("org_acls", lambda: organization_roles(client))
            if answer is not None:
                org_roles, member = answer
                report.member = report.member or member
        organization_leads = assess_organization_leads(client, probes, org_roles, organization_ids)
        for verdict in report.pipelines:
            if verdict.pipeline in LEAD_PIPELINES:
                verdict.organization_leads = organization_leads

    report.token = introspect() if introspect is not None else None
    token_info = report.token
    granted = token_info.scopes if token_info is not None and token_info.active and token_info.scopes else None
    if token_info is not None and not token_info.active:
        report.notes.append(f"LinkedIn's introspection calls the token {token_info.status or 'inactive'} for this "
                            "app (a token of another app looks the same); judged by the probes alone.")
    for verdict in report.pipelines:
        _judge(verdict, probes, granted, account_roles, account_ids, org_roles, organization_ids)
    if LANDING_PAGES_PIPELINE in pipelines:
        report.notes.append(sponsored_landing_note(granted))
    return report


def _judge(verdict: PipelineCheck, probes: dict[str, ProbeResult], granted: frozenset[str] | None,
           account_roles: dict[str, str], account_ids: list[str] | None, org_roles: list[OrgRole],
           organization_ids: list[str] | None) -> None:
    name = verdict.pipeline
    relevant = [probes[f] for f in _families([name]) if f in probes]
    if any(p.status == "unauthorized" for p in relevant):
        verdict.add(Problem("token rejected (expired, revoked or invalid)",
                            "run `lisync auth login` (or pass a valid --access-token)", kind="token"))
        return
    for need in PIPELINE_ACCESS[name].needs:
        alternatives = tuple(describe_need(need).split(" or "))  # the scope to request first
        denied = any(probes.get(f, ProbeResult(f, "skipped")).status == "denied"
                     for f, covered in PROBE_SCOPES.items() if covered & need and f in _families([name]))
        if denied or (granted is not None and not need & granted):
            verdict.add(Problem(f"missing scope {describe_need(need)}", scope_fix(alternatives[0]), kind="scope",
                                scopes=alternatives))
    if name in (ADS_PIPELINES | LEAD_PIPELINES) and probes.get("ads", ProbeResult("ads", "skipped")).status == "ok":
        for problem in account_problems(account_roles, account_ids):
            verdict.add(problem)
    if name in PAGE_PIPELINES and probes.get("org_acls", ProbeResult("org_acls", "skipped")).status == "ok":
        for problem in organization_problems(org_roles, organization_ids):
            verdict.add(problem)
    if name in LEAD_PIPELINES and probes.get("org_acls", ProbeResult("org_acls", "skipped")).status == "ok":
        for problem in lead_role_problems(org_roles, organization_ids):
            verdict.add(problem)
    for result in relevant:
        if result.status == "error":
            verdict.add(Problem(f"could not check {result.family}: {result.detail}",
                                "try again later; if it persists, check --api-base-url and the network",
                                kind="error"))


def identify_member(client: LinkedInClient, scopes: Iterable[str]) -> str | None:
    """Return the member URN the token acts for, using whichever read scope the token has, else ``None``.

    LinkedIn names the member in ``adAccountUsers?q=authenticatedUser`` (``user``) and in
    ``organizationAcls?q=roleAssignee`` (``roleAssignee``), so no profile scope is needed.
    """
    have = set(scopes)
    try:
        if have & PROBE_SCOPES["ads"]:
            _, member = ad_account_roles(client)
            if member:
                return str(member)
        if have & (PROBE_SCOPES["page_statistics"] | PROBE_SCOPES["posts"]):
            body = client.get("organizationAcls", {"q": "roleAssignee", "start": 0, "count": 1})
            for acl in body.get("elements") or []:
                if isinstance(acl, dict) and acl.get("roleAssignee"):
                    return str(acl["roleAssignee"])
    except (LinkedInAPIError, LinkedInError, AuthError):
        return None
    return None
