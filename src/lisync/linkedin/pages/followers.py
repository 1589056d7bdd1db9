"""Lifetime follower counts of an organization: one dated snapshot of the total and of every facet.

Two calls per organization and run:

* ``GET /rest/organizationalEntityFollowerStatistics?q=organizationalEntity&organizationalEntity={urn}``
  without ``timeIntervals`` gives lifetime follower counts segmented by facet (top 100 values per facet;
  paid followers are rolled into ``organicFollowerCount`` for demographic facets, LinkedIn documents);
* ``GET /rest/networkSizes/{urn}?edgeType=COMPANY_FOLLOWED_BY_MEMBER`` gives the total follower count
  (``firstDegreeSize``): LinkedIn no longer returns ``totalFollowerCounts`` in follower statistics.

Both need ``rw_organization_admin`` and the ADMINISTRATOR role on the page. Docs:
https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/follower-statistics
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from lisync.linkedin.convert import dig, to_float, to_text
from lisync.linkedin.http.client import LinkedInClient

FOLLOWER_STATISTICS = "organizationalEntityFollowerStatistics"
NETWORK_SIZES = "networkSizes"
FOLLOWED_EDGE = "COMPANY_FOLLOWED_BY_MEMBER"
TOTAL_FACET = "total"
TOTAL_VALUE = "all"
# LinkedIn's lifetime facet arrays → (lisync facet name, the key holding the facet value).
FACETS: tuple[tuple[str, str, str], ...] = (
    ("followerCountsByAssociationType", "association_type", "associationType"),
    ("followerCountsBySeniority", "seniority", "seniority"),
    ("followerCountsByIndustry", "industry", "industry"),
    ("followerCountsByFunction", "function", "function"),
    ("followerCountsByStaffCountRange", "staff_count_range", "staffCountRange"),
    ("followerCountsByGeoCountry", "geo_country", "geo"),
    ("followerCountsByGeo", "geo", "geo"),
)


def fetch_lifetime_followers(client: LinkedInClient, organization_urn: str) -> dict[str, Any]:
    """Return the lifetime follower statistics element of one organization (``{}`` when LinkedIn has none)."""
    body = client.get(FOLLOWER_STATISTICS, {"q": "organizationalEntity", "organizationalEntity": organization_urn})
    elements = body.get("elements") or []
    return elements[0] if elements and isinstance(elements[0], dict) else {}


def fetch_follower_total(client: LinkedInClient, organization_urn: str) -> float | None:
    """Return the organization's follower count (``networkSizes`` ``firstDegreeSize``)."""
    body = client.get(f"{NETWORK_SIZES}/{quote(organization_urn, safe='')}", {"edgeType": FOLLOWED_EDGE})
    return to_float(body.get("firstDegreeSize")) if isinstance(body, dict) else None


def shape_follower_rows(element: dict[str, Any], total: float | None, organization_urn: str,
                        snapshot_date: dt.date) -> list[dict[str, Any]]:
    """Turn one lifetime element and the total into ``organization_followers`` rows (pure).

    Args:
        element: The lifetime follower statistics element.
        total: ``networkSizes`` ``firstDegreeSize`` (``None``: unknown, the total row is still written).
        organization_urn: The organization the snapshot is of.
        snapshot_date: The run's day.

    Returns:
        The total row first, then one row per facet value in LinkedIn's order.
    """
    base = {"snapshot_date": snapshot_date, "organization_urn": organization_urn}
    rows = [{**base, "facet": TOTAL_FACET, "facet_value": TOTAL_VALUE, "organic_follower_count": None,
             "paid_follower_count": None, "follower_count": total}]
    seen: set[tuple[str, str]] = set()
    for array, facet, key in FACETS:
        for item in element.get(array) or []:
            value = to_text(item.get(key)) if isinstance(item, dict) else None
            if value is None or (facet, value) in seen:
                continue  # a value LinkedIn repeats would break the row key
            seen.add((facet, value))
            organic = to_float(dig(item, "followerCounts", "organicFollowerCount"))
            paid = to_float(dig(item, "followerCounts", "paidFollowerCount"))
            both = None if organic is None and paid is None else (organic or 0.0) + (paid or 0.0)
            rows.append({**base, "facet": facet, "facet_value": value, "organic_follower_count": organic,
                         "paid_follower_count": paid, "follower_count": both})
    return rows


def read_follower_snapshot(client: LinkedInClient, organization_urn: str,
                           snapshot_date: dt.date) -> list[dict[str, Any]]:
    """Read and shape one organization's follower snapshot (two API calls)."""
    element = fetch_lifetime_followers(client, organization_urn)
    return shape_follower_rows(element, fetch_follower_total(client, organization_urn), organization_urn,
                               snapshot_date)
