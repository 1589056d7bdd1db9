"""The sandbox's deterministic organic world: organizations, roles, page/follower/share stats, posts, media.

Everything is derived from hashes of ``(seed, entity, date, field)``: daily metrics are computed when asked
for (memory stays flat however long the history), and the only cached state is the small per-organization
post skeleton. The world is anchored on the clock's date when it was built (``epoch``); posts keep being
published, edited and deleted as the sandbox clock advances, so incremental syncs see change.

Organizations of the default member (ids are stable whatever the scale):

* ``100000 + i`` for ``i < scale.organizations``: company pages, approved ``ADMINISTRATOR``;
* ``200001``: a showcase page (``primaryOrganizationType: BRAND``), approved ``ADMINISTRATOR``;
* ``200002``: approved ``ANALYST`` (a non-admin role);
* ``200003`` / ``200004``: ``ADMINISTRATOR`` in state ``REQUESTED`` / ``REVOKED``;
* ``300001``, ``300002``: organizations the member has no role on.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from lisync.sandbox import synth
from lisync.sandbox.core import Clock, Scale

TGranularity = Literal["DAY", "WEEK", "MONTH"]
TMetrics = Counter[str]

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
# A reserved host, so download URLs never reach a real server and do not depend on the sandbox port.
MEDIA_HOST = "https://media.sandbox-licdn.invalid"
DATA_LAG_DAYS = 2
LIFETIME_DAYS = 365
DAY_MS = 86_400_000

PAGE_SECTIONS = ("overview", "about", "careers", "jobs", "lifeAt", "people", "products", "insights")
CAREERS_CLICKS = ("careersPageBannerPromoClicks", "careersPagePromoLinksClicks", "careersPageJobsClicks",
                  "careersPageEmployeesClicks")
CUSTOM_BUTTON_TYPES = ("VISIT_WEBSITE", "LEARN_MORE")
SHARE_COUNTS = ("impressionCount", "uniqueImpressionsCount", "clickCount", "likeCount", "commentCount",
                "shareCount")
# "celebration" is a documented organic content type that the connector's spec does not list ("unknown").
CONTENT_KINDS = ("text", "image", "video", "document", "poll", "multiImage", "article", "carousel", "job",
                 "liveVideo", "event", "celebration")

_COMPANY_NAMES = ("Northwind Analytics", "Contoso Robotics", "Fabrikam Foods", "Tailspin Travel",
                  "Adatum Health", "Litware Labs", "Proseware Cloud", "Wingtip Toys", "Woodgrove Finance",
                  "Alpine Ski House")
_PEOPLE = ("Ada Moreau", "Bruno Silva", "Chen Wei", "Dana Okafor", "Elif Kaya", "Farah Haddad")
_SENTENCES = (
    "We are thrilled to welcome twelve new colleagues to the team this month.",
    "Our annual data quality report is out now.",
    "Join us next Thursday for a live session on modern analytics.",
    "Q3 results are in \\(preliminary\\) and they look strong.",
    "Three lessons we learned migrating 40 pipelines to the cloud.",
    "Meet the people behind our platform \\- today: the support crew.",
    "Customer story: cutting weekly reporting time by 60%.",
    "We are hiring engineers \\& analysts \\<remote friendly\\>.",
    "Thank you to everyone who visited our booth \\*again\\* this year.",
    "New feature: scheduled exports \\[beta\\] for every plan.",
)
_HASHTAGS = ("analytics", "DataEngineering", "hiring", "AI", "B2B", "marketing", "cloud", "teamwork",
             "sustainability", "product")
_POLL_QUESTIONS = ("Which dashboard do you open first on Monday?", "How often do you refresh your data?",
                   "What slows your reporting down the most?")
_POLL_OPTIONS = ("Daily", "Weekly", "Monthly", "Real time", "Spreadsheets", "Access requests", "Slow queries",
                 "Revenue", "Pipeline", "Support")
_INDUSTRIES = (4, 6, 96, 1594, 43)
_STAFF_RANGES = ("SIZE_11_TO_50", "SIZE_51_TO_200", "SIZE_201_TO_500", "SIZE_501_TO_1000",
                 "SIZE_1001_TO_5000")
_SENIORITIES = (3, 4, 5, 6, 7)
_FUNCTIONS = (4, 8, 13, 18, 25)
_GEOS = (103644278, 101165590, 101282230, 105015875)
_MEDIA_STATUSES = ("AVAILABLE",) * 16 + ("PROCESSING", "PROCESSING_FAILED", "WAITING_UPLOAD")


def _unit(seed: int, *parts: object) -> float:
    """Return a deterministic number in [0, 1) for ``(seed, *parts)``."""
    return synth.unit(seed, *parts)


def _between(seed: int, low: int, high: int, *parts: object) -> int:
    """Return a deterministic integer in ``[low, high]`` for ``(seed, *parts)``."""
    return synth.between(low, high, seed, *parts)


def _pick(seed: int, options: tuple[Any, ...], *parts: object) -> Any:
    return synth.pick(options, seed, *parts)


def _token(seed: int, *parts: object) -> str:
    """Return an opaque LinkedIn-style media token such as ``D4E10AQHk3...`` (23 characters)."""
    return "D4E10AQ" + synth.member_token(seed, *parts, "a") + synth.member_token(seed, *parts, "b")[:6]


def date_to_ms(day: dt.date) -> int:
    """Epoch milliseconds of ``day`` at 00:00 UTC."""
    return synth.day_start_ms(day)


def ms_to_datetime(ms: int) -> dt.datetime:
    """Return the UTC datetime of epoch milliseconds ``ms``."""
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """``moment`` plus ``months`` calendar months, clamping the day to the target month's length."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    next_first = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_first - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def time_buckets(start_ms: int, end_ms: int, granularity: TGranularity) -> list[tuple[int, int]]:
    """Split ``[start_ms, end_ms)`` into whole buckets of ``granularity`` aligned on ``start_ms``.

    Args:
        start_ms: Inclusive start, epoch ms.
        end_ms: Exclusive end, epoch ms.
        granularity: ``DAY``, ``WEEK`` or ``MONTH`` (calendar months from the start's day).

    Returns:
        ``(bucket_start_ms, bucket_end_ms)`` pairs; a trailing partial bucket is left out.

    """
    buckets: list[tuple[int, int]] = []
    start = ms_to_datetime(start_ms)
    index = 0
    while True:
        if granularity == "MONTH":
            low, high = add_months(start, index), add_months(start, index + 1)
            bucket = (int(low.timestamp() * 1000), int(high.timestamp() * 1000))
        else:
            width = DAY_MS * (7 if granularity == "WEEK" else 1)
            bucket = (start_ms + index * width, start_ms + (index + 1) * width)
        if bucket[1] > end_ms:
            return buckets
        buckets.append(bucket)
        index += 1


def days_in(start_ms: int, end_ms: int) -> list[dt.date]:
    """Return the UTC dates whose midnight falls in ``[start_ms, end_ms)``."""
    first = ms_to_datetime(start_ms).date()
    if date_to_ms(first) < start_ms:
        first += dt.timedelta(days=1)
    out = []
    while date_to_ms(first) < end_ms:
        out.append(first)
        first += dt.timedelta(days=1)
    return out


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


@dataclass(frozen=True)
class MediaAsset:
    """An image, video or document used by a post."""

    urn: str
    kind: Literal["image", "video", "document"]
    owner: str
    created_ms: int
    status: str


@dataclass
class PostSkeleton:
    """The fixed facts about one post; :meth:`OrganicWorld.post_json` computes its JSON per sandbox day."""

    urn: str
    org: Organization
    index: int
    kind: str
    created_ms: int
    state: str
    feed_distribution: str
    edit_days: tuple[int, ...]
    deleted_after_days: int | None
    media: list[MediaAsset] = field(default_factory=list)

    @property
    def created_date(self) -> dt.date:
        """UTC creation date."""
        return ms_to_datetime(self.created_ms).date()


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
        return [{"roleAssignee": f"urn:li:person:{_token(self.seed, 'person', org.id, n)[7:17]}",
                 "state": APPROVED, "role": roles[n % len(roles)], "organization": org.urn}
                for n in range(_between(self.seed, 1, 3, "members", org.id))]

    def organization_json(self, org: Organization, *, full: bool) -> dict[str, Any]:
        """Return the organization JSON; ``full=False`` gives the non-administrator field subset."""
        locale = {"country": "US", "language": "en"}
        website = f"https://www.{org.vanity_name}.example"
        logo_urn = f"urn:li:digitalmediaAsset:{_token(self.seed, 'logo', org.id)[:20]}"
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
                           "staffCountRange": _pick(self.seed, _STAFF_RANGES, "staff", org.id)}],
        }
        if not full:
            return out
        created_ms = date_to_ms(self.epoch) - _between(self.seed, 400, 3000, "org-created", org.id) * DAY_MS
        description = f"{org.name} helps teams turn data into decisions."
        out.update({
            "localizedDescription": description,
            "description": {"localized": {"en_US": description}, "preferredLocale": locale},
            "website": {"localized": {"en_US": website}, "preferredLocale": locale},
            "organizationType": _pick(self.seed, ("PRIVATELY_HELD", "PUBLIC_COMPANY", "SELF_OWNED"), "type",
                                      org.id),
            "staffCountRange": _pick(self.seed, _STAFF_RANGES, "staff", org.id),
            "industries": [f"urn:li:industry:{_pick(self.seed, _INDUSTRIES, 'industry', org.id)}"],
            "defaultLocale": locale,
            "foundedOn": {"year": 1990 + org.slot % 30},
            "specialties": [], "localizedSpecialties": [], "alternativeNames": [], "groups": [],
            "autoCreated": False,
            "versionTag": str(_between(self.seed, 10**9, 4 * 10**9, "version", org.id)),
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
        size = 0.5 + 2.5 * _unit(self.seed, "size", org.id)
        weekday = 0.45 if day.weekday() >= 5 else 1.0
        return size * weekday * (0.6 + 0.8 * _unit(self.seed, "noise", org.id, day))

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
                noise = _unit(self.seed, "pv", org.id, day, section, device)
                views = int(base * activity * share * (0.5 + noise))
                unique = int(views * (0.55 + 0.4 * _unit(self.seed, "upv", org.id, day, section, device)))
                out[f"{device}.{section}"] += views
                out[f"{device}.{section}.unique"] += unique
        for device in ("desktop", "mobile"):
            for key in CAREERS_CLICKS:
                out[f"{device}.{key}"] += int(3 * activity * _unit(self.seed, "cc", org.id, day, device, key))
            for button in CUSTOM_BUTTON_TYPES:
                out[f"{device}.button.{button}"] += int(4 * activity * _unit(self.seed, "btn", org.id, day,
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
            weights = [0.5 + _unit(self.seed, name, org.id, v) for v in values]
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
        organic = int(12 * activity * _unit(self.seed, "fo", org.id, day)) - _between(self.seed, 0, 3, "un",
                                                                                      org.id, day)
        paid = int(5 * activity * _unit(self.seed, "fp", org.id, day)) if _unit(self.seed, "paid", org.id,
                                                                                  day) < 0.4 else 0
        return organic, paid

    def follower_count(self, org: Organization) -> int:
        """Total followers now (``networkSizes``): a base plus the last year's gains."""
        base = _between(self.seed, 800, 40000, "followers", org.id)
        return max(0, base + sum(sum(self.follower_gains(org, d)) for d in self.lifetime_days()))

    def lifetime_follower_statistics(self, org: Organization) -> dict[str, Any]:
        """Return the lifetime element: follower counts by facet (paid is rolled into organic, per docs)."""
        total = self.follower_count(org)

        def facet(key: str, values: tuple[Any, ...], fmt: str) -> list[dict[str, Any]]:
            weights = [0.5 + _unit(self.seed, "ff", key, org.id, v) for v in values]
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
        impressions = int(900 * activity * (0.3 + _unit(self.seed, "si", org.id, day)))
        likes = int(impressions * 0.02 * _unit(self.seed, "sl", org.id, day))
        if _unit(self.seed, "unlike", org.id, day) < 0.04:
            likes = -_between(self.seed, 1, 3, "unlikes", org.id, day)
        return Counter({
            "impressionCount": impressions,
            "uniqueImpressionsCount": int(impressions * (0.55 + 0.3 * _unit(self.seed, "su", org.id, day))),
            "clickCount": int(impressions * 0.015 * _unit(self.seed, "sc", org.id, day)),
            "likeCount": likes,
            "commentCount": int(impressions * 0.003 * _unit(self.seed, "sm", org.id, day)),
            "shareCount": int(impressions * 0.002 * _unit(self.seed, "ss", org.id, day)),
            "shareMentionsCount": _between(self.seed, 0, 1, "smc", org.id, day) * (day.day % 9 == 0),
            "commentMentionsCount": _between(self.seed, 0, 1, "cmc", org.id, day) * (day.day % 11 == 0),
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

    # ----- posts --------------------------------------------------------------------------------------------

    def _post_rate(self, org: Organization) -> float:
        return org.post_count / max(1, self.scale.history_days)

    def _post_created_ms(self, org: Organization, index: int) -> int:
        first_day = self.epoch - dt.timedelta(days=self.scale.history_days)
        day = first_day + dt.timedelta(days=int(index / self._post_rate(org)))
        seconds = _between(self.seed, 7 * 3600, 19 * 3600, "post-time", org.id, index)
        return date_to_ms(day) + seconds * 1000 + _between(self.seed, 0, 999, "post-ms", org.id, index)

    def posts(self, org: Organization) -> list[PostSkeleton]:
        """Every post of ``org`` created before the sandbox's today (including drafts and deleted posts)."""
        today = self.clock.today
        key = (org.id, today)
        if key not in self._posts_cache:
            if org.post_count == 0:
                self._posts_cache[key] = []
            else:
                rate = self._post_rate(org)
                horizon = (today - (self.epoch - dt.timedelta(days=self.scale.history_days))).days
                count = max(0, math.ceil(horizon * rate) + 1)
                built = [self._build_post(org, i) for i in range(count)]
                self._posts_cache[key] = [p for p in built if p.created_date < today]
        return self._posts_cache[key]

    def _build_post(self, org: Organization, index: int) -> PostSkeleton:
        created_ms = self._post_created_ms(org, index)
        # The first len(CONTENT_KINDS) posts of every organization cover every content type.
        if index < len(CONTENT_KINDS):
            kind = CONTENT_KINDS[(index + org.slot) % len(CONTENT_KINDS)]
        else:
            kind = _pick(self.seed, CONTENT_KINDS[:7] * 3 + CONTENT_KINDS[7:], "kind", org.id, index)
        roll = _unit(self.seed, "state", org.id, index)
        state = "PUBLISHED"
        if index >= len(CONTENT_KINDS):
            state = "DRAFT" if roll < 0.04 else "PUBLISH_REQUESTED" if roll < 0.05 else (
                "PUBLISH_FAILED" if roll < 0.06 else "PUBLISHED")
        edit_count = (0, 0, 0, 1, 1, 2)[_between(self.seed, 0, 5, "edits", org.id, index)]
        edit_days, offset = [], 0
        for n in range(edit_count):
            offset += _between(self.seed, 1, 60, "edit", org.id, index, n)
            edit_days.append(offset)
        deleted = None
        if index >= len(CONTENT_KINDS) and _unit(self.seed, "deleted", org.id, index) < 0.04:
            deleted = _between(self.seed, 1, 90, "deleted-after", org.id, index)
        post_id = (created_ms << 22) + (org.slot % 1024 << 12) + index % 4096
        namespace = "share" if kind in ("text", "article", "poll") else "ugcPost"
        dark = kind == "carousel" or (kind == "image" and _unit(self.seed, "dark", org.id, index) < 0.15)
        post = PostSkeleton(f"urn:li:{namespace}:{post_id}", org, index, kind, created_ms, state,
                            "NONE" if dark else "MAIN_FEED", tuple(edit_days), deleted)
        post.media = self._post_media(post)
        return post

    def _asset(self, post: PostSkeleton, kind: Literal["image", "video", "document"], n: int) -> MediaAsset:
        status = _pick(self.seed, _MEDIA_STATUSES, "media-status", post.urn, n)
        urn = f"urn:li:{kind}:{_token(self.seed, kind, post.urn, n)}"
        return MediaAsset(urn, kind, post.org.urn, post.created_ms - 60_000, status)

    def _post_media(self, post: PostSkeleton) -> list[MediaAsset]:
        count = _between(self.seed, 2, 4, "media-count", post.urn)
        if post.kind in ("image", "article"):
            return [self._asset(post, "image", 0)]
        if post.kind == "video":
            return [self._asset(post, "video", 0)]
        if post.kind == "document":
            return [self._asset(post, "document", 0)]
        if post.kind in ("multiImage", "carousel"):
            return [self._asset(post, "image", n) for n in range(count)]
        return []

    def is_visible(self, post: PostSkeleton) -> bool:
        """Whether ``post`` exists today (created before today and not yet deleted)."""
        if post.deleted_after_days is None:
            return True
        return self.clock.today < post.created_date + dt.timedelta(days=post.deleted_after_days)

    def visible_posts(self, org: Organization) -> list[PostSkeleton]:
        """Return posts of ``org`` that exist today, in creation order."""
        return [p for p in self.posts(org) if self.is_visible(p)]

    def find_post(self, urn: str) -> PostSkeleton | None:
        """Return the visible post with ``urn``, searching every organization, or ``None``."""
        for org in self.organizations:
            for post in self.visible_posts(org):
                if post.urn == urn:
                    return post
        return None

    def find_media(self, urn: str) -> MediaAsset | None:
        """Return the media asset with ``urn`` used by any post created before today, or ``None``."""
        for org in self.organizations:
            for post in self.posts(org):
                for asset in post.media:
                    if asset.urn == urn:
                        return asset
        return None

    def last_modified_ms(self, post: PostSkeleton) -> tuple[int, bool]:
        """``(lastModifiedAt, isEditedByAuthor)`` as of the sandbox's today: edits land as the clock moves."""
        last, edited = post.created_ms + 1_000 * _between(self.seed, 0, 120, "save", post.urn), False
        for n, offset in enumerate(post.edit_days):
            day = post.created_date + dt.timedelta(days=offset)
            if day < self.clock.today:
                last = synth.instant_ms(day, self.seed, "edit-at", post.urn, n)
                edited = True
        return last, edited

    def post_json(self, post: PostSkeleton) -> dict[str, Any]:
        """Return the post as the Posts API returns it (``GET /rest/posts/{urn}``)."""
        last_modified, edited = self.last_modified_ms(post)
        out: dict[str, Any] = {
            "id": post.urn,
            "author": post.org.urn,
            "commentary": self.commentary(post),
            "visibility": "PUBLIC" if _unit(self.seed, "vis", post.urn) < 0.93 else "LOGGED_IN",
            "distribution": {"feedDistribution": post.feed_distribution, "targetEntities": [],
                             "thirdPartyDistributionChannels": []},
            "lifecycleState": post.state,
            "lifecycleStateInfo": {"isEditedByAuthor": edited},
            "isReshareDisabledByAuthor": False,
            "createdAt": post.created_ms,
            "lastModifiedAt": last_modified,
        }
        if post.state == "PUBLISHED":
            out["publishedAt"] = post.created_ms + 1_000 * _between(self.seed, 0, 30, "publish", post.urn)
        content = self._content(post)
        if content is not None:
            out["content"] = content
        if post.feed_distribution == "NONE":
            account = 500000000 + post.org.slot
            out["adContext"] = {"dscAdAccount": f"urn:li:sponsoredAccount:{account}",
                                "dscAdType": "CAROUSEL" if post.kind == "carousel" else "STANDARD_UPDATE",
                                "dscName": f"{post.org.name} sponsored update {post.index}",
                                "dscStatus": "ACTIVE", "isDsc": True}
        return out

    def commentary(self, post: PostSkeleton) -> str:
        """Little-text commentary with escaped reserved characters, mentions and hashtag templates."""
        parts = [_pick(self.seed, _SENTENCES, "sentence", post.urn)]
        if _unit(self.seed, "mention-org", post.urn) < 0.3:
            other = _pick(self.seed, tuple(self.organizations), "mentioned-org", post.urn)
            parts.append(f"Proud to partner with @[{other.name}]({other.urn}).")
        if _unit(self.seed, "mention-person", post.urn) < 0.25:
            person = _pick(self.seed, _PEOPLE, "person", post.urn)
            person_id = _token(self.seed, "person", person)[7:17]
            parts.append(f"Kudos to @[{person}](urn:li:person:{person_id})!")
        tag_count = _between(self.seed, 0, 3, "tags", post.urn)
        tags = {_pick(self.seed, _HASHTAGS, "tag", post.urn, n) for n in range(tag_count)}
        # Real responses carry "{hashtag|\#|tag}"; the docs' example omits the backslash, so both appear.
        sign = "#" if _unit(self.seed, "tag-form", post.urn) < 0.1 else "\\#"
        hashtags = " ".join("{hashtag|" + sign + "|" + tag + "}" for tag in sorted(tags))
        return " ".join(parts) + ("\n\n" + hashtags if hashtags else "")

    def _content(self, post: PostSkeleton) -> dict[str, Any] | None:
        kind, media, urn = post.kind, post.media, post.urn
        title = f"{post.org.name} update {post.index}"
        if kind == "text":
            return None
        if kind == "image":
            return {"media": {"id": media[0].urn, "altText": f"Photo for {title}"}}
        if kind == "video":
            return {"media": {"id": media[0].urn, "title": title}}
        if kind == "document":
            return {"media": {"id": media[0].urn, "title": f"{title} (PDF)"}}
        if kind == "multiImage":
            return {"multiImage": {"images": [{"id": a.urn, "altText": f"Image {n + 1}"}
                                              for n, a in enumerate(media)]}}
        if kind == "carousel":
            return {"carousel": {"cards": [{"media": {"id": a.urn, "title": f"Card {n + 1}"},
                                            "landingPage": f"https://www.{post.org.vanity_name}.example/c/{n}"}
                                           for n, a in enumerate(media)]}}
        if kind == "article":
            return {"article": {"source": f"https://blog.{post.org.vanity_name}.example/p/{post.index}",
                                "title": f"Read: {title}", "description": "A short summary of the article.",
                                "thumbnail": media[0].urn, "thumbnailAltText": "Article cover"}}
        if kind == "poll":
            return {"poll": self._poll(post)}
        if kind == "celebration":
            # UNCONFIRMED shape; the connector treats it as an unknown content type either way.
            return {"celebration": {"type": "WELCOME"}}
        reference = {"job": "job", "liveVideo": "liveVideo", "event": "event"}[kind]
        reference_id = _between(self.seed, 10**9, 9 * 10**9, "ref", urn)
        return {"reference": {"id": f"urn:li:{reference}:{reference_id}"}}

    def _poll(self, post: PostSkeleton) -> dict[str, Any]:
        count = _between(self.seed, 2, 4, "poll-options", post.urn)
        start = _between(self.seed, 0, len(_POLL_OPTIONS) - count, "poll-start", post.urn)
        growth = self._growth(post)
        votes = [int(_between(self.seed, 5, 400, "votes", post.urn, n) * growth) for n in range(count)]
        # Vote counts are hidden from a viewer who may not see them; keep one poll in four like that.
        hide_votes = _unit(self.seed, "hide-votes", post.urn) < 0.25
        voted = _between(self.seed, -1, count - 1, "voted", post.urn)
        options = []
        for n in range(count):
            option: dict[str, Any] = {"text": _POLL_OPTIONS[start + n], "isVotedByViewer": n == voted}
            if not hide_votes:
                option["voteCount"] = votes[n]
            options.append(option)
        return {"question": _pick(self.seed, _POLL_QUESTIONS, "poll-q", post.urn), "options": options,
                "settings": {"duration": _pick(self.seed, ("ONE_DAY", "THREE_DAYS", "SEVEN_DAYS",
                                                           "FOURTEEN_DAYS"), "dur", post.urn),
                             "voteSelectionType": "SINGLE_VOTE", "isVoterVisibleToAuthor": True},
                "uniqueVotersCount": sum(votes)}

    def _growth(self, post: PostSkeleton, as_of: dt.date | None = None) -> float:
        """Share of a post's final lifetime engagement reached by ``as_of`` (default: the data cutoff)."""
        if post.state != "PUBLISHED":
            return 0.0
        age = ((as_of or self.data_cutoff()) - post.created_date).days
        if age <= 0:
            return 0.0
        return 1 - 0.8 * math.exp(-age / 3) - 0.2 * math.exp(-age / 40)

    def post_share_metrics(self, post: PostSkeleton, as_of: dt.date | None = None) -> TMetrics:
        """Lifetime share counts of one post as of ``as_of`` (default: the data cutoff); grows with age."""
        growth = self._growth(post, as_of)
        final = _between(self.seed, 300, 25000, "post-impressions", post.urn)
        impressions = int(final * growth)
        likes = int(impressions * 0.03 * _unit(self.seed, "post-likes", post.urn))
        if post.feed_distribution == "NONE":
            # Sponsored likes are not organic but their unlikes are, so dark posts can go negative.
            likes = -int(_between(self.seed, 0, 4, "post-unlikes", post.urn) * growth)
        return Counter({
            "impressionCount": impressions,
            "uniqueImpressionsCount": int(impressions * (0.6 + 0.25 * _unit(self.seed, "pu", post.urn))),
            "clickCount": int(impressions * 0.02 * _unit(self.seed, "post-clicks", post.urn)),
            "likeCount": likes,
            "commentCount": int(impressions * 0.004 * _unit(self.seed, "post-comments", post.urn)),
            "shareCount": int(impressions * 0.002 * _unit(self.seed, "post-shares", post.urn)),
        })

    # ----- media --------------------------------------------------------------------------------------------

    def download_url_expires_ms(self) -> int:
        """When today's signed download URLs expire: midnight UTC two days ahead (stable within a day)."""
        return date_to_ms(self.clock.today + dt.timedelta(days=2))

    def _signed_url(self, asset: MediaAsset, path: str) -> str:
        expires = self.download_url_expires_ms()
        signature = _token(self.seed, "sig", asset.urn, expires)[7:]
        token = asset.urn.rsplit(":", 1)[1]
        return f"{MEDIA_HOST}/dms/{asset.kind}/{token}/{path}?e={expires // 1000}&v=beta&t={signature}"

    def media_json(self, asset: MediaAsset) -> dict[str, Any]:
        """Return the image/video/document as the Images/Videos/Documents APIs return it."""
        out: dict[str, Any] = {"id": asset.urn, "owner": asset.owner, "status": asset.status}
        if asset.status != "AVAILABLE":
            return out
        out["downloadUrl"] = self._signed_url(asset, "feedshare-shrink_2048_1536/0")
        out["downloadUrlExpiresAt"] = self.download_url_expires_ms()
        if asset.kind == "video":
            portrait = _unit(self.seed, "portrait", asset.urn) < 0.2
            out.update({"duration": _between(self.seed, 5_000, 600_000, "duration", asset.urn),
                        "aspectRatioWidth": 9.0 if portrait else 16.0,
                        "aspectRatioHeight": 16.0 if portrait else 9.0,
                        "thumbnail": self._signed_url(asset, "videocover-high/0")})
        elif asset.kind == "image":
            out["mediaLibraryStatus"] = "NOT_IN_LIBRARY"
        return out
