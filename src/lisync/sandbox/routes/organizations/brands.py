"""Showcase pages (organization brands): brand lookup and ``brandPageStatistics``.

* ``GET /organizationBrands/{id}`` and BATCH_GET ``/organizationBrands?ids=List(..)``: a showcase page as an
  organization brand (``$URN`` ``urn:li:organizationBrand:{id}``; a brand shares its id with the
  organization record of the page). A company page is not a brand: 404.
* ``GET /brandPageStatistics?q=brand&brand=urn:li:organizationBrand:{id}``: the page statistics of a showcase
  page, lifetime or time-bound, exactly like ``organizationPageStatistics`` (same window rules), each element
  naming the page under ``brand`` (page-statistics docs: "organizationPageStatistics and brandPageStatistics
  allow you to retrieve both lifetime and time-bound statistics on views and clicks for an organization or
  organization brand page respectively"). Permission ``rw_organization_admin``, ADMINISTRATOR role.
"""

from __future__ import annotations

from typing import Any

from lisync.sandbox.errors import RestliError
from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.organic.organizations import ADMINISTRATOR, Organization
from lisync.sandbox.routes.organizations.params import (
    ACL_SCOPES,
    STATISTICS_SCOPES,
    bad_request,
    batch_response,
    list_param,
    organic_world,
    require_role,
    scalar_param,
    token_grant,
)
from lisync.sandbox.routes.organizations.stats import page_statistics_response

BRAND_PREFIX = "urn:li:organizationBrand:"


def _brand(request: SandboxRequest, key: str) -> Organization | None:
    org = organic_world(request).organization(int(key)) if key.isdigit() else None
    return org if org is not None and org.primary_type == "BRAND" else None


def _brand_json(request: SandboxRequest, key: str) -> dict[str, Any] | RestliError:
    org = _brand(request, key)
    if org is None:
        return RestliError(404, f"Organization brand {key} does not exist.")
    organic = organic_world(request)
    admin = organic.member_role(org.id, token_grant(request).organization_ids) == ADMINISTRATOR
    return {"$URN": f"{BRAND_PREFIX}{org.id}", **organic.organization_json(org, full=admin)}


def get_organization_brand(request: SandboxRequest) -> SandboxResponse:
    """Look one showcase page up as an organization brand."""
    found = _brand_json(request, request.path_params["brand_id"])
    if isinstance(found, RestliError):
        raise found
    return SandboxResponse(found)


def batch_get_organization_brands(request: SandboxRequest) -> SandboxResponse:
    """BATCH_GET organization brands by id."""
    ids = list_param(request, "ids")
    if not ids:
        raise bad_request("Required parameter 'ids' is missing: use ids=List(id1,id2).")
    return batch_response(ids, lambda key: _brand_json(request, key))


def find_brand_page_statistics(request: SandboxRequest) -> SandboxResponse:
    """Lifetime or time-bound page statistics of an administered showcase page."""
    urn = scalar_param(request, "brand", required=True) or ""
    tail = urn[len(BRAND_PREFIX):] if urn.startswith(BRAND_PREFIX) else ""
    if not tail.isdigit():
        raise RestliError(400, f"Invalid URN {urn!r} for parameter 'brand': use urn:li:organizationBrand:{{id}}.",
                          code="INVALID_URN_TYPE")
    org = require_role(request, _brand(request, tail), frozenset({ADMINISTRATOR}), "brandPageStatistics",
                       "FINDER-brand")
    return page_statistics_response(request, org, "brand", urn)


# The endpoints this module answers, in the order of the route table.
ROUTES: tuple[Route, ...] = (
    Route("GET", "/organizationBrands/{brand_id}", None, get_organization_brand, "organizationBrands",
          scopes=ACL_SCOPES),
    Route("GET", "/organizationBrands", None, batch_get_organization_brands, "organizationBrands",
          scopes=ACL_SCOPES),
    Route("GET", "/brandPageStatistics", "brand", find_brand_page_statistics, "brandPageStatistics",
          scopes=STATISTICS_SCOPES),
)
