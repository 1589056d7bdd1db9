"""Page, follower and share statistics of the sandbox's organic world, derived from hashes per organization-day.

:class:`OrganicStats` computes them; :class:`~lisync.sandbox.organic.world.OrganicWorld` holds one as
``stats``. A day's statistics exist once LinkedIn's data lag has passed
(:func:`~lisync.sandbox.organic.time.data_cutoff`); lifetime statistics sum the rolling last 12 months.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from lisync.sandbox.organic.draws import between, unit
from lisync.sandbox.organic.posts import TMetrics
from lisync.sandbox.organic.time import data_cutoff

if TYPE_CHECKING:
    from lisync.sandbox.clock import Clock
    from lisync.sandbox.organic.organizations import Organization


LIFETIME_DAYS = 365

PAGE_SECTIONS = ("overview", "about", "careers", "jobs", "lifeAt", "people", "products", "insights")
CAREERS_CLICKS = ("careersPageBannerPromoClicks", "careersPagePromoLinksClicks", "careersPageJobsClicks",
                  "careersPageEmployeesClicks")
CUSTOM_BUTTON_TYPES = ("VISIT_WEBSITE", "LEARN_MORE")
SHARE_COUNTS = ("impressionCount", "uniqueImpressionsCount", "clickCount", "likeCount", "commentCount",
                "shareCount")

# Facet values of the statistics; industries and staff ranges also describe the organizations themselves.
INDUSTRIES = (4, 6, 96, 1594, 43)
STAFF_RANGES = ("SIZE_11_TO_50", "SIZE_51_TO_200", "SIZE_201_TO_500", "SIZE_501_TO_1000",
                "SIZE_1001_TO_5000")
_SENIORITIES = (3, 4, 5, 6, 7)
_FUNCTIONS = (4, 8, 13, 18, 25)
_GEOS = (103644278, 101165590, 101282230, 105015875)


class OrganicStats:
    """Page, follower and share statistics of an organic world, per organization and day.

    Args:
        seed: World seed.
        clock: The sandbox clock; read on every call, so moving it makes more days available.

    """

    def __init__(self, seed: int, clock: Clock) -> None:
        self.seed = seed
        self.clock = clock

    def data_cutoff(self) -> dt.date:
        """First date without statistics yet."""
        return data_cutoff(self.clock.today)

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
            facet("pageStatisticsByIndustryV2", "industryV2", INDUSTRIES, "urn:li:industry:{}"),
            facet("pageStatisticsByStaffCountRange", "staffCountRange", STAFF_RANGES, "{}"),
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
            "followerCountsByIndustry": facet("industry", INDUSTRIES, "urn:li:industry:{}"),
            "followerCountsByFunction": facet("function", _FUNCTIONS, "urn:li:function:{}"),
            "followerCountsByStaffCountRange": facet("staffCountRange", STAFF_RANGES, "{}"),
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
