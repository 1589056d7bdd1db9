"""Airbyte's source-linkedin-ads, unmodified, reads its demographic and device streams from the sandbox (issue #14).

Uses the peer benchmark's virtualenv (``bench/.peers/airbyte-ads``, installed by ``python bench/peers/run.py``)
and its launcher (LinkedIn URLs go to the loopback sandbox, every other host is refused); the virtualenv is made on
first use (``tests/peer_support.py``), so the test is marked ``peers``. One account and ten days keep it near a
minute and a half: Airbyte asks per campaign.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tests.peer_support import require_peer

from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "bench" / "peers" / "launcher"
TODAY = dt.date(2026, 11, 15)
STREAMS = ("ad_member_company_analytics", "ad_member_company_size_analytics", "ad_member_country_analytics",
           "ad_member_industry_analytics", "ad_member_job_function_analytics", "ad_member_job_title_analytics",
           "ad_member_region_analytics", "ad_member_seniority_analytics", "ad_impression_device_analytics")

pytestmark = [pytest.mark.slow, pytest.mark.peers]


def _catalog(discover_stdout: str) -> dict[str, Any]:
    for line in discover_stdout.splitlines():
        message = json.loads(line) if line.startswith("{") else {}
        if message.get("type") == "CATALOG":
            return {"streams": [{"stream": s, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}
                                for s in message["catalog"]["streams"] if s["name"] in STREAMS]}
    raise AssertionError(f"no CATALOG from discover: {discover_stdout[-500:]}")


def test_airbyte_member_and_device_streams_return_records(tmp_path: Path) -> None:
    source = require_peer("airbyte-ads")
    config = SandboxConfig(port=0, seed=7, scale="small", today=TODAY, accept_retired_versions=True)
    with SandboxServer(config) as sandbox:
        account = sandbox.world.accounts[0]["id"]
        (tmp_path / "config.json").write_text(json.dumps({
            "credentials": {"auth_method": "access_token", "access_token": "airbyte-token"},
            "account_ids": [account], "start_date": (TODAY - dt.timedelta(days=10)).isoformat(),
            "lookback_window": 0}))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        env.update(PYTHONPATH=str(LAUNCHER), LISYNC_PEER_SANDBOX=sandbox.base_url, PYTHONUNBUFFERED="1")
        discovered = subprocess.run([str(source), "discover", "--config", "config.json"], env=env, cwd=tmp_path,
                                    capture_output=True, text=True, timeout=300, check=True)
        (tmp_path / "catalog.json").write_text(json.dumps(_catalog(discovered.stdout)))
        with (tmp_path / "out.jsonl").open("w") as out, (tmp_path / "err.log").open("w") as err:
            code = subprocess.run([str(source), "read", "--config", "config.json", "--catalog", "catalog.json"],
                                  env=env, cwd=tmp_path, stdout=out, stderr=err, timeout=900).returncode
    records: collections.Counter[str] = collections.Counter()
    errors = []
    for line in (tmp_path / "out.jsonl").read_text().splitlines():
        message = json.loads(line) if line.startswith("{") else {}
        if message.get("type") == "RECORD":
            records[message["record"]["stream"]] += 1
        elif message.get("type") == "TRACE" and message["trace"].get("type") == "ERROR":
            errors.append(message["trace"]["error"].get("message"))
    assert code == 0 and not errors, (code, errors)
    assert set(records) == set(STREAMS), dict(records)
    assert all(count > 0 for count in records.values()), dict(records)
