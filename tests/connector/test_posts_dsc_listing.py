"""``list_author_posts``: the organic listing, then ``isDsc=true``, each post once.

The sandbox lists dark posts only with ``isDsc=true``; LinkedIn's wording of the flag was not read verbatim, so
an API that lists a post in both answers (``isDsc=true`` read as "also dark posts") is served by a tiny
Starlette app on loopback.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from tests.support import serve_on_loopback

from lisync.linkedin.http.bearer import StaticTokenProvider
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.pages.posts import day_start_ms, list_author_posts

ORG = "urn:li:organization:1"
NOW_MS = day_start_ms(dt.date(2026, 11, 15))
DAY_MS = 86_400_000


def post(number: int, days_ago: int, dark: bool = False) -> dict[str, Any]:
    return {"id": f"urn:li:share:{number}", "author": ORG, "lifecycleState": "PUBLISHED",
            "lastModifiedAt": NOW_MS - days_ago * DAY_MS,
            "distribution": {"feedDistribution": "NONE" if dark else "MAIN_FEED"}}


class BothListings:
    """Organic posts 1-3 without ``isDsc``; with ``isDsc=true`` posts 3 (again), 4 and 5 (dark, one old)."""

    def __init__(self) -> None:
        self.queries: list[dict[str, str]] = []

    async def handle(self, request: Request) -> JSONResponse:
        self.queries.append(dict(request.query_params))
        if request.query_params.get("isDsc") == "true":
            elements = [post(3, 1), post(4, 2, dark=True), post(5, 40, dark=True)]
        else:
            elements = [post(1, 0), post(2, 1), post(3, 1)]
        return JSONResponse({"elements": elements, "paging": {"start": 0, "count": 100, "total": len(elements)}})


def test_organic_then_dark_posts_each_once_with_the_same_bounds() -> None:
    api = BothListings()
    with serve_on_loopback(api.handle) as base_url:
        client = LinkedInClient(StaticTokenProvider("t"), base_url=base_url)
        pages = list(list_author_posts(client, ORG, NOW_MS - 30 * DAY_MS, NOW_MS))
    assert [[p["id"].rsplit(":", 1)[1] for p in page] for page in pages] == [["2", "3"], ["4"]]
    assert [q.get("isDsc") for q in api.queries] == [None, "true"]
    assert all(q["q"] == "author" and q["author"] == ORG and q["sortBy"] == "LAST_MODIFIED" for q in api.queries)
