"""Organization (Community Management) endpoints: what they emulate, and one import point for their names.

Routes (all under ``/rest``; data from :class:`lisync.sandbox.organic_world.OrganicWorld`):

* ``GET /organizationAcls?q=roleAssignee`` (``role``, ``state``, ``start``, ``count``) and
  ``?q=organization&organization={urn}`` (the caller must administer the organization).
* ``GET /organizations/{id}``, BATCH_GET ``/organizations?ids=List(..)`` (full fields for an approved
  ADMINISTRATOR, LinkedIn's non-admin subset otherwise) and ``/organizationsLookup?ids=List(..)`` (subset).
* ``GET /organizationPageStatistics?q=organization``, ``/organizationalEntityFollowerStatistics`` and
  ``/organizationalEntityShareStatistics?q=organizationalEntity``: lifetime without ``timeIntervals``,
  one element per whole bucket with it; share statistics also per post (``shares``/``ugcPosts`` lists).
* ``GET /posts?q=author`` (``count`` 10 by default, at most 100; ``sortBy``; ``viewContext``),
  ``?q=dscAdAccount`` (an ad account's DSC posts: none are modelled, so an empty page),
  ``/posts/{urn}`` and BATCH_GET ``/posts?ids=List(..)``.
* ``GET /images|videos|documents/{urn}`` and their BATCH_GETs; a token without media permission gets 403.
* ``GET /networkSizes/{urn}?edgeType=COMPANY_FOLLOWED_BY_MEMBER``.

Statistics windows follow what real traffic shows: buckets must be whole (end ≥ start + one granularity
unit), start and end less than 14 months apart, start within the last 12 months and at least two days
before now, all on the sandbox clock. Days inside LinkedIn's ~2-day data lag have no data yet.

Where each part lives (this module only re-exports their public names):

* :mod:`~lisync.sandbox.routes.organization_params` — parameter, paging, role and BATCH_GET helpers;
* :mod:`~lisync.sandbox.routes.organization_lookup` — ACLs, organization lookups and ``networkSizes``;
* :mod:`~lisync.sandbox.routes.organization_stats` — page, follower and share statistics;
* :mod:`~lisync.sandbox.routes.posts` — ``posts``;
* :mod:`~lisync.sandbox.routes.media` — ``images``, ``videos`` and ``documents``.
"""

from __future__ import annotations

from lisync.sandbox.routes.media import MEDIA_SCOPES
from lisync.sandbox.routes.organization_lookup import (
    FINDER_DEFAULT_COUNT,
    FOLLOWED_EDGE_TYPES,
    ROLES,
    STATES,
    batch_get_organizations,
    batch_lookup_organizations,
    find_acls_by_organization,
    find_acls_by_role_assignee,
    get_network_size,
    get_organization,
)
from lisync.sandbox.routes.organization_params import ACL_SCOPES, ADMIN_SCOPES, POST_SCOPES
from lisync.sandbox.routes.organization_stats import (
    GRANULARITIES,
    find_follower_statistics,
    find_page_statistics,
    find_share_statistics,
)
from lisync.sandbox.routes.posts import (
    DSC_AD_TYPES,
    DSC_SCOPES,
    POSTS_DEFAULT_COUNT,
    POSTS_MAX_COUNT,
    batch_get_posts,
    find_posts_by_ad_account,
    find_posts_by_author,
    get_post,
)

__all__ = [
    "ACL_SCOPES",
    "ADMIN_SCOPES",
    "DSC_AD_TYPES",
    "DSC_SCOPES",
    "FINDER_DEFAULT_COUNT",
    "FOLLOWED_EDGE_TYPES",
    "GRANULARITIES",
    "MEDIA_SCOPES",
    "POSTS_DEFAULT_COUNT",
    "POSTS_MAX_COUNT",
    "POST_SCOPES",
    "ROLES",
    "STATES",
    "batch_get_organizations",
    "batch_get_posts",
    "batch_lookup_organizations",
    "find_acls_by_organization",
    "find_acls_by_role_assignee",
    "find_follower_statistics",
    "find_page_statistics",
    "find_posts_by_ad_account",
    "find_posts_by_author",
    "find_share_statistics",
    "get_network_size",
    "get_organization",
    "get_post",
]
