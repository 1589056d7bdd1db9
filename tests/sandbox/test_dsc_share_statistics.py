"""``organizationalEntityShareStatistics`` per post for sponsored creatives' dark posts (organic counts only)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import requests
from tests.sandbox.test_organization_endpoints import ORG, elements, september

from lisync.sandbox.server import SandboxServer

TApiGet = Callable[..., requests.Response]
BASE = f"/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity={ORG}"


def _sponsored_dark_post(sandbox: SandboxServer, api_get: TApiGet, author: str) -> str:
    """A dark post of ``author`` that only a sponsored creative references (not in the organic world)."""
    dark = elements(api_get, f"/posts?q=author&author={author}&count=100&isDsc=true")
    return next(p["id"] for p in dark if p["id"].startswith("urn:li:share:")
                and sandbox.world.organic.content.find_post(p["id"]) is None)


def test_a_sponsored_dark_post_has_zero_organic_statistics(sandbox: SandboxServer, api_get: TApiGet) -> None:
    post = _sponsored_dark_post(sandbox, api_get, ORG)
    listed = f"shares=List({quote(post, safe='')})"
    lifetime = elements(api_get, f"{BASE}&{listed}")
    assert [e["share"] for e in lifetime] == [post]
    counts = lifetime[0]["totalShareStatistics"]
    assert counts["impressionCount"] == counts["clickCount"] == counts["likeCount"] == 0
    assert counts["engagement"] == 0.0
    days = elements(api_get, f"{BASE}&{listed}&{september('DAY')}")
    assert len(days) == 30 and all(e["share"] == post and e["totalShareStatistics"]["impressionCount"] == 0
                                   for e in days)
    assert all(e["timeRange"]["end"] > e["timeRange"]["start"] for e in days)


def test_another_pages_sponsored_dark_post_is_refused(sandbox: SandboxServer, api_get: TApiGet) -> None:
    foreign = _sponsored_dark_post(sandbox, api_get, "urn%3Ali%3Aorganization%3A100001")
    refused = api_get(f"{BASE}&shares=List({quote(foreign, safe='')})")
    assert refused.status_code == 403 and "/shares[0]" in refused.json()["message"]
