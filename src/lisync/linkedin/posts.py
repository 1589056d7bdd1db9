"""Organization posts: the listing (newest change first, stopping at the update window) and its enrichment.

Per organization and run:

* ``GET /rest/posts?q=author&author={org urn}&sortBy=LAST_MODIFIED&viewContext=AUTHOR`` with
  ``start``/``count`` (100 per page, LinkedIn's maximum). ``viewContext=AUTHOR`` includes drafts and other
  non-published states, which the spec's ``lifecyclestate`` documents. The listing is sorted by
  ``lastModifiedAt`` descending, so paging stops at the first post older than the read window.
* For each page of posts: one ``organizationalEntityShareStatistics?q=organizationalEntity&shares=List(..)
  &ugcPosts=List(..)`` call for the lifetime statistics of its published posts, and one ``images`` and one
  ``videos`` BATCH_GET for the media they show (see :mod:`lisync.linkedin.media`).

The read window (incremental mode) is ``[savepoint − update window, today]``, starting at *Read start date*
(default: 365 days back, LinkedIn's documented limit) on the first run; the savepoint becomes the run day once
an organization's listing is complete, and moves only with a committed load. The default update window is
30 days: a post's engagement keeps accruing for weeks after it is published or edited, and each re-read
refreshes its lifetime statistics. Full mode reads every post LinkedIn lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from lisync.incremental import get_savepoint, plan_read_window, set_savepoint
from lisync.linkedin.client import LinkedInClient
from lisync.linkedin.convert import to_float
from lisync.linkedin.errors import AccessDeniedError, LinkedInAPIError, NotFoundError
from lisync.linkedin.media import MediaResolver
from lisync.linkedin.organizations import Organization
from lisync.linkedin.restli import restli_list
from lisync.linkedin.shape_posts import media_urns

POSTS_PAGE_SIZE = 100
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


def list_posts(client: LinkedInClient, organization_urn: str,
               modified_since_ms: int | None) -> Iterator[list[dict[str, Any]]]:
    """Yield pages of an organization's posts modified at or after ``modified_since_ms`` (all when ``None``).

    Stops requesting pages as soon as a page reaches a post older than the bound.
    """
    params = {"q": "author", "author": organization_urn, "sortBy": "LAST_MODIFIED", "viewContext": "AUTHOR"}
    for page in client.paginate_offset("posts", params, POSTS_PAGE_SIZE, headers=FINDER_HEADERS):
        if modified_since_ms is None:
            if page:
                yield page
            continue
        kept = [p for p in page if (to_float(p.get("lastModifiedAt")) or 0) >= modified_since_ms]
        if kept:
            yield kept
        if len(kept) < len(page):
            return


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


@dataclass(frozen=True)
class PostsPlan:
    """How one run reads posts.

    Attributes:
        full: Read every post (full replication) instead of the update window.
        start_date: *Read start date* (first incremental run).
        update_window_days: Days before the savepoint that are read again.
        today: The run's UTC date.

    """

    full: bool
    start_date: dt.date
    update_window_days: int
    today: dt.date


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
        if not plan.full:
            window = plan_read_window(get_savepoint(state, organization.id), plan.start_date,
                                      plan.update_window_days, plan.today)
            if window is None:
                continue
            since = day_start_ms(window.start)
        try:
            for page in list_posts(client, organization.urn, since):
                yield enrich(client, resolver, organization, page)
        except (AccessDeniedError, NotFoundError) as error:
            if on_refused is None:
                raise
            on_refused(organization.id, error)
            continue
        if not plan.full:
            set_savepoint(state, organization.id, plan.today)
