"""Landing pages of sponsored-content creatives, read from the posts they sponsor (batched Posts API lookups).

A sponsored-content creative carries no URL: its ``content.reference`` is the post it sponsors
(``urn:li:share:N`` or ``urn:li:ugcPost:N``), usually a dark post (``feedDistribution: NONE``) made for the ad.
The Posts API's author finder (``q=author``, what ``organization_posts`` reads) is not documented to list dark
posts (they have their own finder, ``q=dscAdAccount``), so joining creatives to ``organization_posts`` would
miss most of them. Instead the referenced posts are read directly:

* ``GET /rest/posts?ids=List(urn%3Ali%3Ashare%3A…,…)`` (BATCH_GET, ``{"results": {urn: post}, "errors": …}``),
  at most :data:`POSTS_BATCH_SIZE` posts a request, each distinct post once per account listing.
* The landing page is the post's ``contentLandingPage`` ("web page opened when the member clicks on the
  content", Post Schema), or, for an article post, ``content.article.source`` (LinkedIn ignores
  ``contentLandingPage`` for article ads). A post with neither (a lead-gen ad, whose destination is its form)
  gets no row.
* Reading posts needs ``r_organization_social`` and a post-reading role on the author page (ADMINISTRATOR,
  DIRECT_SPONSORED_CONTENT_POSTER or CONTENT_ADMINISTRATOR). Without them LinkedIn answers 403: sponsored
  creatives then get no row, the run summary says so once, and no further lookup is made that run. A post
  refused or missing on its own (a per-key error) gets no row either.

Docs: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api and
…/post-api-schema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from lisync.linkedin.convert import dig
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import AccessDeniedError
from lisync.linkedin.http.restli import restli_list

# 50 encoded post URNs (about 40 characters each) stay under LinkedIn's 4 KB query limit, as for media.
POSTS_BATCH_SIZE = 50
POST_REFERENCE_PREFIXES = ("urn:li:share:", "urn:li:ugcPost:")
POSTS_FORBIDDEN_NOTE = ("creative_landing_pages: LinkedIn refused to read the posts sponsored creatives point to "
                        "(403), so sponsored content has no landing page this run. Sign in with "
                        "r_organization_social and a post-reading role (ADMINISTRATOR, "
                        "DIRECT_SPONSORED_CONTENT_POSTER or CONTENT_ADMINISTRATOR) on the advertised pages.")


def sponsored_post_urn(creative: dict[str, Any]) -> str | None:
    """Return the share/ugcPost URN a sponsored-content creative references, or ``None``."""
    reference = dig(creative, "content", "reference")
    return reference if isinstance(reference, str) and reference.startswith(POST_REFERENCE_PREFIXES) else None


def post_landing_page(post: dict[str, Any]) -> str | None:
    """Return where a click on ``post`` leads: ``contentLandingPage``, else the article's ``source``."""
    for page in (post.get("contentLandingPage"), dig(post, "content", "article", "source")):
        if isinstance(page, str) and page.strip():
            return page
    return None


class SponsoredPostPages:
    """Looks up the landing pages of sponsored posts in batches; stops for the run after a 403.

    Args:
        client: The LinkedIn client.
        add_note: Where the one-time refusal note goes (the run summary's notes).

    Attributes:
        requests: BATCH_GET requests made so far.
        refused: Whether LinkedIn refused the lookup (no more are made).
    """

    def __init__(self, client: LinkedInClient, add_note: Callable[[str], None]) -> None:
        self.client = client
        self.add_note = add_note
        self.requests = 0
        self.refused = False

    def landing_pages(self, urns: Iterable[str]) -> dict[str, str]:
        """Return ``{post urn: landing page}`` for the posts of ``urns`` that have one (each read once)."""
        wanted = list(dict.fromkeys(urns))
        found: dict[str, str] = {}
        for offset in range(0, len(wanted), POSTS_BATCH_SIZE):
            if self.refused:
                break
            batch = wanted[offset:offset + POSTS_BATCH_SIZE]
            try:
                body = self.client.get("posts", {"ids": restli_list(batch)})
            except AccessDeniedError:
                self.refused = True
                self.add_note(POSTS_FORBIDDEN_NOTE)
                break
            finally:
                self.requests += 1
            results = body.get("results") if isinstance(body, dict) else None
            for urn in batch:
                post = results.get(urn) if isinstance(results, dict) else None
                page = post_landing_page(post) if isinstance(post, dict) else None
                if page is not None:
                    found[urn] = page
        return found
