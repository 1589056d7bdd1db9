"""Unit tests of the organic world: organizations, roles, statistics invariants, posts, media, determinism."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from lisync.sandbox.clock import Clock
from lisync.sandbox.organic.organizations import (
    ANALYST_ORG_ID,
    REQUESTED_ORG_ID,
    REVOKED_ORG_ID,
    SHOWCASE_ID,
    UNRELATED_ORG_IDS,
    Organization,
)
from lisync.sandbox.organic.posts import CONTENT_KINDS
from lisync.sandbox.organic.stats import PAGE_SECTIONS
from lisync.sandbox.organic.time import date_to_ms, days_in, time_buckets
from lisync.sandbox.organic.world import OrganicWorld
from lisync.sandbox.scale import SCALES

TODAY = dt.date(2026, 11, 15)


def make_world(seed: int = 7, scale: str = "small", today: dt.date = TODAY) -> OrganicWorld:
    return OrganicWorld(seed, SCALES[scale], Clock(today))


def known_organization(world: OrganicWorld, org_id: int) -> Organization:
    org = world.organization(org_id)
    assert org is not None
    return org


def company(world: OrganicWorld, index: int = 0) -> Organization:
    return known_organization(world, 100000 + index)


def content_kind(post: dict) -> str:
    content = post.get("content")
    if content is None:
        return "text"
    (key, value), = content.items()
    if key == "media":
        return {"image": "image", "video": "video", "document": "document"}[value["id"].split(":")[2]]
    if key == "reference":
        return value["id"].split(":")[2]
    return key


def test_organizations_roles_and_showcase() -> None:
    world = make_world()
    roles = {org.id: (role, state) for org, role, state in world.member_roles(None)}
    assert roles[100000] == roles[100001] == ("ADMINISTRATOR", "APPROVED")
    assert roles[SHOWCASE_ID] == ("ADMINISTRATOR", "APPROVED")
    assert roles[ANALYST_ORG_ID] == ("ANALYST", "APPROVED")
    assert roles[REQUESTED_ORG_ID] == ("ADMINISTRATOR", "REQUESTED")
    assert roles[REVOKED_ORG_ID] == ("ADMINISTRATOR", "REVOKED")
    assert not set(UNRELATED_ORG_IDS) & set(roles)
    showcase = world.organization_json(known_organization(world, SHOWCASE_ID), full=True)
    assert showcase["primaryOrganizationType"] == "BRAND"
    assert world.organization_json(company(world), full=True)["primaryOrganizationType"] == "NONE"


def test_grant_restricts_administered_organizations() -> None:
    world = make_world()
    roles = world.member_roles(frozenset({100001}))
    admins = [org.id for org, role, state in roles if (role, state) == ("ADMINISTRATOR", "APPROVED")]
    assert admins == [100001]
    assert world.member_role(100000, frozenset({100001})) is None


def test_non_admin_lookup_has_only_the_documented_fields() -> None:
    world = make_world()
    limited = world.organization_json(known_organization(world, UNRELATED_ORG_IDS[0]), full=False)
    assert set(limited) == {"id", "name", "localizedName", "localizedWebsite", "vanityName", "logoV2",
                            "locations", "primaryOrganizationType"}


def test_page_statistics_are_consistent() -> None:
    world = make_world()
    org = company(world)
    days = [TODAY - dt.timedelta(days=n) for n in range(2, 40)]
    stats = world.stats.shape_page_statistics(world.stats.page_metrics(org, days))
    views = stats["views"]
    for key, value in views.items():
        assert 0 <= value["uniquePageViews"] <= value["pageViews"], key
    for section in PAGE_SECTIONS:
        title = section[0].upper() + section[1:]
        assert views[f"{section}PageViews"]["pageViews"] == (
            views[f"desktop{title}PageViews"]["pageViews"] + views[f"mobile{title}PageViews"]["pageViews"])
    assert views["allPageViews"]["pageViews"] == (
        views["allDesktopPageViews"]["pageViews"] + views["allMobilePageViews"]["pageViews"])
    assert views["allPageViews"]["pageViews"] > 0
    for key, total in stats["clicks"]["careersPageClicks"].items():
        assert 0 <= stats["clicks"]["mobileCareersPageClicks"][key] <= total


def test_statistics_lag_two_days() -> None:
    world = make_world()
    org = company(world)
    assert not world.stats.page_day(org, TODAY - dt.timedelta(days=1))
    assert world.stats.page_day(org, TODAY - dt.timedelta(days=2))
    assert world.stats.follower_gains(org, TODAY) == (0, 0)


def test_share_statistics_engagement_and_negative_values() -> None:
    world = make_world()
    org = company(world)
    days = world.stats.lifetime_days()
    for day in days[:60]:
        stats = world.stats.shape_share_statistics(world.stats.share_day(org, day))
        assert stats["uniqueImpressionsCount"] <= stats["impressionCount"]
        engaged = stats["clickCount"] + stats["likeCount"] + stats["commentCount"] + stats["shareCount"]
        assert stats["engagement"] == pytest.approx(engaged / stats["impressionCount"])
    assert any(world.stats.share_day(org, day)["likeCount"] < 0 for day in days)
    assert any(world.stats.follower_gains(org, day)[0] < 0 for day in days)


def test_time_buckets_partition_the_range() -> None:
    start = date_to_ms(dt.date(2026, 1, 31))
    months = time_buckets(start, date_to_ms(dt.date(2026, 5, 1)), "MONTH")
    assert [dt.datetime.fromtimestamp(b[0] / 1000, dt.UTC).date() for b in months] == [
        dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31)]
    weeks = time_buckets(start, start + 20 * 86_400_000, "WEEK")
    assert len(weeks) == 2 and weeks[1][0] == weeks[0][1]
    days = time_buckets(start, start + 3 * 86_400_000 + 5, "DAY")
    assert len(days) == 3
    assert days_in(start, start + 3 * 86_400_000) == [dt.date(2026, 1, 31), dt.date(2026, 2, 1),
                                                     dt.date(2026, 2, 2)]


def test_every_content_kind_is_present_in_each_company_page() -> None:
    world = make_world()
    for index in range(2):
        kinds = {content_kind(world.content.post_json(p)) for p in world.content.visible_posts(company(world, index))}
        assert set(CONTENT_KINDS) <= kinds


def test_posts_have_consistent_timestamps_and_unique_ids() -> None:
    world = make_world()
    posts = [p for org in world.organizations for p in world.content.visible_posts(org)]
    assert len({p.urn for p in posts}) == len(posts)
    first_day = date_to_ms(TODAY - dt.timedelta(days=SCALES["small"].history_days))
    for post in posts:
        body = world.content.post_json(post)
        assert first_day <= body["createdAt"] < date_to_ms(TODAY)
        assert body["lastModifiedAt"] >= body["createdAt"]
        assert body["lifecycleStateInfo"]["isEditedByAuthor"] == (body["lastModifiedAt"] > body["createdAt"]
                                                                  + 120_000)
        assert ("publishedAt" in body) == (body["lifecycleState"] == "PUBLISHED")
        assert re.fullmatch(r"urn:li:(share|ugcPost):\d+", body["id"])


def test_commentary_uses_little_text() -> None:
    world = make_world()
    texts = [world.content.commentary(p) for org in world.organizations for p in world.content.posts(org)]
    joined = "\n".join(texts)
    assert "{hashtag|\\#|" in joined
    assert re.search(r"@\[[^\]]+\]\(urn:li:organization:\d+\)", joined)
    assert re.search(r"@\[[^\]]+\]\(urn:li:person:[\w-]+\)", joined)
    without_elements = re.sub(r"@\[[^\]]+\]\(urn:li:\w+:[\w-]+\)|\{hashtag\|\\?#\|\w+\}", "", joined)
    assert not re.search(r"(?<!\\)[()\[\]{}<>*@#|~_]", without_elements)


def test_clock_advance_publishes_and_edits_posts() -> None:
    world = make_world()
    org = company(world)
    before = {p.urn: world.content.post_json(p) for p in world.content.visible_posts(org)}
    world.clock.advance(30)
    after = {p.urn: world.content.post_json(p) for p in world.content.visible_posts(org)}
    assert set(after) - set(before), "new posts appear as the clock moves"
    moved = [urn for urn in set(before) & set(after)
             if after[urn]["lastModifiedAt"] > before[urn]["lastModifiedAt"]]
    assert moved, "some existing posts get edited later"


def test_post_statistics_grow_with_age() -> None:
    world = make_world()
    post = next(p for p in world.content.visible_posts(company(world)) if p.state == "PUBLISHED")
    early = world.content.post_share_metrics(post, post.created_date + dt.timedelta(days=2))
    late = world.content.post_share_metrics(post, post.created_date + dt.timedelta(days=30))
    assert 0 < early["impressionCount"] < late["impressionCount"]
    assert late["uniqueImpressionsCount"] <= late["impressionCount"]


def test_media_assets() -> None:
    world = make_world()
    assets = [a for org in world.organizations for p in world.content.posts(org) for a in p.media]
    assert {a.kind for a in assets} == {"image", "video", "document"}
    for asset in assets:
        body = world.content.media_json(asset)
        assert body["owner"].startswith("urn:li:organization:")
        if body["status"] == "AVAILABLE":
            assert body["downloadUrlExpiresAt"] > date_to_ms(TODAY)
            assert body["downloadUrl"].startswith("https://media.sandbox-licdn.invalid/")
        else:
            assert "downloadUrl" not in body
        if asset.kind == "video" and body["status"] == "AVAILABLE":
            assert body["duration"] > 0 and body["aspectRatioWidth"] and body["aspectRatioHeight"]
    assert any(world.content.media_json(a)["status"] != "AVAILABLE" for a in assets)


def test_same_seed_same_world_and_other_seed_differs() -> None:
    def snapshot(world: OrganicWorld) -> str:
        org = company(world)
        posts = [world.content.post_json(p) for p in world.content.visible_posts(org)]
        return json.dumps([posts, world.stats.lifetime_page_statistics(org), world.stats.follower_count(org)])

    assert snapshot(make_world(7)) == snapshot(make_world(7))
    assert snapshot(make_world(7)) != snapshot(make_world(8))


def test_anchor_day_keeps_history_when_built_late() -> None:
    early = make_world()
    late = OrganicWorld(7, SCALES["small"], Clock(TODAY + dt.timedelta(days=5)), anchor_day=TODAY)
    early.clock.advance(5)
    org_early, org_late = company(early), company(late)
    early_urns = [p.urn for p in early.content.visible_posts(org_early)]
    assert early_urns == [p.urn for p in late.content.visible_posts(org_late)]
