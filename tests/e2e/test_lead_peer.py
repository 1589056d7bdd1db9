"""Peer check: Airbyte source-linkedin-ads 5.4.1, unmodified, reads the sandbox whole; its lead ids match lisync's.

The peer is installed from PyPI into ``bench/.peers/airbyte-ads`` on first use (as ``bench/peers/run.py`` does;
minutes), so the test is marked ``slow``. It runs every stream Airbyte discovers (lead, analytics, demographic),
asserts the read ends with every stream COMPLETE, then lands lisync's lead pipelines from the same sandbox
and compares the ad accounts' form ids and response ids (Airbyte reads no organization-owned forms).
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.conftest import TODAY, Runner
from tests.peer_support import peers, require_peer

from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

pytestmark = [pytest.mark.slow, pytest.mark.peers]


def airbyte_messages(stdout: str) -> list[dict[str, Any]]:
    out = []
    for line in stdout.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


def test_airbyte_reads_everything_and_lead_ids_match_lisync(tmp_path: Path) -> None:
    source = str(require_peer("airbyte-ads"))
    config = SandboxConfig(port=0, seed=7, scale="small", today=TODAY, accept_retired_versions=True)
    with SandboxServer(config) as server:
        world = server.world
        accounts = world.account_ids_for(world.default_grant)
        values = {"access_token": peers.TOKEN, "account_ids": accounts,
                  "start_date": (TODAY - dt.timedelta(days=30)).isoformat()}
        config_path = peers.fill_template("airbyte_ads_config.json", values, tmp_path / "config.json")
        env = peers.peer_env(server)  # needs only .base_url
        discovered = subprocess.run([source, "discover", "--config", str(config_path)], env=env, cwd=tmp_path,
                                    capture_output=True, text=True, check=True, timeout=600)
        catalog = peers.configured_airbyte_catalog(discovered.stdout.splitlines(), None)
        streams = {s["stream"]["name"] for s in catalog["streams"]}
        assert {"lead_forms", "lead_form_responses"} <= streams
        (tmp_path / "catalog.json").write_text(json.dumps(catalog))
        read = subprocess.run([source, "read", "--config", str(config_path), "--catalog",
                               str(tmp_path / "catalog.json")], env=env, cwd=tmp_path, capture_output=True,
                              text=True, timeout=1800)
        (tmp_path / "stderr.log").write_text(read.stderr)
        messages = airbyte_messages(read.stdout)
        errors = [m["trace"]["error"].get("message") for m in messages
                  if m.get("type") == "TRACE" and m["trace"].get("type") == "ERROR"]
        status = {m["trace"]["stream_status"]["stream_descriptor"]["name"]: m["trace"]["stream_status"]["status"]
                  for m in messages if m.get("type") == "TRACE" and m["trace"].get("type") == "STREAM_STATUS"}
        assert read.returncode == 0 and not errors, errors or read.stderr[-2000:]
        assert {s: status.get(s) for s in streams if status.get(s) != "COMPLETE"} == {}
        records: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
        for m in messages:
            if m.get("type") == "RECORD":
                records[m["record"]["stream"]].append(m["record"]["data"])
        airbyte_forms = {str(r["id"]) for r in records["lead_forms"]}
        airbyte_responses = {str(r["id"]) for r in records["lead_form_responses"]}
        assert airbyte_forms and airbyte_responses

        (tmp_path / "lisync").mkdir()
        runner = Runner(server, tmp_path / "lisync")
        summary = runner.run("lead_forms", "lead_form_responses", account_ids=[str(a) for a in accounts])
        assert summary.status == "ok", summary.error
        # Airbyte reads ad accounts' forms only (owner=sponsoredAccount); lisync also reads organizations' forms.
        by_account = "where account_id is not null"
        assert {r[0] for r in runner.query(f'select id from "{{ds}}".lead_forms {by_account}')} == airbyte_forms
        assert {r[0] for r in runner.query(f'select id from "{{ds}}".lead_form_responses {by_account}')} == \
            airbyte_responses
        assert runner.scalar('select count(*) from "{ds}".lead_forms where organization_urn is not null') > 0
