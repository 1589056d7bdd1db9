"""Organization discovery and the *Organizations* filter: the company pages a run covers, checked up front.

* ``GET /rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED`` lists the pages on which
  the member holds an approved ADMINISTRATOR role (offset paging; page statistics, follower and share
  statistics all require that role). The lead pipelines ask for several roles (``state=APPROVED`` without
  ``role``, filtered here: :func:`approved_organization_ids`).
* ``GET /rest/organizations?ids=List(1,2)`` (BATCH_GET, one call for every page) gives their names and
  ``primaryOrganizationType``. Showcase pages (``BRAND``) are read like company pages, except that their page
  statistics come from ``brandPageStatistics`` for ``urn:li:organizationBrand:{id}`` (a brand shares its id
  with the page's organization record; page-statistics docs). Their rows keep the ``urn:li:organization``
  URN, so posts and statistics of one page join on it.

Docs: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-access-control-by-role
and https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-lookup-api
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lisync.errors import SelectionError
from lisync.linkedin.convert import dig, to_text
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.restli import restli_list, urn, urn_id

ACL_PAGE_SIZE = 100
ORGANIZATION_BATCH_SIZE = 50
SHOWCASE_TYPES = frozenset({"BRAND"})
ADMINISTRATOR = "ADMINISTRATOR"
APPROVED = "APPROVED"


@dataclass(frozen=True)
class Organization:
    """One administered company page.

    Attributes:
        id: Numeric organization id (text).
        name: Localized page name.
        showcase: Whether the page is a showcase page (its page statistics come from the brand endpoint).

    """

    id: str
    name: str | None
    showcase: bool = False

    @property
    def urn(self) -> str:
        """The organization URN, e.g. ``urn:li:organization:123``."""
        return urn("organization", self.id)

    @property
    def brand_urn(self) -> str:
        """The organization brand URN of a showcase page, e.g. ``urn:li:organizationBrand:123``."""
        return urn("organizationBrand", self.id)


def approved_organization_ids(acls: Iterable[dict[str, Any]], roles: frozenset[str],
                              assumed_role: str | None = None) -> list[str]:
    """Return the ids of the organizations on which an ACL element grants an approved role in ``roles``, in order.

    Args:
        acls: ``organizationAcls`` elements.
        roles: The roles that count.
        assumed_role: The role of an element that names none (the finder was filtered by that role).
    """
    ids: list[str] = []
    for acl in acls:
        # Docs show ``organization``; some versions' samples show ``organizationTarget``.
        target = acl.get("organization") or acl.get("organizationTarget")
        is_org = isinstance(target, str) and target.startswith("urn:li:organization:")
        org_id = urn_id(target) if is_org else None
        role, state = acl.get("role", assumed_role), acl.get("state", APPROVED)
        if role in roles and state == APPROVED and org_id and org_id not in ids:
            ids.append(org_id)
    return ids


def list_administered_ids(client: LinkedInClient, roles: frozenset[str] = frozenset({ADMINISTRATOR})) -> list[str]:
    """Return the ids of the organizations on which the member holds an approved role in ``roles``, in order.

    One role is filtered by LinkedIn (``role=``); several are filtered here from the member's approved roles.
    """
    params = {"q": "roleAssignee"}
    single = next(iter(roles)) if len(roles) == 1 else None
    if single:
        params["role"] = single
    params["state"] = APPROVED
    ids: list[str] = []
    for page in client.paginate_offset("organizationAcls", params, ACL_PAGE_SIZE):
        ids += [i for i in approved_organization_ids(page, roles, single) if i not in ids]
    return ids


def is_showcase(element: dict[str, Any]) -> bool:
    """Whether an organization element describes a showcase page."""
    kind = element.get("primaryOrganizationType")
    relationship = dig(element, "parentRelationship", "relationshipType")
    return kind in SHOWCASE_TYPES or relationship == "SHOWCASE"


def localized_name(element: dict[str, Any]) -> str | None:
    """Return the page's ``localizedName`` (falling back to the first localized ``name``)."""
    name = element.get("localizedName")
    if isinstance(name, str) and name:
        return name
    localized = dig(element, "name", "localized")
    if isinstance(localized, dict) and localized:
        return to_text(next(iter(localized.values())))
    return None


def lookup_organizations(client: LinkedInClient, ids: list[str]) -> list[Organization]:
    """Look the organizations up in batches and return them in ``ids`` order.

    An id LinkedIn cannot return (an error in the batch) keeps its id with no name rather than failing.
    """
    found: dict[str, dict[str, Any]] = {}
    for offset in range(0, len(ids), ORGANIZATION_BATCH_SIZE):
        chunk = ids[offset:offset + ORGANIZATION_BATCH_SIZE]
        body = client.get("organizations", {"ids": restli_list([int(i) for i in chunk])})
        for key, element in (body.get("results") or {}).items():
            if isinstance(element, dict):
                found[str(element.get("id", key))] = element
    return [Organization(i, localized_name(found.get(i, {})), is_showcase(found.get(i, {}))) for i in ids]


def select_organizations(administered: list[Organization], wanted: list[str] | None) -> list[Organization]:
    """Apply the *Organizations* filter.

    Args:
        administered: Every page the member administers (company and showcase pages).
        wanted: Numeric ids from the filter, or ``None`` for every administered page.

    Returns:
        The selected pages, in discovery order.

    Raises:
        SelectionError: For an id the member does not administer.

    """
    if wanted is None:
        return list(administered)
    by_id = {o.id: o for o in administered}
    listed = ", ".join(o.id for o in administered) or "none"
    missing = [w for w in wanted if w not in by_id]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise SelectionError(
            f"Unknown organization{plural} {', '.join(missing)}: you administer {listed}. Fix "
            "--organizations (or sources.linkedin.organization_ids); lisync needs an approved ADMINISTRATOR "
            "role on each page.")
    keep = set(wanted)
    return [o for o in administered if o.id in keep]
