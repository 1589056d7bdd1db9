"""Measure how far one lisync process goes, and what parallel shards add, at a realistic API latency.

Usage: python bench/scaling.py [--accounts 40] [--days 90] [--latency-ms 150] [--shards 3]
       [--postgres postgresql://postgres:postgres@127.0.0.1:5432/test]

A sandbox (its own process) serves N ad accounts (5 campaign groups × 5 campaigns × 4 creatives each) with
D days of history and a fixed latency added to every response. lisync replicates the ads entity and
performance pipelines into PostgreSQL:

1. one unsharded process: a first run over the whole history, then a next-day run after the sandbox clock
   moves one day (the steady state of a daily schedule);
2. the same first run split by ``lisync plan-shards`` into S shards that run as parallel processes into
   another dataset.

It prints a Markdown table: API requests, seconds, accounts/hour, rows/hour and requests/second per run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LISYNC, Measured, SandboxProcess, machine, run_lisync, workdir

TODAY = dt.date(2026, 11, 15)
PIPELINES = ("ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata", "conversion_details",
             "ad_performance", "conversion_performance")
DEFAULT_DSN = "postgresql://postgres:postgres@127.0.0.1:5432/test"


def row(label: str, accounts: int, m: Measured, wall: float | None = None) -> str:
    seconds = wall if wall is not None else m.seconds
    requests = m.summary["requests"]["total"]
    rows = m.rows
    return (f"| {label} | {accounts} | {requests:,} | {rows:,} | {seconds:.1f} | {accounts * 3600 / seconds:,.0f} | "
            f"{rows * 3600 / seconds:,.0f} | {requests / seconds:.1f} |")


def drop_schemas(dsn: str, prefix: str) -> None:
    import psycopg2

    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute("select nspname from pg_namespace where nspname like %s", [prefix + "%"])
        for (schema,) in cursor.fetchall():
            cursor.execute(f'drop schema "{schema}" cascade')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=40)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--latency-ms", type=int, default=150)
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--postgres", default=DEFAULT_DSN)
    args = parser.parse_args()
    knobs = {"accounts": args.accounts, "campaign_groups_per_account": 5, "campaigns_per_group": 5,
             "creatives_per_campaign": 4, "history_days": args.days}
    sandbox = SandboxProcess(seed=2026, today=TODAY.isoformat(), knobs=knobs, latency_ms=args.latency_ms,
                             scale="large")
    folder = workdir("lisync-scaling-")
    prefix = f"scaling_{uuid.uuid4().hex[:8]}"
    start = (TODAY - dt.timedelta(days=args.days - 1)).isoformat()
    api = ["--api-base-url", f"{sandbox.base_url}/rest", "--access-token", "bench-token"]
    destination = ["--destination", "postgres", "--destination-credentials", args.postgres]

    def common(dataset: str, today: dt.date) -> list[str]:
        return [*PIPELINES, *api, *destination, "--dataset", dataset, "--pipelines-dir", str(folder / "dlt"),
                "--start-date", start, "--today", today.isoformat()]

    lines = []
    try:
        first = run_lisync(common(f"{prefix}_one", TODAY), folder)
        plan_json = subprocess.run([*LISYNC, "plan-shards", "--shards", str(args.shards), "--format", "json", *api],
                                   capture_output=True, text=True, check=True).stdout
        shards = json.loads(plan_json)["shards"]
        started = time.monotonic()
        with ThreadPoolExecutor(len(shards)) as pool:
            runs = list(pool.map(lambda s: run_lisync([*common(f"{prefix}_sharded", TODAY), "--shard", s["name"],
                                                       "--accounts", ",".join(s["accounts"])], folder), shards))
        wall = time.monotonic() - started
        sandbox.admin("POST", "/_sandbox/clock", {"advance_days": 1})
        nextday = run_lisync(common(f"{prefix}_one", TODAY + dt.timedelta(days=1)), folder)
    finally:
        sandbox.close()
        drop_schemas(args.postgres, prefix)
    lines.append(row("1 process, first run", args.accounts, first))
    lines.append(row("1 process, next-day run", args.accounts, nextday))
    # the shards together land the same tables as the one process
    merged = Measured(wall, max(r.peak_rss_mb for r in runs), {
        "requests": {"total": sum(r.summary["requests"]["total"] for r in runs)}, "tables": {"all": first.rows}})
    lines.append(row(f"{len(shards)} shards in parallel, first run", args.accounts, merged, wall))
    print(f"Machine: {machine()}; sandbox latency {args.latency_ms} ms; {args.accounts} accounts × 100 creatives × "
          f"{args.days} days; destination PostgreSQL (local); sandbox today {TODAY}\n")
    print("| run | accounts | API requests | rows in tables | seconds | accounts/hour | rows/hour | requests/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(lines))
    for r, s in zip(runs, shards, strict=True):
        print(f"\n- {s['name']}: {len(s['accounts'])} accounts, {r.summary['requests']['total']} requests, "
              f"{r.seconds:.1f} s, peak RSS {r.peak_rss_mb:.0f} MB", end="")
    print(f"\n- one process peak RSS {first.peak_rss_mb:.0f} MB")
    for label, m in (("first run", first), ("next-day run", nextday)):
        analytics = m.summary.get("details", {}).get("analytics", {})
        fetched = {t: (v["rows"], v["requests"]) for t, v in analytics.items()}
        print(f"- {label}: performance rows fetched / adAnalytics requests per table {fetched}; "
              f"requests by endpoint {m.summary['requests'].get('by_endpoint')}")


if __name__ == "__main__":
    main()
