"""End to end through the CLI: `lisync check` tells what creative_landing_pages' sponsored-content pages need.

Sponsored creatives' landing pages come from the dark posts they reference (a posts BATCH_GET), which needs
r_organization_social and a post-reading role on the advertised page. Without them the run leaves those rows out
with a note, so check reports the need as a note (table and ``--json``) and never blocks the pipeline on it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.auth_helpers import CLIENT_ID, CLIENT_SECRET, oauth_sandbox, private_cli_environment
from typer.testing import CliRunner

from lisync.cli import app
from lisync.sandbox.oauth.grants import TokenGrant
from lisync.sandbox.server import SandboxServer

cli = CliRunner()
TOKEN = "landing-token-everything"
NEED = ("creative_landing_pages: sponsored-content landing pages need r_organization_social and a post-reading "
        "role (ADMINISTRATOR or DIRECT_SPONSORED_CONTENT_POSTER or CONTENT_ADMINISTRATOR) on each advertised page")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with oauth_sandbox(tokens={TOKEN: TokenGrant()}) as server:
        yield server


@pytest.fixture(autouse=True)
def _private_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    private_cli_environment(tmp_path, monkeypatch)


def check_json(sandbox: SandboxServer, *args: str, token: str | None = TOKEN) -> tuple[int, dict[str, Any]]:
    token_args = ["--access-token", token] if token else []
    result = cli.invoke(app, ["check", "--json", *args, "--api-base-url", f"{sandbox.base_url}/rest", *token_args])
    assert result.stderr == "", result.stderr
    return result.exit_code, json.loads(result.stdout)


def landing_notes(document: dict[str, Any]) -> list[str]:
    return [note for note in document["notes"] if note.startswith("creative_landing_pages:")]


def test_pasted_token_gets_the_need_as_a_note_and_the_pipeline_stays_ready(sandbox: SandboxServer) -> None:
    code, document = check_json(sandbox, "creative_landing_pages")
    assert code == 0 and document["ok"] is True
    (entry,) = document["pipelines"]
    assert entry["status"] == "ok" and entry["problems"] == []
    (note,) = landing_notes(document)
    assert note.startswith(NEED) and "leaves the sponsored rows out" in note
    assert "could not be read" in note  # no introspection for a pasted token without the client secret
    _, others = check_json(sandbox, "creative_metadata")
    assert landing_notes(others) == []
    table = cli.invoke(app, ["check", "creative_landing_pages", "--api-base-url", f"{sandbox.base_url}/rest",
                             "--access-token", TOKEN])
    assert table.exit_code == 0, table.output
    assert "r_organization_social" in table.stdout and "post-reading" in table.stdout


def test_signed_in_token_without_the_scope_is_told_how_to_add_it(sandbox: SandboxServer) -> None:
    login = cli.invoke(app, ["auth", "login", "creative_landing_pages", "--client-id", CLIENT_ID, "--client-secret",
                             CLIENT_SECRET, "--port", "0", "--oauth-base-url", f"{sandbox.base_url}/oauth/v2"])
    assert login.exit_code == 0, login.output
    code, document = check_json(sandbox, "creative_landing_pages", token=None)
    assert document["token"]["scopes"] == ["r_ads"]
    assert code == 0 and by_status(document) == {"creative_landing_pages": "ok"}
    (note,) = landing_notes(document)
    assert note.startswith(NEED)
    assert "The token lacks r_organization_social: re-run `lisync auth login` — it requests scope " \
           "r_organization_social" in note


def by_status(document: dict[str, Any]) -> dict[str, str]:
    return {entry["name"]: entry["status"] for entry in document["pipelines"]}
