"""Reads what `lisync report` shows from the destination: daily ad totals, top campaigns and creatives, followers.

Every query reads lisync's own tables (no dbt models needed) in SQL that DuckDB and PostgreSQL both accept.
Spend is summed in USD (``costinusd``) so accounts billed in different currencies add up. A section whose
table was not replicated comes back empty, with the ``lisync run`` pipeline that fills it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from lisync.warehouse.fivetran_views import landed_columns

TOP_N = 10

DAILY_SQL = """
SELECT metric_date,
       SUM(CAST(costinusd AS DOUBLE PRECISION)),
       SUM(impressions), SUM(clicks), SUM(externalwebsiteconversions), SUM(oneclickleads)
FROM {ds}.ad_performance
GROUP BY metric_date
ORDER BY metric_date
"""

TOP_SQL = """
SELECT MAX({name}), {key},
       SUM(CAST(costinusd AS DOUBLE PRECISION)) AS spend,
       SUM(impressions), SUM(clicks), SUM(externalwebsiteconversions)
FROM {ds}.ad_performance
GROUP BY {key}
ORDER BY spend DESC, {key}
LIMIT {limit}
"""

GAINS_SQL = """
SELECT metric_date, organization_urn, MAX(organization_name), SUM(organicfollowergain + paidfollowergain)
FROM {ds}.organization_pages
GROUP BY metric_date, organization_urn
ORDER BY organization_urn, metric_date
"""

# The latest follower total per page (organization_followers' 'total' facet rows), when that table exists.
TOTALS_SQL = """
SELECT f.organization_urn, f.snapshot_date, MAX(f.follower_count)
FROM {ds}.organization_followers f
JOIN (SELECT organization_urn, MAX(snapshot_date) AS last_day FROM {ds}.organization_followers
      WHERE facet = 'total' GROUP BY organization_urn) l
  ON l.organization_urn = f.organization_urn AND l.last_day = f.snapshot_date
WHERE f.facet = 'total'
GROUP BY f.organization_urn, f.snapshot_date
"""


@dataclass(frozen=True)
class DailyTotals:
    """Ad delivery on one day, summed over every creative."""

    day: dt.date
    spend_usd: float
    impressions: int
    clicks: int
    conversions: int
    leads: int


@dataclass(frozen=True)
class TopEntity:
    """A campaign or creative with its totals over the replicated period."""

    name: str
    entity_id: str
    spend_usd: float
    impressions: int
    clicks: int
    conversions: int

    @property
    def ctr(self) -> float | None:
        """Clicks per impression, from the totals."""
        return self.clicks / self.impressions if self.impressions else None

    @property
    def cpc(self) -> float | None:
        """Spend per click in USD, from the totals."""
        return self.spend_usd / self.clicks if self.clicks else None


@dataclass(frozen=True)
class FollowerPoint:
    """An organization page's follower count on a day (or the followers gained since the first day)."""

    day: dt.date
    organization: str
    followers: int


@dataclass
class ReportData:
    """Everything the report page shows.

    Attributes:
        dataset: lisync's dataset the data came from.
        daily: Ad totals per day, oldest first.
        top_campaigns: The campaigns with the most spend.
        top_creatives: The creatives with the most spend.
        followers: Follower series per organization page.
        followers_are_gains: True when ``followers`` counts gains since the first replicated day (no
            follower totals table), False when they are LinkedIn's follower totals.
        missing: Sections without data → the ``lisync run`` pipeline that fills them.
    """

    dataset: str
    daily: list[DailyTotals] = field(default_factory=list)
    top_campaigns: list[TopEntity] = field(default_factory=list)
    top_creatives: list[TopEntity] = field(default_factory=list)
    followers: list[FollowerPoint] = field(default_factory=list)
    followers_are_gains: bool = True
    missing: dict[str, str] = field(default_factory=dict)


def _int(value: Any) -> int:
    return int(value or 0)


def _float(value: Any) -> float:
    return float(value or 0.0)


def read_report_data(client: Any, dataset: str, top_n: int = TOP_N) -> ReportData:
    """Query the destination for the report.

    Args:
        client: An opened dlt SQL client on the destination.
        dataset: lisync's dataset (schema).
        top_n: How many campaigns and creatives to list.

    Returns:
        The report's data; sections whose table is missing are empty and named in ``missing``.
    """
    landed = landed_columns(client, dataset)
    data = ReportData(dataset=dataset)
    ds = f'"{dataset}"'
    if "ad_performance" in landed:
        rows = client.execute_sql(DAILY_SQL.format(ds=ds)) or []
        data.daily = [DailyTotals(_as_date(r[0]), _float(r[1]), _int(r[2]), _int(r[3]), _int(r[4]), _int(r[5]))
                      for r in rows]
        for attr, name, key in (("top_campaigns", "campaign_name", "campaign_id"),
                                ("top_creatives", "creative_name", "creative_id")):
            rows = client.execute_sql(TOP_SQL.format(ds=ds, name=name, key=key, limit=int(top_n))) or []
            setattr(data, attr, [TopEntity(str(r[0] or r[1]), str(r[1]), _float(r[2]), _int(r[3]), _int(r[4]),
                                           _int(r[5])) for r in rows])
    else:
        data.missing["ads"] = "ad_performance"
    if "organization_pages" in landed:
        gains = client.execute_sql(GAINS_SQL.format(ds=ds)) or []
        totals: dict[str, tuple[dt.date, int]] = {}
        if "organization_followers" in landed:
            totals = {str(urn): (_as_date(day), _int(count))
                      for urn, day, count in client.execute_sql(TOTALS_SQL.format(ds=ds)) or [] if count is not None}
        data.followers = follower_series(gains, totals)
        data.followers_are_gains = not totals
    else:
        data.missing["followers"] = "organization_pages"
    return data


def follower_series(gains: list[Any], totals: dict[str, tuple[dt.date, int]]) -> list[FollowerPoint]:
    """Followers per page and day: walked back from the latest total, else gains summed from the first day.

    With a total ``T`` counted on day ``S``, the count at the end of day ``d`` is ``T`` minus the gains of the
    days after ``d`` up to ``S``. Pages without a total get their running sum of gains.
    """
    by_page: dict[str, list[tuple[dt.date, str, int]]] = {}
    for day, urn, name, gain in gains:
        by_page.setdefault(str(urn), []).append((_as_date(day), str(name or urn), _int(gain)))
    points: list[FollowerPoint] = []
    for urn, days in by_page.items():
        label = days[-1][1]
        if urn in totals:
            snapshot_day, total = totals[urn]
            later = sum(g for d, _, g in days if d <= snapshot_day)
            for day, _, gain in days:
                if day <= snapshot_day:
                    later -= gain
                    points.append(FollowerPoint(day, label, total - later))
        else:
            running = 0
            for day, _, gain in days:
                running += gain
                points.append(FollowerPoint(day, label, running))
    return points


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
