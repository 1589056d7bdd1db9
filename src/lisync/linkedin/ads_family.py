"""The ``ads`` pipeline family: resolves the *Accounts* filter and builds the ads entity source."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dlt.extract.resource import DltResource

from lisync import spec
from lisync.context import RunContext
from lisync.linkedin.accounts import discover_accounts, select_accounts
from lisync.linkedin.ads import ads_resources
from lisync.linkedin.catalog import AccountCatalog
from lisync.partial import guarded

# Which per-account listing each ads pipeline reads.
LISTING_KINDS = {"campaign_group_metadata": "groups", "campaign_metadata": "campaigns",
                 "creative_metadata": "creatives", "conversion_details": "conversions"}


def ensure_accounts(ctx: RunContext) -> None:
    """Discover visible ad accounts once per run and apply the *Accounts* filter (fails fast if unknown)."""
    if "accounts_resolved" in ctx.cache:
        return
    ctx.visible_accounts = discover_accounts(ctx.client)
    ctx.selected_accounts = select_accounts(ctx.visible_accounts, ctx.settings.account_ids)
    ctx.cache["accounts_resolved"] = True


def build_resources(ctx: RunContext, pipelines: list[str]) -> list[DltResource]:
    """Return the ads entity resources for ``pipelines``."""
    ensure_accounts(ctx)
    wanted = {t.name for p in pipelines for t in spec.load_spec()[p].tables}
    catalog = account_catalog(ctx)
    catalog.want(*[LISTING_KINDS[p] for p in pipelines if p in LISTING_KINDS])

    def guard(account_id: str, fetch: Callable[[str], Any]) -> Any:
        prefetch_listings(ctx)
        return guarded(ctx, "account", account_id, fetch)

    resources = ads_resources(catalog, ctx.visible_accounts, ctx.selected_accounts, guard=guard,
                              sharded=ctx.settings.shard is not None)
    return [r for r in resources if r.name in wanted]


def prefetch_listings(ctx: RunContext) -> None:
    """List every wanted entity kind of the selected accounts concurrently (once per run; a no-op after)."""
    account_catalog(ctx).prefetch([str(a["id"]) for a in ctx.selected_accounts],
                                  ctx.client.retry_policy.max_concurrency)


def account_catalog(ctx: RunContext) -> AccountCatalog:
    """Return the run's shared per-account entity catalog."""
    catalog = ctx.cache.get("account_catalog")
    if catalog is None:
        catalog = ctx.cache["account_catalog"] = AccountCatalog(ctx.client, add_note=ctx.summary.add_note)
    return catalog
