"""Posts endpoints: an organization's posts, an ad account's DSC posts, GET and BATCH_GET by URN.

* ``GET /posts?q=author`` (``count`` 10 by default, at most 100; ``sortBy``; ``viewContext``; ``isDsc``, false
  by default: the author's organic posts only, its Direct Sponsored Content (dark) posts only with
  ``isDsc=true``), ``?q=dscAdAccount`` (an ad account's DSC posts, ``dscAdTypes`` filter, start/count paging),
  ``/posts/{urn}`` and BATCH_GET ``/posts?ids=List(..)``. GET and BATCH_GET also answer the dark post a
  sponsored creative references (:mod:`lisync.sandbox.ads.dsc_posts`), for a member with a post-reading role
  on its author page.
"""

from __future__ import annotations

from typing import Any

from lisync.sandbox.ads.dsc_posts import dsc_post_json, sponsored_creatives_by_post
from lisync.sandbox.ads.settings import TEntity
from lisync.sandbox.errors import RestliError, access_denied
from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.organic.organizations import POST_READER_ROLES
from lisync.sandbox.routes.organizations.params import (
    POST_SCOPES,
    bad_request,
    batch_response,
    enum_param,
    int_param,
    list_param,
    offset_paging,
    organic_world,
    organization_param,
    require_role,
    scalar_param,
    token_grant,
)

POSTS_DEFAULT_COUNT = 10
POSTS_MAX_COUNT = 100
DSC_AD_TYPES = frozenset({"STANDARD", "VIDEO", "CAROUSEL", "JOB_POSTING", "NATIVE_DOCUMENT", "EVENT"})
DSC_SCOPES = (*POST_SCOPES, frozenset({"r_ads"}), frozenset({"rw_ads"}))


def _post_or_error(request: SandboxRequest, urn: str,
                   dsc: dict[str, TEntity] | None = None) -> dict[str, Any] | RestliError:
    """Return an organic post, or the dark post a sponsored creative references.

    ``dsc`` is :func:`sponsored_creatives_by_post` of the world's creatives, built once per BATCH_GET (here when
    absent).
    """
    organic = organic_world(request)
    post = organic.content.find_post(urn)
    if post is not None:
        if organic.member_role(post.org.id, token_grant(request).organization_ids) not in POST_READER_ROLES:
            return access_denied("partnerApiPostsExternal", "GET", request.version)
        return organic.content.post_json(post)
    world = request.world
    creative = (dsc if dsc is not None else sponsored_creatives_by_post(world.creatives)).get(urn)
    if creative is None:
        return RestliError(404, f"Post {urn} does not exist or was deleted.")
    account = world.account(world.account_id_of(creative))
    dark = dsc_post_json(world.seed, creative, account, world.campaign(int(creative["campaign"].rsplit(":", 1)[-1])))
    author = dark["author"].rpartition(":")[2]
    if not (dark["author"].startswith("urn:li:organization:") and organic.member_role(
            int(author), token_grant(request).organization_ids) in POST_READER_ROLES):
        return access_denied("partnerApiPostsExternal", "GET", request.version)
    return dark


def _sponsored_dark_posts(request: SandboxRequest, author: str | None = None,
                          account: str | None = None) -> list[dict[str, Any]]:
    """Return the dark posts the world's sponsored creatives reference, by author page or ad account URN."""
    world = request.world
    out: list[dict[str, Any]] = []
    for creative in sponsored_creatives_by_post(world.creatives).values():
        if account is not None and str(creative["account"]) != account:
            continue
        owner = world.account(world.account_id_of(creative))
        if author is not None and (owner or {}).get("reference") != author:
            continue
        campaign = world.campaign(int(creative["campaign"].rsplit(":", 1)[-1]))
        out.append(dsc_post_json(world.seed, creative, owner, campaign))
    return out


def find_posts_by_author(request: SandboxRequest) -> SandboxResponse:
    """List an organization's posts, newest first by ``lastModifiedAt`` (default) or ``createdAt``.

    ``isDsc`` (false by default) picks organic posts (false) or the author's Direct Sponsored Content posts
    (true): the organic world's dark posts and the dark posts its sponsored creatives reference.
    """
    organic = organic_world(request)
    author = scalar_param(request, "author", required=True) or ""
    if author.startswith("urn:li:person:"):
        raise access_denied("partnerApiPostsExternal", "FINDER-author", request.version)
    org = require_role(request, organization_param(request, "author"), POST_READER_ROLES,
                       "partnerApiPostsExternal", "FINDER-author")
    sort_by = enum_param(request, "sortBy", ("LAST_MODIFIED", "CREATED"), "LAST_MODIFIED")
    view_context = enum_param(request, "viewContext", ("READER", "AUTHOR"), "READER")
    start, count = int_param(request, "start", 0), int_param(request, "count", POSTS_DEFAULT_COUNT)
    if count > POSTS_MAX_COUNT:
        raise bad_request(f"Parameter 'count' is invalid: {count} is above the maximum {POSTS_MAX_COUNT}.")
    dsc = enum_param(request, "isDsc", ("true", "false"), "false") == "true"
    posts = [p for p in organic.content.visible_posts(org) if (view_context == "AUTHOR" or p.state == "PUBLISHED")
             and (p.feed_distribution == "NONE") == dsc]
    shaped = [organic.content.post_json(p) for p in posts]
    if dsc:
        shaped.extend(_sponsored_dark_posts(request, author=org.urn))
    key = "lastModifiedAt" if sort_by == "LAST_MODIFIED" else "createdAt"
    shaped.sort(key=lambda p: (p[key], p["id"]), reverse=True)
    return SandboxResponse({"paging": offset_paging(request, len(shaped), start, count),
                            "elements": shaped[start:start + count]})


def find_posts_by_ad_account(request: SandboxRequest) -> SandboxResponse:
    """List the Direct Sponsored Content (dark) posts of an ad account (Posts API "Find Posts by Account").

    The posts are the dark posts the account's sponsored creatives reference (those GET and BATCH_GET answer),
    of the ``dscAdTypes`` asked for (all when absent), newest first by ``lastModifiedAt``, in
    ``start``/``count`` pages.
    """
    raw = scalar_param(request, "dscAdAccount", required=True) or ""
    prefix, _, tail = raw.rpartition(":")
    if prefix != "urn:li:sponsoredAccount" or not tail.isdigit():
        raise bad_request(f"Parameter 'dscAdAccount' is invalid: expected urn:li:sponsoredAccount:<id>, got {raw!r}.")
    account_id = int(tail)
    if request.world.account(account_id) is None:
        raise RestliError(404, f"Ad account {account_id} does not exist")
    if not request.world.can_see_account(token_grant(request), account_id):
        raise access_denied("partnerApiPostsExternal", "FINDER-dscAdAccount", request.version)
    types = set(list_param(request, "dscAdTypes"))
    unknown = sorted(types - DSC_AD_TYPES)
    if unknown:
        raise bad_request(f"Parameter 'dscAdTypes' is invalid: {', '.join(unknown)}; use "
                          f"{', '.join(sorted(DSC_AD_TYPES))}.")
    start, count = int_param(request, "start", 0), int_param(request, "count", POSTS_DEFAULT_COUNT)
    if count > POSTS_MAX_COUNT:
        raise bad_request(f"Parameter 'count' is invalid: {count} is above the maximum {POSTS_MAX_COUNT}.")
    shaped = [p for p in _sponsored_dark_posts(request, account=raw)
              if not types or p["adContext"]["dscAdType"] in types]
    shaped.sort(key=lambda p: (p["lastModifiedAt"], p["id"]), reverse=True)
    return SandboxResponse({"paging": offset_paging(request, len(shaped), start, count),
                            "elements": shaped[start:start + count]})


def get_post(request: SandboxRequest) -> SandboxResponse:
    """Return one post by its (URL-encoded) URN."""
    found = _post_or_error(request, request.path_params["post_urn"])
    if isinstance(found, RestliError):
        raise found
    return SandboxResponse(found)


def batch_get_posts(request: SandboxRequest) -> SandboxResponse:
    """BATCH_GET posts by URN."""
    ids = list_param(request, "ids")
    if not ids:
        raise bad_request("Required parameter 'ids' is missing: use ids=List(urn1,urn2) or q=author.")
    dsc = sponsored_creatives_by_post(request.world.creatives)
    return batch_response(ids, lambda urn: _post_or_error(request, urn, dsc))


# The endpoints this module answers, in the order of the route table.
ROUTES: tuple[Route, ...] = (
    Route("GET", "/posts", "author", find_posts_by_author, "partnerApiPostsExternal", scopes=POST_SCOPES),
    Route("GET", "/posts", "dscAdAccount", find_posts_by_ad_account, "partnerApiPostsExternal", scopes=DSC_SCOPES),
    Route("GET", "/posts/{post_urn}", None, get_post, "partnerApiPostsExternal", scopes=POST_SCOPES),
    Route("GET", "/posts", None, batch_get_posts, "partnerApiPostsExternal", scopes=POST_SCOPES),
)
