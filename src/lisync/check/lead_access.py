"""`lisync check` for the lead pipelines' organizations: whose page leads the token can read, and how to get the role.

The lead pipelines read the selected ad accounts' leads and, on every page where the member holds an approved
ADMINISTRATOR or LEAD_GEN_FORMS_MANAGER role (``organizationAcls?q=roleAssignee``), the page's organic leads
(COMPANY, EVENT, ORGANIZATION_PRODUCT). ``lisync run`` reads the ad accounts alone when no page qualifies or the
roles cannot be listed, so that finding blocks nothing here: it becomes an :class:`OrganizationLeads` attached to
each lead pipeline's verdict. A page named in ``--organizations`` without a lead role fails the run
(``SelectionError``), so it is a blocking role :class:`~lisync.check.report.Problem`.

Probe ``lead_orgs``: ``leadForms?q=owner&owner=(organization:urn:li:organization:N)&count=1`` for the first such
page, which proves LinkedIn honours the role (a 403 there means ``lisync run`` would skip the page with a note).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from lisync.check.probes import OrgRole, lacking_role_text, probe
from lisync.check.report import OrganizationLeads, ProbeResult, Problem
from lisync.linkedin.auth.scopes import ORGANIZATION_ROLE_STATE
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.restli import restli_record, urn
from lisync.linkedin.leads.fetch import LEAD_ORGANIZATION_ROLES

__all__ = ["LEAD_GEN_FORMS_MANAGER", "LEAD_ROLE_FIX", "ROLE_LISTING_FIX", "assess_organization_leads",
           "lead_organizations", "lead_role_problems", "organization_leads_probe"]

LEAD_GEN_FORMS_MANAGER = "LEAD_GEN_FORMS_MANAGER"  # the least role that may pull a page's leads
# Fixes and details stay short: `lisync check` prints them in one table row without wrapping.
LEAD_ROLE_FIX = "ask a page super admin for LEAD_GEN_FORMS_MANAGER (or ADMINISTRATOR): Page admin tools → Manage admins"
ROLE_LISTING_FIX = ("run `lisync auth login lead_forms lead_form_responses organization_pages`: it adds "
                    "rw_organization_admin")


def lead_organizations(roles: list[OrgRole], wanted: list[str] | None) -> list[tuple[str, str]]:
    """Return ``(id, role)`` of the pages whose leads the member may read, in order, after the ``wanted`` filter.

    Args:
        roles: The member's organization roles (``organizationAcls``).
        wanted: The *Organizations* filter (``None``: every page with a lead role).
    """
    readable: dict[str, str] = {}
    for r in roles:
        if r.role in LEAD_ORGANIZATION_ROLES and r.state == ORGANIZATION_ROLE_STATE and r.org_id not in readable:
            readable[r.org_id] = r.role
    return [(org_id, role) for org_id, role in readable.items() if wanted is None or org_id in wanted]


def lead_role_problems(roles: list[OrgRole], wanted: list[str] | None) -> list[Problem]:
    """Return a blocking role problem for each ``wanted`` page without a lead role (none without a filter)."""
    if wanted is None:
        return []
    readable = dict(lead_organizations(roles, None))
    problems = []
    for org_id in wanted:
        if org_id in readable:
            continue
        what = lacking_role_text(roles, org_id, "no lead role")
        fix = (f"ask a page super admin to grant you {LEAD_GEN_FORMS_MANAGER} (or ADMINISTRATOR) on organization "
               f"{org_id}, or fix --organizations")
        problems.append(Problem(what, fix, kind="role", role=LEAD_GEN_FORMS_MANAGER, target="organization",
                                target_id=org_id))
    return problems


def organization_leads_probe(client: LinkedInClient, org_id: str) -> Any:
    """Probe one page's lead forms (``leadForms?q=owner`` with an organization owner, one element)."""
    owner = restli_record(organization=urn("organization", org_id))
    return client.get("leadForms", {"q": "owner", "owner": owner, "count": 1})


def assess_organization_leads(client: LinkedInClient, probes: dict[str, ProbeResult], roles: list[OrgRole],
                              wanted: list[str] | None) -> OrganizationLeads:
    """Judge whose organization leads the lead pipelines read; records the ``lead_orgs`` probe in ``probes``.

    Args:
        client: The client holding the token under check.
        probes: The probes so far (``org_acls`` must have run; ``leads`` when the scope was probed).
        roles: The member's organization roles from the ``org_acls`` probe.
        wanted: The *Organizations* filter.

    Returns:
        The finding for the lead pipelines' verdicts.
    """
    acl = probes.get("org_acls", ProbeResult("org_acls", "skipped", "not probed"))
    if acl.status != "ok":
        probes["lead_orgs"] = ProbeResult("lead_orgs", "skipped", "the organization role probe failed")
        if acl.status == "denied":
            return OrganizationLeads("unknown", detail="the token cannot list page roles "
                                     "(r_organization_admin); ad accounts' leads only", fix=ROLE_LISTING_FIX)
        return OrganizationLeads("unknown", detail=f"could not list the member's page roles ({acl.detail})",
                                 fix="try again later; if it persists, check --api-base-url and the network")
    readable = lead_organizations(roles, wanted)
    if not readable:
        probes["lead_orgs"] = ProbeResult("lead_orgs", "skipped", "no page with a lead role")
        where = "a selected page" if wanted is not None else "any page"
        return OrganizationLeads("none", detail=f"no approved ADMINISTRATOR or {LEAD_GEN_FORMS_MANAGER} role on "
                                 f"{where}; ad accounts' leads only", fix=LEAD_ROLE_FIX)
    if probes.get("leads", ProbeResult("leads", "skipped")).status == "denied":
        probes["lead_orgs"] = ProbeResult("lead_orgs", "skipped", "the token lacks the Lead Sync scope")
        return OrganizationLeads("ok", tuple(readable))
    first, role = readable[0]
    probes["lead_orgs"], _ = probe("lead_orgs", partial(organization_leads_probe, client, first))
    if probes["lead_orgs"].status == "denied":
        return OrganizationLeads("denied", tuple(readable),
                                 detail=f"organization {first}'s lead forms answered 403 despite {role}; "
                                        "`lisync run` skips such a page", fix=LEAD_ROLE_FIX)
    return OrganizationLeads("ok", tuple(readable))
