"""Benchmark the performance pipelines: requests, seconds, rows/s and peak memory, against the minimum.

Usage: python bench/analytics.py [--accounts 20] [--small-accounts 5] [--days 365] [--latency-ms 0]

For a sandbox world of N accounts × 100 creatives (5 groups × 5 campaigns × 4 creatives) and D days it
runs lisync's ``ad_performance`` and ``conversion_performance`` twice — a first run over the whole history
and a next-day incremental run after the sandbox clock moves one day — and prints a Markdown table.
Each lisync run is a separate process, so its peak RSS is its own (the sandbox runs in another process).

The theoretical minimum number of adAnalytics requests for a table with R rows (creative-days that have
any activity, known after the run) and C field chunks (LinkedIn allows 20 fields per request, so 18
metrics plus pivotValues and dateRange) is C × ceil(R / 15,000): every chunk must return every row and one
response carries at most 15,000 elements. The chunk holding approximateMemberReach also needs at least
ceil(D / 92) requests, because LinkedIn serves reach only for ranges of 92 days or less. Entity listings
(accounts, groups, campaigns, creatives, conversion rules) add 1 + 4 × N requests at LinkedIn's page sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Measured, SandboxProcess, machine, run_lisync, workdir

from lisync.linkedin.analytics.fields import REACH_MAX_RANGE_DAYS, REACH_METRICS, metric_chunks

TODAY = dt.date(2026, 11, 15)
TABLES = ("ad_performance", "conversion_performance")


def minimum_requests(table: str, rows: int, days: int) -> int:
    """The theoretical minimum adAnalytics requests for ``rows`` rows over ``days`` days (see module doc)."""
    total = 0
    for chunk in metric_chunks(table):
        need = math.ceil(rows / 15_000) if rows else 0
        if REACH_METRICS.intersection(chunk) and rows:
            need = max(need, math.ceil(days / REACH_MAX_RANGE_DAYS))
        total += need
    return total


def bench_world(accounts: int, days: int, latency_ms: int) -> list[str]:
    """Run the first and next-day runs for one world size; return Markdown table rows."""
    knobs = {"accounts": accounts, "campaign_groups_per_account": 5, "campaigns_per_group": 5,
             "creatives_per_campaign": 4, "history_days": days}
    sandbox = SandboxProcess(seed=2026, today=TODAY.isoformat(), knobs=knobs, latency_ms=latency_ms, scale="large")
    folder = workdir("lisync-bench-")
    start = TODAY - dt.timedelta(days=days - 1)
    common = [*TABLES, "--api-base-url", f"{sandbox.base_url}/rest", "--access-token", "bench-token",
              "--duckdb", str(folder / "bench.duckdb"), "--pipelines-dir", str(folder / "dlt"),
              "--start-date", start.isoformat()]
    try:
        first = run_lisync([*common, "--today", TODAY.isoformat()], folder)
        sandbox.admin("POST", "/_sandbox/clock", {"advance_days": 1})
        nextday = run_lisync([*common, "--today", (TODAY + dt.timedelta(days=1)).isoformat()], folder)
    finally:
        sandbox.close()
    out = []
    for label, m in (("first run", first), ("next-day run", nextday)):
        out.append(row(accounts * 100, days, label, m, days if label == "first run" else None))
    return out


def row(creatives: int, days: int, label: str, m: Measured, history_days: int | None) -> str:
    """One Markdown row for a measured run."""
    analytics = m.summary.get("details", {}).get("analytics", {})
    requests = m.summary["requests"]
    analytics_requests = sum(v["requests"] for v in analytics.values())
    fetched = sum(v["rows"] for v in analytics.values())
    minimum = "—"
    if history_days is not None:
        minimum = str(sum(minimum_requests(t, analytics[t]["rows"], history_days) for t in analytics))
    reads = {t: min(v.get("read_from", {}).values() or ["—"]) for t, v in analytics.items()}
    return (f"| {creatives:,} creatives × {days} d | {label} | {requests['total']:,} | {analytics_requests:,} | "
            f"{minimum} | {fetched:,} | {m.seconds:.1f} | {fetched / m.seconds:,.0f} | {m.peak_rss_mb:.0f} | "
            f"{reads.get('ad_performance', '—')} |")


def main() -> None:
    """Parse flags, run both world sizes and print the results table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--small-accounts", type=int, default=5)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--latency-ms", type=int, default=0)
    args = parser.parse_args()
    print(f"Machine: {machine()}; sandbox latency {args.latency_ms} ms; sandbox today {TODAY}\n")
    print("| world | run | API requests | adAnalytics requests | theoretical minimum (adAnalytics) | "
          "performance rows fetched | seconds | rows/s | peak RSS MB | ad_performance read from |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for accounts in (args.small_accounts, args.accounts):
        for line in bench_world(accounts, args.days, args.latency_ms):
            print(line, flush=True)


if __name__ == "__main__":
    main()
