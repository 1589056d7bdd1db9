"""Row shaper for ``organization_pages``: one period of page, follower and share statistics → one spec row.

Three time-bound finders answer one element per period each; the row joins them on the period start:

* ``organizationPageStatistics`` → ``totalPageStatistics.views.<key>.{pageViews,uniquePageViews}`` and
  ``totalPageStatistics.clicks`` (careers-page clicks, custom-button clicks per device);
* ``organizationalEntityFollowerStatistics`` → ``followerGains.{organicFollowerGain,paidFollowerGain}``;
* ``organizationalEntityShareStatistics`` → ``totalShareStatistics`` (impressions, clicks, likes, …).

Spec column names are LinkedIn's keys lower-cased: ``desktopaboutpageviews`` is
``views.desktopAboutPageViews.pageViews`` and ``desktopaboutuniquepageviews`` its ``uniquePageViews``.
A statistic LinkedIn leaves out lands as NULL, never as a made-up zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import Any

from lisync.linkedin.convert import dig, to_float
from lisync.spec.loader import table_spec

TABLE = "organization_pages"
SHARE_COLUMNS = {
    "uniqueimpressionscount": "uniqueImpressionsCount",
    "sharecount": "shareCount",
    "engagement": "engagement",
    "clickcount": "clickCount",
    "likecount": "likeCount",
    "impressioncount": "impressionCount",
    "commentcount": "commentCount",
}
FOLLOWER_COLUMNS = {"organicfollowergain": "organicFollowerGain", "paidfollowergain": "paidFollowerGain"}
CAREERS_CLICK_KEYS = ("careersPageBannerPromoClicks", "careersPagePromoLinksClicks", "careersPageJobsClicks",
                      "careersPageEmployeesClicks")
CUSTOM_BUTTON_COLUMNS = {"desktopcustombuttonclickcounts": "desktopCustomButtonClickCounts",
                         "mobilecustombuttonclickcounts": "mobileCustomButtonClickCounts"}
_UNIQUE_SUFFIX = "uniquepageviews"
_VIEWS_SUFFIX = "pageviews"


@cache
def _column_names() -> tuple[str, ...]:
    return tuple(table_spec(TABLE).column_names)


def _lowered_views(views: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Return the ``views`` records by lower-cased key (the column names' spelling), once per row."""
    return {key.lower(): value for key, value in views.items() if isinstance(value, Mapping)}


def _view_value(lowered: Mapping[str, Mapping[str, Any]], column: str) -> float | None:
    """Return the statistic behind a ``…pageviews`` / ``…uniquepageviews`` column (``views`` lower-cased)."""
    if column.endswith(_UNIQUE_SUFFIX):
        entry = lowered.get(column[: -len(_UNIQUE_SUFFIX)] + _VIEWS_SUFFIX)
        return to_float(entry.get("uniquePageViews")) if entry else None
    entry = lowered.get(column)
    return to_float(entry.get("pageViews")) if entry else None


def _click_value(clicks: Mapping[str, Any], column: str) -> float | None:
    """Return the ``clicks`` statistic behind a careers-page or custom-button column."""
    if column in CUSTOM_BUTTON_COLUMNS:
        buttons = clicks.get(CUSTOM_BUTTON_COLUMNS[column])
        if not isinstance(buttons, list):
            return None
        values = [to_float(b.get("clicks")) for b in buttons if isinstance(b, Mapping)]
        return float(sum(v for v in values if v is not None))
    mobile = column.startswith("mobile")
    group, prefix = ("mobileCareersPageClicks", "mobile") if mobile else ("careersPageClicks", "")
    for key in CAREERS_CLICK_KEYS:
        if prefix + key.lower() == column:
            return to_float(dig(clicks, group, key))
    return None


def shape_page_row(metric_date: dt.date, organization_urn: str, organization_name: str | None,
                   page_statistics: Mapping[str, Any] | None, follower_gains: Mapping[str, Any] | None,
                   share_statistics: Mapping[str, Any] | None) -> dict[str, Any]:
    """Shape one period into an ``organization_pages`` row.

    Args:
        metric_date: First day of the period (UTC).
        organization_urn: ``urn:li:organization:N``.
        organization_name: The page's name.
        page_statistics: The period's ``totalPageStatistics`` record, or ``None`` when LinkedIn sent none.
        follower_gains: The period's ``followerGains`` record, or ``None``.
        share_statistics: The period's ``totalShareStatistics`` record, or ``None``.

    Returns:
        Exactly the spec's columns.

    """
    views = _lowered_views((page_statistics or {}).get("views") or {})
    clicks = (page_statistics or {}).get("clicks") or {}
    row: dict[str, Any] = {}
    for column in _column_names():
        if column == "metric_date":
            row[column] = metric_date
        elif column == "organization_urn":
            row[column] = organization_urn
        elif column == "organization_name":
            row[column] = organization_name
        elif column in FOLLOWER_COLUMNS:
            row[column] = to_float((follower_gains or {}).get(FOLLOWER_COLUMNS[column]))
        elif column in SHARE_COLUMNS:
            row[column] = to_float((share_statistics or {}).get(SHARE_COLUMNS[column]))
        elif column.endswith(_VIEWS_SUFFIX):
            row[column] = _view_value(views, column)
        else:
            row[column] = _click_value(clicks, column)
    return row
