"""Soak: every pipeline against a sandbox that fails 20% of requests (every fault kind) with latency.

The run must end with tables identical, row for row, to a fault-free run of the same world: retries hide
throttling, server errors, dropped and stalled connections, truncated bodies and a token expiring mid-run.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import duckdb
import pytest
from tests.e2e.conftest import TODAY
from tests.support import snapshot

from lisync.config.settings import RunSettings
from lisync.linkedin.http.retry import RetryPolicy
from lisync.run.families import available_pipelines
from lisync.run.pipeline import run
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.faults import FAULT_KINDS, FaultConfig
from lisync.sandbox.server import SandboxServer
from lisync.spec.loader import load_spec

pytestmark = pytest.mark.slow

SOAK_LATENCY_MS = {"adAnalytics*": 15, "*": 5}
# Three fault seeds: one run of the medium world sees ~100 requests, so together they meet every fault kind.
SOAK_SEEDS = (11, 12, 13)
# Fast waits so the soak takes seconds per fault, not LinkedIn-sized minutes; same policy otherwise. The read
# timeout stays well above the slowest fault-free answer (a ~3 MB analytics page) on a busy 2-core machine, and
# below the stall, so a stall is always ended by the client's timeout.
SOAK_POLICY = RetryPolicy(backoff_base_s=0.05, backoff_max_s=0.5, data_volume_wait_s=0.3, read_timeout_s=4.0,
                          max_attempts=8)


class RenewingProvider:
    """Renews the token whenever LinkedIn says it expired (as a refresh-token sign-in does)."""

    def __init__(self) -> None:
        self.renewals = 0

    def access_token(self) -> str:
        return f"soak-token-{self.renewals}"

    def handle_unauthorized(self, error_code: str | None) -> bool:
        if error_code != "EXPIRED_ACCESS_TOKEN":
            return False
        self.renewals += 1
        return True


def run_all(sandbox: SandboxServer, workdir: Path, provider: RenewingProvider) -> tuple[dict[str, list], dict]:
    pipelines = available_pipelines()
    workdir.mkdir(parents=True, exist_ok=True)
    settings = RunSettings(pipelines=pipelines, api_base_url=f"{sandbox.base_url}/rest",
                           duckdb_path=str(workdir / "soak.duckdb"), pipeline_name="soak",
                           pipelines_dir=str(workdir / "dlt"), today=TODAY, retry_policy=SOAK_POLICY,
                           start_date=TODAY.replace(year=TODAY.year - 1))
    summary = run(settings, token_provider=provider)
    assert summary.status == "ok", summary.error
    tables = [t.name for p in pipelines for t in load_spec()[p].tables]
    with contextlib.closing(duckdb.connect(str(workdir / "soak.duckdb"), read_only=True)) as conn:
        return {t: snapshot(conn, "linkedin", t) for t in tables}, summary.requests


def assert_every_fault_retried(retry_reasons: dict[str, int], injected: dict[str, int]) -> None:
    """Each injected transient fault cost exactly one retry; only a timeout may come on top.

    On an idle machine the counts match exactly. On a loaded one, a slow answer can also time out, and a fault
    the sandbox injects into an answer the client already gave up on shows up as that timeout.
    """
    transient = sum(v for k, v in injected.items() if k != "401-expired")
    timeouts = retry_reasons.get("timeout", 0)
    others = sum(v for k, v in retry_reasons.items() if k != "timeout")
    assert others + timeouts >= transient, (retry_reasons, injected)
    assert others <= transient - injected.get("stall", 0), (retry_reasons, injected)
    if timeouts == injected.get("stall", 0):
        assert others + timeouts == transient, (retry_reasons, injected)


def test_soak_at_20_percent_faults_matches_a_fault_free_run(tmp_path: Path) -> None:
    with SandboxServer(SandboxConfig(seed=7, scale="medium", today=TODAY)) as sandbox:
        clean, clean_requests = run_all(sandbox, tmp_path / "clean", RenewingProvider())
        # A loaded machine can be slow enough to time out a multi-megabyte analytics answer; that is the only
        # retry a fault-free sandbox may cause.
        assert set(clean_requests["retry_reasons"]) <= {"timeout"}, clean_requests["retry_reasons"]
        for table, rows in clean.items():
            assert rows, f"{table} is empty: the comparison would prove nothing"
        met: set[str] = set()
        for seed in SOAK_SEEDS:
            sandbox.set_faults(FaultConfig(rate=0.2, mix=dict.fromkeys(FAULT_KINDS, 1.0), seed=seed, stall_s=6.0,
                                           latency_ms=SOAK_LATENCY_MS))
            provider = RenewingProvider()
            faulty, faulty_requests = run_all(sandbox, tmp_path / f"faulty-{seed}", provider)
            injected = sandbox.app.state.sandbox.faults.snapshot()["injected"]
            met.update(injected)
            assert_every_fault_retried(faulty_requests["retry_reasons"], injected)
            assert provider.renewals == injected.get("401-expired", 0)
            assert faulty_requests["total"] == clean_requests["total"]
            for table, rows in clean.items():
                assert faulty[table] == rows, f"{table} differs at fault seed {seed}"
    assert met == set(FAULT_KINDS)
