"""An orchestrated shard renews an expired access token with the refresh token from dlt secrets.

The sandbox's OAuth server issues real tokens (strict mode: only those work). The worker's secrets hold an
access token that has expired on the sandbox clock plus the refresh token and the app's credentials, as a
scheduled Airflow or Dagster worker would have them after 60 days; no credential store exists. The shard
must refresh once and load, instead of failing with 401 EXPIRED_ACCESS_TOKEN.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from tests.e2e.auth_helpers import (
    AMBIENT_SETTINGS,
    CLIENT_ID,
    CLIENT_SECRET,
    HOUR,
    approve_in_browser,
    oauth_sandbox,
    token_requests,
)

from lisync.config.resolve import build_settings
from lisync.config.settings import RunSettings
from lisync.linkedin.ads.accounts import discover_accounts
from lisync.linkedin.auth.login import login
from lisync.linkedin.http.bearer import StaticTokenProvider
from lisync.linkedin.http.client import LinkedInClient
from lisync.orchestrate import run_shard
from lisync.run.shards import Shard, ShardPlan
from lisync.sandbox.server import SandboxServer

PIPELINES = ["ad_accounts", "campaign_metadata"]


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[SandboxServer]:
    for name in AMBIENT_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LISYNC_CREDENTIALS_PATH", str(tmp_path / "no-store" / "credentials.json"))
    monkeypatch.setattr(webbrowser, "open", approve_in_browser)
    with oauth_sandbox(oauth_access_token_ttl_seconds=6 * HOUR) as server:
        yield server


def test_expired_access_token_and_refresh_token_in_secrets_run_a_shard(
        sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    oauth = f"{sandbox.base_url}/oauth/v2"
    signed_in = login(CLIENT_ID, CLIENT_SECRET, ["r_ads"], auth_base_url=oauth, port=0, store=None)
    assert signed_in.refresh_token
    client = LinkedInClient(StaticTokenProvider(signed_in.access_token), base_url=f"{sandbox.base_url}/rest")
    plan = ShardPlan([Shard("shard_01", accounts=[str(a["id"]) for a in discover_accounts(client)])])
    sandbox.world.clock.advance(1)  # the 6-hour access token has expired on the sandbox clock
    exchanges = token_requests(sandbox)

    # The worker's secrets: the expired access token, the refresh token and the app's credentials.
    monkeypatch.setenv("SOURCES__LINKEDIN__ACCESS_TOKEN", signed_in.access_token)
    monkeypatch.setenv("SOURCES__LINKEDIN__REFRESH_TOKEN", signed_in.refresh_token)
    monkeypatch.setenv("SOURCES__LINKEDIN__CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SOURCES__LINKEDIN__CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("SOURCES__LINKEDIN__OAUTH_BASE_URL", oauth)
    db = tmp_path / "lisync.duckdb"

    def settings() -> RunSettings:  # resolved on the worker, as the orchestrator modules do
        return build_settings(PIPELINES, api_base_url=f"{sandbox.base_url}/rest", duckdb=str(db),
                              pipelines_dir=str(tmp_path / "dlt"))

    assert settings().access_token == signed_in.access_token
    summary = run_shard(plan, plan.shards[0].name, settings)

    assert summary["status"] == "ok"
    assert token_requests(sandbox) == exchanges + 1  # one refresh, then every request went through
    with duckdb.connect(str(db)) as conn:
        accounts = conn.execute("select count(*) from linkedin.ad_accounts").fetchone()
    assert accounts is not None and accounts[0] == len(plan.shards[0].accounts) > 0
