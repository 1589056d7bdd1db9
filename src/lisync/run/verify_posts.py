"""Verify organization posts: every post LinkedIn lists (modified in scope) must have landed.

Per organization the posts finder is paged (100 a page, newest change first, stopping at the read start
date; organic posts, then dark posts with ``isDsc=true``, as the run reads them) and the listed ids are
compared with the landed ``organization_posts`` ids. Posts modified today are left out: a run lists them at
some moment of the day, and one published after that moment is the next run's. Landed posts LinkedIn no
longer lists (deleted posts) are counted, not failed: their rows are history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import dlt

from lisync.linkedin.convert import to_float
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import AccessDeniedError, NotFoundError
from lisync.linkedin.pages.posts import day_start_ms, list_author_posts

__all__ = ["POSTS_TABLE", "PostsCheck", "landed_post_ids", "verify_posts"]

POSTS_TABLE = "organization_posts"
MISSING_SHOWN = 20


@dataclass
class PostsCheck:
    """Listed versus landed posts.

    Attributes:
        organizations: Organizations checked.
        listed: Posts LinkedIn lists in scope.
        landed: Of those, posts that landed.
        missing: Listed posts that did not land, per organization id (at most 20 shown each).
        missing_count: Listed posts that did not land, in all.
        unlisted_landed: Landed posts LinkedIn no longer lists (deleted), in all.
        requests: Requests the listings cost.
        repaired: Missing posts found per organization id before a repair re-read it.
        repair_requests: Requests the repair cost (re-reading and checking again).
        refused: Organizations LinkedIn refused to list (403/404): not checked, as the run skipped them.
    """

    organizations: int = 0
    listed: int = 0
    landed: int = 0
    missing: dict[str, list[str]] = field(default_factory=dict)
    missing_count: int = 0
    unlisted_landed: int = 0
    requests: int = 0
    repaired: dict[str, int] = field(default_factory=dict)
    repair_requests: int = 0
    refused: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {"organizations": self.organizations, "listed": self.listed, "landed": self.landed,
                "missing": self.missing_count, "missing_posts": self.missing,
                "landed_not_listed": self.unlisted_landed, "requests": self.requests, "repaired": self.repaired,
                "repair_requests": self.repair_requests, "refused": self.refused}


def landed_post_ids(pipeline: dlt.Pipeline, organization_urn: str) -> set[str]:
    """Return the post ids landed for one organization (none when the table does not exist)."""
    if not pipeline.default_schema_name or POSTS_TABLE not in pipeline.default_schema.data_table_names():
        return set()
    with pipeline.sql_client() as client:
        table = client.make_qualified_table_name(POSTS_TABLE)
        safe = organization_urn.replace("'", "''")
        with client.execute_query(f"SELECT DISTINCT post_id FROM {table} WHERE organization_urn = '{safe}'") as cursor:
            return {str(row[0]) for row in cursor.fetchall()}


def verify_posts(pipeline: dlt.Pipeline, client: LinkedInClient, organizations: Sequence[dict[str, Any]],
                 start: dt.date, today: dt.date, locked: Callable[[], Any]) -> PostsCheck:
    """Compare the posts LinkedIn lists for ``organizations`` with the landed ones.

    Args:
        pipeline: The dlt pipeline bound to the destination.
        client: The LinkedIn client.
        organizations: ``{"id", "urn"}`` of the selected company pages.
        start: The read start date: posts last modified before it are out of scope.
        today: Posts modified on this day are out of scope.
        locked: Context-manager factory held while reading the destination.
    """
    check = PostsCheck(organizations=len(organizations))
    before = client.stats.as_dict()["total"]
    until = day_start_ms(today)
    for organization in organizations:
        listed: set[str] = set()
        try:
            for page in list_author_posts(client, organization["urn"], day_start_ms(start)):
                listed.update(str(p["id"]) for p in page
                              if p.get("id") and (to_float(p.get("lastModifiedAt")) or 0) < until)
        except (AccessDeniedError, NotFoundError):
            check.refused.append(str(organization["id"]))  # refused: the run skipped it with a note already
            continue
        with locked():
            landed = landed_post_ids(pipeline, organization["urn"])
        missing = sorted(listed - landed)
        check.listed += len(listed)
        check.landed += len(listed & landed)
        check.unlisted_landed += len(landed - listed)
        if missing:
            check.missing[str(organization["id"])] = missing[:MISSING_SHOWN]
            check.missing_count += len(missing)
    check.requests = client.stats.as_dict()["total"] - before
    return check
