"""The sandbox's deterministic organic world: organizations, roles, ACLs and page/follower/share statistics.

Everything is derived from hashes of ``(seed, entity, date, field)``: daily metrics are computed when asked
for (memory stays flat however long the history), and the only cached state is the small per-organization
post skeleton. The world is anchored on the clock's date when it was built (``epoch``); posts keep being
published, edited and deleted as the sandbox clock advances, so incremental syncs see change.

Posts and media live in :mod:`lisync.sandbox.organic_posts` (mixed into :class:`OrganicWorld`), date and
time-bucket helpers in :mod:`lisync.sandbox.organic_time`; both are re-exported here.

Organizations of the default member (ids are stable whatever the scale):

* ``100000 + i`` for ``i < scale.organizations``: company pages, approved ``ADMINISTRATOR``;
* ``200001``: a showcase page (``primaryOrganizationType: BRAND``), approved ``ADMINISTRATOR``;
* ``200002``: approved ``ANALYST`` (a non-admin role);
* ``200003`` / ``200004``: ``ADMINISTRATOR`` in state ``REQUESTED`` / ``REVOKED``;
* ``300001``, ``300002``: organizations the member has no role on.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lisync.sandbox.core import Clock, Scale
from lisync.sandbox.organic_draws import between, media_token, pick, unit
from lisync.sandbox.organic_posts import (
    CONTENT_KINDS,
    MEDIA_HOST,
    MediaAsset,
    OrganicPostsMixin,
    PostSkeleton,
    TMetrics,
)
from lisync.sandbox.organic_time import (
    DAY_MS,
    TGranularity,
    add_months,
    date_to_ms,
    days_in,
    ms_to_datetime,
    time_buckets,
)

__all__ = [
    "ADMINISTRATOR", "ANALYST_ORG_ID", "APPROVED", "CAREERS_CLICKS", "COMPANY_ID_BASE", "CONTENT_KINDS",
    "CUSTOM_BUTTON_TYPES", "DATA_LAG_DAYS", "DAY_MS", "LIFETIME_DAYS", "MEDIA_HOST", "PAGE_SECTIONS",
    "POST_READER_ROLES", "REQUESTED_ORG_ID", "REVOKED_ORG_ID", "SHARE_COUNTS", "SHOWCASE_ID", "UNRELATED_ORG_IDS",
    "MediaAsset", "OrganicWorld", "Organization", "PostSkeleton", "TGranularity", "TMetrics", "add_months",
    "date_to_ms", "days_in", "ms_to_datetime", "time_buckets",
]

COMPANY_ID_BASE = 100000
SHOWCASE_ID = 200001
ANALYST_ORG_ID = 200002
REQUESTED_ORG_ID = 200003
REVOKED_ORG_ID = 200004
UNRELATED_ORG_IDS = (300001, 300002)
ADMINISTRATOR = "ADMINISTRATOR"
APPROVED = "APPROVED"
# Roles that may read an organization's posts (posts-api: r_organization_social).
POST_READER_ROLES = frozenset({"ADMINISTRATOR", "DIRECT_SPONSORED_CONTENT_POSTER", "CONTENT_ADMINISTRATOR"})
DATA_LAG_DAYS = 2
LIFETIME_DAYS = 365

PAGE_SECTIONS = ("overview", "about", "careers", "jobs", "lifeAt", "people", "products", "insights")
CAREERS_CLICKS = ("careersPageBannerPromoClicks", "careersPagePromoLinksClicks", "careersPageJobsClicks",
                  "careersPageEmployeesClicks")
CUSTOM_BUTTON_TYPES = ("VISIT_WEBSITE", "LEARN_MORE")
SHARE_COUNTS = ("impressionCount", "uniqueImpressionsCount", "clickCount", "likeCount", "commentCount",
                "shareCount")

_COMPANY_NAMES = ("Northwind Analytics", "Contoso Robotics", "Fabrikam Foods", "Tailspin Travel",
                  "Adatum Health", "Litware Labs", "Proseware Cloud", "Wingtip Toys", "Woodgrove Finance",
                  "Alpine Ski House")
_INDUSTRIES = (4, 6, 96, 1594, 43)
_STAFF_RANGES = ("SIZE_11_TO_50", "SIZE_51_TO_200", "SIZE_201_TO_500", "SIZE_501_TO_1000",
                 "SIZE_1001_TO_5000")
_SENIORITIES = (3, 4, 5, 6, 7)
_FUNCTIONS = (4, 8, 13, 18, 25)
_GEOS = (103644278, 101165590, 101282230, 105015875)


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


class OrganicWorld(OrganicPostsMixin):
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
        self.organizations = self._build_organizations()
        self._by_id = {org.id: org for org in self.organizations}
        self._posts_cache: dict[tuple[int, dt.date], list[PostSkeleton]] = {}

    # ----- organizations and roles -------------------------------------------------------------------------

    def _build_organizations(self) -> list[Organization]:
        posts = self.scale.posts_per_organization
        orgs = []
        for i in range(self.scale.organizations):
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
        ]
        return orgs

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
                           "staffCountRange": pick(self.seed, _STAFF_RANGES, "staff", org.id)}],
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
            "staffCountRange": pick(self.seed, _STAFF_RANGES, "staff", org.id),
            "industries": [f"urn:li:industry:{pick(self.seed, _INDUSTRIES, 'industry', org.id)}"],
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
        return self.clock.today - dt.timedelta(days=DATA_LAG_DAYS - 1)

    def lifetime_days(self) -> list[dt.date]:
        """Return the dates lifetime (no ``timeIntervals``) statistics sum: the rolling last 12 months."""
        cutoff = self.data_cutoff()
        return [cutoff - dt.timedelta(days=n) for n in range(LIFETIME_DAYS, 0, -1)]

    def _activity(self, org: Organization, day: dt.date) -> float:
        """Return a per-organization, per-day traffic multiplier (weekends are quieter)."""
        size = 0.5 + 2.5 * unit(self.seed, "size", org.id)
        weekday = 0.45 if day.weekday() >= 5 else 1.0
        return size * weekday * (0.6 + 0.8 * unit(self.seed, "noise", org.id, day))

    # ----- page statistics ----------------------------------------------------------------------------------

    def page_day(self, org: Organization, day: dt.date) -> TMetrics:
        """Flat daily page metrics: ``<device>.<section>`` views and uniques, clicks, custom buttons."""
        out: TMetrics = Counter()
        if day >= self.data_cutoff():
            return out
        activity = self._activity(org, day)
        for section in PAGE_SECTIONS:
            base = {"overview": 60, "about": 12, "careers": 10, "jobs": 14, "lifeAt": 5, "people": 9,
                    "products": 7, "insights": 3}[section]
            for device, share in (("desktop", 0.58), ("mobile", 0.42)):
                noise = unit(self.seed, "pv", org.id, day, section, device)
                views = int(base * activity * share * (0.5 + noise))
                unique = int(views * (0.55 + 0.4 * unit(self.seed, "upv", org.id, day, section, device)))
                out[f"{device}.{section}"] += views
                out[f"{device}.{section}.unique"] += unique
        for device in ("desktop", "mobile"):
            for key in CAREERS_CLICKS:
                out[f"{device}.{key}"] += int(3 * activity * unit(self.seed, "cc", org.id, day, device, key))
            for button in CUSTOM_BUTTON_TYPES:
                out[f"{device}.button.{button}"] += int(4 * activity * unit(self.seed, "btn", org.id, day,
                                                                           device, button))
        return out

    def page_metrics(self, org: Organization, days: Iterable[dt.date]) -> TMetrics:
        """Return the sum of :meth:`page_day` over ``days``."""
        total: TMetrics = Counter()
        for day in days:
            total.update(self.page_day(org, day))
        return total

    @staticmethod
    def shape_page_statistics(metrics: TMetrics, *, with_clicks: bool = True) -> dict[str, Any]:
        """Turn flat page metrics into LinkedIn's ``{"views": {...}, "clicks": {...}}`` record."""
        views: dict[str, dict[str, int]] = {}

        def put(key: str, device_keys: list[str]) -> None:
            views[key] = {"pageViews": sum(metrics[k] for k in device_keys),
                          "uniquePageViews": sum(metrics[f"{k}.unique"] for k in device_keys)}

        all_desktop = [f"desktop.{s}" for s in PAGE_SECTIONS]
        all_mobile = [f"mobile.{s}" for s in PAGE_SECTIONS]
        put("allPageViews", all_desktop + all_mobile)
        put("allDesktopPageViews", all_desktop)
        put("allMobilePageViews", all_mobile)
        for section in PAGE_SECTIONS:
            title = section[0].upper() + section[1:]
            put(f"{section}PageViews", [f"desktop.{section}", f"mobile.{section}"])
            put(f"desktop{title}PageViews", [f"desktop.{section}"])
            put(f"mobile{title}PageViews", [f"mobile.{section}"])
        out: dict[str, Any] = {"views": views}
        if with_clicks:
            out["clicks"] = {
                "careersPageClicks": {k: metrics[f"desktop.{k}"] + metrics[f"mobile.{k}"]
                                      for k in CAREERS_CLICKS},
                "mobileCareersPageClicks": {k: metrics[f"mobile.{k}"] for k in CAREERS_CLICKS},
                **{f"{device}CustomButtonClickCounts": [
                    {"customButtonType": button, "clicks": metrics[f"{device}.button.{button}"]}
                    for button in CUSTOM_BUTTON_TYPES] for device in ("desktop", "mobile")},
            }
        return out

    def lifetime_page_statistics(self, org: Organization) -> dict[str, Any]:
        """Return the lifetime element: totals plus views segmented by facet (a few facet values each)."""
        total = self.page_metrics(org, self.lifetime_days())
        all_views = self.shape_page_statistics(total, with_clicks=False)["views"]["allPageViews"]["pageViews"]

        def facet(name: str, key: str, values: tuple[Any, ...], fmt: str) -> tuple[str, list[dict[str, Any]]]:
            weights = [0.5 + unit(self.seed, name, org.id, v) for v in values]
            shares = [int(all_views * 0.9 * w / sum(weights)) for w in weights]
            rows = [{key: fmt.format(v), "pageStatistics": {"views": {"allPageViews": {"pageViews": n}}}}
                    for v, n in zip(values, shares, strict=True)]
            return name, rows

        element: dict[str, Any] = {"organization": org.urn,
                                   "totalPageStatistics": self.shape_page_statistics(total)}
        element.update(dict([
            facet("pageStatisticsBySeniority", "seniority", _SENIORITIES, "urn:li:seniority:{}"),
            facet("pageStatisticsByIndustryV2", "industryV2", _INDUSTRIES, "urn:li:industry:{}"),
            facet("pageStatisticsByStaffCountRange", "staffCountRange", _STAFF_RANGES, "{}"),
            facet("pageStatisticsByFunction", "function", _FUNCTIONS, "urn:li:function:{}"),
            facet("pageStatisticsByGeoCountry", "geo", _GEOS[:2], "urn:li:geo:{}"),
            facet("pageStatisticsByGeo", "geo", _GEOS, "urn:li:geo:{}"),
        ]))
        return element

    # ----- followers ----------------------------------------------------------------------------------------

    def follower_gains(self, org: Organization, day: dt.date) -> tuple[int, int]:
        """``(organic, paid)`` follower gain on ``day``; organic may be negative (net unfollows)."""
        if day >= self.data_cutoff():
            return 0, 0
        activity = self._activity(org, day)
        organic = int(12 * activity * unit(self.seed, "fo", org.id, day)) - between(self.seed, 0, 3, "un",
                                                                                      org.id, day)
        paid = int(5 * activity * unit(self.seed, "fp", org.id, day)) if unit(self.seed, "paid", org.id,
                                                                                  day) < 0.4 else 0
        return organic, paid

    def follower_count(self, org: Organization) -> int:
        """Total followers now (``networkSizes``): a base plus the last year's gains."""
        base = between(self.seed, 800, 40000, "followers", org.id)
        return max(0, base + sum(sum(self.follower_gains(org, d)) for d in self.lifetime_days()))

    def lifetime_follower_statistics(self, org: Organization) -> dict[str, Any]:
        """Return the lifetime element: follower counts by facet (paid is rolled into organic, per docs)."""
        total = self.follower_count(org)

        def facet(key: str, values: tuple[Any, ...], fmt: str) -> list[dict[str, Any]]:
            weights = [0.5 + unit(self.seed, "ff", key, org.id, v) for v in values]
            return [{key: fmt.format(v), "followerCounts": {
                "organicFollowerCount": int(total * w / sum(weights) * 0.85), "paidFollowerCount": 0}}
                for v, w in zip(values, weights, strict=True)]

        employees = int(total * 0.03)
        return {
            "organizationalEntity": org.urn,
            "followerCountsByAssociationType": [
                {"associationType": "EMPLOYEE",
                 "followerCounts": {"organicFollowerCount": employees, "paidFollowerCount": 0}}],
            "followerCountsBySeniority": facet("seniority", _SENIORITIES, "urn:li:seniority:{}"),
            "followerCountsByIndustry": facet("industry", _INDUSTRIES, "urn:li:industry:{}"),
            "followerCountsByFunction": facet("function", _FUNCTIONS, "urn:li:function:{}"),
            "followerCountsByStaffCountRange": facet("staffCountRange", _STAFF_RANGES, "{}"),
            "followerCountsByGeoCountry": facet("geo", _GEOS[:2], "urn:li:geo:{}"),
            "followerCountsByGeo": facet("geo", _GEOS, "urn:li:geo:{}"),
        }

    # ----- share statistics ---------------------------------------------------------------------------------

    def share_day(self, org: Organization, day: dt.date) -> TMetrics:
        """Organic share counts of all the organization's posts on ``day`` (likes can be negative)."""
        if day >= self.data_cutoff():
            return Counter()
        activity = self._activity(org, day)
        impressions = int(900 * activity * (0.3 + unit(self.seed, "si", org.id, day)))
        likes = int(impressions * 0.02 * unit(self.seed, "sl", org.id, day))
        if unit(self.seed, "unlike", org.id, day) < 0.04:
            likes = -between(self.seed, 1, 3, "unlikes", org.id, day)
        return Counter({
            "impressionCount": impressions,
            "uniqueImpressionsCount": int(impressions * (0.55 + 0.3 * unit(self.seed, "su", org.id, day))),
            "clickCount": int(impressions * 0.015 * unit(self.seed, "sc", org.id, day)),
            "likeCount": likes,
            "commentCount": int(impressions * 0.003 * unit(self.seed, "sm", org.id, day)),
            "shareCount": int(impressions * 0.002 * unit(self.seed, "ss", org.id, day)),
            "shareMentionsCount": between(self.seed, 0, 1, "smc", org.id, day) * (day.day % 9 == 0),
            "commentMentionsCount": between(self.seed, 0, 1, "cmc", org.id, day) * (day.day % 11 == 0),
        })

    def share_metrics(self, org: Organization, days: Iterable[dt.date]) -> TMetrics:
        """Return the sum of :meth:`share_day` over ``days``."""
        total: TMetrics = Counter()
        for day in days:
            total.update(self.share_day(org, day))
        return total

    @staticmethod
    def shape_share_statistics(metrics: TMetrics, *, mentions: bool = False) -> dict[str, Any]:
        """LinkedIn's ``totalShareStatistics`` record, with ``engagement`` recomputed from the counts."""
        out: dict[str, Any] = {key: metrics[key] for key in SHARE_COUNTS}
        engaged = sum(metrics[k] for k in ("clickCount", "likeCount", "commentCount", "shareCount"))
        impressions = metrics["impressionCount"]
        out["engagement"] = engaged / impressions if impressions else 0.0
        if mentions:
            out["shareMentionsCount"] = metrics["shareMentionsCount"]
            out["commentMentionsCount"] = metrics["commentMentionsCount"]
        return out
