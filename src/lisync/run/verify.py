"""Verify and repair: reconcile landed performance rows with LinkedIn's account-month totals, heal differences.

For each performance table in scope, LinkedIn's monthly totals per account (per account and conversion rule
for ``conversion_performance``) are fetched in a few packed requests and compared with the landed sums of
their additive metrics (impressions, clicks, cost, conversions; reach is never summed). ``ad_performance`` and
the entity-level tables (``account_performance``, ``campaign_group_performance``, ``campaign_performance``)
share one fetch of the account totals.
With ``repair``, every account-month that differs is re-read without metadata trimming and upserted, then
verified again; what remains is reported and fails the run. Used by ``lisync run`` (after its load) and by
``lisync verify`` (:mod:`lisync.run.verify_destination`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import dlt
from dlt.extract.source import DltSource

from lisync.config.settings import RunSettings
from lisync.linkedin.ads.catalog import AccountCatalog
from lisync.linkedin.analytics.fetch import FetchStats
from lisync.linkedin.analytics.totals import TotalsKey, fetch_account_totals, month_count
from lisync.linkedin.http.client import LinkedInClient
from lisync.run.load_guard import load_with_retry
from lisync.run.reconcile import VERIFIED_TABLES, Difference, compare_totals, landed_totals
from lisync.run.verify_posts import PostsCheck
from lisync.sources.analytics_repair import month_span, repair_resource
from lisync.spec.naming import SCHEMA_NAME, new_schema

__all__ = ["VERIFIED_TABLES", "TableScope", "VerifyReport", "run_scopes", "verify_tables"]


@dataclass(frozen=True)
class TableScope:
    """What to verify in one performance table: these accounts over ``start…end`` (inclusive)."""

    table: str
    account_ids: tuple[str, ...]
    start: dt.date
    end: dt.date

    @property
    def account_months(self) -> int:
        """Account-months in scope."""
        return len(self.account_ids) * month_count(self.start, self.end)


@dataclass
class VerifyReport:
    """What one verification did and found.

    Attributes:
        scopes: What was verified.
        requests: LinkedIn requests verification cost (totals; repairs counted apart).
        repair_requests: LinkedIn requests the repairs cost.
        differences: Differences that remain after any repair.
        repaired: Account-months re-read and upserted: ``{"table", "account_id", "month", "rows"}``.
        found: Differences found before repairing.
        seconds: Wall-clock seconds.
        posts: Listed versus landed organization posts, when posts were verified.
        table_requests: Totals requests per table (checks and re-checks).
    """

    scopes: list[TableScope] = field(default_factory=list)
    requests: int = 0
    repair_requests: int = 0
    differences: list[Difference] = field(default_factory=list)
    repaired: list[dict[str, Any]] = field(default_factory=list)
    found: int = 0
    seconds: float = 0.0
    posts: PostsCheck | None = None
    table_requests: dict[str, int] = field(default_factory=dict)

    @property
    def status(self) -> str:
        """``ok`` when LinkedIn and the destination agree everywhere, else ``differs``."""
        missing_posts = self.posts.missing_count if self.posts is not None else 0
        return "ok" if not self.differences and not missing_posts else "differs"

    @property
    def account_months(self) -> int:
        """Account-months verified (per table)."""
        return sum(s.account_months for s in self.scopes)

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form (the ``verify`` section of a run summary, or ``lisync verify --json``)."""
        return {
            "status": self.status,
            "account_months": self.account_months,
            "tables": {s.table: {"accounts": len(s.account_ids), "start": s.start.isoformat(),
                                 "end": s.end.isoformat(), "account_months": s.account_months,
                                 "requests": self.table_requests.get(s.table, 0)}
                       for s in self.scopes},
            "requests": self.requests,
            "repair_requests": self.repair_requests,
            "found": self.found,
            "repaired": self.repaired,
            "differences": [d.as_dict() for d in self.differences],
            "seconds": round(self.seconds, 3),
            **({"posts": self.posts.as_dict()} if self.posts is not None else {}),
        }

    def as_summary(self) -> dict[str, Any]:
        """Return :meth:`as_dict` plus the one-line text a run summary prints."""
        return {**self.as_dict(), "line": self.describe()}

    def describe(self) -> str:
        """One line for humans."""
        text = (f"verify {self.status}: {self.account_months:,} account-months, {self.requests:,} requests, "
                f"{len(self.differences)} differences")
        if self.posts is not None:
            text += (f"; posts: {self.posts.landed:,} of {self.posts.listed:,} listed landed"
                     f" ({self.posts.requests:,} requests)")
        if self.repaired:
            text += ", repaired " + ", ".join(f"{r['table']} {r['account_id']} {r['month']} ({r['rows']} rows)"
                                               for r in self.repaired)
        return text


class _SharedTotals:
    """LinkedIn's account-month totals fetched once per verification and shared by the tables they check.

    ``ad_performance`` and the three entity-level tables are all checked against the same per-account totals,
    so only accounts not yet fetched for the same days cost requests. Re-checks after a repair bypass it.
    """

    def __init__(self) -> None:
        self._fetched: dict[tuple[bool, dt.date, dt.date], tuple[set[str], dict[TotalsKey, dict[str, float]]]] = {}

    def totals(self, client: LinkedInClient, scope: TableScope, fresh: bool) -> tuple[dict[TotalsKey, Any], int]:
        """Return LinkedIn's totals for the scope's accounts and the requests fetching them cost."""
        per_conversion = scope.table == "conversion_performance"
        key = (per_conversion, scope.start, scope.end)
        have, totals = (set(), {}) if fresh else self._fetched.setdefault(key, (set(), {}))
        missing = [a for a in scope.account_ids if a not in have]
        requests = 0
        if missing:
            theirs = fetch_account_totals(client, missing, scope.start, scope.end, per_conversion)
            totals.update(theirs.totals)
            have.update(missing)
            requests = theirs.requests
        wanted = set(scope.account_ids)
        return {k: v for k, v in totals.items() if k[0] in wanted}, requests


def _differences(pipeline: dlt.Pipeline, client: LinkedInClient, scope: TableScope, report: VerifyReport,
                 locked: Callable[[], Any] | None, shared: _SharedTotals, fresh: bool = False) -> list[Difference]:
    if not scope.account_ids:
        return []
    theirs, requests = shared.totals(client, scope, fresh)
    report.requests += requests
    report.table_requests[scope.table] = report.table_requests.get(scope.table, 0) + requests
    with _maybe(locked):
        ours = landed_totals(pipeline, scope.table, scope.account_ids, scope.start, scope.end)
    return compare_totals(scope.table, theirs, ours)


def run_scopes(pipelines: Sequence[str], analytics_details: dict[str, Any], start: dt.date,
               today: dt.date) -> list[TableScope]:
    """Return what a run verifies: per performance table it read, its accounts from the read start date.

    The whole history in scope is verified, not only the days re-read: totals are cheap (one request covers
    hundreds of account-months), and rows lost earlier (deleted, or skipped by an older planner) show up.

    Args:
        pipelines: The run's pipelines.
        analytics_details: The run summary's ``details["analytics"]`` (``read_from`` per account and table).
        start: The run's *Read start date*.
        today: The run's last day.
    """
    scopes: list[TableScope] = []
    for table in VERIFIED_TABLES:
        read_from = (analytics_details.get(table) or {}).get("read_from") or {}
        if table not in pipelines or not read_from:
            continue
        scopes.append(TableScope(table, tuple(sorted(read_from, key=lambda a: (len(a), a))), start, today))
    return scopes


def _spans(scope: TableScope, differences: Sequence[Difference]) -> dict[str, list[tuple[dt.date, dt.date]]]:
    """Per account, the differing months within the scope, adjacent months joined into one span."""
    months: dict[str, set[tuple[int, int]]] = {}
    for diff in differences:
        year, month = (int(p) for p in diff.month.split("-"))
        months.setdefault(diff.account_id, set()).add((year, month))
    out: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for account, wanted in months.items():
        spans: list[tuple[dt.date, dt.date]] = []
        for year, month in sorted(wanted):
            start, end = month_span(year, month, scope.start, scope.end)
            if spans and spans[-1][1] + dt.timedelta(days=1) == start:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        out[account] = spans
    return out


def _repair(pipeline: dlt.Pipeline, settings: RunSettings, client: LinkedInClient, catalog: AccountCatalog,
            scope: TableScope, differences: Sequence[Difference], report: VerifyReport, file_format: Any,
            locked: Callable[[], Any] | None, accounts: Sequence[dict[str, Any]]) -> None:
    spans = _spans(scope, differences)
    stats = FetchStats()
    counts: Counter[tuple[str, str]] = Counter()
    resource = repair_resource(settings, client, catalog, scope.table, spans, stats, counts, accounts)
    source = DltSource(new_schema(), SCHEMA_NAME, [resource])
    source.max_table_nesting = 0
    pipeline.extract(source, loader_file_format=file_format)
    pipeline.normalize()
    with _maybe(locked):
        load_with_retry(pipeline)
    report.repair_requests += stats.requests
    for account, month in sorted({(d.account_id, d.month) for d in differences}, key=lambda k: (len(k[0]), k)):
        report.repaired.append({"table": scope.table, "account_id": account, "month": month,
                                "rows": counts[(account, month)]})


def verify_tables(pipeline: dlt.Pipeline, settings: RunSettings, client: LinkedInClient,
                  scopes: Sequence[TableScope], *, repair: bool = False, catalog: AccountCatalog | None = None,
                  file_format: Any = None, locked: Callable[[], Any] | None = None,
                  accounts: Sequence[dict[str, Any]] = ()) -> VerifyReport:
    """Verify ``scopes`` against LinkedIn; with ``repair``, re-read and upsert what differs, then verify again.

    Args:
        pipeline: The dlt pipeline bound to the destination (its state already restored).
        settings: The run settings (the repaired rows get the run's columns).
        client: The LinkedIn client.
        scopes: Tables, accounts and days to verify.
        repair: Re-read differing account-months and upsert them.
        catalog: Entity listings for naming repaired rows (a new one is made when ``None``).
        file_format: Load file format for repairs.
        locked: Context-manager factory held while touching the destination (DuckDB shard lock).
        accounts: The ad account elements in scope (names for repaired ``account_performance`` rows).

    Returns:
        The report: remaining differences, repairs and requests.
    """
    started = time.monotonic()
    report = VerifyReport(scopes=list(scopes))
    catalog = catalog or AccountCatalog(client)
    shared = _SharedTotals()
    for scope in scopes:
        differences = _differences(pipeline, client, scope, report, locked, shared)
        report.found += len(differences)
        if differences and repair:
            _repair(pipeline, settings, client, catalog, scope, differences, report, file_format, locked, accounts)
            differing = tuple(sorted({d.account_id for d in differences}, key=lambda a: (len(a), a)))
            again = TableScope(scope.table, differing, scope.start, scope.end)
            differences = _differences(pipeline, client, again, report, locked, shared, fresh=True)
        report.differences.extend(differences)
    report.seconds = time.monotonic() - started
    return report


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _maybe(locked: Callable[[], Any] | None) -> Any:
    return locked() if locked is not None else _NoLock()
