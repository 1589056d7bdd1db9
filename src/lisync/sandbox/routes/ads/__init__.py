"""Ads entity endpoints: the LinkedIn behaviour they emulate, and one import point for their public names.

Behaviour chosen from LinkedIn's docs (li-lms-2026-02 pages "Create and Manage Campaign Groups /
Campaigns / Creatives", "Cursor Based Pagination For Search APIs"):

* Search finders page with ``pageSize`` (default 100; max 1000, creatives 100) and an opaque
  ``pageToken`` naming the last entity returned; ``metadata.nextPageToken`` is absent on the last page.
* Results are sorted by id, ``sortOrder=ASCENDING`` by default.
* No status is excluded by default for accounts, groups and campaigns (the docs list none; connectors
  still send every status explicitly). ``test`` unset matches test and non-test entities.
* ``creatives?q=criteria`` without ``intendedStatuses`` or ``creatives`` hides CANCELED creatives (the
  docs: "The creative will be hidden when querying all creatives under a campaign").
* Campaign search without ``pageSize``/``pageToken`` matching more than 1,000 campaigns answers
  ``400 {"message":"Request would return too many entities. ","status":400}`` (verbatim docs).
* An account the member has no role on answers 403 ACCESS_DENIED; an unknown account 404.

Where each part lives:

* :mod:`~lisync.sandbox.routes.ads.params` — Rest.li parameter parsing and search-criterion matching;
* :mod:`~lisync.sandbox.routes.ads.collections` — cursor paging, start/count paging and BATCH_GET;
* :mod:`~lisync.sandbox.routes.ads.access` — the ads read scopes and which accounts a token may read;
* :mod:`~lisync.sandbox.routes.ads.accounts` — ``adAccounts`` and ``adAccountUsers``;
* :mod:`~lisync.sandbox.routes.ads.campaigns` — ``adCampaignGroups`` and ``adCampaigns``;
* :mod:`~lisync.sandbox.routes.ads.creatives` — ``creatives``;
* :mod:`~lisync.sandbox.routes.ads.conversions` — ``conversions``.
"""
