"""The organic family (issue 16): follower snapshots, organic video statistics and ad account users.

Real runs against the loopback sandbox into DuckDB and Postgres; every landed table has exactly its contract
columns (``spec_data/extensions/organic.json``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest
from tests.e2e.conftest import DESTINATIONS, TODAY, Runner

from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.organic.organizations import Organization
from lisync.sandbox.organic.video import is_video_post, video_day
from lisync.sandbox.server import SandboxServer

FOLLOWERS, VIDEO, USERS = "organization_followers", "organization_video_statistics", "ad_account_users"


@pytest.fixture(scope="module")
def e2e_sandbox() -> Iterator[SandboxServer]:
    """This module's own sandbox: its tests move the clock."""
    with SandboxServer(SandboxConfig(port=0, seed=7, scale="small", today=TODAY)) as server:
        yield server


@pytest.fixture(autouse=True)
def reset_clock(e2e_sandbox: SandboxServer) -> Iterator[None]:
    yield
    e2e_sandbox.world.clock.today = TODAY


def administered(runner: Runner) -> list[Organization]:
    organic = runner.sandbox.world.organic
    ids = organic.administered_ids(None)
    return [o for o in organic.organizations if o.id in ids]


@pytest.mark.parametrize("runner", DESTINATIONS, indirect=True)
def test_follower_snapshot_per_day_with_the_total_from_network_sizes(runner: Runner) -> None:
    summary = runner.run(FOLLOWERS)
    assert summary.status == "ok", summary.error
    runner.assert_matches_spec(FOLLOWERS)
    organic = runner.sandbox.world.organic
    pages = administered(runner)
    totals = dict(runner.query("select organization_urn, follower_count from {ds}.organization_followers "
                               "where facet = 'total'"))
    assert totals == {o.urn: float(organic.stats.follower_count(o)) for o in pages}
    facets = {r[0] for r in runner.query("select distinct facet from {ds}.organization_followers")}
    assert facets == {"total", "association_type", "seniority", "industry", "function", "staff_count_range",
                      "geo_country", "geo"}
    first = runner.scalar("select count(*) from {ds}.organization_followers")
    assert summary.requests["by_endpoint"]["networkSizes/{id}"] == len(pages)

    assert runner.run(FOLLOWERS).status == "ok"  # same day: the day's snapshot is replaced, not doubled
    assert runner.scalar("select count(*) from {ds}.organization_followers") == first
    httpx.post(f"{runner.sandbox.base_url}/_sandbox/clock", json={"advance_days": 1}).raise_for_status()
    assert runner.run(FOLLOWERS).status == "ok"
    dates = runner.query("select snapshot_date, count(*) from {ds}.organization_followers group by 1 order by 1")
    assert [d for d, _ in dates] == [TODAY, TODAY + dt.timedelta(days=1)]
    assert sum(n for _, n in dates) == 2 * first


@pytest.mark.parametrize("runner", DESTINATIONS, indirect=True)
def test_video_statistics_per_post_and_day(runner: Runner) -> None:
    summary = runner.run(VIDEO)
    assert summary.status == "ok", summary.error
    runner.assert_matches_spec(VIDEO)
    organic = runner.sandbox.world.organic
    rows = runner.query("select post_id, metric_date, video_views, viewers, time_watched_ms, "
                        "time_watched_for_video_views_ms from {ds}.organization_video_statistics")
    assert rows
    posts = {p.urn: p for o in administered(runner) for p in organic.content.visible_posts(o)
             if p.state == "PUBLISHED" and is_video_post(p)}
    assert {r[0] for r in rows} <= set(posts)
    cutoff = organic.data_cutoff()
    for post_id, day, views, viewers, watched, watched_views in rows:
        expected = video_day(organic.seed, posts[post_id], day, cutoff, TODAY)
        assert (views, viewers, watched, watched_views) == (
            expected.get("VIDEO_VIEW"), expected.get("VIEWER"), expected.get("TIME_WATCHED"),
            expected.get("TIME_WATCHED_FOR_VIDEO_VIEWS"))
    assert summary.requests["by_endpoint"]["videoAnalytics?q=entity"] == 4 * len({r[0] for r in rows})

    again = runner.run(VIDEO)  # the update window is re-read and merged: no duplicate days
    assert again.status == "ok"
    assert runner.scalar("select count(*) from (select post_id, metric_date from {ds}.organization_video_statistics "
                         "group by 1, 2 having count(*) > 1) d") == 0


@pytest.mark.parametrize("runner", DESTINATIONS, indirect=True)
def test_ad_account_users_one_row_per_role(runner: Runner) -> None:
    summary = runner.run(USERS)
    assert summary.status == "ok", summary.error
    runner.assert_matches_spec(USERS)
    world = runner.sandbox.world
    rows = runner.query("select account_id, user_urn, role from {ds}.ad_account_users order by 1")
    assert {r[0] for r in rows} == {str(a) for a in world.visible_account_ids}
    assert all(r[1].startswith("urn:li:person:") and r[2] for r in rows)
    assert summary.requests["by_endpoint"]["adAccountUsers?q=accounts"] == len(world.visible_account_ids)
