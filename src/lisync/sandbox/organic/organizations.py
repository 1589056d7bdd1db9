"""The organic world's organizations: the default member's pages, roles and states, with stable ids.

Organizations of the default member (ids are stable whatever the scale):

* ``100000 + i`` for ``i < scale.organizations``: company pages, approved ``ADMINISTRATOR``;
* ``200001``: a showcase page (``primaryOrganizationType: BRAND``), approved ``ADMINISTRATOR``;
* ``200002``: approved ``ANALYST`` (a non-admin role);
* ``200003`` / ``200004``: ``ADMINISTRATOR`` in state ``REQUESTED`` / ``REVOKED``;
* ``200005``: approved ``LEAD_GEN_FORMS_MANAGER`` only: the member may pull the page's leads (Lead Sync) but
  nothing an ADMINISTRATOR role guards (page statistics, followers, posts), so the pages pipelines skip it;
* ``300001``, ``300002``: organizations the member has no role on.
"""

from __future__ import annotations

from dataclasses import dataclass

from lisync.sandbox.scale import Scale

COMPANY_ID_BASE = 100000
SHOWCASE_ID = 200001
ANALYST_ORG_ID = 200002
REQUESTED_ORG_ID = 200003
REVOKED_ORG_ID = 200004
LEAD_GEN_MANAGER_ORG_ID = 200005
LEAD_GEN_FORMS_MANAGER = "LEAD_GEN_FORMS_MANAGER"
UNRELATED_ORG_IDS = (300001, 300002)
ADMINISTRATOR = "ADMINISTRATOR"
APPROVED = "APPROVED"
# Roles that may read an organization's posts (posts-api: r_organization_social).
POST_READER_ROLES = frozenset({"ADMINISTRATOR", "DIRECT_SPONSORED_CONTENT_POSTER", "CONTENT_ADMINISTRATOR"})

_COMPANY_NAMES = ("Northwind Analytics", "Contoso Robotics", "Fabrikam Foods", "Tailspin Travel",
                  "Adatum Health", "Litware Labs", "Proseware Cloud", "Wingtip Toys", "Woodgrove Finance",
                  "Alpine Ski House")


@dataclass(frozen=True)
class Organization:
    """One organization of the world and the default member's role on it (``role`` ``None``: no role)."""

    id: int
    name: str
    slot: int
    primary_type: str = "NONE"
    role: str | None = ADMINISTRATOR
    state: str | None = APPROVED
    parent_id: int | None = None
    post_count: int = 0

    @property
    def urn(self) -> str:
        """Return the organization URN."""
        return f"urn:li:organization:{self.id}"

    @property
    def vanity_name(self) -> str:
        """Return the URL slug of the page."""
        return "".join(ch if ch.isalnum() else "-" for ch in self.name.lower())


def build_organizations(scale: Scale) -> list[Organization]:
    """Return the default member's organizations for ``scale`` (see the module docstring for the ids)."""
    posts = scale.posts_per_organization
    orgs = []
    for i in range(scale.organizations):
        suffix = f" {i // len(_COMPANY_NAMES) + 1}" if i >= len(_COMPANY_NAMES) else ""
        orgs.append(Organization(COMPANY_ID_BASE + i, _COMPANY_NAMES[i % len(_COMPANY_NAMES)] + suffix,
                                 slot=i, post_count=posts))
    orgs += [
        Organization(SHOWCASE_ID, "Northwind Analytics Labs", slot=900, primary_type="BRAND",
                     parent_id=COMPANY_ID_BASE, post_count=max(3, posts // 4)),
        Organization(ANALYST_ORG_ID, "Globex Partners", slot=901, role="ANALYST", post_count=posts // 4),
        Organization(REQUESTED_ORG_ID, "Initech Systems", slot=902, state="REQUESTED"),
        Organization(REVOKED_ORG_ID, "Umbrella Logistics", slot=903, state="REVOKED"),
        Organization(UNRELATED_ORG_IDS[0], "Hooli Media", slot=904, role=None, state=None,
                     post_count=posts // 4),
        Organization(UNRELATED_ORG_IDS[1], "Vandelay Industries", slot=905, role=None, state=None),
        Organization(LEAD_GEN_MANAGER_ORG_ID, "Stark Events", slot=906, role=LEAD_GEN_FORMS_MANAGER),
    ]
    return orgs
