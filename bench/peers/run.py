"""Side-by-side benchmark: lisync and the peer connectors on the same sandbox world.

Usage:
    python bench/peers/run.py [--quick] [--latency-ms 150] [--tools lisync,singer,airbyte-ads,airbyte-pages]
                              [--peer-timeout SECONDS] [--json results.json]

One sandbox process (``lisync sandbox --accept-retired-versions``, because two peers pin retired
``LinkedIn-Version`` values) serves one world. Each tool runs in its own process, one after the other:
the sandbox's request counters are reset before and read after each tool, and the tool's peak RSS is its
own (``wait4``). Peers run unmodified from their own virtualenvs under ``bench/.peers/`` (installed from
PyPI on first use, pinned versions); ``launcher/sitecustomize.py`` points their HTTP library at the
sandbox and refuses every non-loopback connection. Peer setup calls (``--discover``/``discover``) happen
before the counters are reset, as a user runs them once when configuring.

The report (Markdown on stdout) gives, per tool: API requests by endpoint, wall seconds, peak RSS, rows per
common table (records emitted, and distinct keys for analytics, since peers re-emit window-boundary days),
and whether per-day impressions and cost (ads) or follower gains and impressions (pages) agree with lisync
over the shared date range. ``--peer-timeout`` stops a peer that runs longer and reports what it did so far
together with its request plan (how many requests its code issues for this world) and a projected duration.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from common import SandboxProcess, machine  # noqa: E402

from lisync.sandbox.config import SandboxConfig  # noqa: E402

PEERS_HOME = BENCH / ".peers"
LAUNCHER = Path(__file__).resolve().parent / "launcher"
CONFIGS = Path(__file__).resolve().parent / "configs"
PYENV = Path("/root/.pyenv/versions")
TOKEN = "bench-token"
SEED = 2026
FULL_KNOBS = {"accounts": 20, "campaign_groups_per_account": 5, "campaigns_per_group": 5,
              "creatives_per_campaign": 4, "history_days": 365}
QUICK_KNOBS: dict[str, int] = {}


@dataclass(frozen=True)
class Peer:
    """One peer connector: how to install it and the version of LinkedIn's API it pins."""

    name: str
    python: str
    packages: tuple[tuple[str, ...], ...]
    executable: str
    linkedin_version: str
    note: str = ""


PEERS = {
    "singer": Peer("singer", "3.11", (("tap-linkedin-ads==2.8.0",),), "tap-linkedin-ads", "202511"),
    "airbyte-ads": Peer("airbyte-ads", "3.11", (("airbyte-source-linkedin-ads==5.4.1",), ("airbyte-cdk==7.3.2",)),
                        "source-linkedin-ads", "202502",
                        "airbyte-cdk 7.3.2 installed over the resolved 6.x (a CDK bug fails every analytics "
                        "stream with 'Invalid value for fields parameter' before any request)"),
    "airbyte-pages": Peer("airbyte-pages", "3.10", (("airbyte-source-linkedin-pages==1.0.17",),),
                          "source-linkedin-pages", "202403", "pins airbyte-cdk 0.80.0, which imports only on 3.10"),
}
# The Airbyte ads streams that have a lisync counterpart; the demographic, device, lead-form and custom-report
# streams are left out so every tool replicates the same data.
AIRBYTE_ADS_STREAMS = ("accounts", "campaign_groups", "campaigns", "creatives", "conversions",
                       "ad_campaign_analytics", "ad_creative_analytics")
LISYNC_ADS = ("ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata",
              "conversion_details", "ad_performance")
# common table -> stream/table name per tool
COMMON = {
    "lisync": {"campaigns": "campaign_metadata", "creatives": "creative_metadata",
               "creative analytics": "ad_performance", "pages": "organization_pages"},
    "singer": {"campaigns": "campaigns", "creatives": "creatives", "campaign analytics": "ad_analytics_by_campaign",
               "creative analytics": "ad_analytics_by_creative"},
    "airbyte-ads": {"campaigns": "campaigns", "creatives": "creatives", "campaign analytics": "ad_campaign_analytics",
                    "creative analytics": "ad_creative_analytics"},
    "airbyte-pages": {"pages": "follower_statistics_time_bound"},
}
COMMON_TABLES = ("campaigns", "creatives", "campaign analytics", "creative analytics", "pages")


# --------------------------------------------------------------------------------------------- installs


def peer_bin(peer: Peer, name: str) -> Path:
    """Path of an executable inside the peer's virtualenv."""
    return PEERS_HOME / peer.name / "bin" / name


def ensure_installed(peer: Peer) -> None:
    """Create the peer's virtualenv and install its pinned packages, unless already there."""
    if peer_bin(peer, peer.executable).exists():
        return
    pythons = sorted(PYENV.glob(f"{peer.python}.*/bin/python{peer.python}"))
    interpreter = str(pythons[-1]) if pythons else f"python{peer.python}"
    venv = PEERS_HOME / peer.name
    PEERS_HOME.mkdir(parents=True, exist_ok=True)
    subprocess.run([interpreter, "-m", "venv", str(venv)], check=True)
    for group in peer.packages:
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *group], check=True)


# ------------------------------------------------------------------------------------------- running


@dataclass
class Run:
    """What one tool did."""

    tool: str
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    requests: dict[str, int] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)
    distinct: dict[str, int] = field(default_factory=dict)
    daily: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    status: str = "ok"
    detail: str = ""
    planned_requests: int | None = None

    @property
    def total_requests(self) -> int:
        """All API requests the sandbox counted."""
        return sum(self.requests.values())

    @property
    def analytics_requests(self) -> int:
        """Requests to ``/rest/adAnalytics``."""
        return sum(n for key, n in self.requests.items() if "adAnalytics" in key)


def measured(args: list[str], env: dict[str, str], stdout: Path, workdir: Path, timeout: float | None
             ) -> tuple[float, float, int, bool]:
    """Run a child process; return (wall seconds, its peak RSS MB, exit status, timed out)."""
    started = time.monotonic()
    with stdout.open("wb") as out, (workdir / "stderr.log").open("ab") as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=env, cwd=workdir, start_new_session=True)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if timeout is not None and time.monotonic() - started > timeout:
                os.killpg(proc.pid, signal.SIGTERM)
                timed_out = True
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.monotonic() - started, usage.ru_maxrss / 1024, proc.returncode, timed_out


def peer_env(sandbox: SandboxProcess) -> dict[str, str]:
    """Environment of a peer process: the launcher on PYTHONPATH and the sandbox origin."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(PYTHONPATH=str(LAUNCHER), LISYNC_PEER_SANDBOX=sandbox.base_url, PYTHONUNBUFFERED="1")
    return env


def fill_template(name: str, values: dict[str, Any], target: Path) -> Path:
    """Write ``configs/<name>`` with ``{{key}}`` placeholders replaced by JSON values."""
    text = (CONFIGS / name).read_text()
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", json.dumps(value))
    target.write_text(text)
    return target


def select_singer_catalog(catalog: dict[str, Any]) -> dict[str, Any]:
    """Select every stream and field of a Singer catalog (what ``--discover`` then 'select all' gives)."""
    for stream in catalog["streams"]:
        for entry in stream["metadata"]:
            entry["metadata"]["selected"] = True
    return catalog


def configured_airbyte_catalog(lines: list[str], wanted: tuple[str, ...] | None) -> dict[str, Any]:
    """Build a configured catalog from ``discover`` output: incremental/append where supported."""
    for line in lines:
        message = json.loads(line)
        if message.get("type") != "CATALOG":
            continue
        streams = []
        for stream in message["catalog"]["streams"]:
            if wanted is not None and stream["name"] not in wanted:
                continue
            incremental = "incremental" in stream["supported_sync_modes"]
            entry = {"stream": stream, "sync_mode": "incremental" if incremental else "full_refresh",
                     "destination_sync_mode": "append" if incremental else "overwrite"}
            if incremental:
                entry["cursor_field"] = stream.get("default_cursor_field") or []
            if stream.get("source_defined_primary_key"):
                entry["primary_key"] = stream["source_defined_primary_key"]
            streams.append(entry)
        return {"streams": streams}
    raise RuntimeError("the Airbyte source printed no CATALOG message: see stderr.log in the work folder")


# ---------------------------------------------------------------------------------------- parsing


def _day(value: Any) -> str:
    return str(value)[:10]


def _ms_day(value: Any) -> str:
    return dt.datetime.fromtimestamp(int(value) / 1000, dt.UTC).date().isoformat()


def _keep(seen: dict[str, dict[tuple[str, str], tuple[float, ...]]], table: str, key: str, day: str,
          values: tuple[float, ...]) -> None:
    """Keep the last value per (key, day), as a destination upserting on the peer's primary key would."""
    seen.setdefault(table, {})[(key, day)] = values


def _finish_daily(seen: dict[str, dict[tuple[str, str], tuple[float, ...]]]) -> dict[str, dict[str, list[float]]]:
    daily: dict[str, dict[str, list[float]]] = {}
    for table, rows in seen.items():
        per_day: dict[str, list[float]] = {}
        for (_, day), values in rows.items():
            sums = per_day.setdefault(day, [0.0] * len(values))
            for i, value in enumerate(values):
                sums[i] += value
        daily[table] = per_day
    return daily


def parse_peer_output(tool: str, path: Path, run: Run) -> None:
    """Count RECORD messages per stream and sum the metrics compared across tools, per day."""
    names = {stream: common for common, stream in COMMON[tool].items()}
    records: collections.Counter[str] = collections.Counter()
    seen: dict[str, dict[tuple[str, str], tuple[float, ...]]] = {}
    with path.open() as lines:
        for line in lines:
            if '"RECORD"' not in line[:40]:
                continue
            message = json.loads(line)
            if message.get("type") != "RECORD":
                continue
            if tool == "singer":
                stream, data = message["stream"], message["record"]
            else:
                stream, data = message["record"]["stream"], message["record"]["data"]
            records[stream] += 1
            common = names.get(stream)
            if common in ("campaign analytics", "creative analytics"):
                day = _day(data.get("start_at") or data.get("start_date"))
                key = str(data.get("pivot_value") or data.get("string_of_pivot_values"))
                cost = data.get("cost_in_local_currency", data.get("costInLocalCurrency")) or 0
                _keep(seen, common, key, day, (float(data.get("impressions") or 0), float(cost)))
            elif common == "pages":
                gains = data.get("followerGains") or {}
                _keep(seen, common, "org", _ms_day(data["timeRangeStart"]),
                      (float(gains.get("organicFollowerGain", 0)), float(gains.get("paidFollowerGain", 0))))
            elif common in ("campaigns", "creatives"):
                _keep(seen, common, str(data.get("id")), "", ())
    run.records = {names.get(s, s): n for s, n in records.items()}
    run.distinct = {table: len(rows) for table, rows in seen.items()}
    run.daily = {t: d for t, d in _finish_daily(seen).items() if t not in ("campaigns", "creatives")}


def lisync_daily(duckdb_path: Path, run: Run) -> None:
    """Per-day sums from lisync's destination, and its row counts per common table."""
    import duckdb

    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        tables = {row[0] for row in con.sql(
            "select table_name from information_schema.tables where table_schema = 'linkedin'").fetchall()}
        if "ad_performance" in tables:
            rows = con.sql("select cast(metric_date as varchar), sum(impressions), sum(costinlocalcurrency) "
                           "from linkedin.ad_performance group by 1").fetchall()
            run.daily["creative analytics"] = {d: [float(i or 0), float(c or 0)] for d, i, c in rows}
        if "organization_pages" in tables:
            rows = con.sql("select cast(metric_date as varchar), sum(organicfollowergain), sum(paidfollowergain) "
                           "from linkedin.organization_pages group by 1").fetchall()
            run.daily["pages"] = {d: [float(o or 0), float(p or 0)] for d, o, p in rows}
        for common, table in COMMON["lisync"].items():
            if table in tables:
                count = con.execute(f"select count(*) from linkedin.{table}").fetchone()
                run.records[common] = run.distinct[common] = int(count[0]) if count else 0
    finally:
        con.close()


# --------------------------------------------------------------------------------------- the tools


class Bench:
    """One world, one sandbox, every tool in turn."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.knobs = QUICK_KNOBS if args.quick else FULL_KNOBS
        self.scale = "small" if args.quick else "large"
        self.today = dt.datetime.now(dt.UTC).date()
        self.sandbox = SandboxProcess(seed=SEED, today=self.today.isoformat(), knobs=self.knobs,
                                      latency_ms=args.latency_ms, scale=self.scale,
                                      extra=["--accept-retired-versions"])
        config = self.sandbox.admin("GET", "/_sandbox/config")
        self.world_knobs = config["knobs"]
        self.accounts: list[int] = config["visible_account_ids"]
        self.days = int(self.world_knobs["history_days"])
        self.start = self.today - dt.timedelta(days=self.days - 1)
        self.organization = self._administered_organization()
        self.work = Path(tempfile.mkdtemp(prefix="lisync-peers-"))

    def _administered_organization(self) -> int:
        request = urllib.request.Request(
            f"{self.sandbox.base_url}/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED",
            headers={"Authorization": f"Bearer {TOKEN}", "LinkedIn-Version": PEERS["singer"].linkedin_version})
        with urllib.request.urlopen(request, timeout=30) as response:
            elements = json.loads(response.read())["elements"]
        return int(elements[0]["organization"].rsplit(":", 1)[-1])

    def _reset(self) -> None:
        self.sandbox.admin("POST", "/_sandbox/stats/reset")

    def _stats(self) -> dict[str, int]:
        return dict(self.sandbox.admin("GET", "/_sandbox/stats")["by_endpoint"])

    def _folder(self, tool: str) -> Path:
        folder = self.work / tool
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def run_lisync(self, label: str, pipelines: tuple[str, ...], extra: list[str]) -> Run:
        """Run ``lisync run`` for ``pipelines`` on this world."""
        folder = self._folder(label)
        summary = folder / "summary.json"
        args = [sys.executable, "-m", "lisync.cli", "run", *pipelines, "--api-base-url",
                f"{self.sandbox.base_url}/rest", "--access-token", TOKEN, "--duckdb", str(folder / "l.duckdb"),
                "--pipelines-dir", str(folder / "dlt"), "--start-date", self.start.isoformat(),
                "--summary-json", str(summary), *extra]
        self._reset()
        seconds, rss, code, _ = measured(args, dict(os.environ), folder / "stdout.log", folder, None)
        run = Run(label, seconds, rss, self._stats())
        if code != 0:
            run.status, run.detail = "failed", f"exit {code}; see {folder}/stderr.log"
            return run
        lisync_daily(folder / "l.duckdb", run)
        return run

    def run_singer(self) -> Run:
        """Singer ``tap-linkedin-ads``: discover, select every stream and field, sync."""
        peer = PEERS["singer"]
        folder = self._folder(peer.name)
        config = fill_template("singer_config.json", {
            "access_token": TOKEN, "accounts": ",".join(str(a) for a in self.accounts),
            "start_date": f"{self.start.isoformat()}T00:00:00Z"}, folder / "config.json")
        env = peer_env(self.sandbox)
        tap = str(peer_bin(peer, peer.executable))
        discovered = subprocess.run([tap, "--config", str(config), "--discover"], env=env, cwd=folder,
                                    capture_output=True, text=True, check=True)
        catalog = select_singer_catalog(json.loads(discovered.stdout))
        (folder / "catalog.json").write_text(json.dumps(catalog))
        return self._run_peer(peer, [tap, "--config", str(config), "--catalog", str(folder / "catalog.json")],
                              folder, env, plan=self._singer_plan(catalog))

    def run_airbyte(self, name: str) -> Run:
        """An Airbyte source: ``discover``, a configured catalog, ``read``."""
        peer = PEERS[name]
        folder = self._folder(peer.name)
        if name == "airbyte-ads":
            values = {"access_token": TOKEN, "account_ids": self.accounts, "start_date": self.start.isoformat()}
            config = fill_template("airbyte_ads_config.json", values, folder / "config.json")
            wanted: tuple[str, ...] | None = AIRBYTE_ADS_STREAMS
        else:
            values = {"access_token": TOKEN, "org_id": str(self.organization),
                      "start_date": f"{self.start.isoformat()}T00:00:00Z"}
            config = fill_template("airbyte_pages_config.json", values, folder / "config.json")
            wanted = None
        env = peer_env(self.sandbox)
        source = str(peer_bin(peer, peer.executable))
        discovered = subprocess.run([source, "discover", "--config", str(config)], env=env, cwd=folder,
                                    capture_output=True, text=True, check=True)
        catalog = configured_airbyte_catalog(discovered.stdout.splitlines(), wanted)
        (folder / "catalog.json").write_text(json.dumps(catalog))
        plan = self._airbyte_ads_plan() if name == "airbyte-ads" else None
        return self._run_peer(peer, [source, "read", "--config", str(config), "--catalog",
                                     str(folder / "catalog.json")], folder, env, plan=plan)

    def _run_peer(self, peer: Peer, args: list[str], folder: Path, env: dict[str, str], plan: int | None) -> Run:
        self._reset()
        seconds, rss, code, timed_out = measured(args, env, folder / "stdout.jsonl", folder, self.args.peer_timeout)
        run = Run(peer.name, seconds, rss, self._stats(), planned_requests=plan)
        parse_peer_output(peer.name, folder / "stdout.jsonl", run)
        if timed_out:
            run.status = "timed out"
            run.detail = f"stopped after {seconds:.0f} s (--peer-timeout)"
        elif code != 0:
            run.status, run.detail = "failed", f"exit {code}; see {folder}/stderr.log"
        return run

    # Request plans: what each peer's code issues for this world (validated against measured runs).

    def _campaign_and_creative_counts(self) -> tuple[int, int]:
        """Campaigns (every status) and non-canceled creatives, as the peers list them."""
        campaigns = creatives = 0
        for account in self.accounts:
            campaigns += len(self._list(f"adAccounts/{account}/adCampaigns?q=search&pageSize=1000"))
            creatives += len(self._list(f"adAccounts/{account}/creatives?q=criteria&pageSize=100"))
        return campaigns, creatives

    def _list(self, path: str) -> list[dict[str, Any]]:
        elements: list[dict[str, Any]] = []
        token = ""
        while True:
            url = f"{self.sandbox.base_url}/rest/{path}" + (f"&pageToken={token}" if token else "")
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}",
                                                           "LinkedIn-Version": PEERS["singer"].linkedin_version})
            with urllib.request.urlopen(request, timeout=60) as response:
                body = json.loads(response.read())
            elements += body["elements"]
            token = body.get("metadata", {}).get("nextPageToken", "")
            if not token:
                return elements

    def _singer_plan(self, catalog: dict[str, Any]) -> int:
        """Singer: per campaign and analytics stream, 30-day windows from start − 7 days, 1 + ⌈fields/18⌉ each."""
        unavailable = {"campaign", "campaign_id", "start_at", "end_at", "creative", "creative_id", "pivot",
                       "pivot_value"}
        stream = next(s for s in catalog["streams"] if s["tap_stream_id"] == "ad_analytics_by_campaign")
        fields = [f for f in stream["schema"]["properties"] if f not in unavailable]
        windows = math.ceil((self.today - (self.start - dt.timedelta(days=7))).days / 30)
        campaigns, _ = self._campaign_and_creative_counts()
        return campaigns * 2 * windows * (1 + math.ceil(len(fields) / 18))

    def _airbyte_ads_plan(self) -> int:
        """Airbyte ads 5.4.1: per campaign and per creative, 30-day windows, 6 field chunks each."""
        windows = math.ceil(((self.today - self.start).days + 1) / 30)
        campaigns, creatives = self._campaign_and_creative_counts()
        return (campaigns + creatives) * windows * 6

    def close(self) -> None:
        """Stop the sandbox."""
        self.sandbox.close()


# ------------------------------------------------------------------------------------------- report


def agreement(reference: Run, other: Run, table: str, other_table: str, start: str, end: str) -> str:
    """Compare per-day sums over [start, end]: 'agree (N days)' or the differing days."""
    if other.status != "ok":
        return "not compared: the peer did not finish, so its rows cover only part of the range"
    ours, theirs = reference.daily.get(table), other.daily.get(other_table)
    if ours is None or theirs is None:
        return "—"
    days = sorted(d for d in set(ours) | set(theirs) if start <= d <= end)
    differing = []
    for day in days:
        a, b = ours.get(day, [0.0, 0.0]), theirs.get(day, [0.0, 0.0])
        if any(abs(x - y) > 0.011 for x, y in zip(a, b, strict=True)):
            differing.append(f"{day}: {a[0]:.0f}/{a[1]:.2f} vs {b[0]:.0f}/{b[1]:.2f}")
    totals = [sum(v[i] for d, v in theirs.items() if start <= d <= end) for i in (0, 1)]
    if not differing:
        return f"agree on all {len(days)} days (totals {totals[0]:,.0f} / {totals[1]:,.2f})"
    return f"{len(differing)} of {len(days)} days differ, e.g. " + "; ".join(differing[:3])


def report(bench: Bench, runs: list[Run]) -> str:
    """The Markdown report."""
    args, knobs = bench.args, bench.world_knobs
    accounts, creatives = knobs["accounts"], knobs["accounts"] * knobs["campaign_groups_per_account"] * \
        knobs["campaigns_per_group"] * knobs["creatives_per_campaign"]
    out = [f"World: seed {SEED}, scale {bench.scale}, {accounts} accounts "
           f"(+{knobs.get('hidden_accounts', 0)} hidden), "
           f"{accounts * knobs['campaign_groups_per_account'] * knobs['campaigns_per_group']:,} campaigns, "
           f"{creatives:,} creatives, {bench.days} days ({bench.start} … {bench.today}), organization "
           f"{bench.organization}; sandbox latency {args.latency_ms} ms per request.",
           f"Machine: {machine()}. Date: {bench.today}.", "",
           "| tool | status | API requests | adAnalytics requests | seconds | peak RSS MB | "
           + " | ".join(COMMON_TABLES) + " |",
           "|---|---|---:|---:|---:|---:|" + "---:|" * len(COMMON_TABLES)]
    for run in runs:
        cells = []
        for table in COMMON_TABLES:
            if table not in run.records:
                cells.append("—")
            elif run.distinct.get(table, run.records[table]) != run.records[table]:
                cells.append(f"{run.records[table]:,} ({run.distinct[table]:,} distinct)")
            else:
                cells.append(f"{run.records[table]:,}")
        status = run.status + (f": {run.detail}" if run.detail and run.status != "ok" else "")
        if run.planned_requests is not None and run.status != "ok":
            rate = run.total_requests / run.seconds if run.seconds else 0
            status += (f"; plan {run.planned_requests:,} requests, projected "
                       f"{run.planned_requests / rate / 3600:.1f} h at the observed {rate:.1f} req/s" if rate else "")
        out.append(f"| {run.tool} | {status} | {run.total_requests:,} | {run.analytics_requests:,} | "
                   f"{run.seconds:.1f} | {run.peak_rss_mb:.0f} | " + " | ".join(cells) + " |")
    out += ["", "Requests by endpoint:", ""]
    for run in runs:
        plan = f" (request plan for this world: {run.planned_requests:,})" if run.planned_requests else ""
        out.append(f"- **{run.tool}**{plan}: " + ", ".join(f"`{k}` {v:,}" for k, v in run.requests.items()))
    out += ["", "Agreement with lisync (per day, impressions / cost in local currency; pages: organic / paid "
            "follower gain), over the shared range:", ""]
    by_tool = {r.tool: r for r in runs}
    start, end = bench.start.isoformat(), bench.today.isoformat()
    ads, pages = by_tool.get("lisync (ads)"), by_tool.get("lisync (pages)")
    for run in runs:
        if ads and run.tool in ("singer", "airbyte-ads"):
            for table in ("creative analytics", "campaign analytics"):
                out.append(f"- {run.tool} {table} vs lisync ad_performance: "
                           f"{agreement(ads, run, 'creative analytics', table, start, end)}")
        if pages and run.tool == "airbyte-pages":
            out.append(f"- {run.tool} follower_statistics_time_bound vs lisync organization_pages: "
                       f"{agreement(pages, run, 'pages', 'pages', start, end)}")
    retired = [p.name + f" ({p.linkedin_version})" for p in PEERS.values()
               if not SandboxConfig().version_is_active(p.linkedin_version, bench.today)]
    out += ["", "Peers pinning a LinkedIn-Version that LinkedIn has retired on this date (they need "
            "`--accept-retired-versions`; LinkedIn itself answers 426 NONEXISTENT_VERSION): "
            + (", ".join(retired) or "none") + ".", "",
            f"Command: `python bench/peers/run.py{' --quick' if args.quick else ''} --latency-ms {args.latency_ms}"
            + (f" --peer-timeout {args.peer_timeout:g}" if args.peer_timeout else "") + "`"]
    return "\n".join(out)


def main() -> None:
    """Parse flags, install peers if needed, run every tool and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small world (3 accounts, 36 creatives, 120 days)")
    parser.add_argument("--latency-ms", type=int, default=150, help="sandbox latency per request")
    parser.add_argument("--tools", default="lisync,singer,airbyte-ads,airbyte-pages")
    parser.add_argument("--peer-timeout", type=float, default=None, help="stop a peer after this many seconds")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures here")
    args = parser.parse_args()
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    for name in tools:
        if name in PEERS:
            ensure_installed(PEERS[name])
    bench = Bench(args)
    runs: list[Run] = []
    try:
        for name in tools:
            if name == "lisync":
                runs.append(bench.run_lisync("lisync (ads)", LISYNC_ADS, []))
                runs.append(bench.run_lisync("lisync (pages)", ("organization_pages",),
                                             ["--organizations", str(bench.organization)]))
            elif name == "singer":
                runs.append(bench.run_singer())
            elif name in ("airbyte-ads", "airbyte-pages"):
                runs.append(bench.run_airbyte(name))
            else:
                raise SystemExit(f"unknown tool {name!r}: use lisync, singer, airbyte-ads or airbyte-pages")
            print(f"done: {runs[-1].tool} {runs[-1].status} {runs[-1].seconds:.1f} s", file=sys.stderr, flush=True)
    finally:
        bench.close()
    text = report(bench, runs)
    print(text)
    if args.json:
        args.json.write_text(json.dumps([vars(r) | {"daily": None} for r in runs], indent=1, default=str))


if __name__ == "__main__":
    main()
