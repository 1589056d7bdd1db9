"""Partial access: one ad account or organization refused with 403/404 is skipped; the others load.

The sandbox's fault config can refuse one scope permanently (``FaultConfig.deny``), as LinkedIn does when the
member lost a role on one account, or a restricted API answers 404. The run still ends ``ok``, the summary
names the skipped scope and why, the scope's savepoint does not move, and ``strict`` makes it a failure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import dlt
import pytest
from tests.e2e.conftest import TODAY, Runner

from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.faults import FaultConfig
from lisync.sandbox.server import SandboxServer

ADS = ("campaign_group_metadata", "campaign_metadata", "creative_metadata", "conversion_details")


@pytest.fixture(scope="module")
def e2e_sandbox() -> Iterator[SandboxServer]:
    """This module's own sandbox, so refusing a scope never leaks into other modules' tests."""
    with SandboxServer(SandboxConfig(port=0, seed=7, scale="small", today=TODAY)) as server:
        yield server


@pytest.fixture(autouse=True)
def _no_denials(e2e_sandbox: SandboxServer) -> Iterator[None]:
    yield
    e2e_sandbox.set_faults(FaultConfig())


def savepoints(runner: Runner, resource: str) -> dict[str, str]:
    pipeline = dlt.attach(pipeline_name="lisync_e2e", pipelines_dir=str(runner.pipelines_dir))
    resources = pipeline.state.get("sources", {}).get("linkedin", {}).get("resources", {})
    return dict(resources.get(resource, {}).get("savepoints") or {})


def test_a_refused_account_is_skipped_and_the_others_load(runner: Runner) -> None:
    world = runner.sandbox.world
    accounts = world.account_ids_for(world.default_grant)
    refused, others = accounts[1], [a for a in accounts if a != accounts[1]]
    runner.sandbox.set_faults(FaultConfig(deny={f"/adAccounts/{refused}/adCampaigns*": 403}))
    summary = runner.run(*ADS, "ad_performance", start_date=TODAY - dt.timedelta(days=30))
    assert summary.status == "ok", summary.error
    notes = [n for n in summary.notes if n.startswith(f"skipped account {refused}: 403 ACCESS_DENIED")]
    assert len(notes) == 1, summary.notes
    loaded = {int(r[0]) for r in runner.query("select distinct account_id from {ds}.campaign_metadata")}
    assert loaded == set(others)
    assert runner.scalar("select count(*) from {ds}.campaign_metadata") == sum(
        len(world.campaigns_of(a)) for a in others)
    # campaign groups of the refused account were readable, so they land
    groups = {int(r[0]) for r in runner.query("select distinct account_id from {ds}.campaign_group_metadata")}
    assert refused in groups
    performance = {int(r[0]) for r in runner.query("select distinct account_id from {ds}.ad_performance")}
    assert refused not in performance and performance
    saved = savepoints(runner, "ad_performance")
    assert str(refused) not in saved and all(str(a) in saved for a in others)

    # access comes back: the next run reads the skipped account from its start, as if it were new
    runner.sandbox.set_faults(FaultConfig())
    summary = runner.run(*ADS, "ad_performance", start_date=TODAY - dt.timedelta(days=30))
    assert summary.status == "ok", summary.error
    assert not [n for n in summary.notes if n.startswith("skipped")]
    assert runner.scalar("select count(*) from {ds}.campaign_metadata") == sum(
        len(world.campaigns_of(a)) for a in accounts)
    assert str(refused) in savepoints(runner, "ad_performance")


def test_strict_turns_a_refused_account_into_a_failed_run(runner: Runner) -> None:
    world = runner.sandbox.world
    assert runner.run("campaign_metadata").status == "ok"
    before = runner.snapshot("campaign_metadata")
    refused = world.account_ids_for(world.default_grant)[0]
    runner.sandbox.set_faults(FaultConfig(deny={f"/adAccounts/{refused}/*": 404}))
    summary = runner.run("campaign_metadata", strict=True)
    assert summary.status == "failed"
    assert summary.error is not None
    assert f"account {refused}" in summary.error and "--strict" in summary.error and "404" in summary.error
    assert runner.snapshot("campaign_metadata") == before


def test_a_refused_organization_is_skipped_and_the_others_load(runner: Runner) -> None:
    organic = runner.sandbox.world.organic
    administered = organic.administered_ids(None)
    pages = [o for o in organic.organizations if o.id in administered and o.primary_type != "BRAND"]
    assert len(pages) >= 2
    refused = pages[0].id
    runner.sandbox.set_faults(FaultConfig(deny={f"*urn:li:organization:{refused}*": 404}))
    summary = runner.run("organization_pages", "organization_posts")
    assert summary.status == "ok", summary.error
    assert any(n.startswith(f"skipped organization {refused}: 404") for n in summary.notes), summary.notes
    for table in ("organization_pages", "organization_posts"):
        urns = {r[0] for r in runner.query(f"select distinct organization_urn from {{ds}}.{table}")}
        assert f"urn:li:organization:{refused}" not in urns
        assert f"urn:li:organization:{pages[1].id}" in urns
    assert str(refused) not in savepoints(runner, "organization_post_pages")
    assert not [s for s in savepoints(runner, "organization_pages") if s.startswith(f"{refused}:")]
