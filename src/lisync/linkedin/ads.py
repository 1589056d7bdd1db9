"""The ads entity pipelines: ad accounts, campaign groups, campaigns, creatives and conversions.

Resources (all *Full* replication, ``replace``; in a sharded run each replaces only its shard's slice,
see :func:`ads_resources`):

* ``ad_accounts`` — ``GET /rest/adAccounts?q=search`` (cursor paging, 1,000 per page)
* ``campaign_group_metadata`` — ``GET /rest/adAccounts/{id}/adCampaignGroups?q=search``
* ``campaign_metadata`` — ``GET /rest/adAccounts/{id}/adCampaigns?q=search``
* ``creative_metadata`` — ``GET /rest/adAccounts/{id}/creatives?q=criteria`` (cursor paging, 100 per page)
* ``conversion_details`` and its child ``conversion_details__associated_campaigns`` —
  ``GET /rest/conversions?q=account`` (start/count paging)

LinkedIn's entity finders have no "modified since" filter, so a full listing is the only way to see
deletions (REMOVED) as well as changes; every status is requested explicitly because the finders' default
search leaves some out. Docs: https://learn.microsoft.com/en-us/linkedin/marketing/integrations/ads/account-structure/
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import dlt
from dlt.extract.resource import DltResource

from lisync import spec
from lisync.linkedin.client import LinkedInClient

if TYPE_CHECKING:
    from lisync.linkedin.catalog import AccountCatalog
from lisync.linkedin.hints import slice_disposition, with_spec
from lisync.linkedin.restli import restli_list, restli_record, urn
from lisync.linkedin.shape_ads import (
    shape_ad_account,
    shape_campaign,
    shape_campaign_group,
    shape_conversion,
    shape_conversion_campaigns,
    shape_creative,
)

ACCOUNT_PAGE_SIZE = 1000
ENTITY_PAGE_SIZE = 1000
CREATIVE_PAGE_SIZE = 100
CONVERSION_PAGE_SIZE = 100

CAMPAIGN_GROUP_STATUSES = ("ACTIVE", "ARCHIVED", "CANCELED", "DRAFT", "PAUSED", "PENDING_DELETION", "REMOVED")
CAMPAIGN_STATUSES = ("ACTIVE", "PAUSED", "ARCHIVED", "COMPLETED", "CANCELED", "DRAFT", "PENDING_DELETION",
                     "REMOVED")
CREATIVE_STATUSES = ("ACTIVE", "PAUSED", "DRAFT", "ARCHIVED", "CANCELED", "PENDING_DELETION", "REMOVED")
FINDER_HEADERS = {"X-RestLi-Method": "FINDER"}

ASSOCIATED_CAMPAIGNS_TABLE = "conversion_details__associated_campaigns"
DELETED_FLAG = "_dlt_deleted"
# The marker row's campaign: never a real campaign URN, so it cannot collide with a row's key.
MARKER_CAMPAIGN = ""

TEntities = list[dict[str, Any]]
# Runs one account's listing; returns None when LinkedIn refuses the account (see lisync.partial).
TAccountGuard = Callable[[str, Callable[[str], TEntities]], TEntities | None]


def _unguarded(account_id: str, fetch: Callable[[str], TEntities]) -> TEntities | None:
    return fetch(account_id)


def list_ad_accounts(client: LinkedInClient) -> Iterator[dict[str, Any]]:
    """Yield every ad account the token can see (all statuses), as LinkedIn elements."""
    for page in client.paginate_cursor("adAccounts", {"q": "search"}, ACCOUNT_PAGE_SIZE):
        yield from page


def _status_search(statuses: Sequence[str]) -> dict[str, Any]:
    return {"q": "search", "search": restli_record(status=restli_record(values=restli_list(statuses)))}


def list_campaign_groups(client: LinkedInClient, account_id: str) -> Iterator[dict[str, Any]]:
    """Yield every campaign group of one ad account."""
    path = f"adAccounts/{account_id}/adCampaignGroups"
    for page in client.paginate_cursor(path, _status_search(CAMPAIGN_GROUP_STATUSES), ENTITY_PAGE_SIZE):
        yield from page


def list_campaigns(client: LinkedInClient, account_id: str) -> Iterator[dict[str, Any]]:
    """Yield every campaign of one ad account."""
    path = f"adAccounts/{account_id}/adCampaigns"
    for page in client.paginate_cursor(path, _status_search(CAMPAIGN_STATUSES), ENTITY_PAGE_SIZE):
        yield from page


def list_creatives(client: LinkedInClient, account_id: str) -> Iterator[dict[str, Any]]:
    """Yield every creative of one ad account (every intended status)."""
    params = {"q": "criteria", "intendedStatuses": restli_list(CREATIVE_STATUSES), "sortOrder": "ASCENDING"}
    path = f"adAccounts/{account_id}/creatives"
    for page in client.paginate_cursor(path, params, CREATIVE_PAGE_SIZE, headers=FINDER_HEADERS):
        yield from page


def list_conversions(client: LinkedInClient, account_id: str) -> Iterator[list[dict[str, Any]]]:
    """Yield pages of conversion rules of one ad account."""
    params = {"q": "account", "account": urn("sponsoredAccount", account_id)}
    yield from client.paginate_offset("conversions", params, CONVERSION_PAGE_SIZE)


def ads_resources(catalog: AccountCatalog, visible_accounts: list[dict[str, Any]],
                  selected_accounts: list[dict[str, Any]], guard: TAccountGuard = _unguarded,
                  sharded: bool = False) -> list[DltResource]:
    """The ads entity tables.

    ``ad_accounts`` has no *Accounts* parameter in the spec, so it lists every account the token can
    see; the other tables cover the selected accounts only.

    A sharded run (``sharded=True``) replaces only its own slice of each table, so shards loading into one
    dataset never wipe each other's rows: ``ad_accounts`` holds the shard's accounts (all shards together
    hold every account), the account tables are replaced where ``account_id`` is one of the shard's, and
    ``conversion_details__associated_campaigns`` (which has no account column) is replaced per conversion
    rule the shard lists: each rule also sends a hard-delete marker row, so a rule's old associations go
    even when it now has none.

    Args:
        catalog: Per-account entity listings, shared with the performance pipelines.
        visible_accounts: Every ad account element the token can see (already fetched).
        selected_accounts: The accounts the *Accounts* filter selects.
        guard: Runs each account's listing, skipping an account LinkedIn refuses (403/404).
        sharded: Replace the shard's slice of each table instead of the whole table.

    Returns:
        One resource per table: ad_accounts, campaign_group_metadata, campaign_metadata,
        creative_metadata, conversion_details (with its associated-campaigns child table).

    """
    account_ids = [str(a["id"]) for a in selected_accounts]

    @dlt.resource(name="ad_accounts")
    def ad_accounts() -> Iterator[list[dict[str, Any]]]:
        yield [shape_ad_account(account) for account in (selected_accounts if sharded else visible_accounts)]

    @dlt.resource(name="campaign_group_metadata")
    def campaign_group_metadata() -> Iterator[list[dict[str, Any]]]:
        for account_id in account_ids:
            yield [shape_campaign_group(e) for e in guard(account_id, catalog.campaign_groups) or []]

    @dlt.resource(name="campaign_metadata")
    def campaign_metadata() -> Iterator[list[dict[str, Any]]]:
        for account_id in account_ids:
            yield [shape_campaign(e) for e in guard(account_id, catalog.campaigns) or []]

    @dlt.resource(name="creative_metadata")
    def creative_metadata() -> Iterator[list[dict[str, Any]]]:
        for account_id in account_ids:
            yield [shape_creative(e) for e in guard(account_id, catalog.creatives) or []]

    @dlt.resource(name="conversion_elements", selected=False)
    def conversion_elements() -> Iterator[list[dict[str, Any]]]:
        for account_id in account_ids:
            conversions = guard(account_id, catalog.conversions)
            if conversions:
                yield conversions

    @dlt.transformer(name="conversion_details")
    def conversion_details(elements: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        yield [shape_conversion(e) for e in elements]

    @dlt.transformer(name=ASSOCIATED_CAMPAIGNS_TABLE)
    def associated_campaigns(elements: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        rows = [row for e in elements for row in shape_conversion_campaigns(e)]
        if sharded:
            rows += [_deletion_marker(e) for e in elements if e.get("id") is not None]
        yield rows

    # One listing of conversions feeds both tables (dlt evaluates the shared parent once).
    raw = conversion_elements()
    entities = [ad_accounts(), campaign_group_metadata(), campaign_metadata(), creative_metadata(),
                raw | conversion_details, raw | associated_campaigns]
    if not sharded:
        return [with_spec(r, "replace") for r in entities]
    resources = [with_spec(entities[0], slice_disposition("id", account_ids))]
    resources += [with_spec(r, slice_disposition("account_id", account_ids)) for r in entities[1:5]]
    return [*resources, _per_conversion_replace(entities[5])]


def _deletion_marker(conversion: dict[str, Any]) -> dict[str, Any]:
    """A row that deletes every stored association of ``conversion`` and is itself never inserted."""
    return {"conversion_id": str(conversion["id"]), "associatedcampaigns__campaign": MARKER_CAMPAIGN,
            DELETED_FLAG: True}


def _per_conversion_replace(resource: DltResource) -> DltResource:
    """Merge associated campaigns per conversion rule (``delete-insert`` on ``conversion_id``)."""
    with_spec(resource, {"disposition": "merge", "strategy": "delete-insert"})
    flag = {"name": DELETED_FLAG, "data_type": "bool", "nullable": True, "hard_delete": True}
    columns: dict[str, Any] = {**spec.dlt_columns(ASSOCIATED_CAMPAIGNS_TABLE), DELETED_FLAG: flag}
    resource.apply_hints(merge_key="conversion_id", columns=columns)
    return resource
