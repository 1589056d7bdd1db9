"""Landing pages of sponsored-content creatives: the post lookup, its batching and a token that may not read posts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from lisync.linkedin.ads.shape import shape_sponsored_landing_page
from lisync.linkedin.ads.sponsored_posts import (
    POSTS_BATCH_SIZE,
    POSTS_FORBIDDEN_NOTE,
    SponsoredPostPages,
    post_landing_page,
    sponsored_post_urn,
)
from lisync.linkedin.http.bearer import StaticTokenProvider
from lisync.linkedin.http.client import LinkedInClient
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.oauth.grants import TokenGrant
from lisync.sandbox.server import SandboxServer
from lisync.spec.loader import table_spec

TODAY = dt.date(2026, 11, 15)
ADS_ONLY = "ads-only"


def test_landing_page_is_the_posts_content_landing_page_else_its_article_source() -> None:
    # Post Schema: contentLandingPage is the page a click opens; LinkedIn ignores it for article ads, whose
    # destination is content.article.source
    assert post_landing_page({"contentLandingPage": "https://a.example/x", "content": {"media": {}}}) == (
        "https://a.example/x")
    assert post_landing_page({"content": {"article": {"source": "https://b.example/y"}}}) == "https://b.example/y"
    assert post_landing_page({"contentLandingPage": "", "content": {"article": {"source": "https://c.example"}}}) == (
        "https://c.example")
    for post in ({}, {"content": {"media": {"id": "urn:li:image:1"}}}, {"contentLandingPage": 3}, {"content": "x"}):
        assert post_landing_page(post) is None, post


def test_only_share_and_ugc_post_references_are_looked_up() -> None:
    assert sponsored_post_urn({"content": {"reference": "urn:li:share:1"}}) == "urn:li:share:1"
    assert sponsored_post_urn({"content": {"reference": "urn:li:ugcPost:2"}}) == "urn:li:ugcPost:2"
    contents: tuple[object, ...] = ({"reference": "urn:li:adInMailContent:3"}, {"textAd": {}}, None, {"reference": 4})
    for content in contents:
        assert sponsored_post_urn({"content": content}) is None, content


def test_sponsored_row_has_exactly_the_tables_columns() -> None:
    creative = {"id": "urn:li:sponsoredCreative:224478843", "account": "urn:li:sponsoredAccount:507404993",
                "campaign": "urn:li:sponsoredCampaign:137355963", "content": {"reference": "urn:li:share:7"}}
    row = shape_sponsored_landing_page(creative, "https://example.com/p?utm_source=li")
    assert row == {"creative_id": "224478843", "account_id": "507404993", "campaign_id": "137355963",
                   "content_type": "SPONSORED", "landing_page": "https://example.com/p?utm_source=li"}
    assert set(row) == {c.name for c in table_spec("creative_landing_pages").columns}
    assert shape_sponsored_landing_page({"content": {}}, "https://x.example") is None


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(seed=10, scale="tiny", today=TODAY, tokens={
            ADS_ONLY: TokenGrant(scopes=frozenset({"r_ads", "r_ads_reporting"}))})) as server:
        yield server


def _referenced_posts(sandbox: SandboxServer) -> list[str]:
    urns = (sponsored_post_urn(c) for c in sandbox.world.creatives)
    return list(dict.fromkeys(u for u in urns if u is not None))


def test_posts_are_read_in_batches_once_each(sandbox: SandboxServer) -> None:
    # the tiny world's sponsored posts, then posts LinkedIn does not know (per-key 404s), to need three batches
    referenced = _referenced_posts(sandbox)
    assert referenced
    urns = referenced + [f"urn:li:share:{n}" for n in range(1, 2 * POSTS_BATCH_SIZE)]
    notes: list[str] = []
    pages = SponsoredPostPages(LinkedInClient(StaticTokenProvider("t"), base_url=f"{sandbox.base_url}/rest"),
                               notes.append)
    before = sandbox.stats()["by_endpoint"].get("GET posts", 0)
    found = pages.landing_pages(urns + urns[:3])
    batches = -(-len(urns) // POSTS_BATCH_SIZE)
    assert pages.requests == batches and not pages.refused and notes == []
    assert sandbox.stats()["by_endpoint"].get("GET posts", 0) - before == batches
    assert found and set(found) <= set(referenced)
    assert all(page.startswith("https://") for page in found.values())


def test_a_token_that_may_not_read_posts_stops_after_one_refusal(sandbox: SandboxServer) -> None:
    urns = _referenced_posts(sandbox)
    notes: list[str] = []
    pages = SponsoredPostPages(LinkedInClient(StaticTokenProvider(ADS_ONLY), base_url=f"{sandbox.base_url}/rest"),
                               notes.append)
    assert pages.landing_pages(urns) == {}
    assert pages.landing_pages(urns) == {}
    assert pages.refused and pages.requests == 1 and notes == [POSTS_FORBIDDEN_NOTE]
