"""End to end through the CLI: `lisync check` for the lead pipelines reports whose organization leads the token reads.

The lead pipelines read ad accounts' leads and the leads of every page where the member holds an approved
ADMINISTRATOR or LEAD_GEN_FORMS_MANAGER role; check shows those pages (or why there are none and how to get the
role) in the table and in ``--json``, and blocks only on a page named in ``--organizations`` without such a role.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.auth_helpers import oauth_sandbox, private_cli_environment
from typer.testing import CliRunner

from lisync.cli import app
from lisync.linkedin.leads.fetch import LEAD_ORGANIZATION_ROLES
from lisync.sandbox.faults import FaultConfig
from lisync.sandbox.oauth.grants import ALL_SCOPES, TokenGrant
from lisync.sandbox.organic.organizations import ANALYST_ORG_ID, LEAD_GEN_MANAGER_ORG_ID
from lisync.sandbox.server import SandboxServer

cli = CliRunner()
LEADS = ("lead_forms", "lead_form_responses")
ORGANIZATION_SCOPES = {"r_organization_admin", "rw_organization_admin", "r_organization_social"}
TOKENS = {
    "leads-everything": TokenGrant(),
    "leads-without-pages": TokenGrant(scopes=ALL_SCOPES - ORGANIZATION_SCOPES),
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with oauth_sandbox(tokens=TOKENS) as server:
        yield server


@pytest.fixture(autouse=True)
def _private_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    private_cli_environment(tmp_path, monkeypatch, browser=False)


def run_check(sandbox: SandboxServer, *args: str, token: str = "leads-everything") -> tuple[int, str]:
    result = cli.invoke(app, ["check", *LEADS, *args, "--api-base-url", f"{sandbox.base_url}/rest",
                              "--access-token", token])
    return result.exit_code, result.stdout + result.stderr


def table_rows(output: str) -> dict[str, list[tuple[str, str]]]:
    """{pipeline: [(status, fix), ...]} from the table (continuation rows belong to the pipeline above)."""
    rows: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) == 3:
            current = cells[0] or current
            rows.setdefault(current, []).append((cells[1], cells[2]))
    return rows


def json_pipelines(sandbox: SandboxServer, *args: str, token: str = "leads-everything") -> tuple[int, dict[str, Any]]:
    code, output = run_check(sandbox, "--json", *args, token=token)
    document = json.loads(output)
    return code, document


def expected_lead_pages(sandbox: SandboxServer) -> list[dict[str, str]]:
    roles = sandbox.world.organic.member_roles(sandbox.world.default_grant.organization_ids)
    return [{"id": str(org.id), "role": role} for org, role, state in roles
            if role in LEAD_ORGANIZATION_ROLES and state == "APPROVED"]


def test_table_and_json_list_the_pages_whose_leads_are_read(sandbox: SandboxServer) -> None:
    code, output = run_check(sandbox)
    assert code == 0, output
    rows = table_rows(output)
    for pipeline in LEADS:
        assert rows[pipeline][0] == ("ready", "")
        ((status, fix),) = rows[pipeline][1:]
        assert status.startswith("reads organization leads: ") and fix == ""
        assert f"{LEAD_GEN_MANAGER_ORG_ID} (LEAD_GEN_FORMS_MANAGER)" in status and "100000 (ADMINISTRATOR)" in status
    code, document = json_pipelines(sandbox)
    assert code == 0 and document["ok"] is True
    for entry in document["pipelines"]:
        leads = entry["organization_leads"]
        assert leads["status"] == "ok" and leads["detail"] is None and leads["fix"] is None
        assert leads["organizations"] == expected_lead_pages(sandbox)
        assert {"id": str(LEAD_GEN_MANAGER_ORG_ID), "role": "LEAD_GEN_FORMS_MANAGER"} in leads["organizations"]
        assert str(ANALYST_ORG_ID) not in {o["id"] for o in leads["organizations"]}
    probes = {p["family"]: p["status"] for p in document["probes"]}
    assert probes == {"ads": "ok", "leads": "ok", "org_acls": "ok", "lead_orgs": "ok"}


def test_a_selected_page_without_a_lead_role_blocks_with_the_role_to_ask_for(sandbox: SandboxServer) -> None:
    wanted = f"{ANALYST_ORG_ID},{LEAD_GEN_MANAGER_ORG_ID}"
    code, output = run_check(sandbox, "--organizations", wanted)
    assert code == 1
    rows = table_rows(output)
    assert rows["lead_forms"][0] == (
        f"no lead role on organization {ANALYST_ORG_ID} (you are ANALYST (APPROVED))",
        f"ask a page super admin to grant you LEAD_GEN_FORMS_MANAGER (or ADMINISTRATOR) on organization "
        f"{ANALYST_ORG_ID}, or fix --organizations")
    assert rows["lead_forms"][1][0] == f"reads organization leads: {LEAD_GEN_MANAGER_ORG_ID} (LEAD_GEN_FORMS_MANAGER)"
    code, document = json_pipelines(sandbox, "--organizations", wanted)
    assert code == 1
    for entry in document["pipelines"]:
        assert entry["status"] == "blocked" and entry["missing_scopes"] == []
        assert entry["missing_roles"] == [{"role": "LEAD_GEN_FORMS_MANAGER", "target": "organization",
                                           "id": str(ANALYST_ORG_ID)}]
        assert entry["organization_leads"]["organizations"] == [
            {"id": str(LEAD_GEN_MANAGER_ORG_ID), "role": "LEAD_GEN_FORMS_MANAGER"}]
    assert run_check(sandbox, "--organizations", str(LEAD_GEN_MANAGER_ORG_ID))[0] == 0  # the manager role is enough


def test_a_token_that_cannot_list_page_roles_reads_accounts_only_and_is_told_how(sandbox: SandboxServer) -> None:
    code, output = run_check(sandbox, token="leads-without-pages")
    assert code == 0, output  # `lisync run` reads the ad accounts' leads: nothing is blocked
    ((status, fix),) = table_rows(output)["lead_forms"][1:]
    assert status == ("no organization leads: the token cannot list page roles (r_organization_admin); "
                      "ad accounts' leads only")
    assert fix == ("run `lisync auth login lead_forms lead_form_responses organization_pages`: it adds "
                   "rw_organization_admin")
    code, document = json_pipelines(sandbox, token="leads-without-pages")
    assert code == 0
    leads = document["pipelines"][0]["organization_leads"]
    assert leads["status"] == "unknown" and leads["organizations"] == []
    assert "rw_organization_admin" in leads["fix"]
    probes = {p["family"]: p["status"] for p in document["probes"]}
    assert probes["org_acls"] == "denied" and probes["lead_orgs"] == "skipped" and probes["leads"] == "ok"


def test_a_page_that_refuses_its_lead_forms_is_reported_not_blocking(sandbox: SandboxServer) -> None:
    sandbox.set_faults(FaultConfig(deny={"/leadForms*organization*": 403}))
    try:
        code, document = json_pipelines(sandbox)
    finally:
        sandbox.set_faults(FaultConfig())
    assert code == 0
    first = expected_lead_pages(sandbox)[0]
    leads = document["pipelines"][0]["organization_leads"]
    assert leads["status"] == "denied" and leads["organizations"] == expected_lead_pages(sandbox)
    assert f"organization {first['id']}'s lead forms answered 403 despite {first['role']}" in leads["detail"]
    assert "LEAD_GEN_FORMS_MANAGER" in leads["fix"]
    assert {p["family"]: p["status"] for p in document["probes"]}["lead_orgs"] == "denied"
