"""Benchmark the reports family: adAnalytics requests against the theoretical minimum, per table.

Usage: python bench/reports.py [--accounts 3] [--days 120] [--latency-ms 0]

Runs ``account_performance``, ``campaign_group_performance``, ``campaign_performance``, ``ad_demographics``
(monthly, all eight pivots) and one custom report (``spend_by_device``: CAMPAIGN × IMPRESSION_DEVICE_TYPE,
DAILY, 3 metrics) over a fresh sandbox world in one ``lisync run`` and prints a Markdown table.

Theoretical minimum adAnalytics requests:

* entity tables and custom reports: per field chunk ceil(rows / 15,000), and for the chunk holding
  ``approximateMemberReach`` at least ceil(days / 92) (LinkedIn serves reach for ≤ 92-day ranges);
* ``ad_demographics``: the statistics finder takes no demographic pivot and the analytics finder's values
  cannot tell campaigns apart, so every (campaign, pivot) with rows needs its own request: the distinct
  (campaign_id, demographic_pivot) pairs landed (one chunk of 18 metrics each);
* ``demographic_values`` lookups (not adAnalytics): per value type ceil(values / 100) BATCH_GETs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from analytics import minimum_requests
from common import SandboxProcess, machine, run_lisync, workdir

TODAY = dt.date(2026, 11, 15)
ENTITY = ("account_performance", "campaign_group_performance", "campaign_performance")
CUSTOM = """[sources.linkedin.custom_reports.spend_by_device]
pivots = ["CAMPAIGN", "IMPRESSION_DEVICE_TYPE"]
granularity = "DAILY"
metrics = ["impressions", "clicks", "costInLocalCurrency"]
"""


def main() -> None:
    """Run one world and print the results table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=3)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--latency-ms", type=int, default=0)
    args = parser.parse_args()
    knobs = {"accounts": args.accounts, "campaign_groups_per_account": 3, "campaigns_per_group": 3,
             "creatives_per_campaign": 4, "history_days": args.days}
    sandbox = SandboxProcess(seed=2026, today=TODAY.isoformat(), knobs=knobs, latency_ms=args.latency_ms)
    folder = workdir("lisync-bench-reports-")
    (folder / ".dlt").mkdir()
    (folder / ".dlt" / "config.toml").write_text(CUSTOM)
    start = TODAY - dt.timedelta(days=args.days - 1)
    db = folder / "bench.duckdb"
    try:
        measured = run_lisync([*ENTITY, "ad_demographics", "spend_by_device", "--api-base-url",
                               f"{sandbox.base_url}/rest", "--access-token", "bench-token", "--duckdb", str(db),
                               "--pipelines-dir", str(folder / "dlt"), "--start-date", start.isoformat(),
                               "--today", TODAY.isoformat()], folder)
    finally:
        sandbox.close()
    analytics = measured.summary["details"]["analytics"]
    with duckdb.connect(str(db), read_only=True) as conn:
        pairs = conn.execute("select count(distinct (campaign_id, demographic_pivot)) "
                             "from linkedin.ad_demographics").fetchone()
        kinds = conn.execute("select value_type, count(*) from linkedin.demographic_values "
                             "where value_type <> 'staff_count_range' group by 1").fetchall()
    by_endpoint = measured.summary["requests"]["by_endpoint"]
    lookups = sum(v for k, v in by_endpoint.items() if k.split("?")[0] in (
        "titles", "industries", "functions", "seniorities", "geo", "organizationsLookup"))
    print(f"Machine: {machine()}; sandbox latency {args.latency_ms} ms; world {args.accounts} accounts × 9 "
          f"campaigns × 4 creatives, {args.days} days ({start} … {TODAY}); one run, {measured.seconds:.1f} s, "
          f"peak RSS {measured.peak_rss_mb:.0f} MB, {measured.summary['requests']['total']} API requests\n")
    print("| table | rows | adAnalytics requests | theoretical minimum | note |")
    print("|---|---:|---:|---:|---|")
    for table in (*ENTITY, "spend_by_device"):
        details = analytics[table]
        minimum = (minimum_requests(table, details["rows"], args.days) if table in ENTITY
                   else math.ceil(details["rows"] / 15_000))
        print(f"| {table} | {details['rows']:,} | {details['requests']} | {minimum} | "
              f"{details['cap_splits']} cap splits |")
    demo = analytics["ad_demographics"]
    print(f"| ad_demographics (8 pivots, MONTHLY) | {demo['rows']:,} | {demo['requests']} | {pairs[0] if pairs else 0} "
          "| rows include the CAMPAIGN probe's; 1 probe request + one per (campaign, pivot) with delivery "
          f"({demo['loads']} campaigns) |")
    minimum_lookups = sum(math.ceil(n / 100) for _, n in kinds)
    print(f"| demographic_values lookups | {sum(n for _, n in kinds):,} | {lookups} (not adAnalytics) | "
          f"{minimum_lookups} | BATCH_GET, 100 ids each |")


if __name__ == "__main__":
    main()
