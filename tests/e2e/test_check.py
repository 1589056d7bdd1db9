"""End to end through the CLI: `lisync check` finds missing scopes and roles, names the fix, sets the exit code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.e2e.auth_helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    TODAY,
    oauth_sandbox,
    private_cli_environment,
)
from typer.testing import CliRunner

from lisync.cli import app
from lisync.sandbox.oauth.grants import ALL_SCOPES, TokenGrant
from lisync.sandbox.organic.organizations import ANALYST_ORG_ID, REQUESTED_ORG_ID, UNRELATED_ORG_IDS
from lisync.sandbox.server import SandboxServer

cli = CliRunner()
TOKENS = {
    "token-everything": TokenGrant(),
    "token-without-reporting": TokenGrant(scopes=ALL_SCOPES - {"r_ads_reporting"}),
    "token-without-social": TokenGrant(scopes=ALL_SCOPES - {"r_organization_social"}),
    "token-ads-only": TokenGrant(scopes=frozenset({"r_ads", "r_ads_reporting"})),
    "token-no-pages": TokenGrant(organization_ids=frozenset()),
    "token-read-only-admin": TokenGrant(scopes=ALL_SCOPES - {"rw_organization_admin"}),
}
ADS = ["ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata", "conversion_details",
       "creative_landing_pages"]
REPORTING = ["ad_performance", "conversion_performance", "account_performance", "campaign_group_performance",
             "campaign_performance", "ad_demographics"]
PAGES = ["organization_pages", "organization_posts"]
ORGANIC = ("organization_followers", "organization_video_statistics", "ad_account_users")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with oauth_sandbox(tokens=TOKENS) as server:
        yield server


@pytest.fixture(autouse=True)
def _private_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    private_cli_environment(tmp_path, monkeypatch)


def check(sandbox: SandboxServer, *args: str, token: str | None = "token-everything") -> tuple[int, dict, str]:
    """Run `lisync check`; return the exit code, {pipeline: [(status, fix), ...]} and the whole output."""
    token_args = ["--access-token", token] if token else []
    result = cli.invoke(app, ["check", *args, "--api-base-url", f"{sandbox.base_url}/rest", *token_args])
    rows: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for line in result.stdout.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) != 3:
            continue
        current = cells[0] or current
        rows.setdefault(current, []).append((cells[1], cells[2]))
    return result.exit_code, rows, result.stdout + result.stderr


def test_a_token_with_every_scope_and_role_is_ready(sandbox: SandboxServer) -> None:
    code, rows, output = check(sandbox)
    assert code == 0, output
    assert set(rows) == {*ADS, *REPORTING, *PAGES, *ORGANIC}
    assert all(row == [("ready", "")] for row in rows.values()), output
    assert "Member: urn:li:person:" in output
    assert "introspection skipped" in output  # a pasted token and no client secret: probes only


def test_missing_reporting_scope_blocks_only_the_analytics_pipelines(sandbox: SandboxServer) -> None:
    code, rows, output = check(sandbox, token="token-without-reporting")
    assert code == 1
    for pipeline in REPORTING:
        assert rows[pipeline] == [("missing scope r_ads_reporting", "re-run `lisync auth login` — it requests "
                                   "scope r_ads_reporting (your LinkedIn app needs the Advertising API product "
                                   "for it)")], output
    assert all(rows[p] == [("ready", "")] for p in ADS + PAGES)


def test_missing_social_scope_blocks_posts_only(sandbox: SandboxServer) -> None:
    code, rows, _ = check(sandbox, "organization_pages", "organization_posts", token="token-without-social")
    assert code == 1
    assert rows["organization_pages"] == [("ready", "")]
    ((status, fix),) = rows["organization_posts"]
    assert status == "missing scope r_organization_social"
    assert "lisync auth login" in fix and "r_organization_social" in fix and "Community Management" in fix


def test_no_organization_scope_at_all_blocks_both_page_pipelines(sandbox: SandboxServer) -> None:
    code, rows, _ = check(sandbox, *PAGES, "ad_accounts", token="token-ads-only")
    assert code == 1
    assert rows["ad_accounts"] == [("ready", "")]
    assert [s for s, _ in rows["organization_pages"]] == ["missing scope rw_organization_admin"]
    statuses = [s for s, _ in rows["organization_posts"]]
    assert "missing scope r_organization_social" in statuses
    assert "missing scope rw_organization_admin" in statuses


def test_read_only_organization_admin_cannot_read_page_statistics(sandbox: SandboxServer) -> None:
    """LinkedIn's statistics pages list rw_organization_admin only; r_organization_admin lists the pages."""
    code, rows, _ = check(sandbox, *PAGES, "organization_followers", token="token-read-only-admin")
    assert code == 1
    assert [s for s, _ in rows["organization_pages"]] == ["missing scope rw_organization_admin"]
    assert [s for s, _ in rows["organization_followers"]] == ["missing scope rw_organization_admin"]


def test_missing_administrator_role_names_the_page_and_the_fix(sandbox: SandboxServer) -> None:
    wanted = f"{ANALYST_ORG_ID},{REQUESTED_ORG_ID},{UNRELATED_ORG_IDS[0]}"
    code, rows, output = check(sandbox, "organization_pages", "--organizations", wanted)
    assert code == 1
    assert rows["organization_pages"] == [
        (f"not ADMINISTRATOR on organization {ANALYST_ORG_ID} (you are ANALYST (APPROVED))",
         f"ask a page super admin to grant you ADMINISTRATOR on organization {ANALYST_ORG_ID}, or fix "
         "--organizations"),
        (f"not ADMINISTRATOR on organization {REQUESTED_ORG_ID} (you are ADMINISTRATOR (REQUESTED))",
         f"ask a page super admin to grant you ADMINISTRATOR on organization {REQUESTED_ORG_ID}, or fix "
         "--organizations"),
        (f"no role on organization {UNRELATED_ORG_IDS[0]}",
         f"ask a page super admin to grant you ADMINISTRATOR on organization {UNRELATED_ORG_IDS[0]}, or fix "
         "--organizations"),
    ], output


def test_member_who_administers_no_page(sandbox: SandboxServer) -> None:
    code, rows, _ = check(sandbox, "organization_pages", "ad_accounts", token="token-no-pages")
    assert code == 1
    ((status, fix),) = rows["organization_pages"]
    assert status == "administers no organization page" and "ADMINISTRATOR" in fix
    assert rows["ad_accounts"] == [("ready", "")]


def test_ad_account_without_a_role(sandbox: SandboxServer) -> None:
    hidden = str(sandbox.world.hidden_account_ids[0])
    visible = str(sandbox.world.visible_account_ids[0])
    code, rows, _ = check(sandbox, "ad_accounts", "ad_performance", "--accounts", f"{visible},{hidden}")
    assert code == 1
    for pipeline in ("ad_accounts", "ad_performance"):
        ((status, fix),) = rows[pipeline]
        assert status == f"no role on ad account {hidden}"
        assert "VIEWER" in fix and hidden in fix
    assert check(sandbox, "ad_accounts", "--accounts", visible)[0] == 0


def test_rejected_token_blocks_everything(sandbox: SandboxServer) -> None:
    code, rows, _ = check(sandbox, "ad_accounts", "organization_pages", token="not-a-sandbox-token")
    assert code == 1
    for pipeline in ("ad_accounts", "organization_pages"):
        ((status, fix),) = rows[pipeline]
        assert "token rejected" in status and "lisync auth login" in fix


def test_introspection_reports_scopes_of_a_signed_in_token(sandbox: SandboxServer) -> None:
    login = cli.invoke(app, ["auth", "login", "ad_accounts", "--client-id", CLIENT_ID, "--client-secret",
                             CLIENT_SECRET, "--port", "0", "--oauth-base-url", f"{sandbox.base_url}/oauth/v2"])
    assert login.exit_code == 0, login.output
    code, rows, output = check(sandbox, "ad_accounts", "ad_performance", token=None)
    assert code == 1
    expires = TODAY + dt.timedelta(days=60)  # introspection answers on the sandbox's clock
    assert f"Token: active, expires {expires:%Y-%m-%d} (in " in output and "; scopes: r_ads." in output
    assert "introspection skipped" not in output
    assert rows["ad_accounts"] == [("ready", "")]
    assert [s for s, _ in rows["ad_performance"]] == ["missing scope r_ads_reporting"]


def test_check_without_credentials_is_a_usage_error(sandbox: SandboxServer) -> None:
    result = cli.invoke(app, ["check", "--api-base-url", f"{sandbox.base_url}/rest"])
    assert result.exit_code == 2
    assert "lisync auth login" in result.stderr and "Traceback" not in result.stderr
