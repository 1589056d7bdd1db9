"""End to end: the lead pipelines against the sandbox into DuckDB and Postgres, personal data, missing scope."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.e2e.auth_helpers import AMBIENT_SETTINGS
from tests.e2e.conftest import TODAY, Runner
from typer.testing import CliRunner

from lisync.cli import app
from lisync.config.personal_data import PersonalDataPolicy
from lisync.errors import SelectionError
from lisync.linkedin.leads.fetch import LEAD_ORGANIZATION_ROLES, ORGANIC_LEAD_TYPES
from lisync.run.shards import discover_and_plan
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.faults import FaultConfig
from lisync.sandbox.leads import LEAD_EMAIL_DOMAIN
from lisync.sandbox.oauth.grants import ALL_SCOPES, TokenGrant
from lisync.sandbox.organic.organizations import LEAD_GEN_MANAGER_ORG_ID
from lisync.sandbox.server import SandboxServer
from lisync.spec.loader import load_spec

LEADS = ("lead_forms", "lead_form_responses")
TABLES = [t.name for p in LEADS for t in load_spec()[p].tables]
SECRET = "e2e-lead-secret-0123456789"
NO_LEADS = TokenGrant(scopes=ALL_SCOPES - {"r_marketing_leadgen_automation"})


def organization_owners(server: SandboxServer) -> list[str]:
    """URNs of the organizations whose leads the default member may read (an approved lead role)."""
    roles = server.world.organic.member_roles(server.world.default_grant.organization_ids)
    return [org.urn for org, role, state in roles if role in LEAD_ORGANIZATION_ROLES and state == "APPROVED"]


def lead_owners(server: SandboxServer) -> list[str]:
    """URNs of every owner lisync reads by default: the member's ad accounts, then its lead organizations."""
    world = server.world
    accounts = [f"urn:li:sponsoredAccount:{a}" for a in world.account_ids_for(world.default_grant)]
    return accounts + organization_owners(server)


def sandbox_leads(server: SandboxServer, owners: list[str] | None = None) -> tuple[set[str], set[str]]:
    """Form ids and response ids the sandbox holds for ``owners`` (default: the default member's)."""
    world = server.world
    forms, responses = set(), set()
    for owner in lead_owners(server) if owners is None else owners:
        forms |= {str(f["id"]) for f in world.leads.forms_of(owner)}
        responses |= {r["id"] for r in world.leads.responses_of(owner)}
    return forms, responses


def emails(server: SandboxServer, owners: list[str] | None = None) -> set[str]:
    """The synthetic email addresses in the leads of ``owners`` (default: the default member's)."""
    out = set()
    for owner in lead_owners(server) if owners is None else owners:
        for lead in server.world.leads.responses_of(owner):
            out |= {a["answerDetails"]["textQuestionAnswer"]["answer"] for a in lead["formResponse"]["answers"]
                    if "@" in str(a["answerDetails"].get("textQuestionAnswer", {}).get("answer", ""))}
    return out


PERSONAL = [(t.name, c.name) for p in LEADS for t in load_spec()[p].tables for c in t.columns if c.personal]


def column_comment(runner: Runner, table: str, column: str) -> str:
    """The warehouse comment on one column (lisync writes the contract's descriptions after each load)."""
    if runner.destination == "postgres":
        sql = ("select col_description(format('%I.%I', ?, ?)::regclass, a.attnum) from pg_attribute a "
               "where a.attrelid = format('%I.%I', ?, ?)::regclass and a.attname = ?")
        return str(runner.scalar(sql, [runner.dataset, table, runner.dataset, table, column]) or "")
    sql = "select comment from duckdb_columns() where schema_name = ? and table_name = ? and column_name = ?"
    return str(runner.scalar(sql, [runner.dataset, table, column]) or "")


def files_containing(folder: Path, needle: bytes) -> list[Path]:
    """Every file under ``folder`` whose bytes (gunzipped when gzip) contain ``needle``."""
    found = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            with contextlib.suppress(OSError):
                data = gzip.decompress(data)
        if needle in data:
            found.append(path)
    return found


def test_both_pipelines_land_every_contract_column(runner: Runner) -> None:
    summary = runner.run(*LEADS)
    assert summary.status == "ok", summary.error
    for table in TABLES:
        runner.assert_matches_spec(table)
    forms, responses = sandbox_leads(runner.sandbox)
    assert {r[0] for r in runner.query('select id from "{ds}".lead_forms')} == forms
    assert {r[0] for r in runner.query('select id from "{ds}".lead_form_responses')} == responses
    assert runner.scalar('select count(*) from "{ds}".lead_forms__questions') >= len(forms) * 6
    assert runner.scalar('select count(*) from "{ds}".lead_form_responses__answers') >= len(responses) * 6
    assert runner.scalar('select count(*) from "{ds}".lead_forms__consents') == len(forms)  # one checkbox each
    unknown_consents = runner.scalar('select count(*) from "{ds}".lead_form_responses__consents c '
                                     'join "{ds}".lead_form_responses r on r.id = c.response_id '
                                     'left join "{ds}".lead_forms__consents f on f.form_id = r.form_id '
                                     "and f.consent_id = c.consent_id where f.form_id is null")
    assert unknown_consents == 0  # every answered consent is a checkbox of its form
    assert runner.scalar("select count(*) from \"{ds}\".lead_forms where thank_you_url like 'https://%' "
                         "and thank_you_call_to_action = 'VISIT_COMPANY_WEBSITE'") == len(forms)
    assert runner.scalar("select count(*) from \"{ds}\".lead_form_responses where is_test_lead") >= 1
    assert runner.scalar("select count(*) from \"{ds}\".lead_form_responses where campaign_id is not null "
                         "and creative_id is not null and lead_type = 'SPONSORED'") >= 1
    for table, column in PERSONAL:
        assert column_comment(runner, table, column).startswith("PERSONAL DATA"), (table, column)
    emails_landed = runner.scalar("select count(*) from \"{ds}\".lead_form_responses__answers "
                                  f"where answer_text like '%@{LEAD_EMAIL_DOMAIN}'")
    assert emails_landed == len(responses)  # every synthetic form asks for the email
    organizations = [o for o in organization_owners(runner.sandbox) if runner.sandbox.world.leads.forms_of(o)]
    assert organizations
    org_forms = runner.query('select owner_urn, organization_urn, account_id from "{ds}".lead_forms '
                             "where organization_urn is not null")
    assert {r[0] for r in org_forms} == {r[1] for r in org_forms} == set(organizations)
    assert all(r[2] is None for r in org_forms)
    org_leads = runner.query('select distinct lead_type, organization_urn, account_id, campaign_id '
                             'from "{ds}".lead_form_responses where owner_urn like ?', ["urn:li:organization:%"])
    assert {r[1] for r in org_leads} == set(organizations)
    assert {(r[0], r[2], r[3]) for r in org_leads} == {(t, None, None) for t in ORGANIC_LEAD_TYPES}
    assert f"urn:li:organization:{LEAD_GEN_MANAGER_ORG_ID}" in organizations  # a LEAD_GEN_FORMS_MANAGER page


def test_event_leads_land_with_their_event(runner: Runner) -> None:
    """EVENT leads keep the LinkedIn Event they registered for (``associatedEntity.event``) in ``event_urn``."""
    summary = runner.run("lead_form_responses")
    assert summary.status == "ok", summary.error
    expected = {r["id"]: r.get("associatedEntity", {}).get("event")
                for owner in organization_owners(runner.sandbox)
                for r in runner.sandbox.world.leads.responses_of(owner) if r["leadType"] == "EVENT"}
    assert any(expected.values())
    landed = dict(runner.query('select id, event_urn from "{ds}".lead_form_responses where lead_type = ?', ["EVENT"]))
    assert landed == expected
    assert all(str(urn).startswith("urn:li:event:") for urn in landed.values() if urn is not None)
    assert runner.scalar('select count(*) from "{ds}".lead_form_responses '
                         "where event_urn is not null and lead_type <> 'EVENT'") == 0
    assert runner.scalar('select count(*) from "{ds}".lead_form_responses where event_urn is not null '
                         "and (is_test_lead or creative_id is not null)") == 0


@pytest.fixture
def moving_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(port=0, seed=7, scale="small", today=TODAY)) as server:
        yield server


def test_rerun_adds_only_new_responses(moving_sandbox: SandboxServer, tmp_path: Path) -> None:
    runner = Runner(moving_sandbox, tmp_path)
    assert runner.run("lead_form_responses").status == "ok"
    first = {r[0] for r in runner.query('select id from "{ds}".lead_form_responses')}
    organic_sql = 'select id from "{ds}".lead_form_responses where organization_urn is not null'
    first_organic = {r[0] for r in runner.query(organic_sql)}
    assert first_organic
    first_answers = runner.scalar('select count(*) from "{ds}".lead_form_responses__answers')
    assert runner.run("lead_form_responses").status == "ok"  # same day: nothing new, nothing doubled
    assert runner.scalar('select count(*) from "{ds}".lead_form_responses') == len(first)
    assert runner.scalar('select count(*) from "{ds}".lead_form_responses__answers') == first_answers
    moving_sandbox.world.clock.advance(4)
    assert runner.run("lead_form_responses").status == "ok"
    rows = runner.query('select id, submitted_at, _dlt_load_id from "{ds}".lead_form_responses')
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids))  # merged on id, never duplicated
    _, expected = sandbox_leads(moving_sandbox)
    assert set(ids) == expected and first < expected
    _, expected_organic = sandbox_leads(moving_sandbox, organization_owners(moving_sandbox))
    assert {r[0] for r in runner.query(organic_sql)} == expected_organic and first_organic < expected_organic
    last_load = max(r[2] for r in rows)
    rewritten = [r for r in rows if r[2] == last_load]
    window_start = dt.datetime.combine(TODAY - dt.timedelta(days=3), dt.time(), tzinfo=dt.UTC)
    assert rewritten and all(r[1] >= window_start for r in rewritten)  # only the update window was re-read
    duplicates = runner.scalar('select count(*) - count(distinct response_id || question_id) '
                               'from "{ds}".lead_form_responses__answers')
    assert duplicates == 0


@pytest.mark.parametrize("mode", ["hash", "drop", "keep"])
def test_personal_data_never_reaches_files_or_tables(moving_sandbox: SandboxServer, tmp_path: Path,
                                                      mode: str, capsys: pytest.CaptureFixture[str],
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    runner = Runner(moving_sandbox, tmp_path)
    policy = PersonalDataPolicy(mode, SECRET if mode == "hash" else None)  # type: ignore[arg-type]
    summary = runner.run(*LEADS, lead_pii=policy)
    assert summary.status == "ok", summary.error
    addresses = emails(moving_sandbox)
    organic_address = sorted(emails(moving_sandbox, organization_owners(moving_sandbox)))[0]
    assert addresses and organic_address in addresses
    needle = LEAD_EMAIL_DOMAIN.encode()
    leaked = files_containing(tmp_path, needle)
    landed = runner.scalar("select count(*) from \"{ds}\".lead_form_responses__answers "
                           f"where answer_text like '%{LEAD_EMAIL_DOMAIN}'")
    organic_leaked = files_containing(tmp_path, organic_address.encode())
    organic_landed = runner.scalar('select count(*) from "{ds}".lead_form_responses__answers where answer_text = ?',
                                   [organic_address])
    if mode == "keep":
        assert leaked and landed and organic_leaked and organic_landed  # proves the grep can find them
    else:
        assert not leaked and landed == 0 and not organic_leaked and organic_landed == 0
    if mode == "hash":
        for sample in (sorted(addresses)[0], organic_address):
            digest = hmac.new(SECRET.encode(), sample.strip().lower().encode(), hashlib.sha256).hexdigest()
            assert runner.scalar('select count(*) from "{ds}".lead_form_responses__answers where answer_text = ?',
                                 [digest]) >= 1
        assert runner.scalar('select count(*) from "{ds}".lead_form_responses where submitter_urn like ?',
                             ["urn:li:person:%"]) == 0
    if mode == "drop":
        assert runner.scalar('select count(answer_text) from "{ds}".lead_form_responses__answers') == 0
    said = capsys.readouterr().out + caplog.text + json.dumps(summary.as_dict(), default=str)
    assert LEAD_EMAIL_DOMAIN not in said and "urn:li:person:" not in said


def no_scope_sandbox() -> SandboxServer:
    return SandboxServer(SandboxConfig(port=0, seed=7, scale="small", today=TODAY, tokens={"no-leads": NO_LEADS}))


def test_missing_scope_skips_lead_pipelines_with_a_note_or_fails_strict(tmp_path: Path) -> None:
    with no_scope_sandbox() as server:
        runner = Runner(server, tmp_path)
        summary = runner.run("ad_accounts", *LEADS, access_token="no-leads")
        assert summary.status == "ok", summary.error
        notes = " ".join(summary.notes)
        assert "r_marketing_leadgen_automation" in notes and "lead_forms" in notes
        assert runner.scalar('select count(*) from "{ds}".ad_accounts') >= 1
        strict = runner.run(*LEADS, access_token="no-leads", strict=True, pipeline_name="strict_leads")
        assert strict.status == "failed"
        assert strict.error and "r_marketing_leadgen_automation" in strict.error and "--strict" in strict.error


def test_check_reports_the_lead_scope(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AMBIENT_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LISYNC_CREDENTIALS_PATH", str(tmp_path / "credentials.json"))
    with no_scope_sandbox() as server:
        for token, missing in (("no-leads", True), ("any-token", False)):
            result = CliRunner().invoke(app, ["check", *LEADS, "--api-base-url", f"{server.base_url}/rest",
                                              "--access-token", token])
            assert ("r_marketing_leadgen_automation" in result.stdout) is missing, result.stdout
            assert result.exit_code == (1 if missing else 0), result.stdout
            if missing:
                assert "Lead Sync API" in result.stdout


@pytest.mark.parametrize("status", [403, 404])
def test_a_refused_later_account_is_skipped_alone(moving_sandbox: SandboxServer, tmp_path: Path, status: int) -> None:
    world = moving_sandbox.world
    ids = world.account_ids_for(world.default_grant)
    with_leads = [a for a in ids if world.leads.responses_of(f"urn:li:sponsoredAccount:{a}")]
    refused = next(a for a in with_leads if a != ids[0])  # a later account (the first read proves the scope)
    moving_sandbox.set_faults(FaultConfig(deny={f"/leadFormResponses*sponsoredAccount:{refused}*": status}))
    runner = Runner(moving_sandbox, tmp_path)
    summary = runner.run("lead_form_responses")
    assert summary.status == "ok", summary.error
    assert any(f"skipped account {refused}" in note for note in summary.notes), summary.notes
    accounts = {r[0] for r in runner.query('select distinct account_id from "{ds}".lead_form_responses '
                                           "where account_id is not null")}
    assert accounts == {str(a) for a in with_leads if a != refused}


def test_cli_lead_pii_hash_takes_its_secret_from_dlt_secrets(e2e_sandbox: SandboxServer, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AMBIENT_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LISYNC_CREDENTIALS_PATH", str(tmp_path / "credentials.json"))
    monkeypatch.delenv("SOURCES__LINKEDIN__LEAD_PII_SECRET", raising=False)
    duckdb_path = tmp_path / "cli.duckdb"
    args = ["run", "lead_form_responses", "--lead-pii", "hash", "--api-base-url", f"{e2e_sandbox.base_url}/rest",
            "--access-token", "cli-token", "--duckdb", str(duckdb_path), "--pipelines-dir", str(tmp_path / "dlt"),
            "--today", TODAY.isoformat()]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2 and "lead_pii_secret" in refused.output, refused.output
    monkeypatch.setenv("SOURCES__LINKEDIN__LEAD_PII_SECRET", SECRET)
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    assert SECRET not in done.output and LEAD_EMAIL_DOMAIN not in done.output
    assert not files_containing(tmp_path, LEAD_EMAIL_DOMAIN.encode())
    assert not files_containing(tmp_path, SECRET.encode())


def test_a_refused_organization_is_skipped_with_its_role_note_or_fails_strict(moving_sandbox: SandboxServer,
                                                                              tmp_path: Path) -> None:
    with_forms = [o for o in organization_owners(moving_sandbox) if moving_sandbox.world.leads.forms_of(o)]
    assert len(with_forms) >= 2
    refused = with_forms[-1].rsplit(":", 1)[1]
    moving_sandbox.set_faults(FaultConfig(deny={f"/lead*organization:{refused}*": 403}))
    runner = Runner(moving_sandbox, tmp_path)
    summary = runner.run(*LEADS)
    assert summary.status == "ok", summary.error
    notes = [n for n in summary.notes if f"organization {refused}" in n]
    assert len(notes) == 1 and "LEAD_GEN_FORMS_MANAGER" in notes[0] and "ADMINISTRATOR" in notes[0], summary.notes
    for table in ("lead_forms", "lead_form_responses"):
        owners = {r[0] for r in runner.query(f'select distinct owner_urn from "{{ds}}".{table} '
                                             "where organization_urn is not null")}
        assert owners == set(with_forms) - {f"urn:li:organization:{refused}"}, table
    strict = runner.run(*LEADS, strict=True, pipeline_name="strict_org_leads")
    assert strict.status == "failed"
    assert strict.error and f"organization {refused}" in strict.error and "--strict" in strict.error


ORGANIZATION_SCOPES = {"r_organization_admin", "rw_organization_admin", "r_organization_social"}


def test_a_token_that_cannot_list_page_roles_reads_account_leads_only(tmp_path: Path) -> None:
    grant = TokenGrant(scopes=ALL_SCOPES - ORGANIZATION_SCOPES)
    config = SandboxConfig(port=0, seed=7, scale="small", today=TODAY, tokens={"ads-only": grant})
    with SandboxServer(config) as server:
        runner = Runner(server, tmp_path)
        summary = runner.run(*LEADS, access_token="ads-only")
        assert summary.status == "ok", summary.error
        assert any("r_organization_admin" in n and "organization's lead forms" in n for n in summary.notes)
        accounts = [o for o in lead_owners(server) if o.startswith("urn:li:sponsoredAccount:")]
        forms, responses = sandbox_leads(server, accounts)
        assert {r[0] for r in runner.query('select id from "{ds}".lead_forms')} == forms
        assert {r[0] for r in runner.query('select id from "{ds}".lead_form_responses')} == responses
        strict = runner.run(*LEADS, access_token="ads-only", strict=True, pipeline_name="strict_ads_only")
        assert strict.status == "failed"
        assert strict.error and "r_organization_admin" in strict.error and "--strict" in strict.error


def test_the_organizations_filter_selects_lead_organizations(e2e_sandbox: SandboxServer, tmp_path: Path) -> None:
    with_forms = [o for o in organization_owners(e2e_sandbox) if e2e_sandbox.world.leads.forms_of(o)]
    chosen = with_forms[0].rsplit(":", 1)[1]
    runner = Runner(e2e_sandbox, tmp_path)
    summary = runner.run("lead_forms", organization_ids=[chosen])
    assert summary.status == "ok", summary.error
    owners = {r[0] for r in runner.query('select distinct owner_urn from "{ds}".lead_forms')}
    assert {o for o in owners if o.startswith("urn:li:organization:")} == {with_forms[0]}
    analyst = "200002"  # the member is only an ANALYST there: no lead role
    with pytest.raises(SelectionError) as info:
        runner.run("lead_forms", organization_ids=[analyst], pipeline_name="bad_filter")
    assert analyst in str(info.value) and "LEAD_GEN_FORMS_MANAGER" in str(info.value)


def test_shard_plans_own_the_pages_read_for_their_leads_only(e2e_sandbox: SandboxServer, tmp_path: Path) -> None:
    """A page where the member is only LEAD_GEN_FORMS_MANAGER goes to a shard when the lead pipelines run."""
    runner = Runner(e2e_sandbox, tmp_path)
    page = str(LEAD_GEN_MANAGER_ORG_ID)
    with_leads, _ = discover_and_plan(runner.settings("organization_pages", *LEADS), 2, "count")
    assert [o for s in with_leads.shards for o in s.organizations].count(page) == 1
    pages_only, _ = discover_and_plan(runner.settings("organization_pages"), 2, "count")
    assert page not in {o for s in pages_only.shards for o in s.organizations}  # no ADMINISTRATOR role there
    shard = next(s for s in with_leads.shards if page in s.organizations)
    summary = runner.run("organization_pages", *LEADS, shard=shard.name, account_ids=shard.accounts or None,
                         organization_ids=shard.organizations)
    assert summary.status == "ok", summary.error  # the page pipelines read the shard's administered pages only
    owners = {r[0] for r in runner.query('select distinct owner_urn from "{ds}".lead_forms')}
    assert f"urn:li:organization:{page}" in owners
    pages = {r[0] for r in runner.query('select distinct organization_urn from "{ds}".organization_pages')}
    assert pages == {f"urn:li:organization:{o}" for o in shard.organizations if o != page}
