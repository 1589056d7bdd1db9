"""LinkedIn's own account-level totals per month, the yardstick ``lisync verify`` compares landed rows with.

One ``GET /rest/adAnalytics`` per batch of accounts: ``q=analytics&pivot=ACCOUNT&timeGranularity=MONTHLY``
(or ``q=statistics&pivots=List(ACCOUNT,CONVERSION)`` for the per-conversion-rule totals of
``conversion_performance``), the ``accounts`` facet holding many accounts, and only a few additive metrics.
A batch answers one element per account (× conversion rule) and month, so a request covers hundreds of
account-months; the client tunnels long account lists through a POST, and an answer at the 15,000-element
cap is split by accounts and asked again. Nothing here touches dlt.
Docs: https://learn.microsoft.com/en-us/linkedin/marketing/integrations/ads-reporting/ads-reporting
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lisync.linkedin.analytics.planner import MAX_ELEMENTS
from lisync.linkedin.convert import restli_date_to_date, to_float
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import BadResponseError
from lisync.linkedin.http.restli import RawValue, date_range, restli_list, urn, urn_id

__all__ = ["ACCOUNT_METRICS", "CONVERSION_METRICS", "MAX_ACCOUNTS_PER_REQUEST", "TotalsKey", "TotalsResult",
           "fetch_account_totals", "month_count", "totals_params"]

# Additive metrics whose account-month sums must equal the landed rows' sums.
ACCOUNT_METRICS = ("impressions", "clicks", "costInLocalCurrency", "externalWebsiteConversions")
CONVERSION_METRICS = ("externalWebsiteConversions",)
# The accounts facet of a tunneled request: ~40 bytes per account URN stays far below the 28 KB body limit.
MAX_ACCOUNTS_PER_REQUEST = 500
# Elements per answer the batching aims for (LinkedIn's cap is 15,000 and silently truncates).
ELEMENT_BUDGET = 13_500

# (account id, conversion id or "", year, month)
TotalsKey = tuple[str, str, int, int]


@dataclass
class TotalsResult:
    """LinkedIn's totals for a set of accounts over one date range.

    Attributes:
        totals: Metric sums per account (and conversion rule) and month; months without activity are absent.
        requests: adAnalytics requests this cost.
    """

    totals: dict[TotalsKey, dict[str, float]] = field(default_factory=dict)
    requests: int = 0


def month_count(start: dt.date, end: dt.date) -> int:
    """Return the calendar months ``start…end`` touches."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def totals_params(account_ids: Sequence[str], start: dt.date, end: dt.date,
                  per_conversion: bool) -> list[tuple[str, Any]]:
    """Return the adAnalytics query for monthly account (× conversion rule) totals."""
    metrics = CONVERSION_METRICS if per_conversion else ACCOUNT_METRICS
    pivot: tuple[str, Any] = ("pivots", restli_list(["ACCOUNT", "CONVERSION"])) if per_conversion else (
        "pivot", "ACCOUNT")
    return [
        ("q", "statistics" if per_conversion else "analytics"),
        pivot,
        ("timeGranularity", "MONTHLY"),
        ("dateRange", date_range(start, end)),
        ("accounts", restli_list([urn("sponsoredAccount", a) for a in account_ids])),
        ("fields", RawValue(",".join((*metrics, "pivotValues", "dateRange")))),
    ]


def _batches(account_ids: Sequence[str], months: int) -> list[list[str]]:
    size = max(1, min(MAX_ACCOUNTS_PER_REQUEST, ELEMENT_BUDGET // max(months, 1)))
    return [list(account_ids[i:i + size]) for i in range(0, len(account_ids), size)]


def _add_element(result: TotalsResult, element: Any, per_conversion: bool) -> None:
    if not isinstance(element, dict):
        return
    values = element.get("pivotValues")
    start = restli_date_to_date((element.get("dateRange") or {}).get("start"))
    if not isinstance(values, list) or len(values) != (2 if per_conversion else 1) or start is None:
        raise BadResponseError("adAnalytics answered an account total without pivotValues or dateRange.")
    account = urn_id(values[0]) or ""
    conversion = (urn_id(values[1]) or "") if per_conversion else ""
    sums = result.totals.setdefault((account, conversion, start.year, start.month), {})
    for metric in CONVERSION_METRICS if per_conversion else ACCOUNT_METRICS:
        sums[metric] = sums.get(metric, 0.0) + (to_float(element.get(metric)) or 0.0)


def fetch_account_totals(client: LinkedInClient, account_ids: Sequence[str], start: dt.date, end: dt.date,
                         per_conversion: bool = False) -> TotalsResult:
    """Ask LinkedIn for monthly totals of ``account_ids`` over ``start…end`` (both inclusive).

    Args:
        client: The LinkedIn client.
        account_ids: Numeric ad account ids.
        start: First day (the first month's bucket starts here).
        end: Last day.
        per_conversion: Totals per conversion rule (pivots ACCOUNT, CONVERSION) instead of per account.

    Returns:
        The totals and the number of requests they cost.

    Raises:
        BadResponseError: When one account's answer alone reaches LinkedIn's 15,000-element cap.
    """
    result = TotalsResult()
    queue = _batches(sorted(set(account_ids), key=lambda a: (len(a), a)), month_count(start, end))
    while queue:
        batch = queue.pop(0)
        body = client.get("adAnalytics", totals_params(batch, start, end, per_conversion))
        result.requests += 1
        elements = body.get("elements") if isinstance(body, dict) else None
        if not isinstance(elements, list):
            raise BadResponseError("LinkedIn answered adAnalytics without an 'elements' list.")
        if len(elements) >= MAX_ELEMENTS:
            if len(batch) == 1:
                raise BadResponseError(f"adAnalytics returned {MAX_ELEMENTS:,} monthly totals for account "
                                       f"{batch[0]}; LinkedIn may have truncated them.")
            mid = len(batch) // 2
            queue[:0] = [batch[:mid], batch[mid:]]
            continue
        for element in elements:
            _add_element(result, element, per_conversion)
    return result
