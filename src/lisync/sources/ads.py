"""The ``ads`` source: ad accounts, campaign groups, campaigns, creatives and conversions (all *Full*).

Resources (``replace``; in a sharded run each replaces only its shard's slice, see :func:`ads_resources`):

* ``ad_accounts`` — every account the token can see (``GET /rest/adAccounts?q=search``)
* ``campaign_group_metadata``, ``campaign_metadata``, ``creative_metadata`` — per selected account
* ``conversion_details`` and its child ``conversion_details__associated_campaigns`` — per selected account
* ``creative_landing_pages`` — the landing page of each text ad and spotlight creative, from the same creatives
  listing as ``creative_metadata`` (extension contract ``creatives.json``; no extra request), and of each
  sponsored-content creative, from the post it sponsors (one ``posts`` BATCH_GET per 50 distinct posts of an
  account, :mod:`lisync.linkedin.ads.sponsored_posts`)

The listings come from :mod:`lisync.linkedin.ads.listings` through the run's shared
:class:`~lisync.linkedin.ads.catalog.AccountCatalog` (the ``analytics`` source reads the same listings), and
account discovery happens before the source is built (:mod:`lisync.run.discovery`): building it makes no request.
Docs: https://learn.microsoft.com/en-us/linkedin/marketing/integrations/ads/account-structure/
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from lisync.linkedin.ads.accounts import AccountScope
from lisync.linkedin.ads.catalog import AccountCatalog
from lisync.linkedin.ads.shape import (
    shape_ad_account,
    shape_campaign,
    shape_campaign_group,
    shape_conversion,
    shape_conversion_campaigns,
    shape_creative,
    shape_creative_landing_page,
    shape_sponsored_landing_page,
)
from lisync.linkedin.ads.sponsored_posts import SponsoredPostPages, sponsored_post_urn
from lisync.sources.history import apply_history
from lisync.sources.partial import ScopeGuard
from lisync.spec.hints import dlt_columns, slice_disposition, with_spec
from lisync.spec.loader import load_spec
from lisync.spec.naming import new_schema

PIPELINES = ("ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata",
             "conversion_details", "creative_landing_pages")
# Which per-account listing each ads pipeline reads.
LISTING_KINDS = {"campaign_group_metadata": "groups", "campaign_metadata": "campaigns",
                 "creative_metadata": "creatives", "conversion_details": "conversions",
                 "creative_landing_pages": "creatives"}

ASSOCIATED_CAMPAIGNS_TABLE = "conversion_details__associated_campaigns"
DELETED_FLAG = "_dlt_deleted"
# The marker row's campaign: never a real campaign URN, so it cannot collide with a row's key.
MARKER_CAMPAIGN = ""

TEntities = list[dict[str, Any]]
# Runs one account's listing; returns None when LinkedIn refuses the account (see lisync.sources.partial).
TAccountGuard = Callable[[str, Callable[[str], TEntities]], TEntities | None]


@dlt.source(schema=new_schema(), max_table_nesting=0)
def ads_source(pipelines: list[str], accounts: AccountScope, catalog: AccountCatalog, guard: ScopeGuard,
               workers: int, sharded: bool, history: tuple[str, ...] = ()) -> list[DltResource]:
    """The ads entity tables of ``pipelines``.

    Args:
        pipelines: The selected ads pipelines (see :data:`PIPELINES`).
        accounts: The visible and selected ad accounts (discovered before the source is built).
        catalog: The run's per-account listings, shared with the analytics source.
        guard: Skips accounts LinkedIn refuses (403/404), or fails the run when strict.
        workers: How many listings the catalog reads at once.
        sharded: Replace the shard's slice of each table instead of the whole table.
        history: Entity tables that keep every version (dlt scd2, see :mod:`lisync.sources.history`).
    """
    wanted = {t.name for p in pipelines for t in load_spec()[p].tables}
    catalog.want(*[LISTING_KINDS[p] for p in pipelines if p in LISTING_KINDS], whole=True)  # tables land them whole

    def listing(account_id: str, fetch: Callable[[str], TEntities]) -> TEntities | None:
        catalog.prefetch(accounts.selected_ids, workers)
        return guard.guarded("account", account_id, fetch)

    resources = ads_resources(catalog, accounts.visible, accounts.selected, guard=listing, sharded=sharded,
                              sponsored=SponsoredPostPages(catalog.client, catalog.note))
    return apply_history([r for r in resources if r.name in wanted], history)


def ads_resources(catalog: AccountCatalog, visible_accounts: list[dict[str, Any]],
                  selected_accounts: list[dict[str, Any]], guard: TAccountGuard,
                  sharded: bool, sponsored: SponsoredPostPages | None = None) -> list[DltResource]:
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
        sponsored: Reads the landing pages of sponsored creatives' posts; ``None`` leaves them out.

    Returns:
        One resource per table: ad_accounts, campaign_group_metadata, campaign_metadata,
        creative_metadata, creative_landing_pages, conversion_details (with its associated-campaigns child
        table).

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

    @dlt.resource(name="creative_landing_pages")
    def creative_landing_pages() -> Iterator[list[dict[str, Any]]]:
        for account_id in account_ids:
            creatives = guard(account_id, catalog.creatives) or []
            rows = [shape_creative_landing_page(e) for e in creatives]
            if sponsored is not None:
                referenced = [(e, urn) for e in creatives if (urn := sponsored_post_urn(e)) is not None]
                pages = sponsored.landing_pages(urn for _, urn in referenced)
                rows += [shape_sponsored_landing_page(e, pages[urn]) for e, urn in referenced if urn in pages]
            yield [row for row in rows if row is not None]

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
                creative_landing_pages(), raw | conversion_details, raw | associated_campaigns]
    if not sharded:
        return [with_spec(r, "replace") for r in entities]
    resources = [with_spec(entities[0], slice_disposition("id", account_ids))]
    resources += [with_spec(r, slice_disposition("account_id", account_ids)) for r in entities[1:6]]
    return [*resources, _per_conversion_replace(entities[6])]


def _deletion_marker(conversion: dict[str, Any]) -> dict[str, Any]:
    """A row that deletes every stored association of ``conversion`` and is itself never inserted."""
    return {"conversion_id": str(conversion["id"]), "associatedcampaigns__campaign": MARKER_CAMPAIGN,
            DELETED_FLAG: True}


def _per_conversion_replace(resource: DltResource) -> DltResource:
    """Merge associated campaigns per conversion rule (``delete-insert`` on ``conversion_id``)."""
    with_spec(resource, {"disposition": "merge", "strategy": "delete-insert"})
    flag = {"name": DELETED_FLAG, "data_type": "bool", "nullable": True, "hard_delete": True}
    columns: dict[str, Any] = {**dlt_columns(ASSOCIATED_CAMPAIGNS_TABLE), DELETED_FLAG: flag}
    resource.apply_hints(merge_key="conversion_id", columns=columns)
    return resource
