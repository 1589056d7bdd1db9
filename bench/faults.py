"""Benchmark fault tolerance: every pipeline against a faulty sandbox, against a fault-free run of the same world.

Usage: python bench/faults.py [--scale medium] [--rate 0.2] [--latency-ms 20] [--seeds 11,12,13]

The sandbox (seed 7, today 2026-11-15) serves every pipeline first without faults, then once per fault seed
with ``--rate`` of requests failing. Every fault kind is in the mix with the same weight: 429 (with and without
Retry-After), the adAnalytics data-volume 429, 500/502/503/504, connection reset, a stalled answer, a
truncated JSON body and an expired token. Every request also gets ``--latency-ms`` of added latency. Each run
is checked row for row against the fault-free tables.

lisync runs in this process, with a token provider that renews on ``EXPIRED_ACCESS_TOKEN`` (as a refresh-token
sign-in does). It uses the default retry policy with two waits shortened to benchmark scale: a stall costs
the 3 s read timeout instead of 60 s, and the data-volume throttle waits 10 s instead of LinkedIn's 330 s.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from lisync.config.settings import RunSettings
from lisync.linkedin.http.retry import RetryPolicy
from lisync.run.families import available_pipelines
from lisync.run.pipeline import run
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.faults import FAULT_KINDS, FaultConfig
from lisync.sandbox.server import SandboxServer
from lisync.spec.loader import load_spec, table_spec

TODAY = dt.date(2026, 11, 15)
POLICY = RetryPolicy(read_timeout_s=3.0, data_volume_wait_s=10.0)
STALL_S = 5.0


def snapshot(conn: Any, table: str) -> list[tuple[Any, ...]]:
    """Every row of ``table`` (spec columns) in a stable order."""
    cols = ", ".join(f'"{c}"' for c in table_spec(table).column_names)
    return conn.execute(f'select {cols} from linkedin."{table}" order by {cols}').fetchall()


class RenewingProvider:
    """Renews the token whenever LinkedIn says it expired."""

    def __init__(self) -> None:
        self.renewals = 0

    def access_token(self) -> str:
        return f"bench-token-{self.renewals}"

    def handle_unauthorized(self, error_code: str | None) -> bool:
        if error_code != "EXPIRED_ACCESS_TOKEN":
            return False
        self.renewals += 1
        return True


def run_once(sandbox: SandboxServer, workdir: Path) -> tuple[dict[str, list[Any]], dict[str, Any], float]:
    workdir.mkdir(parents=True)
    pipelines = available_pipelines()
    settings = RunSettings(pipelines=pipelines, api_base_url=f"{sandbox.base_url}/rest",
                           duckdb_path=str(workdir / "bench.duckdb"), pipeline_name="faults",
                           pipelines_dir=str(workdir / "dlt"), today=TODAY, retry_policy=POLICY,
                           start_date=TODAY.replace(year=TODAY.year - 1))
    started = time.monotonic()
    summary = run(settings, token_provider=RenewingProvider())
    seconds = time.monotonic() - started
    if summary.status != "ok":
        raise SystemExit(f"run failed: {summary.error}")
    tables = [t.name for p in pipelines for t in load_spec()[p].tables]
    with contextlib.closing(duckdb.connect(str(workdir / "bench.duckdb"), read_only=True)) as conn:
        return {t: snapshot(conn, t) for t in tables}, summary.requests, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--rate", type=float, default=0.2)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--seeds", default="11,12,13")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    latency = {"*": args.latency_ms}
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="lisync-faults-") as tmp, \
            SandboxServer(SandboxConfig(seed=7, scale=args.scale, today=TODAY)) as sandbox:
        sandbox.set_faults(FaultConfig(latency_ms=latency))
        clean, requests, seconds = run_once(sandbox, Path(tmp) / "clean")
        total_rows = sum(len(r) for r in clean.values())
        rows.append(f"| fault-free | {requests['total']} | {requests['attempts']} | 0 | — | 0.0 | {seconds:.1f} "
                    f"| {total_rows:,} | — |")
        for seed in seeds:
            sandbox.set_faults(FaultConfig(rate=args.rate, mix=dict.fromkeys(FAULT_KINDS, 1.0), seed=seed,
                                           stall_s=STALL_S, latency_ms=latency))
            tables, requests, seconds = run_once(sandbox, Path(tmp) / f"faulty-{seed}")
            injected = sandbox.app.state.sandbox.faults.snapshot()["injected"]
            identical = "yes" if tables == clean else "NO"
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(injected.items()))
            rows.append(f"| {args.rate:.0%} faults, seed {seed} | {requests['total']} | {requests['attempts']} | "
                        f"{requests['retries']} | {kinds} | {requests['retry_seconds']:.1f} | {seconds:.1f} | "
                        f"{sum(len(r) for r in tables.values()):,} | {identical} |")
    print(f"Scale {args.scale}, {args.latency_ms} ms latency per request, sandbox today {TODAY}, "
          f"run {dt.datetime.now(dt.UTC).date()}.\n")
    print("| run | logical requests | HTTP attempts | retries | faults injected | retry wait s | seconds | rows "
          "| tables identical |")
    print("|---|---:|---:|---:|---|---:|---:|---:|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
