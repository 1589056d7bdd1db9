"""The ``organic`` source (issue 16): follower snapshots, organic video statistics and ad account users.

Resources (contract: ``spec/data/extensions/organic.json``):

* ``organization_followers`` — *Incremental*: one dated snapshot per organization and run (the total from
  ``networkSizes`` plus every lifetime facet value), ``merge`` with ``merge_key`` (``snapshot_date``,
  ``organization_urn``), so a same-day re-run replaces that day's snapshot whole and earlier days stay. See
  :mod:`lisync.linkedin.pages.followers`.
* ``organization_video_statistics`` — *Incremental with update window*: per video post and day, ``merge``
  on (``post_id``, ``metric_date``); one savepoint per organization. See
  :mod:`lisync.linkedin.pages.video_statistics`.
* ``ad_account_users`` — *Full*: roles per selected ad account, replaced every run (a shard replaces its own
  accounts' rows). See :mod:`lisync.linkedin.ads.account_users`.

The organizations and accounts are discovered before the source is built (:mod:`lisync.run.discovery`); an
organization or account LinkedIn refuses (403/404) is skipped with a note, as in the other sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from lisync.config.settings import RunSettings
from lisync.linkedin.ads.account_users import list_account_users, shape_account_user
from lisync.linkedin.ads.accounts import AccountScope
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.pages.followers import read_follower_snapshot
from lisync.linkedin.pages.organizations import Organization
from lisync.linkedin.pages.video_statistics import (
    DEFAULT_UPDATE_WINDOW_DAYS,
    RETENTION_DAYS,
    fetch_video_days,
    list_video_posts,
    read_window,
    shape_video_rows,
)
from lisync.sources.incremental import get_savepoint, set_savepoint
from lisync.sources.partial import ScopeGuard
from lisync.spec.hints import slice_disposition, with_spec
from lisync.spec.naming import new_schema

FOLLOWERS_TABLE = "organization_followers"
VIDEO_TABLE = "organization_video_statistics"
ACCOUNT_USERS_TABLE = "ad_account_users"
PIPELINES = (FOLLOWERS_TABLE, VIDEO_TABLE, ACCOUNT_USERS_TABLE)
# The pipelines that need organizations, and the one that needs ad accounts.
ORGANIZATION_PIPELINES = frozenset({FOLLOWERS_TABLE, VIDEO_TABLE})
ACCOUNT_PIPELINES = frozenset({ACCOUNT_USERS_TABLE})


@dataclass(frozen=True)
class OrganicInputs:
    """What the organic resources read from.

    Attributes:
        settings: The run settings (update window, shard).
        today: The run's "today" (UTC).
        client: The LinkedIn client.
        organizations: The selected pages (``None`` when no organization pipeline runs).
        accounts: The selected ad accounts (``None`` when ``ad_account_users`` does not run).
        guard: Skips organizations and accounts LinkedIn refuses.
    """

    settings: RunSettings
    today: dt.date
    client: LinkedInClient
    organizations: list[Organization] | None
    accounts: AccountScope | None
    guard: ScopeGuard


@dlt.source(schema=new_schema(), max_table_nesting=0)
def organic_source(pipelines: list[str], inputs: OrganicInputs) -> list[DltResource]:
    """The resources of the ``organic`` pipelines in ``pipelines``."""
    resources: list[DltResource] = []
    organizations = inputs.organizations or []
    if FOLLOWERS_TABLE in pipelines:
        resources.append(followers_resource(inputs, organizations))
    if VIDEO_TABLE in pipelines:
        resources.append(video_resource(inputs, organizations))
    if ACCOUNT_USERS_TABLE in pipelines and inputs.accounts is not None:
        resources.append(account_users_resource(inputs, inputs.accounts.selected_ids))
    return resources


def followers_resource(inputs: OrganicInputs, organizations: list[Organization]) -> DltResource:
    """The ``organization_followers`` resource (two calls per organization)."""
    client, today = inputs.client, inputs.today

    @dlt.resource(name=FOLLOWERS_TABLE)
    def organization_followers() -> Iterator[list[dict[str, Any]]]:
        for organization in organizations:
            urn = organization.urn

            def snapshot(_: str, urn: str = urn) -> list[dict[str, Any]]:
                return read_follower_snapshot(client, urn, today)

            rows = inputs.guard.guarded("organization", organization.id, snapshot)
            if rows:
                yield rows

    resource = with_spec(organization_followers(), "merge")
    resource.apply_hints(merge_key=["snapshot_date", "organization_urn"])
    return resource


def video_resource(inputs: OrganicInputs, organizations: list[Organization]) -> DltResource:
    """The ``organization_video_statistics`` resource (a posts listing, then four calls per video post)."""
    client, today, end_date = inputs.client, inputs.today, inputs.settings.end_date
    window = inputs.settings.update_window_days
    update_window = DEFAULT_UPDATE_WINDOW_DAYS if window is None else max(1, window)

    def read_organization(organization: Organization, savepoint: dt.date | None) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for post in list_video_posts(client, organization.urn, today - dt.timedelta(days=RETENTION_DAYS)):
            days = read_window(post.get("publishedAt") or post.get("createdAt"), savepoint, today, update_window,
                               end_date)
            if days is not None:
                post_urn = str(post["id"])
                rows.extend(shape_video_rows(post_urn, organization.urn, fetch_video_days(client, post_urn, *days)))
        return rows

    @dlt.resource(name=VIDEO_TABLE)
    def organization_video_statistics() -> Iterator[list[dict[str, Any]]]:
        state = dlt.current.resource_state()
        for organization in organizations:
            savepoint = get_savepoint(state, organization.id)

            def read(_: str, org: Organization = organization, since: dt.date | None = savepoint,
                     ) -> list[dict[str, Any]]:
                return read_organization(org, since)

            rows = inputs.guard.guarded("organization", organization.id, read)
            if rows is None:
                continue  # refused: the savepoint stays
            if rows:
                yield rows
            set_savepoint(state, organization.id, inputs.settings.last_day(today))

    return with_spec(organization_video_statistics(), "merge")


def account_users_resource(inputs: OrganicInputs, account_ids: list[str]) -> DltResource:
    """The ``ad_account_users`` resource (one listing per selected account)."""
    client = inputs.client

    def read_account(account_id: str) -> list[dict[str, Any]]:
        return [shape_account_user(e, account_id) for page in list_account_users(client, account_id) for e in page]

    @dlt.resource(name=ACCOUNT_USERS_TABLE)
    def ad_account_users() -> Iterator[list[dict[str, Any]]]:
        for account_id in account_ids:
            rows = inputs.guard.guarded("account", account_id, read_account)
            if rows:
                yield rows

    disposition = slice_disposition("account_id", account_ids) if inputs.settings.shard else "replace"
    return with_spec(ad_account_users(), disposition)
