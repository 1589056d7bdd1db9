"""End to end: the run's account catalog keeps only the fields the planners and shapers read, unless a table
lands the listing itself, and the performance and report rows are the same either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.e2e.conftest import TODAY, Runner

from lisync.linkedin.ads.catalog import SLIM_FIELDS, AccountCatalog
from lisync.linkedin.http.bearer import StaticTokenProvider
from lisync.linkedin.http.client import LinkedInClient
from lisync.sandbox.server import SandboxServer

START = TODAY - dt.timedelta(days=60)
NAMED = ("ad_performance", "conversion_performance", "campaign_performance")
ENTITIES = ("campaign_group_metadata", "campaign_metadata", "creative_metadata", "conversion_details")


@pytest.fixture
def catalog(e2e_sandbox: SandboxServer) -> Iterator[AccountCatalog]:
    """A catalog reading the sandbox (its first ad account)."""
    client = LinkedInClient(StaticTokenProvider("e2e-token"), base_url=f"{e2e_sandbox.base_url}/rest")
    yield AccountCatalog(client)


def _first_account(catalog: AccountCatalog) -> str:
    return str(next(e["id"] for page in catalog.client.paginate_cursor("adAccounts", {"q": "search"}, 100)
                    for e in page))


def test_listings_keep_only_the_fields_the_planners_read(catalog: AccountCatalog) -> None:
    account = _first_account(catalog)
    catalog.want("campaigns", "creatives", "conversions", "groups")
    listings = {"groups": catalog.campaign_groups(account), "campaigns": catalog.campaigns(account),
                "creatives": catalog.creatives(account), "conversions": catalog.conversions(account)}
    for kind, elements in listings.items():
        assert elements, kind
        assert all(set(e) <= SLIM_FIELDS[kind] for e in elements), kind
        assert all("id" in e for e in elements), kind
    assert any("runSchedule" in c for c in listings["campaigns"])  # the planner's serving spans survive


def test_a_kind_wanted_whole_keeps_every_field(catalog: AccountCatalog) -> None:
    account = _first_account(catalog)
    catalog.want("creatives", whole=True)
    catalog.want("campaigns")
    assert any(set(e) - SLIM_FIELDS["creatives"] for e in catalog.creatives(account))
    assert all(set(e) <= SLIM_FIELDS["campaigns"] for e in catalog.campaigns(account))


def test_named_rows_are_the_same_with_a_slim_or_a_whole_catalog(e2e_sandbox: SandboxServer, tmp_path: Path) -> None:
    # the catalog does not depend on the destination: DuckDB alone
    runner, whole = Runner(e2e_sandbox, tmp_path / "slim"), Runner(e2e_sandbox, tmp_path / "whole")
    (tmp_path / "slim").mkdir()
    (tmp_path / "whole").mkdir()
    slim = runner.run(*NAMED, start_date=START, today=TODAY)
    full = whole.run(*NAMED, *ENTITIES, start_date=START, today=TODAY)
    assert slim.status == full.status == "ok", (slim.error, full.error)
    for table in NAMED:
        expected, landed = whole.snapshot(table), runner.snapshot(table)
        assert len(landed) == len(expected) > 0, table
        assert landed == expected, table
