"""Airbyte's source-linkedin-pages against the sandbox: every stream completes, and its lifetime follower
counts and total follower count agree with lisync's ``organization_followers``.

The peer runs unmodified from its own virtualenv (``bench/.peers/airbyte-pages``, made by
``python bench/peers/run.py --tools airbyte-pages``), redirected to the loopback sandbox by the benchmark's
launcher; the virtualenv is made on first use (``tests/peer_support.py``), so the test is marked ``peers``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.conftest import Runner
from tests.peer_support import require_peer

from lisync.linkedin.pages.followers import FACETS
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

ROOT = Path(__file__).resolve().parents[2]
PEER = ROOT / "bench" / ".peers" / "airbyte-pages" / "bin" / "source-linkedin-pages"
LAUNCHER = ROOT / "bench" / "peers" / "launcher"
TODAY = dt.datetime.now(dt.UTC).date()  # Airbyte computes its windows from the real clock
pytestmark = [pytest.mark.slow, pytest.mark.peers]


@pytest.fixture(scope="module")
def peer_sandbox() -> Iterator[SandboxServer]:
    require_peer("airbyte-pages")
    with SandboxServer(SandboxConfig(port=0, seed=7, scale="small", today=TODAY,
                                     accept_retired_versions=True)) as server:
        yield server


def airbyte(sandbox: SandboxServer, workdir: Path, *args: str) -> list[dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(PYTHONPATH=str(LAUNCHER), LISYNC_PEER_SANDBOX=sandbox.base_url, PYTHONUNBUFFERED="1")
    done = subprocess.run([str(PEER), *args], env=env, cwd=workdir, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def test_airbyte_completes_every_stream_and_agrees_on_followers(peer_sandbox: SandboxServer,
                                                               tmp_path: Path) -> None:
    org = next(o for o in peer_sandbox.world.organic.organizations if o.primary_type != "BRAND")
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"credentials": {"auth_method": "access_token", "access_token": "peer-token"},
                                  "org_id": str(org.id),
                                  "start_date": f"{TODAY - dt.timedelta(days=60)}T00:00:00Z"}))
    catalog_message = next(m for m in airbyte(peer_sandbox, tmp_path, "discover", "--config", str(config))
                           if m.get("type") == "CATALOG")
    streams = [{"stream": s, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}
               for s in catalog_message["catalog"]["streams"]]
    (tmp_path / "catalog.json").write_text(json.dumps({"streams": streams}))
    messages = airbyte(peer_sandbox, tmp_path, "read", "--config", str(config), "--catalog",
                       str(tmp_path / "catalog.json"))
    errors = [m for m in messages if m.get("type") == "TRACE" and m["trace"].get("type") == "ERROR"]
    assert not errors, errors
    records: dict[str, list[dict[str, Any]]] = {}
    for message in messages:
        if message.get("type") == "RECORD":
            records.setdefault(message["record"]["stream"], []).append(message["record"]["data"])
    assert set(records) == {s["stream"]["name"] for s in streams}, "every stream emits records"

    runner = Runner(peer_sandbox, tmp_path)
    summary = runner.run("organization_followers", organization_ids=[str(org.id)], today=TODAY)
    assert summary.status == "ok", summary.error
    ours = {(facet, value): count for facet, value, count in runner.query(
        "select facet, facet_value, organic_follower_count from {ds}.organization_followers")}
    total = runner.scalar("select follower_count from {ds}.organization_followers where facet = 'total'")

    (theirs_total,) = records["total_follower_count"]
    assert float(theirs_total["firstDegreeSize"]) == total
    (lifetime,) = records["follower_statistics"]
    compared = 0
    for array, facet, key in FACETS:
        for item in lifetime.get(array) or []:
            assert ours[(facet, str(item[key]))] == item["followerCounts"]["organicFollowerCount"]
            compared += 1
    assert compared == len(ours) - 1 > 0
