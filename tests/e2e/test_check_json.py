"""End to end through the CLI: `lisync check --json` prints one JSON verdict document, same exit codes, no secrets."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.auth_helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    TODAY,
    issued_secrets,
    oauth_sandbox,
    private_cli_environment,
)
from typer.testing import CliRunner

from lisync.cli import app
from lisync.sandbox.oauth.grants import ALL_SCOPES, TokenGrant
from lisync.sandbox.organic.organizations import ANALYST_ORG_ID
from lisync.sandbox.server import SandboxServer

cli = CliRunner()
TOKENS = {
    "json-token-everything": TokenGrant(),
    "json-token-without-reporting": TokenGrant(scopes=ALL_SCOPES - {"r_ads_reporting"}),
}
ALL_PIPELINES = ["ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata",
                 "conversion_details", "creative_landing_pages", "ad_performance", "conversion_performance",
                 "organization_pages",
                 "organization_posts", "organization_followers", "organization_video_statistics", "ad_account_users",
                 "account_performance", "campaign_group_performance", "campaign_performance", "ad_demographics"]
REPORTING_FIX = ("re-run `lisync auth login` — it requests scope r_ads_reporting (your LinkedIn app needs the "
                 "Advertising API product for it)")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with oauth_sandbox(tokens=TOKENS) as server:
        yield server


@pytest.fixture(autouse=True)
def _private_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    private_cli_environment(tmp_path, monkeypatch)


def check_json(sandbox: SandboxServer, *args: str, token: str | None) -> tuple[int, dict[str, Any], str]:
    """Run `lisync check --json`; return the exit code, the parsed document and the raw stdout."""
    token_args = ["--access-token", token] if token else []
    result = cli.invoke(app, ["check", "--json", *args, "--api-base-url", f"{sandbox.base_url}/rest",
                              *token_args])
    assert result.stderr == "", result.stderr
    return result.exit_code, json.loads(result.stdout), result.stdout


def by_name(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in document["pipelines"]}


def test_every_pipeline_ok_exits_0_with_ok_statuses(sandbox: SandboxServer) -> None:
    code, document, raw = check_json(sandbox, token="json-token-everything")
    assert code == 0, raw
    assert document["ok"] is True
    assert sorted(p["name"] for p in document["pipelines"]) == sorted(ALL_PIPELINES)
    for entry in document["pipelines"]:
        assert entry == {"name": entry["name"], "status": "ok", "missing_scopes": [], "missing_roles": [],
                         "problems": []}
    assert document["member"].startswith("urn:li:person:")
    assert document["token"] is None  # a pasted token and no client secret: probes only, and a note says so
    assert any("introspection skipped" in note for note in document["notes"])
    assert {p["family"]: p["status"] for p in document["probes"]} == {
        "ads": "ok", "reporting": "ok", "org_acls": "ok", "page_statistics": "ok", "posts": "ok"}
    assert "│" not in raw and "json-token-everything" not in raw  # no table, and never the token


def test_missing_scope_exits_1_and_names_the_scope_and_the_fix(sandbox: SandboxServer) -> None:
    code, document, raw = check_json(sandbox, "ad_accounts", "ad_performance", "conversion_performance",
                                     token="json-token-without-reporting")
    assert code == 1, raw
    assert document["ok"] is False
    pipelines = by_name(document)
    assert pipelines["ad_accounts"]["status"] == "ok"
    for name in ("ad_performance", "conversion_performance"):
        entry = pipelines[name]
        assert entry["status"] == "blocked"
        assert entry["missing_scopes"] == ["r_ads_reporting"]
        assert entry["missing_roles"] == []
        assert entry["problems"] == [{"kind": "scope", "what": "missing scope r_ads_reporting",
                                      "fix": REPORTING_FIX, "any_of": ["r_ads_reporting"]}]
    assert {p["family"]: p["status"] for p in document["probes"]}["reporting"] == "denied"
    assert "json-token-without-reporting" not in raw


def test_missing_page_role_is_listed_with_the_organization(sandbox: SandboxServer) -> None:
    code, document, _ = check_json(sandbox, "organization_pages", "--organizations", str(ANALYST_ORG_ID),
                                   token="json-token-everything")
    assert code == 1
    (entry,) = document["pipelines"]
    assert entry["missing_scopes"] == []
    assert entry["missing_roles"] == [{"role": "ADMINISTRATOR", "target": "organization", "id": str(ANALYST_ORG_ID)}]
    (problem,) = entry["problems"]
    assert problem["kind"] == "role" and "you are ANALYST (APPROVED)" in problem["what"]
    assert f"grant you ADMINISTRATOR on organization {ANALYST_ORG_ID}" in problem["fix"]


def test_signed_in_token_shows_expiry_and_scopes_but_no_secret(sandbox: SandboxServer) -> None:
    login = cli.invoke(app, ["auth", "login", "ad_accounts", "--client-id", CLIENT_ID, "--client-secret",
                             CLIENT_SECRET, "--port", "0", "--oauth-base-url", f"{sandbox.base_url}/oauth/v2"])
    assert login.exit_code == 0, login.output
    code, document, raw = check_json(sandbox, "ad_accounts", "ad_performance", token=None)
    assert code == 1
    token = document["token"]
    assert token["active"] is True and token["scopes"] == ["r_ads"]
    expires = TODAY + dt.timedelta(days=60)  # introspection answers on the sandbox's clock
    assert token["expires_at"].startswith(f"{expires:%Y-%m-%d}T") and isinstance(token["expires_in_days"], float)
    assert document["member"].startswith("urn:li:person:")
    assert by_name(document)["ad_accounts"]["status"] == "ok"
    assert by_name(document)["ad_performance"]["missing_scopes"] == ["r_ads_reporting"]
    secrets = issued_secrets(sandbox) | {CLIENT_SECRET}
    assert secrets, "the sandbox issued no token to look for"
    for secret in secrets:
        assert secret not in raw


def test_usage_error_prints_no_json(sandbox: SandboxServer) -> None:
    result = cli.invoke(app, ["check", "--json", "--api-base-url", f"{sandbox.base_url}/rest"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "lisync auth login" in result.stderr and "Traceback" not in result.stderr
