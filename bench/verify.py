"""Benchmark verification: what reconciling with LinkedIn's totals costs in requests and seconds.

Usage: python bench/verify.py [--accounts 20] [--days 365] [--latency-ms 0] [--tables T ...]

For a sandbox world of N accounts × 100 creatives (5 groups × 5 campaigns × 4 creatives) and D days it runs
``ad_performance`` + ``conversion_performance`` (or ``--tables``, e.g. adding the reports family's
``account_performance campaign_group_performance campaign_performance``) over the whole history twice into
fresh DuckDB files, once with ``--no-verify`` and once verifying (the default), then ``lisync verify`` on the
first file, and prints a Markdown table: requests, seconds and account-months verified. Each lisync command is
its own process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LISYNC, SandboxProcess, machine, run_lisync, workdir

TODAY = dt.date(2026, 11, 15)
TABLES = ("ad_performance", "conversion_performance")


def run_verify(args: list[str], folder: Path) -> tuple[float, dict[str, object]]:
    """Run ``lisync verify --json``; return wall seconds and the report."""
    started = time.monotonic()
    done = subprocess.run([*LISYNC, "verify", *args, "--json"], capture_output=True, text=True, cwd=folder,
                          check=False)
    seconds = time.monotonic() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"lisync verify failed: {done.stderr}")
    report: dict[str, object] = json.loads(done.stdout)
    return seconds, report


def bench_world(accounts: int, days: int, latency_ms: int, tables: tuple[str, ...] = TABLES) -> list[str]:
    """Measure one world; return Markdown table rows."""
    knobs = {"accounts": accounts, "campaign_groups_per_account": 5, "campaigns_per_group": 5,
             "creatives_per_campaign": 4, "history_days": days}
    sandbox = SandboxProcess(seed=2026, today=TODAY.isoformat(), knobs=knobs, latency_ms=latency_ms, scale="large")
    start = TODAY - dt.timedelta(days=days - 1)
    rows = []
    try:
        plain, verified = workdir("lisync-bench-verify-"), workdir("lisync-bench-verify-")

        def args(folder: Path) -> list[str]:
            return [*tables, "--api-base-url", f"{sandbox.base_url}/rest", "--access-token", "bench-token",
                    "--duckdb", str(folder / "bench.duckdb"), "--pipelines-dir", str(folder / "dlt"),
                    "--start-date", start.isoformat(), "--today", TODAY.isoformat()]

        without = run_lisync([*args(plain), "--no-verify"], plain)
        with_verify = run_lisync(args(verified), verified)
        seconds, report = run_verify(args(plain), plain)
        section = with_verify.summary["verify"]
        world = f"{accounts * 100:,} creatives × {days} d"
        rows.append(f"| {world} | run --no-verify | {without.summary['requests']['total']:,} | — | — | "
                    f"{without.seconds:.1f} | — |")
        rows.append(f"| {world} | run (verifies) | {with_verify.summary['requests']['total']:,} | "
                    f"{section['requests']} | {section['account_months']:,} | {with_verify.seconds:.1f} | "
                    f"{section['seconds']:.1f} |")
        rows.append(f"| {world} | lisync verify | {report['requests_total']} | {report['requests']} | "
                    f"{report['account_months']:,} | {seconds:.1f} | {report['seconds']:.1f} |")
    finally:
        sandbox.close()
    return rows


def main() -> None:
    """Parse arguments, run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, nargs="+", default=[20])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--tables", nargs="+", default=list(TABLES), help="Pipelines to run and verify.")
    options = parser.parse_args()
    print(f"Machine: {machine()}; sandbox today {TODAY}; run {dt.date.today()}\n")
    print("| world | command | API requests (all) | adAnalytics totals requests | account-months verified | "
          "seconds | verify seconds |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for accounts in options.accounts:
        for row in bench_world(accounts, options.days, options.latency_ms, tuple(options.tables)):
            print(row)


if __name__ == "__main__":
    main()
