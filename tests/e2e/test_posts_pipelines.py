"""End to end: organization_posts and its five child tables against the sandbox over loopback HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tests.e2e.conftest import TODAY, Runner

from lisync.linkedin.pages.media import MEDIA_FORBIDDEN_NOTE
from lisync.sandbox.ads.dsc_posts import sponsored_creatives_by_post
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.oauth.grants import TokenGrant
from lisync.sandbox.server import SandboxServer
from lisync.spec.loader import table_spec

POSTS = "organization_posts"
CHILDREN = ("organization_posts__hashtags", "organization_posts__commentary_mentions",
            "organization_posts__poll_options", "organization_posts__carousel_cards",
            "organization_posts__content_multi_image")
TABLES = (POSTS, *CHILDREN)
# Carousels are sponsored-only (Posts API content types): they come from the second, isDsc=true listing.
CONTENT_TYPES = {"text", "media_image", "media_video", "media_other", "poll", "multi_image", "article",
                 "carousel", "job", "liveVideo", "event", "unknown"}
LISTINGS = 2  # per organization: the organic listing and the dark-post (isDsc=true) listing
NO_MEDIA_TOKEN = "e2e-no-media"


@pytest.fixture
def e2e_sandbox() -> Iterator[SandboxServer]:
    """A fresh small sandbox per test (these tests move its clock), with a token that may not read media."""
    config = SandboxConfig(port=0, seed=7, scale="small", today=TODAY,
                           tokens={NO_MEDIA_TOKEN: TokenGrant(media_permission=False)})
    with SandboxServer(config) as server:
        yield server


def advance_clock(runner: Runner, days: int) -> None:
    """Move the sandbox's today through its admin API."""
    httpx.post(f"{runner.sandbox.base_url}/_sandbox/clock", json={"advance_days": days}).raise_for_status()


def sandbox_posts(runner: Runner) -> dict[str, Any]:
    """Every post the sandbox lists today (published: no viewContext) for the member's pages, by URN.

    Organic posts and dark posts (isDsc=true): the organic world's own and those its sponsored creatives reference.
    """
    world = runner.sandbox.world
    organic = world.organic
    administered = organic.administered_ids(None)
    pages = [o for o in organic.organizations if o.id in administered]
    posts: dict[str, Any] = {p.urn: p for org in pages for p in organic.content.visible_posts(org)
                             if p.state == "PUBLISHED"}
    page_urns = {o.urn for o in pages}
    for urn, creative in sponsored_creatives_by_post(world.creatives).items():
        if (world.account(world.account_id_of(creative)) or {}).get("reference") in page_urns:
            posts.setdefault(urn, creative)
    return posts


def latest_load_post_ids(runner: Runner) -> set[str]:
    return {r[0] for r in runner.query(f"select post_id from {{ds}}.{POSTS} where _dlt_load_id = "
                                       f"(select max(_dlt_load_id) from {{ds}}.{POSTS})")}


def test_posts_and_children_land_with_every_content_type(runner: Runner) -> None:
    summary = runner.run(POSTS)
    assert summary.status == "ok", summary.error
    for table in TABLES:
        runner.assert_matches_spec(table)
        assert runner.scalar(f"select count(*) from {{ds}}.{table}") > 0, table
    expected = sandbox_posts(runner)
    assert {r[0] for r in runner.query(f"select post_id from {{ds}}.{POSTS}")} == set(expected)
    assert runner.scalar(f"select count(distinct organization_urn) from {{ds}}.{POSTS}") >= 2
    assert {r[0] for r in runner.query(f"select distinct content_type from {{ds}}.{POSTS}")} == CONTENT_TYPES
    assert runner.scalar(f"select count(*) from {{ds}}.{POSTS} where metric_date is not null") == 0
    assert runner.scalar(f"select count(*) from {{ds}}.{POSTS} where lifecyclestate = 'DRAFT'") == 0
    # lifetime statistics for published posts only; LinkedIn's negative organic likes survive
    assert runner.scalar(f"select count(*) from {{ds}}.{POSTS} where lifecyclestate = 'PUBLISHED' "
                         "and lifetime_impressioncount is null") == 0
    assert runner.scalar(f"select count(*) from {{ds}}.{POSTS} where lifecyclestate <> 'PUBLISHED' "
                         "and lifetime_impressioncount is not null") == 0
    # media: every available image/video has its URL and expiry; other statuses have none
    for kind in ("image", "video"):
        available = runner.query(
            f"select count(*), count(content_media_{kind}_download_url), "
            f"count(content_media_{kind}_download_url_expires_at) from {{ds}}.{POSTS} "
            f"where content_media_{kind}_status = 'AVAILABLE'")[0]
        assert available[0] > 0 and available[0] == available[1] == available[2], kind
    incomplete_videos = (f"select count(*) from {{ds}}.{POSTS} where content_media_video_status = "
                         "'AVAILABLE' and (content_media_video_duration is null or "
                         "content_media_video_thumbnail is null)")
    assert runner.scalar(incomplete_videos) == 0
    # children join to their post, and each kind of child belongs to the matching content type
    for table in CHILDREN:
        assert runner.scalar(f"select count(*) from {{ds}}.{table} c left join {{ds}}.{POSTS} p "
                             "on c.post_id = p.post_id where p.post_id is null") == 0, table
    for table, kind in (("organization_posts__poll_options", "poll"),
                        ("organization_posts__carousel_cards", "carousel"),
                        ("organization_posts__content_multi_image", "multi_image")):
        kinds = {r[0] for r in runner.query(f"select distinct p.content_type from {{ds}}.{table} c "
                                            f"join {{ds}}.{POSTS} p on c.post_id = p.post_id")}
        assert kinds == {kind}, table
    assert runner.scalar("select count(*) from {ds}.organization_posts__hashtags where hashtag like '%#%' "
                         "or hashtag like '%\\%'") == 0
    # two listings (organic, then isDsc=true), and per listed page one statistics call and at most one lookup
    # per media kind (30 organic posts and a few dark posts per organization: one page each)
    pages = runner.scalar(f"select count(distinct organization_urn) from {{ds}}.{POSTS}")
    by_endpoint = summary.requests["by_endpoint"]
    assert summary.verify is not None  # the run's verification lists the posts once more
    assert summary.verify["posts"]["requests"] == LISTINGS * pages
    assert by_endpoint["posts?q=author"] == LISTINGS * pages + summary.verify["posts"]["requests"]
    assert pages < by_endpoint["organizationalEntityShareStatistics?q=organizationalEntity"] <= LISTINGS * pages
    assert by_endpoint["images"] <= LISTINGS * pages and by_endpoint["videos"] <= LISTINGS * pages
    assert not summary.notes


def test_rerun_changes_nothing(runner: Runner) -> None:
    assert runner.run(POSTS).status == "ok"
    first = {t: runner.snapshot(t) for t in TABLES}
    assert runner.run(POSTS).status == "ok"
    assert {t: runner.snapshot(t) for t in TABLES} == first


def test_moved_clock_rereads_only_the_update_window(runner: Runner) -> None:
    assert runner.run(POSTS, update_window_days=7).status == "ok"
    before = {row[1]: row for row in runner.snapshot(POSTS)}  # post_id is the second spec column
    advance_clock(runner, 10)
    sandbox = httpx.get(f"{runner.sandbox.base_url}/_sandbox/stats").json()["by_endpoint"]
    summary = runner.run(POSTS, update_window_days=7)
    assert summary.status == "ok", summary.error
    window_start = dt.datetime.combine(TODAY - dt.timedelta(days=7), dt.time(), tzinfo=dt.UTC)
    reread = latest_load_post_ids(runner)
    modified = {r[0] for r in runner.query(f"select post_id from {{ds}}.{POSTS} where last_modified_at >= ?",
                                           [window_start])}
    assert reread and reread == modified
    assert reread - set(before), "posts published after the first run are new"
    after = {row[1]: row for row in runner.snapshot(POSTS)}
    assert all(after[p] == before[p] for p in before if p not in reread)
    assert any(after[p] != before[p] for p in before if p in reread), "re-read posts refresh their statistics"
    # each listing stopped at the window: one page per organization and listing (organic, isDsc=true), counted
    # by lisync and by the sandbox
    pages = LISTINGS * runner.scalar(f"select count(distinct organization_urn) from {{ds}}.{POSTS}")
    assert summary.verify is not None  # the run's verification lists every post in scope once more
    verify_listing = summary.verify["posts"]["requests"]
    assert summary.requests["by_endpoint"]["posts?q=author"] == pages + verify_listing
    now = httpx.get(f"{runner.sandbox.base_url}/_sandbox/stats").json()["by_endpoint"]
    listed = {k: now[k] - sandbox.get(k, 0) for k in now if "posts" in k and now[k] != sandbox.get(k, 0)}
    assert sum(listed.values()) == pages + verify_listing


def test_metrics_history_keeps_one_snapshot_per_post_and_day(runner: Runner) -> None:
    options = {"update_window_days": 365, "keep_metrics_history": True}
    assert runner.run(POSTS, **options).status == "ok"
    first_posts = runner.scalar(f"select count(*) from {{ds}}.{POSTS}")
    assert runner.scalar(f"select count(*) from {{ds}}.{POSTS} where metric_date = ?", [TODAY]) == first_posts
    assert runner.run(POSTS, **options).status == "ok"  # same day: upsert, no new snapshot
    assert runner.scalar(f"select count(*) from {{ds}}.{POSTS}") == first_posts
    advance_clock(runner, 1)
    assert runner.run(POSTS, **options).status == "ok"
    per_post = runner.query("select post_id, count(*), min(metric_date), max(metric_date) "
                            f"from {{ds}}.{POSTS} group by 1")
    listed = sandbox_posts(runner)  # LinkedIn may have deleted a post in between: it keeps its one snapshot
    old = [r for r in per_post if r[2] == TODAY and r[0] in listed]
    assert len(old) >= first_posts - 2
    assert all(r[1] == 2 and r[3] == TODAY + dt.timedelta(days=1) for r in old), [r for r in old if r[1] != 2]
    # children describe the post, not the snapshot: no duplicates
    for table in CHILDREN:
        columns = ", ".join(f'"{c}"' for c in table_spec(table).column_names)
        total = runner.scalar(f"select count(*) from {{ds}}.{table}")
        assert total > 0, table
        distinct = runner.scalar(f"select count(*) from (select distinct {columns} from {{ds}}.{table}) t")
        assert distinct == total, table


def test_token_without_media_permission_still_loads_posts(runner: Runner) -> None:
    summary = runner.run(POSTS, access_token=NO_MEDIA_TOKEN)
    assert summary.status == "ok", summary.error
    assert summary.notes.count(MEDIA_FORBIDDEN_NOTE) == 1
    statuses = {r[0] for r in runner.query(f"select distinct content_media_image_status from {{ds}}.{POSTS} "
                                           "where content_type = 'media_image' union select distinct "
                                           f"content_media_video_status from {{ds}}.{POSTS} "
                                           "where content_type = 'media_video'")}
    assert statuses == {"FORBIDDEN"}
    urls = runner.scalar(
        f"select count(content_media_image_download_url) + count(content_media_video_download_url) + "
        f"count(content_article_thumbnail_download_url) from {{ds}}.{POSTS}")
    assert urls == 0
    multi = runner.query("select distinct image_status from {ds}.organization_posts__content_multi_image")
    assert {r[0] for r in multi} == {"FORBIDDEN"}
    # one refused call per media kind, never retried for the rest of the run
    assert summary.requests["by_endpoint"]["images"] == 1 and summary.requests["by_endpoint"]["videos"] == 1


def test_full_replication_replaces_posts(runner: Runner) -> None:
    assert runner.run(POSTS).status == "ok"
    advance_clock(runner, 60)  # LinkedIn deletes a few posts in that time and publishes new ones
    summary = runner.run(POSTS, posts_replication="full")
    assert summary.status == "ok", summary.error
    expected = sandbox_posts(runner)
    assert {r[0] for r in runner.query(f"select post_id from {{ds}}.{POSTS}")} == set(expected)
    for table in TABLES:
        runner.assert_matches_spec(table)
