"""The ``pages`` pipeline family: organization page statistics, and organization posts with five child tables.

Resources:

* ``organization_pages`` — *Incremental*, ``merge`` on (``metric_date``, ``organization_urn``); one row per
  organization and period (``day`` by default, ``week`` or ``month``), from three time-bound statistics
  finders (see :mod:`lisync.linkedin.page_statistics`). One savepoint per organization and period; a dataset
  holds one period (a week row and its Monday's day row share a key), so switching periods is refused.
* ``organization_posts`` — *Incremental with update window*, ``merge`` on ``post_id``; with *Keep metrics
  history* every row carries ``metric_date`` = the run day and the key is (``post_id``, ``metric_date``), so
  each day keeps one snapshot per re-read post and a same-day re-run upserts it. Without history,
  ``metric_date`` is NULL. Full replication (``posts_replication = full``) reads every post and replaces the
  table (or, with history on, merges, so the history survives).
* ``organization_posts__hashtags``, ``__commentary_mentions``, ``__poll_options``, ``__carousel_cards``,
  ``__content_multi_image`` — one row per element, keyed to the post by ``post_id``. In incremental mode
  they are merged with ``delete-insert`` on ``post_id``: every re-read post also sends one hard-delete
  marker row per child table (column ``_dlt_deleted``, dlt's ``hard_delete`` hint, always NULL in the
  destination), so all of the post's old rows go even when it now has none (a hashtag edited away).
  In full mode they are replaced.

In a sharded run (``settings.shard``) every table that full mode would replace instead replaces only the
rows of the shard's organizations (``organization_urn``), so shards share one dataset safely.

Every table is fed by one shared listing of post pages (dlt evaluates it once), so a run costs one posts
listing, one statistics call and at most one images and one videos lookup per page of 100 posts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from lisync import spec
from lisync.context import RunContext
from lisync.errors import ConfigError
from lisync.incremental import get_savepoint, set_savepoint
from lisync.linkedin.hints import slice_disposition, with_spec
from lisync.linkedin.media import MediaResolver
from lisync.linkedin.organizations import Organization, ensure_organizations
from lisync.linkedin.page_statistics import (
    StatisticsWindow,
    TPeriod,
    last_day_of_period,
    plan_statistics_window,
    read_organization_periods,
)
from lisync.linkedin.posts import (
    DEFAULT_LOOKBACK_DAYS,
    DEFAULT_UPDATE_WINDOW_DAYS,
    PostBatch,
    PostsPlan,
    read_post_batches,
)
from lisync.linkedin.shape_posts import CHILD_TABLES, shape_child_rows, shape_post
from lisync.partial import guarded, record_skip

PAGES_TABLE = "organization_pages"
POSTS_TABLE = "organization_posts"
DELETED_FLAG = "_dlt_deleted"
PERIOD_KEY = "period"
CHILD_MERGE = {"disposition": "merge", "strategy": "delete-insert"}


def pages_resource(ctx: RunContext, organizations: list[Organization]) -> DltResource:
    """The ``organization_pages`` resource (one time-bound call per finder and organization)."""
    period: TPeriod = ctx.settings.extras.get("period") or "day"
    client, today, start_date = ctx.client, ctx.today, ctx.settings.start_date

    def read_periods(organization: Organization, window: StatisticsWindow) -> list[dict[str, Any]] | None:
        return guarded(ctx, "organization", organization.id,
                       lambda _: list(read_organization_periods(client, organization, window)))

    @dlt.resource(name=PAGES_TABLE)
    def organization_pages() -> Iterator[list[dict[str, Any]]]:
        state = dlt.current.resource_state()
        loaded = state.get(PERIOD_KEY)
        if loaded and loaded != period:
            # A week row and the day row of its Monday share a key: mixing periods would overwrite data.
            raise ConfigError(f"organization_pages in this dataset holds {loaded} rows: run it with --period "
                              f"{loaded}, or load {period} rows into another --dataset.")
        for organization in organizations:
            scope = f"{organization.id}:{period}"
            window = plan_statistics_window(get_savepoint(state, scope), start_date, today, period)
            if window is None:
                continue
            rows = read_periods(organization, window)
            if rows:
                state[PERIOD_KEY] = period
                yield rows
                set_savepoint(state, scope, last_day_of_period(max(r["metric_date"] for r in rows), period))

    return with_spec(organization_pages(), "merge")


def posts_plan(ctx: RunContext) -> PostsPlan:
    """Return the posts read plan from the run settings (defaults: see :mod:`lisync.linkedin.posts`)."""
    window = ctx.settings.update_window_days
    start = ctx.settings.start_date or ctx.today - dt.timedelta(days=DEFAULT_LOOKBACK_DAYS)
    return PostsPlan(
        full=ctx.settings.extras.get("posts_replication") == "full",
        start_date=start,
        update_window_days=DEFAULT_UPDATE_WINDOW_DAYS if window is None else window,
        today=ctx.today,
    )


def _full_disposition(organizations: list[Organization] | None) -> Any:
    """``replace``, or for a shard (``organizations`` given) a replace of those organizations' rows only."""
    return "replace" if organizations is None else slice_disposition("organization_urn", [o.urn for o in organizations])


def _posts_table_hints(resource: DltResource, history: bool, full: bool,
                       shard_organizations: list[Organization] | None = None) -> DltResource:
    with_spec(resource, _full_disposition(shard_organizations) if full and not history else "merge")
    if history:
        columns: dict[str, Any] = spec.dlt_columns(POSTS_TABLE)
        columns["metric_date"] = {**columns["metric_date"], "primary_key": True, "nullable": False}
        resource.apply_hints(primary_key=["post_id", "metric_date"], columns=columns)
    return resource


def _child_table_hints(resource: DltResource, table: str, full: bool,
                       shard_organizations: list[Organization] | None = None) -> DltResource:
    if full:
        return with_spec(resource, _full_disposition(shard_organizations), table)
    with_spec(resource, CHILD_MERGE, table)
    flag = {"name": DELETED_FLAG, "data_type": "bool", "nullable": True, "hard_delete": True}
    columns: dict[str, Any] = {**spec.dlt_columns(table), DELETED_FLAG: flag}
    resource.apply_hints(merge_key="post_id", columns=columns)
    return resource


def posts_resources(ctx: RunContext, organizations: list[Organization]) -> list[DltResource]:
    """The ``organization_posts`` resource and its five child-table resources, sharing one listing."""
    plan = posts_plan(ctx)
    history = bool(ctx.settings.extras.get("keep_metrics_history"))
    metric_date = ctx.today if history else None
    client, resolver = ctx.client, MediaResolver(ctx.client, ctx.summary)

    @dlt.resource(name="organization_post_pages", selected=False)
    def post_pages() -> Iterator[PostBatch]:
        yield from read_post_batches(client, resolver, organizations, plan, dlt.current.resource_state(),
                                     on_refused=lambda org_id, error: record_skip(ctx, "organization", org_id, error))

    @dlt.transformer(name=POSTS_TABLE)
    def organization_posts(batch: PostBatch) -> Iterator[list[dict[str, Any]]]:
        org = batch.organization.urn
        yield [shape_post(p, org, batch.media, batch.statistics.get(str(p.get("id"))), metric_date)
               for p in batch.posts]

    def child(table: str) -> DltResource:
        @dlt.transformer(name=table)
        def rows(batch: PostBatch) -> Iterator[list[dict[str, Any]]]:
            org = batch.organization.urn
            out: list[dict[str, Any]] = []
            for post in batch.posts:
                if not plan.full:
                    out.append({"post_id": str(post.get("id")), "organization_urn": org, DELETED_FLAG: True})
                out.extend(shape_child_rows(table, post, org, batch.media))
            yield out

        return rows

    raw = post_pages()
    shard_organizations = organizations if ctx.settings.shard else None
    resources = [_posts_table_hints(raw | organization_posts, history, plan.full, shard_organizations)]
    resources += [_child_table_hints(raw | child(table), table, plan.full, shard_organizations)
                  for table in CHILD_TABLES]
    return resources


def build_resources(ctx: RunContext, pipelines: list[str]) -> list[DltResource]:
    """Return the resources of the ``pages`` family pipelines in ``pipelines``."""
    organizations = ensure_organizations(ctx)
    resources: list[DltResource] = []
    if PAGES_TABLE in pipelines:
        resources.append(pages_resource(ctx, organizations))
    if POSTS_TABLE in pipelines:
        resources.extend(posts_resources(ctx, organizations))
    return resources
