"""Compares landed performance rows with LinkedIn's account-month totals: landed sums and differences.

The landed side is one ``GROUP BY`` per table over the destination (sums of the verified metrics per
account, conversion rule and month, within the verified days); the comparison is pure. Only additive metrics
are verified: reach (``approximateMemberReach``, ``audiencePenetration``) is never summed. Counts must match
exactly; money may differ by rounding (LinkedIn sums unrounded values, the rows hold each day rounded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import dlt

from lisync.linkedin.analytics.fields import metric_columns
from lisync.linkedin.analytics.totals import ACCOUNT_METRICS, CONVERSION_METRICS, TotalsKey

__all__ = ["ENTITY_TABLES", "VERIFIED_TABLES", "Difference", "compare_totals", "landed_totals", "month_label",
           "table_metrics"]

# The entity-level tables of the reports family sum to the same account totals as ad_performance (LinkedIn's
# ACCOUNT pivot is the sum of its campaigns' and groups' days); reach is never among the verified metrics.
ENTITY_TABLES = ("account_performance", "campaign_group_performance", "campaign_performance")
VERIFIED_TABLES = ("ad_performance", "conversion_performance", *ENTITY_TABLES)
MONEY_METRICS = frozenset({"costInLocalCurrency"})
MONEY_TOLERANCE = 0.01  # one cent, plus a millionth of the value


@dataclass(frozen=True)
class Difference:
    """One metric of one account-month (and conversion rule) on which LinkedIn and the destination differ.

    Attributes:
        table: The performance table.
        account_id: Numeric ad account id.
        month: ``YYYY-MM``.
        metric: LinkedIn's metric name.
        linkedin: LinkedIn's total.
        landed: The sum of the landed rows.
        conversion_id: The conversion rule (``conversion_performance``), else ``""``.
    """

    table: str
    account_id: str
    month: str
    metric: str
    linkedin: float
    landed: float
    conversion_id: str = ""

    @property
    def difference(self) -> float:
        """``landed − linkedin`` (negative: rows are missing)."""
        return self.landed - self.linkedin

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        out: dict[str, Any] = {"table": self.table, "account_id": self.account_id, "month": self.month,
                               "metric": self.metric, "linkedin": self.linkedin, "landed": self.landed,
                               "difference": round(self.difference, 6)}
        if self.conversion_id:
            out["conversion_id"] = self.conversion_id
        return out


def table_metrics(table: str) -> tuple[str, ...]:
    """Return the LinkedIn metrics verified for ``table``."""
    return CONVERSION_METRICS if table == "conversion_performance" else ACCOUNT_METRICS


def month_label(year: int, month: int) -> str:
    """Return ``YYYY-MM``."""
    return f"{year:04d}-{month:02d}"


def _agrees(metric: str, linkedin: float, landed: float) -> bool:
    if metric in MONEY_METRICS:
        return abs(landed - linkedin) <= MONEY_TOLERANCE + 1e-6 * abs(linkedin)
    return abs(landed - linkedin) < 0.5


def compare_totals(table: str, linkedin: dict[TotalsKey, dict[str, float]],
                   landed: dict[TotalsKey, dict[str, float]]) -> list[Difference]:
    """Return every metric on which LinkedIn's totals and the landed sums differ (a missing side counts 0).

    Args:
        table: The performance table the sums belong to.
        linkedin: LinkedIn's totals per (account, conversion rule, year, month).
        landed: The landed sums, keyed the same way.

    Returns:
        The differences, ordered by account, month, conversion rule and metric.
    """
    out: list[Difference] = []
    for key in sorted(set(linkedin) | set(landed), key=lambda k: (len(k[0]), k[0], k[2], k[3], k[1])):
        account, conversion, year, month = key
        for metric in table_metrics(table):
            theirs = linkedin.get(key, {}).get(metric, 0.0)
            ours = landed.get(key, {}).get(metric, 0.0)
            if not _agrees(metric, theirs, ours):
                out.append(Difference(table, account, month_label(year, month), metric, theirs, ours, conversion))
    return out


def _column(table: str, metric: str) -> str:
    for column, field in metric_columns(table).items():
        if field == metric:
            return column
    raise KeyError(f"{table} has no column for metric {metric}")


def landed_totals(pipeline: dlt.Pipeline, table: str, account_ids: Iterable[str], start: dt.date,
                  end: dt.date) -> dict[TotalsKey, dict[str, float]]:
    """Return the landed sums of ``table`` per account (× conversion rule) and month within ``start…end``.

    A table that was never created holds nothing (every total then shows as missing).
    """
    wanted = set(account_ids)
    if not pipeline.default_schema_name or table not in pipeline.default_schema.data_table_names():
        return {}
    metrics = table_metrics(table)
    conversion = "conversion_id" if table == "conversion_performance" else "''"
    sums = ", ".join(f"SUM({_column(table, m)})" for m in metrics)
    out: dict[TotalsKey, dict[str, float]] = {}
    with pipeline.sql_client() as client:
        qualified = client.make_qualified_table_name(table)
        query = (f"SELECT account_id, {conversion}, EXTRACT(YEAR FROM metric_date), EXTRACT(MONTH FROM metric_date), "
                 f"{sums} FROM {qualified} WHERE metric_date >= '{start.isoformat()}' AND metric_date <= "
                 f"'{end.isoformat()}' GROUP BY 1, 2, 3, 4")
        with client.execute_query(query) as cursor:
            for row in cursor.fetchall():
                account = str(row[0]) if row[0] is not None else ""
                if account not in wanted:
                    continue
                key: TotalsKey = (account, str(row[1] or ""), int(row[2]), int(row[3]))
                out[key] = {m: float(v or 0) for m, v in zip(metrics, row[4:], strict=True)}
    return out
