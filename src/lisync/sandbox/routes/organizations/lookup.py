"""Organization access and lookup endpoints: ACL finders, organization GET/BATCH_GET/lookup and networkSizes.

* ``GET /organizationAcls?q=roleAssignee`` (``role``, ``state``, ``start``, ``count``) and
  ``?q=organization&organization={urn}`` (the caller must administer the organization).
* ``GET /organizations/{id}``, BATCH_GET ``/organizations?ids=List(..)`` (full fields for an approved
  ADMINISTRATOR, LinkedIn's non-admin subset otherwise) and ``/organizationsLookup?ids=List(..)`` (subset).
* ``GET /networkSizes/{urn}?edgeType=COMPANY_FOLLOWED_BY_MEMBER``.
"""

from __future__ import annotations

from typing import Any

from lisync.sandbox.analytics.demographics import member_company_json, value_by_urn
from lisync.sandbox.errors import RestliError
from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.organic.organizations import ADMINISTRATOR, APPROVED, Organization
from lisync.sandbox.routes.organizations.params import (
    ACL_SCOPES,
    bad_request,
    batch_response,
    enum_param,
    int_param,
    list_param,
    offset_paging,
    organic_world,
    organization_param,
    require_role,
    scalar_param,
    token_grant,
)

ROLES = frozenset({"ADMINISTRATOR", "DIRECT_SPONSORED_CONTENT_POSTER", "RECRUITING_POSTER",
                   "LEAD_GEN_FORMS_MANAGER", "ANALYST", "CURATOR", "CONTENT_ADMINISTRATOR"})
STATES = frozenset({"APPROVED", "REQUESTED", "REJECTED", "REVOKED"})
FINDER_DEFAULT_COUNT = 10
FOLLOWED_EDGE_TYPES = frozenset({"COMPANY_FOLLOWED_BY_MEMBER", "CompanyFollowedByMember"})


def _acl(member_urn: str, org: Organization, role: str, state: str) -> dict[str, Any]:
    return {"roleAssignee": member_urn, "state": state, "role": role, "organization": org.urn}


def find_acls_by_role_assignee(request: SandboxRequest) -> SandboxResponse:
    """List the member's organization roles, optionally filtered by ``role`` and ``state``."""
    role, state = enum_param(request, "role", ROLES), enum_param(request, "state", STATES)
    grant = token_grant(request)
    roles = organic_world(request).member_roles(grant.organization_ids)
    rows = [_acl(grant.member_urn, org, r, s) for org, r, s in roles
            if (role is None or r == role) and (state is None or s == state)]
    start, count = int_param(request, "start", 0), int_param(request, "count", FINDER_DEFAULT_COUNT)
    return SandboxResponse({"paging": offset_paging(request, len(rows), start, count),
                            "elements": rows[start:start + count]})


def find_acls_by_organization(request: SandboxRequest) -> SandboxResponse:
    """List every member's role on one organization; the caller must be its approved ADMINISTRATOR."""
    org = require_role(request, organization_param(request, "organization"), frozenset({ADMINISTRATOR}),
                       "organizationAcls", "FINDER-organization")
    rows = [_acl(token_grant(request).member_urn, org, ADMINISTRATOR, APPROVED),
            *organic_world(request).other_members_acls(org)]
    start, count = int_param(request, "start", 0), int_param(request, "count", FINDER_DEFAULT_COUNT)
    return SandboxResponse({"paging": offset_paging(request, len(rows), start, count),
                            "elements": rows[start:start + count]})


def _organization_json(request: SandboxRequest, key: str, *,
                       allow_full: bool) -> dict[str, Any] | RestliError:
    organic = organic_world(request)
    org = organic.organization(int(key)) if key.isdigit() else None
    if org is None and key.isdigit() and value_by_urn("organization", int(key)) is not None:
        return member_company_json(int(key))  # a member company of the demographic pivots (not a page)
    if org is None:
        return RestliError(404, f"Organization {key} does not exist.")
    admin = organic.member_role(org.id, token_grant(request).organization_ids) == ADMINISTRATOR
    return organic.organization_json(org, full=allow_full and admin)


def get_organization(request: SandboxRequest) -> SandboxResponse:
    """Look one organization up (full fields for its approved administrators)."""
    found = _organization_json(request, request.path_params["org_id"], allow_full=True)
    if isinstance(found, RestliError):
        raise found
    return SandboxResponse(found)


def batch_get_organizations(request: SandboxRequest) -> SandboxResponse:
    """BATCH_GET organizations by id."""
    ids = list_param(request, "ids")
    if not ids:
        raise bad_request("Required parameter 'ids' is missing: use ids=List(id1,id2).")
    return batch_response(ids, lambda key: _organization_json(request, key, allow_full=True))


def batch_lookup_organizations(request: SandboxRequest) -> SandboxResponse:
    """BATCH_GET organizations by id with the non-administrator field subset."""
    ids = list_param(request, "ids")
    if not ids:
        raise bad_request("Required parameter 'ids' is missing: use ids=List(id1,id2).")
    return batch_response(ids, lambda key: _organization_json(request, key, allow_full=False))


def get_network_size(request: SandboxRequest) -> SandboxResponse:
    """Return an organization's follower count (``firstDegreeSize``)."""
    if scalar_param(request, "edgeType", required=True) not in FOLLOWED_EDGE_TYPES:
        raise bad_request("Invalid value for parameter 'edgeType': use COMPANY_FOLLOWED_BY_MEMBER.")
    org = organic_world(request).organization_by_urn(request.path_params["entity"])
    if org is None:
        raise RestliError(404, f"Entity {request.path_params['entity']} does not exist.")
    return SandboxResponse({"firstDegreeSize": organic_world(request).stats.follower_count(org)})


# The endpoints this module answers, in the order of the route table.
ROUTES: tuple[Route, ...] = (
    Route("GET", "/organizationAcls", "roleAssignee", find_acls_by_role_assignee,
          "organizationAcls", scopes=ACL_SCOPES),
    Route("GET", "/organizationAcls", "organization", find_acls_by_organization, "organizationAcls", scopes=ACL_SCOPES),
    Route("GET", "/organizations/{org_id}", None, get_organization, "organizations", scopes=ACL_SCOPES),
    Route("GET", "/organizations", None, batch_get_organizations, "organizations", scopes=ACL_SCOPES),
    Route("GET", "/organizationsLookup", None, batch_lookup_organizations, "organizationsLookup", scopes=ACL_SCOPES),
    Route("GET", "/networkSizes/{entity}", None, get_network_size, "networkSizes", scopes=ACL_SCOPES),
)
