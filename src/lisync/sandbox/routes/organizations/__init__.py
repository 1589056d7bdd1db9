"""Organization (Community Management) endpoints: what they emulate, and one import point for their names.

Routes (all under ``/rest``; data from :class:`lisync.sandbox.organic.world.OrganicWorld`):

* ``GET /organizationAcls?q=roleAssignee`` (``role``, ``state``, ``start``, ``count``) and
  ``?q=organization&organization={urn}`` (the caller must administer the organization).
* ``GET /organizations/{id}``, BATCH_GET ``/organizations?ids=List(..)`` (full fields for an approved
  ADMINISTRATOR, LinkedIn's non-admin subset otherwise) and ``/organizationsLookup?ids=List(..)`` (subset).
* ``GET /organizationPageStatistics?q=organization``, ``/organizationalEntityFollowerStatistics`` and
  ``/organizationalEntityShareStatistics?q=organizationalEntity``: lifetime without ``timeIntervals``,
  one element per whole bucket with it; share statistics also per post (``shares``/``ugcPosts`` lists).
* ``GET /posts?q=author`` (``count`` 10 by default, at most 100; ``sortBy``; ``viewContext``; ``isDsc``,
  false by default, so dark posts are listed only with ``isDsc=true``),
  ``?q=dscAdAccount`` (an ad account's DSC posts, ``dscAdTypes``, start/count),
  ``/posts/{urn}`` and BATCH_GET ``/posts?ids=List(..)``.
* ``GET /images|videos|documents/{urn}`` and their BATCH_GETs; a token without media permission gets 403.
* ``GET /networkSizes/{urn}?edgeType=COMPANY_FOLLOWED_BY_MEMBER``.

Statistics windows follow what real traffic shows: buckets must be whole (end ≥ start + one granularity
unit), start and end less than 14 months apart, start within the last 12 months and at least two days
before now, all on the sandbox clock. Days inside LinkedIn's ~2-day data lag have no data yet.

Where each part lives:

* :mod:`~lisync.sandbox.routes.organizations.params` — parameter, paging, role and BATCH_GET helpers;
* :mod:`~lisync.sandbox.routes.organizations.lookup` — ACLs, organization lookups and ``networkSizes``;
* :mod:`~lisync.sandbox.routes.organizations.stats` — page, follower and share statistics;
* :mod:`~lisync.sandbox.routes.organizations.posts` — ``posts``;
* :mod:`~lisync.sandbox.routes.organizations.brands` — showcase pages: ``organizationBrands``, ``brandPageStatistics``;
* :mod:`~lisync.sandbox.routes.organizations.video` — ``videoAnalytics`` (organic video views, viewers, watch time);
* :mod:`~lisync.sandbox.routes.organizations.media` — ``images``, ``videos`` and ``documents``.
"""
