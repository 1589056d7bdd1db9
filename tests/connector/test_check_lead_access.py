"""`lisync check`'s organization-leads judgement as pure functions: page roles in, readable pages and fixes out."""

from __future__ import annotations

from lisync.check.lead_access import (
    LEAD_ROLE_FIX,
    ROLE_LISTING_FIX,
    assess_organization_leads,
    lead_organizations,
    lead_role_problems,
)
from lisync.check.probes import OrgRole
from lisync.check.report import ProbeResult
from lisync.linkedin.http.bearer import StaticTokenProvider
from lisync.linkedin.http.client import LinkedInClient

ROLES = [
    OrgRole("1", "ADMINISTRATOR", "APPROVED"),
    OrgRole("2", "LEAD_GEN_FORMS_MANAGER", "APPROVED"),
    OrgRole("3", "ANALYST", "APPROVED"),
    OrgRole("4", "LEAD_GEN_FORMS_MANAGER", "REQUESTED"),
    OrgRole("1", "LEAD_GEN_FORMS_MANAGER", "APPROVED"),  # a second role on page 1: the first one is kept
]
# Never called: every case below is decided before a lead form is probed.
UNUSED_CLIENT = LinkedInClient(StaticTokenProvider("unused"), base_url="http://127.0.0.1:9/rest")


def test_lead_pages_are_approved_admin_or_lead_gen_forms_manager_pages_in_order() -> None:
    assert lead_organizations(ROLES, None) == [("1", "ADMINISTRATOR"), ("2", "LEAD_GEN_FORMS_MANAGER")]
    assert lead_organizations(ROLES, ["2", "3"]) == [("2", "LEAD_GEN_FORMS_MANAGER")]


def test_only_selected_pages_without_a_lead_role_block() -> None:
    assert lead_role_problems(ROLES, None) == []
    problems = lead_role_problems(ROLES, ["2", "3", "4", "9"])
    assert [p.what for p in problems] == ["no lead role on organization 3 (you are ANALYST (APPROVED))",
                                          "no lead role on organization 4 (you are LEAD_GEN_FORMS_MANAGER (REQUESTED))",
                                          "no role on organization 9"]
    assert {(p.kind, p.role, p.target) for p in problems} == {("role", "LEAD_GEN_FORMS_MANAGER", "organization")}
    assert [p.target_id for p in problems] == ["3", "4", "9"]


def test_no_lead_page_is_a_finding_with_the_role_to_ask_for() -> None:
    probes = {"org_acls": ProbeResult("org_acls", "ok")}
    leads = assess_organization_leads(UNUSED_CLIENT, probes, [OrgRole("3", "ANALYST", "APPROVED")], None)
    assert (leads.status, leads.organizations, leads.fix) == ("none", (), LEAD_ROLE_FIX)
    assert "ADMINISTRATOR or LEAD_GEN_FORMS_MANAGER role on any page" in leads.detail
    assert probes["lead_orgs"].status == "skipped"


def test_roles_that_cannot_be_listed_point_to_the_organization_scope() -> None:
    probes = {"org_acls": ProbeResult("org_acls", "denied", "403")}
    leads = assess_organization_leads(UNUSED_CLIENT, probes, [], None)
    assert (leads.status, leads.fix) == ("unknown", ROLE_LISTING_FIX)
    failed = assess_organization_leads(UNUSED_CLIENT, {"org_acls": ProbeResult("org_acls", "error", "timeout")}, [],
                                       None)
    assert failed.status == "unknown" and "timeout" in failed.detail


def test_a_missing_lead_scope_skips_the_page_probe() -> None:
    probes = {"org_acls": ProbeResult("org_acls", "ok"), "leads": ProbeResult("leads", "denied")}
    leads = assess_organization_leads(UNUSED_CLIENT, probes, ROLES, None)
    assert leads.status == "ok" and leads.organizations == (("1", "ADMINISTRATOR"), ("2", "LEAD_GEN_FORMS_MANAGER"))
    assert probes["lead_orgs"] == ProbeResult("lead_orgs", "skipped", "the token lacks the Lead Sync scope")
