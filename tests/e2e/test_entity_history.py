"""Entity history (``--history``): dlt's scd2 merge keeps every version of an entity with adjoining validity.

Runs real pipelines against a sandbox whose entities drift over its clock (``POST /_sandbox/clock``), into
DuckDB and Postgres.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from tests.e2e.conftest import DESTINATIONS, TODAY, Runner

from lisync.config.parse import HISTORY_TABLES
from lisync.errors import ConfigError
from lisync.run.pipeline import run
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer
from lisync.sources.history import VALID_FROM, VALID_TO
from lisync.spec.loader import table_spec

MOVE_DAYS = 28


@pytest.fixture(scope="module")
def e2e_sandbox() -> Iterator[SandboxServer]:
    """This module's own sandbox: its tests move the clock."""
    with SandboxServer(SandboxConfig(port=0, seed=7, scale="small", today=TODAY)) as server:
        yield server


@pytest.fixture(autouse=True)
def reset_clock(e2e_sandbox: SandboxServer) -> Iterator[None]:
    """Put the clock back on TODAY after every test."""
    yield
    e2e_sandbox.world.clock.today = TODAY


def move_clock(sandbox: SandboxServer, **payload: Any) -> None:
    """Move the sandbox clock over its admin API, as a user would."""
    request = urllib.request.Request(f"{sandbox.base_url}/_sandbox/clock", data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def campaign_statuses(sandbox: SandboxServer) -> dict[str, str]:
    """Status of every campaign of the token's (visible) accounts, by id."""
    visible = {f"urn:li:sponsoredAccount:{a}" for a in sandbox.world.visible_account_ids}
    return {str(c["id"]): c["status"] for c in sandbox.world.campaigns if c["account"] in visible}


@pytest.mark.parametrize("runner", DESTINATIONS, indirect=True)
def test_status_change_leaves_two_adjoining_versions(runner: Runner) -> None:
    before = campaign_statuses(runner.sandbox)
    assert runner.run("campaign_metadata", history=HISTORY_TABLES).status == "ok"
    move_clock(runner.sandbox, advance_days=MOVE_DAYS)
    after = campaign_statuses(runner.sandbox)
    changed = sorted(i for i in before if after.get(i) != before[i])
    assert changed, "the sandbox should change some campaign's status within four weeks"
    assert runner.run("campaign_metadata", history=HISTORY_TABLES).status == "ok"

    for campaign_id in changed:
        versions = runner.query(f"select status, {VALID_FROM}, {VALID_TO} from {{ds}}.campaign_metadata "
                                f"where id = ? order by {VALID_FROM}", [campaign_id])
        assert [v[0] for v in versions] == [before[campaign_id], after[campaign_id]]
        (_, first_from, first_to), (_, second_from, second_to) = versions
        assert first_from < first_to == second_from  # adjoining intervals
        assert second_to is None  # the current version is open
    current = runner.scalar(f"select count(*) from {{ds}}.campaign_metadata where {VALID_TO} is null")
    assert current == len(after)
    columns = {c[0] for c in runner.query(
        "select column_name from information_schema.columns where table_schema = ? and table_name = "
        "'campaign_metadata'", [runner.dataset])}
    assert set(table_spec("campaign_metadata").column_names) | {VALID_FROM, VALID_TO} <= columns


@pytest.mark.parametrize("runner", DESTINATIONS, indirect=True)
def test_entity_no_longer_listed_is_closed_not_deleted(runner: Runner) -> None:
    history = ("campaign_metadata",)
    move_clock(runner.sandbox, advance_days=MOVE_DAYS)  # upcoming campaigns exist
    assert runner.run("campaign_metadata", history=history).status == "ok"
    listed_later = set(campaign_statuses(runner.sandbox))
    move_clock(runner.sandbox, today=TODAY.isoformat())  # back: campaigns created after TODAY vanish
    gone = listed_later - set(campaign_statuses(runner.sandbox))
    assert gone, "moving the clock back should hide the upcoming campaigns"
    assert runner.run("campaign_metadata", history=history).status == "ok"
    for campaign_id in gone:
        rows = runner.query(f"select {VALID_TO} from {{ds}}.campaign_metadata where id = ?", [campaign_id])
        assert rows and all(r[0] is not None for r in rows), "a vanished entity is closed, never deleted"


@pytest.mark.parametrize("runner", DESTINATIONS, indirect=True)
def test_without_history_tables_are_replaced_as_before(runner: Runner) -> None:
    assert runner.run("campaign_metadata").status == "ok"
    move_clock(runner.sandbox, advance_days=MOVE_DAYS)
    assert runner.run("campaign_metadata").status == "ok"
    assert runner.scalar("select count(*) from {ds}.campaign_metadata") == len(campaign_statuses(runner.sandbox))
    runner.assert_matches_spec("campaign_metadata")


@pytest.mark.parametrize("runner", DESTINATIONS, indirect=True)
def test_every_entity_table_keeps_history(runner: Runner) -> None:
    pipelines = ["ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata",
                 "conversion_details"]
    assert runner.run(*pipelines, history=HISTORY_TABLES).status == "ok"
    move_clock(runner.sandbox, advance_days=MOVE_DAYS)
    assert runner.run(*pipelines, history=HISTORY_TABLES).status == "ok"
    as_of = dt.datetime.now(dt.UTC)
    for table in HISTORY_TABLES:
        total, current = runner.query(f"select count(*), count(*) filter (where {VALID_TO} is null) "
                                      f"from {{ds}}.{table}")[0]
        # the state at time T: one version per entity
        at_t = runner.scalar(f"select count(distinct id) - count(*) from {{ds}}.{table} where {VALID_FROM} <= ? "
                             f"and ({VALID_TO} is null or {VALID_TO} > ?)", [as_of, as_of])
        assert current > 0 and total >= current and at_t == 0, table


def assert_adjoining_versions(runner: Runner, before: dict[str, str], after: dict[str, str]) -> None:
    """Each campaign whose status changed between ``before`` and ``after`` has exactly those two adjoining versions."""
    changed = sorted(i for i in before if after.get(i) != before[i])
    assert changed, "the sandbox should change some campaign's status within four weeks"
    for campaign_id in changed:
        versions = runner.query(f"select status, {VALID_FROM}, {VALID_TO} from {{ds}}.campaign_metadata "
                                f"where id = ? order by {VALID_FROM}", [campaign_id])
        assert [v[0] for v in versions] == [before[campaign_id], after[campaign_id]], campaign_id
        (_, first_from, first_to), (_, second_from, second_to) = versions
        assert first_from < first_to == second_from and second_to is None, campaign_id


@pytest.mark.parametrize("runner", DESTINATIONS, indirect=True)
def test_a_run_without_history_keeps_the_history_a_table_holds(runner: Runner, tmp_path: Any) -> None:
    before = campaign_statuses(runner.sandbox)
    assert runner.run("campaign_metadata", history=("campaign_metadata",)).status == "ok"
    move_clock(runner.sandbox, advance_days=MOVE_DAYS)
    after = campaign_statuses(runner.sandbox)
    # no --history, from another working folder under another dlt pipeline name: the destination alone says
    # that the table holds history
    summary = runner.run("campaign_metadata", pipelines_dir=str(tmp_path / "elsewhere"), pipeline_name="other")
    assert summary.status == "ok", summary.error
    notes = [n for n in summary.notes if "campaign_metadata" in n and "history" in n]
    assert len(notes) == 1 and "\n" not in notes[0], summary.notes
    assert_adjoining_versions(runner, before, after)
    assert runner.scalar(f"select count(*) from {{ds}}.campaign_metadata where {VALID_TO} is null") == len(after)
    # later runs, with or without --history, go on versioning the same table
    assert runner.run("campaign_metadata", history=HISTORY_TABLES).status == "ok"
    assert_adjoining_versions(runner, before, after)


@pytest.mark.parametrize("runner", DESTINATIONS, indirect=True)
def test_history_on_a_table_of_plain_rows_starts_cleanly(runner: Runner) -> None:
    assert runner.run("campaign_metadata", "ad_accounts").status == "ok"  # plain replace rows
    move_clock(runner.sandbox, advance_days=MOVE_DAYS)
    before = campaign_statuses(runner.sandbox)
    summary = runner.run("campaign_metadata", history=("campaign_metadata",))
    assert summary.status == "ok", summary.error
    # the plain rows became the first versions: one open version per campaign, no version without a start
    rows = runner.query(f"select id, {VALID_FROM}, {VALID_TO} from {{ds}}.campaign_metadata")
    assert sorted(r[0] for r in rows) == sorted(before)
    assert all(r[1] is not None and r[2] is None for r in rows)
    # another table of the same dataset is left as it was
    assert runner.scalar("select count(*) from {ds}.ad_accounts") == len(runner.sandbox.world.visible_account_ids)
    runner.assert_matches_spec("ad_accounts")
    move_clock(runner.sandbox, advance_days=MOVE_DAYS)
    after = campaign_statuses(runner.sandbox)
    assert runner.run("campaign_metadata", history=("campaign_metadata",)).status == "ok"
    assert_adjoining_versions(runner, before, after)


@pytest.mark.parametrize("runner", DESTINATIONS, indirect=True)
def test_a_shard_keeps_the_history_of_its_slice_and_cannot_start_history(runner: Runner) -> None:
    accounts = sorted(str(a) for a in runner.sandbox.world.visible_account_ids)
    assert len(accounts) > 1
    assert runner.run("campaign_metadata").status == "ok"  # plain rows of every account
    with pytest.raises(ConfigError, match="unsharded"):
        runner.run("campaign_metadata", history=("campaign_metadata",), shard="s1", account_ids=accounts[:1])

    before = campaign_statuses(runner.sandbox)
    assert runner.run("campaign_metadata", history=("campaign_metadata",)).status == "ok"
    move_clock(runner.sandbox, advance_days=MOVE_DAYS)
    after = campaign_statuses(runner.sandbox)
    account_of = {str(c["id"]): str(c["account"]) for c in runner.sandbox.world.campaigns}
    mine = next(account_of[i] for i in sorted(before) if after.get(i) != before[i])  # an account with a change
    summary = runner.run("campaign_metadata", shard="s1", account_ids=[mine.rsplit(":", 1)[1]])  # no --history
    assert summary.status == "ok", summary.error
    assert any("campaign_metadata" in n and "history" in n for n in summary.notes), summary.notes
    in_slice = {str(c["id"]) for c in runner.sandbox.world.campaigns if c["account"] == mine}
    assert_adjoining_versions(runner, {i: s for i, s in before.items() if i in in_slice}, after)
    # the other accounts' campaigns were not touched by the shard: still their one open first version
    others = set(before) - in_slice
    assert others
    counts = {str(i): (n, open_) for i, n, open_ in runner.query(
        f"select id, count(*), count(*) filter (where {VALID_TO} is null) from {{ds}}.campaign_metadata group by id")}
    assert {i: counts[i] for i in others} == {i: (1, 1) for i in others}


@pytest.mark.parametrize("runner", DESTINATIONS, indirect=True)
def test_full_refresh_drops_history_deliberately(runner: Runner) -> None:
    assert runner.run("campaign_metadata", history=("campaign_metadata",)).status == "ok"
    move_clock(runner.sandbox, advance_days=MOVE_DAYS)
    summary = run(runner.settings("campaign_metadata"), full_refresh=True)
    assert summary.status == "ok", summary.error
    assert not [n for n in summary.notes if "holds entity history" in n], summary.notes
    assert runner.scalar("select count(*) from {ds}.campaign_metadata") == len(campaign_statuses(runner.sandbox))
    runner.assert_matches_spec("campaign_metadata")  # plain rows again: no validity columns
