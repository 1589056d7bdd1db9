"""The sandbox's deterministic organic world: organizations, roles and ACLs, their statistics and posts.

Everything is derived from hashes of ``(seed, entity, date, field)``: daily metrics are computed when asked
for (memory stays flat however long the history), and the only cached state is the small per-organization
post skeleton. The world is anchored on the clock's date when it was built (``epoch``); posts keep being
published, edited and deleted as the sandbox clock advances, so incremental syncs see change.

An :class:`OrganicWorld` holds the organizations (:mod:`lisync.sandbox.organic.organizations`) and two
parts built over the same seed and clock: ``stats`` (:class:`~lisync.sandbox.organic.stats.OrganicStats`,
page, follower and share statistics) and ``content`` (:class:`~lisync.sandbox.organic.posts.OrganicPosts`,
posts and media); date and time-bucket helpers live in :mod:`lisync.sandbox.organic.time`.

Organization ids and the default member's roles are listed in :mod:`lisync.sandbox.organic.organizations`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lisync.sandbox.clock import Clock
from lisync.sandbox.organic.draws import between, media_token, pick
from lisync.sandbox.organic.organizations import (
    ADMINISTRATOR,
    APPROVED,
    Organization,
    build_organizations,
)
from lisync.sandbox.organic.posts import OrganicPosts
from lisync.sandbox.organic.stats import INDUSTRIES, STAFF_RANGES, OrganicStats
from lisync.sandbox.organic.time import DAY_MS, data_cutoff, date_to_ms
from lisync.sandbox.scale import Scale


class OrganicWorld:
    """Deterministic organizations, roles, statistics and posts for the sandbox (see the module docstring).

    Args:
        seed: World seed; the same seed and clock date give identical data.
        scale: Sizes (``organizations``, ``posts_per_organization``, ``history_days``).
        clock: The sandbox clock; read on every call, so moving it changes what is visible.
        anchor_day: The day the world was created (default: the clock's today); history ends there and
            posts keep appearing after it as the clock advances.

    """

    def __init__(self, seed: int, scale: Scale, clock: Clock, anchor_day: dt.date | None = None) -> None:
        self.seed = seed
        self.scale = scale
        self.clock = clock
        self.epoch = anchor_day or clock.today
        self.organizations = build_organizations(scale)
        self._by_id = {org.id: org for org in self.organizations}
        self.stats = OrganicStats(seed, clock)
        self.content = OrganicPosts(seed, scale, clock, self.epoch, self.organizations)

    # ----- organizations and roles -------------------------------------------------------------------------

    def organization(self, org_id: int) -> Organization | None:
        """Return the organization with ``org_id``, or ``None`` if the world has none."""
        return self._by_id.get(org_id)

    def organization_by_urn(self, urn: str) -> Organization | None:
        """Return the organization for an ``urn:li:organization:N`` URN, or ``None``."""
        prefix = "urn:li:organization:"
        if not urn.startswith(prefix) or not urn[len(prefix):].isdigit():
            return None
        return self.organization(int(urn[len(prefix):]))

    def administered_ids(self, grant_org_ids: frozenset[int] | None) -> frozenset[int]:
        """Ids on which the member is an approved ADMINISTRATOR (the grant's list, or the world's default)."""
        if grant_org_ids is not None:
            return frozenset(grant_org_ids)
        return frozenset(o.id for o in self.organizations if o.role == ADMINISTRATOR and o.state == APPROVED)

    def member_roles(self, grant_org_ids: frozenset[int] | None) -> list[tuple[Organization, str, str]]:
        """Return the member's ``(organization, role, state)`` assignments under a token's grant."""
        admin = self.administered_ids(grant_org_ids)
        out = []
        for org in self.organizations:
            if org.id in admin:
                out.append((org, ADMINISTRATOR, APPROVED))
            elif org.role is not None and not (org.role == ADMINISTRATOR and org.state == APPROVED):
                out.append((org, org.role, org.state or APPROVED))
        return out

    def member_role(self, org_id: int, grant_org_ids: frozenset[int] | None) -> str | None:
        """Return the member's approved role on ``org_id`` (``None`` without an approved role)."""
        for org, role, state in self.member_roles(grant_org_ids):
            if org.id == org_id and state == APPROVED:
                return role
        return None

    def other_members_acls(self, org: Organization) -> list[dict[str, Any]]:
        """ACL elements of the organization's other page members (for the ``q=organization`` finder)."""
        roles = ("ADMINISTRATOR", "CONTENT_ADMINISTRATOR", "ANALYST", "DIRECT_SPONSORED_CONTENT_POSTER")
        return [{"roleAssignee": f"urn:li:person:{media_token(self.seed, 'person', org.id, n)[7:17]}",
                 "state": APPROVED, "role": roles[n % len(roles)], "organization": org.urn}
                for n in range(between(self.seed, 1, 3, "members", org.id))]

    def organization_json(self, org: Organization, *, full: bool) -> dict[str, Any]:
        """Return the organization JSON; ``full=False`` gives the non-administrator field subset."""
        locale = {"country": "US", "language": "en"}
        website = f"https://www.{org.vanity_name}.example"
        logo_urn = f"urn:li:digitalmediaAsset:{media_token(self.seed, 'logo', org.id)[:20]}"
        out: dict[str, Any] = {
            "id": org.id,
            "localizedName": org.name,
            "name": {"localized": {"en_US": org.name}, "preferredLocale": locale},
            "vanityName": org.vanity_name,
            "localizedWebsite": website,
            "primaryOrganizationType": org.primary_type,
            "logoV2": {"original": logo_urn, "cropped": logo_urn,
                       "cropInfo": {"x": 0, "y": 0, "width": 400, "height": 400}},
            "locations": [{"locationType": "HEADQUARTERS",
                           "address": {"country": "US", "city": "Seattle", "postalCode": "98101",
                                       "geographicArea": "WA", "line1": f"{100 + org.slot} Pine St"},
                           "staffCountRange": pick(self.seed, STAFF_RANGES, "staff", org.id)}],
        }
        if not full:
            return out
        created_ms = date_to_ms(self.epoch) - between(self.seed, 400, 3000, "org-created", org.id) * DAY_MS
        description = f"{org.name} helps teams turn data into decisions."
        out.update({
            "localizedDescription": description,
            "description": {"localized": {"en_US": description}, "preferredLocale": locale},
            "website": {"localized": {"en_US": website}, "preferredLocale": locale},
            "organizationType": pick(self.seed, ("PRIVATELY_HELD", "PUBLIC_COMPANY", "SELF_OWNED"), "type",
                                      org.id),
            "staffCountRange": pick(self.seed, STAFF_RANGES, "staff", org.id),
            "industries": [f"urn:li:industry:{pick(self.seed, INDUSTRIES, 'industry', org.id)}"],
            "defaultLocale": locale,
            "foundedOn": {"year": 1990 + org.slot % 30},
            "specialties": [], "localizedSpecialties": [], "alternativeNames": [], "groups": [],
            "autoCreated": False,
            "versionTag": str(between(self.seed, 10**9, 4 * 10**9, "version", org.id)),
            "created": {"actor": "urn:li:person:sandboxMember1", "time": created_ms},
            "lastModified": {"actor": "urn:li:person:sandboxMember1", "time": created_ms + 30 * DAY_MS},
        })
        if org.parent_id is not None:
            # UNCONFIRMED sub-fields: LinkedIn shows a showcase's parent under parentRelationship.
            out["parentRelationship"] = {"parent": f"urn:li:organization:{org.parent_id}",
                                         "relationshipType": "SHOWCASE", "relationshipStatus": "ACTIVE"}
        return out

    # ----- data availability --------------------------------------------------------------------------------

    def data_cutoff(self) -> dt.date:
        """First date without statistics yet: LinkedIn's organic statistics lag about two days."""
        return data_cutoff(self.clock.today)
