"""Lead owners: which organizations' forms the lead pipelines read, and the owner parameter each finder gets."""

from __future__ import annotations

from typing import Any

import pytest

from lisync.config.settings import RunSettings
from lisync.linkedin.ads.accounts import AccountScope
from lisync.linkedin.http.restli import encode_query
from lisync.linkedin.leads.fetch import LEAD_ORGANIZATION_ROLES, ORGANIC_LEAD_TYPES, LeadOwner
from lisync.linkedin.leads.shape import shape_form, shape_response
from lisync.linkedin.pages.organizations import ADMINISTRATOR, approved_organization_ids
from lisync.sources.leads import lead_owners


def acl(org: int, role: str | None, state: str = "APPROVED", key: str = "organization") -> dict[str, Any]:
    element: dict[str, Any] = {"roleAssignee": "urn:li:person:abc", "state": state, key: f"urn:li:organization:{org}"}
    if role is not None:
        element["role"] = role
    return element


def test_lead_roles_count_admins_and_lead_gen_form_managers_only() -> None:
    acls = [acl(1, "ADMINISTRATOR"), acl(2, "LEAD_GEN_FORMS_MANAGER"), acl(3, "ANALYST"),
            acl(4, "ADMINISTRATOR", "REVOKED"), acl(5, "LEAD_GEN_FORMS_MANAGER", key="organizationTarget"),
            acl(1, "LEAD_GEN_FORMS_MANAGER"), acl(6, None)]
    assert approved_organization_ids(acls, LEAD_ORGANIZATION_ROLES) == ["1", "2", "5"]
    # A finder filtered by one role may leave the role out of its elements: that role is assumed.
    assert approved_organization_ids(acls, frozenset({ADMINISTRATOR}), ADMINISTRATOR) == ["1", "6"]


def test_owners_are_the_selected_accounts_then_the_lead_organizations() -> None:
    accounts = AccountScope(visible=[{"id": 7}, {"id": 8}], selected=[{"id": 8}])
    owners = lead_owners(accounts, ("100", "200"), RunSettings(pipelines=["lead_forms"]))
    assert [o.urn for o in owners] == ["urn:li:sponsoredAccount:8", "urn:li:organization:100",
                                       "urn:li:organization:200"]
    shard = RunSettings(pipelines=["lead_forms"], shard="s1", account_ids=["8"])
    assert [o.kind for o in lead_owners(accounts, (), shard)] == ["sponsoredAccount"]


@pytest.mark.parametrize(("owner", "encoded", "lead_types"), [
    (LeadOwner("sponsoredAccount", "8"), "owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A8)",
     ("SPONSORED",)),
    (LeadOwner("organization", "100"), "owner=(organization:urn%3Ali%3Aorganization%3A100)", ORGANIC_LEAD_TYPES),
])
def test_owner_parameter_and_lead_types(owner: LeadOwner, encoded: str, lead_types: tuple[str, ...]) -> None:
    assert encode_query({"owner": owner.record()}) == encoded
    assert owner.lead_types == lead_types
    assert set(ORGANIC_LEAD_TYPES) == {"COMPANY", "EVENT", "ORGANIZATION_PRODUCT"}


def test_organization_rows_name_the_organization_and_no_account() -> None:
    org = {"organization": "urn:li:organization:100"}
    form = shape_form({"id": 8000100, "owner": org, "state": "PUBLISHED"})
    assert (form["owner_urn"], form["organization_urn"], form["account_id"]) == (
        "urn:li:organization:100", "urn:li:organization:100", None)
    lead = shape_response({"id": "x-1", "owner": org, "leadType": "COMPANY", "submittedAt": 1690600000000,
                           "versionedLeadGenFormUrn": "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:8000100,1)"})
    assert (lead["owner_urn"], lead["organization_urn"], lead["account_id"], lead["lead_type"], lead["form_id"]) == (
        "urn:li:organization:100", "urn:li:organization:100", None, "COMPANY", "8000100")
