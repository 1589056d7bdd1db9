"""Measure lisync alone: rows/s, CPU-seconds per 1,000 rows and peak RSS, dict path against Arrow path.

Usage: python bench/throughput.py [--scales 1,4,16] [--accounts 20] [--days 365] [--tables ad_performance]
       [--formats dicts,arrow] [--destination duckdb|postgres] [--cache DIR] [--repeat 1] [--profile DIR]
       [--duckdb-config memory_limit=128MB,threads=1] [--no-verify] [--record-only]

The bench world W20 is bench/analytics.py's: 20 ad accounts × 5 campaign groups × 5 campaigns × 4 creatives
(2,000 creatives), 365 days, sandbox seed 2026, today 2026-11-15. Scale k multiplies the accounts (4× = 80
accounts, 16× = 320). For each world the sandbox answers once, through a recording proxy, to a lisync run
of the tables; the answers go to ``--cache`` (recorded once, reused by later invocations). Then a loopback
replay server serves them from disk, and each measured ``lisync run`` (a child process: its CPU time, user +
system, and its peak RSS come from ``wait4``; its peak private memory, RSS without the shared libraries' pages,
is sampled from ``/proc``) replicates the tables into a fresh destination, once per
extraction path. The sandbox is not running while lisync is measured. Runs verify the load as
``lisync run`` does by default (account-month totals), unless ``--no-verify``; the recording follows
the same choice, so a recording made with verification also serves runs without it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pstats
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LISYNC, SandboxProcess, machine, workdir
from replay import is_recorded, recorder, replayer

TODAY = dt.date(2026, 11, 15)
DEFAULT_CACHE = Path(__file__).resolve().parent / ".throughput-cache"
DEFAULT_DSN = "postgresql://postgres:postgres@127.0.0.1:5432/test"


@dataclass
class Run:
    """One measured lisync run."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    peak_private_mb: float
    summary: dict[str, Any]
    checksum: tuple[Any, ...]

    @property
    def rows(self) -> int:
        """Performance rows landed (destination counts of the measured tables)."""
        return int(sum(self.summary.get("tables", {}).values()))


def world_knobs(accounts: int, days: int) -> dict[str, int]:
    """The sandbox knobs of a world with ``accounts`` accounts (bench/analytics.py's shape)."""
    return {"accounts": accounts, "campaign_groups_per_account": 5, "campaigns_per_group": 5,
            "creatives_per_campaign": 4, "history_days": days}


def lisync_args(tables: list[str], base_url: str, folder: Path, days: int, extract_format: str,
                destination: list[str], verify: bool = True) -> list[str]:
    """``lisync run`` arguments for one run into a fresh destination under ``folder``."""
    start = TODAY - dt.timedelta(days=days - 1)
    return ["run", *tables, "--api-base-url", f"{base_url}/rest", "--access-token", "bench-token",
            *destination, "--pipelines-dir", str(folder / "dlt"), "--start-date", start.isoformat(),
            "--today", TODAY.isoformat(), "--extract-format", extract_format,
            "--verify" if verify else "--no-verify", "--summary-json", str(folder / "summary.json")]


def record(folder: Path, accounts: int, days: int, tables: list[str]) -> None:
    """Let the sandbox answer one lisync run of ``tables`` and store every answer under ``folder``."""
    # a large world takes a while to build on a busy machine
    sandbox = SandboxProcess(seed=2026, today=TODAY.isoformat(), knobs=world_knobs(accounts, days), scale="large",
                             start_timeout_s=1800)
    proxy = recorder(folder, sandbox.base_url)
    scratch = workdir("lisync-record-")
    try:
        args = lisync_args(tables, proxy.base_url, scratch, days, "arrow", ["--duckdb", str(scratch / "r.duckdb")],
                           verify=True)
        done = subprocess.run([*LISYNC, *args], capture_output=True, text=True, cwd=scratch)
        if done.returncode != 0:
            raise RuntimeError(f"recording run failed: {done.stderr[-2000:]}")
        proxy.server.save()  # type: ignore[attr-defined]
    finally:
        proxy.close()
        sandbox.close()


class PrivatePeak:
    """The peak of a process's private memory (``RssAnon``: RSS without the shared libraries' mapped files).

    Sampled every 20 ms from ``/proc`` while the process runs, so a shorter peak can be missed.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        status = Path(f"/proc/{self.pid}/status")
        while True:
            try:
                text = status.read_text()
            except OSError:  # the process is gone
                return
            for line in text.splitlines():
                if line.startswith("RssAnon:"):
                    self.peak_kb = max(self.peak_kb, int(line.split()[1]))
            time.sleep(0.02)

    def stop(self) -> float:
        """Wait for the sampler to see the process gone; return the peak in MB."""
        self._thread.join(timeout=1)
        return self.peak_kb / 1024


def measure(args: list[str], folder: Path, env: dict[str, str], profile: Path | None) -> tuple[float, Any, float]:
    """Run ``lisync`` with ``args`` in a child process; return wall seconds, its rusage and peak private MB."""
    command = [*LISYNC, *args]
    if profile is not None:
        command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "lisync.cli", *args]
    started = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=folder, env=env)
    private = PrivatePeak(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - started
    if status != 0:
        raise RuntimeError(f"lisync run failed: {proc.stderr.read().decode()[-3000:] if proc.stderr else ''}")
    return seconds, usage, private.stop()


def checksum(destination: str, where: str, dataset: str, tables: list[str]) -> tuple[Any, ...]:
    """Row count and metric sums per table: both paths must land the same numbers."""
    out: list[Any] = []
    cost = "round(sum(costinlocalcurrency)::numeric, 4)" if destination == "postgres" else \
        "round(sum(costinlocalcurrency), 4)"
    sql = f"select count(*), sum(impressions), {cost} from {{}}"
    if destination == "postgres":
        import psycopg2

        with psycopg2.connect(where) as conn, conn.cursor() as cursor:
            for table in tables:
                cursor.execute(sql.format(f'"{dataset}"."{table}"'))
                out.append(tuple(float(v or 0) for v in cursor.fetchone() or ()))
            cursor.execute(f'drop schema "{dataset}" cascade; drop schema if exists "{dataset}_staging" cascade')
        return tuple(out)
    import duckdb

    with duckdb.connect(where, read_only=True) as conn:
        for table in tables:
            row = conn.execute(sql.format(f'"{dataset}"."{table}"')).fetchone()
            out.append(tuple(float(v or 0) for v in row or ()))
    return tuple(out)


def run_once(base_url: str, tables: list[str], days: int, extract_format: str, options: argparse.Namespace,
             profile: Path | None) -> Run:
    """One measured run of ``tables`` from the replay server into a fresh destination."""
    folder = workdir("lisync-throughput-")
    env = dict(os.environ)
    # measure lisync as installed: its modules compiled once (pip compiles on install), not on every start
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if options.duckdb_config:
        settings = dict(item.split("=", 1) for item in options.duckdb_config.split(","))
        env["DESTINATION__DUCKDB__CREDENTIALS__GLOBAL_CONFIG"] = json.dumps(settings)
    dataset = "linkedin"
    if options.destination == "postgres":
        dataset = f"throughput_{uuid.uuid4().hex[:8]}"
        destination = ["--destination", "postgres", "--destination-credentials", options.postgres, "--dataset", dataset]
        where = options.postgres
    else:
        where = str(folder / "bench.duckdb")
        destination = ["--duckdb", where]
    args = lisync_args(tables, base_url, folder, days, extract_format, destination, options.verify)
    seconds, usage, private_mb = measure(args, folder, env, profile)
    summary = json.loads((folder / "summary.json").read_text())
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, private_mb, summary,
               checksum(options.destination, where, dataset, tables))


def print_profile(path: Path, limit: int = 25) -> None:
    """Print the functions with the most cumulative and own time of a cProfile file."""
    stats = pstats.Stats(str(path))
    for key in ("tottime", "cumulative"):
        print(f"\n<details><summary>{path.name}: top {limit} by {key}</summary>\n\n```")
        stats.sort_stats(key).print_stats(limit)
        print("```\n</details>")


def main() -> None:
    """Record (once) and replay each world, measure each extraction path, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--accounts", type=int, default=20, help="accounts of the 1× world")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--tables", default="ad_performance")
    parser.add_argument("--formats", default="dicts,arrow")
    parser.add_argument("--destination", choices=("duckdb", "postgres"), default="duckdb")
    parser.add_argument("--postgres", default=DEFAULT_DSN)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", type=Path, default=None, help="write a cProfile file per run here")
    parser.add_argument("--duckdb-config", default="", help="DuckDB settings, e.g. memory_limit=128MB,threads=1")
    parser.add_argument("--record-only", action="store_true", help="record the worlds' answers, measure nothing")
    parser.add_argument("--verify", action=argparse.BooleanOptionalAction, default=True,
                        help="verify each load as lisync run does by default")
    options = parser.parse_args()
    tables = options.tables.split(",")
    load = os.getloadavg()
    print(f"Machine: {machine()}; load average at start {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}; "
          f"tables {', '.join(tables)} into {options.destination}; {options.days} days; replayed answers; "
          f"{'verified' if options.verify else 'not verified'}; DuckDB settings {options.duckdb_config or 'default'}\n")
    print("| world | path | rows | API requests | wall s | rows/s | CPU s (user+sys) | CPU s per 1,000 rows "
          "| peak RSS MB | peak private MB |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for scale in (int(s) for s in options.scales.split(",")):
        accounts = options.accounts * scale
        folder = options.cache / f"a{accounts}-d{options.days}-{'-'.join(tables)}"
        if not is_recorded(folder):
            started = time.monotonic()
            record(folder, accounts, options.days, tables)
            print(f"(recorded {folder.name} in {time.monotonic() - started:.0f} s)", file=sys.stderr)
        if options.record_only:
            continue
        server = replayer(folder)
        sums: dict[str, tuple[Any, ...]] = {}
        try:
            for extract_format in options.formats.split(","):
                for attempt in range(options.repeat):
                    profile = None
                    if options.profile is not None:
                        options.profile.mkdir(parents=True, exist_ok=True)
                        profile = options.profile / f"{folder.name}-{extract_format}-{attempt}.prof"
                    m = run_once(server.base_url, tables, options.days, extract_format, options, profile)
                    sums[extract_format] = m.checksum
                    label = f"W{options.accounts} × {scale}" if scale != 1 else f"W{options.accounts}"
                    print(f"| {label} ({accounts * 100:,} creatives) | {extract_format} | {m.rows:,} | "
                          f"{m.summary['requests']['total']:,} | {m.seconds:.1f} | {m.rows / m.seconds:,.0f} | "
                          f"{m.cpu_seconds:.2f} | {1000 * m.cpu_seconds / max(m.rows, 1):.3f} | "
                          f"{m.peak_rss_mb:.0f} | {m.peak_private_mb:.0f} |", flush=True)
                    if profile is not None:
                        print_profile(profile)
        finally:
            misses = server.server.misses  # type: ignore[attr-defined]
            server.close()
        if misses:
            print(f"\n**{misses} requests were not in the recording** ({folder.name})")
        if len(set(sums.values())) > 1:
            print(f"\n**the paths landed different rows** ({folder.name}): {sums}")
    print(f"\nload average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
