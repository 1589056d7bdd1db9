"""Organization posts: the listing (newest change first, stopping at the update window) and its enrichment.

Per organization and run:

* ``GET /rest/posts?q=author&author={org urn}&sortBy=LAST_MODIFIED`` with ``start``/``count`` (100 per page,
  LinkedIn's maximum), exactly as the Posts API documents "Find Posts by Authors"; then the same finder with
  ``isDsc=true`` for the organization's dark (Direct Sponsored Content) posts, which the default listing leaves
  out (carousels exist only as dark posts). Same paging and bounds; a post both listings return is kept once.
  LinkedIn's docs name no ``viewContext`` on this finder (lisync used to send ``viewContext=AUTHOR`` "so
  drafts are included"; that was never documented), and drafts are not posts anyone has seen: a post whose
  ``lifecycleState`` is ``DRAFT`` is left out of ``organization_posts`` (an analytics table) should LinkedIn
  list one. Each listing is sorted by ``lastModifiedAt`` descending, so paging stops at the first post older
  than the read window.
* For each page of posts: one ``organizationalEntityShareStatistics?q=organizationalEntity&shares=List(..)
  &ugcPosts=List(..)`` call for the lifetime statistics of its published posts, and one ``images`` and one
  ``videos`` BATCH_GET for the media they show (see :mod:`lisync.linkedin.pages.media`).

The read window (incremental mode) is ``[savepoint − update window, today]``, starting at *Read start date*
(default: 365 days back, LinkedIn's documented limit) on the first run; the savepoint becomes the run day once
an organization's listing is complete, and moves only with a committed load. The default update window is
30 days: a post's engagement keeps accruing for weeks after it is published or edited, and each re-read
refreshes its lifetime statistics. Full mode reads every post LinkedIn lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lisync.linkedin.convert import to_float
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.restli import restli_list
from lisync.linkedin.pages.media import MediaResolver
from lisync.linkedin.pages.organizations import Organization
from lisync.linkedin.pages.shape_posts import media_urns

POSTS_PAGE_SIZE = 100
DRAFT = "DRAFT"
DEFAULT_UPDATE_WINDOW_DAYS = 30
DEFAULT_LOOKBACK_DAYS = 365
FINDER_HEADERS = {"X-RestLi-Method": "FINDER"}
STATISTICS_NAMESPACES = (("shares", "urn:li:share:", "share"), ("ugcPosts", "urn:li:ugcPost:", "ugcPost"))


@dataclass
class PostBatch:
    """One page of an organization's posts with everything the shapers need.

    Attributes:
        organization: The organization the posts belong to.
        posts: Post elements, as the Posts API returns them.
        media: Image/video details by URN.
        statistics: Lifetime ``totalShareStatistics`` by post URN (published posts only).

    """

    organization: Organization
    posts: list[dict[str, Any]]
    media: dict[str, dict[str, Any]] = field(default_factory=dict)
    statistics: dict[str, dict[str, Any]] = field(default_factory=dict)


def day_start_ms(day: dt.date) -> int:
    """Epoch milliseconds of ``day`` at 00:00 UTC."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)


def list_posts(client: LinkedInClient, organization_urn: str, modified_since_ms: int | None,
               modified_before_ms: int | None = None, dsc: bool = False) -> Iterator[list[dict[str, Any]]]:
    """Yield pages of an organization's posts modified at or after ``modified_since_ms`` (all when ``None``).

    Posts modified at or after ``modified_before_ms`` (a bounded backfill's end) are left out. Stops requesting
    pages as soon as a page reaches a post older than the lower bound. ``dsc``: list the organization's dark
    (Direct Sponsored Content) posts (``isDsc=true``) instead of its organic ones.
    """
    params = {"q": "author", "author": organization_urn, "sortBy": "LAST_MODIFIED"}
    if dsc:
        params["isDsc"] = "true"
    for listed in client.paginate_offset("posts", params, POSTS_PAGE_SIZE, headers=FINDER_HEADERS):
        page = [p for p in listed if p.get("lifecycleState") != DRAFT]
        if modified_before_ms is not None:
            page = [p for p in page if (to_float(p.get("lastModifiedAt")) or 0) < modified_before_ms]
        if modified_since_ms is None:
            if page:
                yield page
            continue
        kept = [p for p in page if (to_float(p.get("lastModifiedAt")) or 0) >= modified_since_ms]
        if kept:
            yield kept
        if listed and _oldest_ms(listed) < modified_since_ms:
            return  # sorted newest change first: the rest is older than the window


def list_author_posts(client: LinkedInClient, organization_urn: str, modified_since_ms: int | None,
                      modified_before_ms: int | None = None) -> Iterator[list[dict[str, Any]]]:
    """Yield pages of an organization's organic posts, then of its dark posts, each post once.

    Two passes of :func:`list_posts` with the same bounds: the organic listing as LinkedIn returns it by
    default, then ``isDsc=true`` (dark posts, e.g. carousels, which exist only as sponsored content). A post
    both listings return is yielded by the first only.
    """
    seen: set[str] = set()
    for dsc in (False, True):
        for listed in list_posts(client, organization_urn, modified_since_ms, modified_before_ms, dsc):
            page = [p for p in listed if not p.get("id") or str(p["id"]) not in seen]
            seen.update(str(p["id"]) for p in page if p.get("id"))
            if page:
                yield page


def _oldest_ms(posts: list[dict[str, Any]]) -> float:
    return min((to_float(p.get("lastModifiedAt")) or 0) for p in posts)


def fetch_lifetime_statistics(client: LinkedInClient, organization_urn: str,
                              post_urns: list[str]) -> dict[str, dict[str, Any]]:
    """Return lifetime ``totalShareStatistics`` per post URN, in one call for ``post_urns``."""
    params: dict[str, Any] = {"q": "organizationalEntity", "organizationalEntity": organization_urn}
    for name, prefix, _ in STATISTICS_NAMESPACES:
        chosen = [u for u in post_urns if u.startswith(prefix)]
        params[name] = restli_list(chosen) if chosen else None
    if not any(params[name] for name, _, _ in STATISTICS_NAMESPACES):
        return {}
    body = client.get("organizationalEntityShareStatistics", params)
    out: dict[str, dict[str, Any]] = {}
    for element in body.get("elements") or []:
        post = next((element.get(key) for _, _, key in STATISTICS_NAMESPACES if element.get(key)), None)
        stats = element.get("totalShareStatistics")
        if isinstance(post, str) and isinstance(stats, dict):
            out[post] = stats
    return out


def enrich(client: LinkedInClient, resolver: MediaResolver, organization: Organization,
           posts: list[dict[str, Any]]) -> PostBatch:
    """Attach lifetime statistics (published posts) and media details to one page of posts."""
    published = [str(p["id"]) for p in posts if p.get("lifecycleState") == "PUBLISHED" and p.get("id")]
    statistics = fetch_lifetime_statistics(client, organization.urn, published)
    media = resolver.resolve(u for p in posts for u in media_urns(p))
    return PostBatch(organization, posts, media, statistics)


def read_organization_posts(client: LinkedInClient, resolver: MediaResolver, organization: Organization,
                            since_ms: int | None, before_ms: int | None = None) -> Iterator[PostBatch]:
    """Yield enriched pages of one organization's posts changed since ``since_ms`` (every post when ``None``).

    ``before_ms``: leave out posts changed at or after it (a bounded backfill's end; ``None``: no bound).

    Raises:
        AccessDeniedError: When LinkedIn refuses the organization (403); NotFoundError likewise for 404.
    """
    for page in list_author_posts(client, organization.urn, since_ms, before_ms):
        yield enrich(client, resolver, organization, page)
