"""The ``pages`` source: organization page statistics, and organization posts with five child tables.

Resources:

* ``organization_pages`` — *Incremental*, ``merge`` on (``metric_date``, ``organization_urn``); one row per
  organization and period (``day`` by default, ``week`` or ``month``), from three time-bound statistics
  finders (see :mod:`lisync.linkedin.pages.statistics`). One savepoint per organization and period; a dataset
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

The selected organizations are discovered before the source is built (:mod:`lisync.run.discovery`).
In a sharded run (``settings.shard``) every table that full mode would replace instead replaces only the
rows of the shard's organizations (``organization_urn``), so shards share one dataset safely.

Every table is fed by one shared listing of post pages (dlt evaluates it once), so a run costs one posts
listing, one statistics call and at most one images and one videos lookup per page of 100 posts.

With ``extract_format`` ``arrow`` (the default) every batch of shaped rows goes to dlt as one Arrow table with
the contract's column types and dlt's own row columns (:mod:`lisync.linkedin.pages.shape_arrow`), so dlt's
per-row normalizer is skipped; the child tables' hard-delete marker rows are rows of that table like any other
(the flag only matters to dlt's merge SQL, whatever the file format). ``dicts`` yields the rows themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any, TypeAlias

import dlt
import pyarrow as pa
from dlt.extract.resource import DltResource

from lisync.config.settings import RunSettings
from lisync.errors import ConfigError
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import AccessDeniedError, LinkedInAPIError, NotFoundError
from lisync.linkedin.pages.media import MediaResolver
from lisync.linkedin.pages.organizations import Organization
from lisync.linkedin.pages.posts import (
    DEFAULT_LOOKBACK_DAYS,
    DEFAULT_UPDATE_WINDOW_DAYS,
    PostBatch,
    day_start_ms,
    read_organization_posts,
)
from lisync.linkedin.pages.shape_arrow import rows_table
from lisync.linkedin.pages.shape_posts import CHILD_TABLES, shape_child_rows, shape_post
from lisync.linkedin.pages.statistics import (
    StatisticsWindow,
    last_day_of_period,
    plan_statistics_window,
    read_organization_periods,
)
from lisync.sources.arrow import dlt_column_hints, with_dlt_columns
from lisync.sources.incremental import get_savepoint, plan_read_window, set_savepoint
from lisync.sources.partial import ScopeGuard
from lisync.spec.hints import dlt_columns, slice_disposition, with_spec
from lisync.spec.naming import new_schema

PIPELINES = ("organization_pages", "organization_posts")
PAGES_TABLE = "organization_pages"
POSTS_TABLE = "organization_posts"
DELETED_FLAG = "_dlt_deleted"
PERIOD_KEY = "period"
CHILD_MERGE = {"disposition": "merge", "strategy": "delete-insert"}
# The hard-delete flag as an Arrow column: True on a marker row, NULL on every other row.
DELETED_FIELD = pa.field(DELETED_FLAG, pa.bool_())

TItems: TypeAlias = list[dict[str, Any]] | pa.Table


@dataclass(frozen=True)
class PagesInputs:
    """What the pages resources read from.

    Attributes:
        settings: The run settings (start date, update window, period, posts replication, history, shard).
        today: The run's "today" (UTC).
        client: The LinkedIn client.
        organizations: The selected company pages (discovered before the source is built).
        guard: Skips organizations LinkedIn refuses.
        add_note: Where notes go (the run summary).
    """

    settings: RunSettings
    today: dt.date
    client: LinkedInClient
    organizations: list[Organization]
    guard: ScopeGuard
    add_note: Callable[[str], None]


def extract_items(rows: list[dict[str, Any]], table: str, arrow: bool, extra: tuple[pa.Field, ...] = ()) -> TItems:
    """Return shaped ``rows`` of ``table`` as dlt gets them: the rows, or with ``arrow`` one Arrow table.

    The Arrow table carries the contract's columns, ``extra``'s and dlt's ``_dlt_load_id``/``_dlt_id`` (so it must
    be called while dlt extracts). An empty batch stays the empty list the dict path yields.
    """
    if not arrow or not rows:
        return rows
    return with_dlt_columns(rows_table(table, rows, extra))


def _with_arrow_hints(resource: DltResource, arrow: bool) -> DltResource:
    """Declare dlt's row columns on ``resource`` when it yields Arrow tables (dlt declares them itself for dicts)."""
    if arrow:
        resource.apply_hints(columns=dlt_column_hints())
    return resource


@dlt.source(schema=new_schema(), max_table_nesting=0)
def pages_source(pipelines: list[str], inputs: PagesInputs) -> list[DltResource]:
    """The resources of the ``pages`` pipelines in ``pipelines``."""
    resources: list[DltResource] = []
    if PAGES_TABLE in pipelines:
        resources.append(pages_resource(inputs))
    if POSTS_TABLE in pipelines:
        resources.extend(posts_resources(inputs))
    return resources


def pages_resource(inputs: PagesInputs) -> DltResource:
    """The ``organization_pages`` resource (one time-bound call per finder and organization)."""
    period, organizations = inputs.settings.period, inputs.organizations
    client, today, start_date = inputs.client, inputs.today, inputs.settings.start_date
    arrow = inputs.settings.extract_format == "arrow"

    def read_periods(organization: Organization, window: StatisticsWindow) -> list[dict[str, Any]] | None:
        return inputs.guard.guarded("organization", organization.id,
                                    lambda _: list(read_organization_periods(client, organization, window)))

    @dlt.resource(name=PAGES_TABLE)
    def organization_pages() -> Iterator[TItems]:
        state = dlt.current.resource_state()
        loaded = state.get(PERIOD_KEY)
        if loaded and loaded != period:
            # A week row and the day row of its Monday share a key: mixing periods would overwrite data.
            raise ConfigError(f"organization_pages in this dataset holds {loaded} rows: run it with --period "
                              f"{loaded}, or load {period} rows into another --dataset.")
        for organization in organizations:
            scope = f"{organization.id}:{period}"
            window = plan_statistics_window(get_savepoint(state, scope), start_date, today, period,
                                            inputs.settings.end_date)
            if window is None:
                continue
            rows = read_periods(organization, window)
            if rows:
                state[PERIOD_KEY] = period
                yield extract_items(rows, PAGES_TABLE, arrow)
                set_savepoint(state, scope, last_day_of_period(max(r["metric_date"] for r in rows), period))

    return _with_arrow_hints(with_spec(organization_pages(), "merge"), arrow)


def posts_plan(settings: RunSettings, today: dt.date) -> PostsPlan:
    """Return the posts read plan from the run settings (defaults: see :mod:`lisync.linkedin.pages.posts`)."""
    window = settings.update_window_days
    start = settings.start_date or today - dt.timedelta(days=DEFAULT_LOOKBACK_DAYS)
    return PostsPlan(
        full=settings.posts_replication == "full",
        start_date=start,
        update_window_days=DEFAULT_UPDATE_WINDOW_DAYS if window is None else window,
        today=today,
        end_date=settings.end_date,
    )


def _full_disposition(organizations: list[Organization] | None) -> Any:
    """``replace``, or for a shard (``organizations`` given) a replace of those organizations' rows only."""
    return "replace" if organizations is None else slice_disposition("organization_urn", [o.urn for o in organizations])


def _posts_table_hints(resource: DltResource, history: bool, full: bool,
                       shard_organizations: list[Organization] | None = None) -> DltResource:
    with_spec(resource, _full_disposition(shard_organizations) if full and not history else "merge")
    if history:
        columns: dict[str, Any] = dlt_columns(POSTS_TABLE)
        columns["metric_date"] = {**columns["metric_date"], "primary_key": True, "nullable": False}
        resource.apply_hints(primary_key=["post_id", "metric_date"], columns=columns)
    return resource


def _child_table_hints(resource: DltResource, table: str, full: bool,
                       shard_organizations: list[Organization] | None = None) -> DltResource:
    if full:
        return with_spec(resource, _full_disposition(shard_organizations), table)
    with_spec(resource, CHILD_MERGE, table)
    flag = {"name": DELETED_FLAG, "data_type": "bool", "nullable": True, "hard_delete": True}
    columns: dict[str, Any] = {**dlt_columns(table), DELETED_FLAG: flag}
    resource.apply_hints(merge_key="post_id", columns=columns)
    return resource


def posts_resources(inputs: PagesInputs, plan: PostsPlan | None = None,
                    state: MutableMapping[str, Any] | None = None) -> list[DltResource]:
    """The ``organization_posts`` resource and its five child-table resources, sharing one listing.

    ``plan`` and ``state`` override the run's plan and the dlt resource state holding the savepoints (verify's
    repair re-reads from the read start date with a throwaway state, so savepoints do not move).
    """
    plan = plan or posts_plan(inputs.settings, inputs.today)
    history = inputs.settings.keep_metrics_history
    arrow = inputs.settings.extract_format == "arrow"
    markers = () if plan.full else (DELETED_FIELD,)
    metric_date = inputs.today if history else None
    client, organizations = inputs.client, inputs.organizations
    resolver = MediaResolver(client, inputs.add_note)

    @dlt.resource(name="organization_post_pages", selected=False)
    def post_pages() -> Iterator[PostBatch]:
        yield from read_post_batches(
            client, resolver, organizations, plan, dlt.current.resource_state() if state is None else state,
            on_refused=lambda org_id, error: inputs.guard.record_skip("organization", org_id, error))

    @dlt.transformer(name=POSTS_TABLE)
    def organization_posts(batch: PostBatch) -> Iterator[TItems]:
        org = batch.organization.urn
        yield extract_items([shape_post(p, org, batch.media, batch.statistics.get(str(p.get("id"))), metric_date)
                             for p in batch.posts], POSTS_TABLE, arrow)

    def child(table: str) -> DltResource:
        @dlt.transformer(name=table)
        def rows(batch: PostBatch) -> Iterator[TItems]:
            org = batch.organization.urn
            out: list[dict[str, Any]] = []
            for post in batch.posts:
                if not plan.full:
                    out.append({"post_id": str(post.get("id")), "organization_urn": org, DELETED_FLAG: True})
                out.extend(shape_child_rows(table, post, org, batch.media))
            yield extract_items(out, table, arrow, markers)

        return rows

    raw = post_pages()
    shard_organizations = organizations if inputs.settings.shard else None
    resources = [_posts_table_hints(raw | organization_posts, history, plan.full, shard_organizations)]
    resources += [_child_table_hints(raw | child(table), table, plan.full, shard_organizations)
                  for table in CHILD_TABLES]
    return [_with_arrow_hints(resource, arrow) for resource in resources]


@dataclass(frozen=True)
class PostsPlan:
    """How one run reads posts.

    Attributes:
        full: Read every post (full replication) instead of the update window.
        start_date: *Read start date* (first incremental run).
        update_window_days: Days before the savepoint that are read again.
        today: The run's UTC date.
        end_date: A bounded backfill's last day (``--end-date``): posts last modified after it are left for a
            later run, and the savepoint stops there. Full replication ignores it.

    """

    full: bool
    start_date: dt.date
    update_window_days: int
    today: dt.date
    end_date: dt.date | None = None


def read_post_batches(client: LinkedInClient, resolver: MediaResolver, organizations: list[Organization],
                      plan: PostsPlan, state: MutableMapping[str, Any],
                      on_refused: Callable[[str, LinkedInAPIError], None] | None = None) -> Iterator[PostBatch]:
    """Yield enriched pages of posts for every organization, moving each one's savepoint when it is complete.

    Args:
        client: The LinkedIn client.
        resolver: Media lookups for the run.
        organizations: The selected company pages.
        plan: Mode, dates and window.
        state: The dlt resource state holding the savepoints (committed with the load).
        on_refused: Called with ``(organization id, error)`` when LinkedIn refuses an organization (403/404);
            the organization is then skipped and its savepoint stays. Without it the error propagates.

    """
    for organization in organizations:
        since: int | None = None
        until: int | None = None
        window = None
        if not plan.full:
            window = plan_read_window(get_savepoint(state, organization.id), plan.start_date,
                                      plan.update_window_days, plan.today, plan.end_date)
            if window is None:
                continue
            since = day_start_ms(window.start)
            if window.end < plan.today:  # a bounded backfill: nothing modified after its end date
                until = day_start_ms(window.end + dt.timedelta(days=1))
        try:
            yield from read_organization_posts(client, resolver, organization, since, until)
        except (AccessDeniedError, NotFoundError) as error:
            if on_refused is None:
                raise
            on_refused(organization.id, error)
            continue
        if window is not None:
            set_savepoint(state, organization.id, window.end)
