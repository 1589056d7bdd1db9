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

Where each part lives (this module only re-exports their public names):

* :mod:`~lisync.sandbox.routes.ads_params` — Rest.li parameter parsing and search-criterion matching;
* :mod:`~lisync.sandbox.routes.ads_collections` — cursor paging, start/count paging and BATCH_GET;
* :mod:`~lisync.sandbox.routes.ads_access` — the ads read scopes and which accounts a token may read;
* :mod:`~lisync.sandbox.routes.ad_accounts` — ``adAccounts`` and ``adAccountUsers``;
* :mod:`~lisync.sandbox.routes.campaigns` — ``adCampaignGroups`` and ``adCampaigns``;
* :mod:`~lisync.sandbox.routes.creatives` — ``creatives``;
* :mod:`~lisync.sandbox.routes.conversions` — ``conversions``.
"""

from __future__ import annotations

from lisync.sandbox.routes.ad_accounts import (
    ACCOUNT_SEARCH_FIELDS,
    account_users_of_account,
    account_users_of_member,
    batch_get_ad_accounts,
    get_ad_account,
    search_ad_accounts,
)
from lisync.sandbox.routes.ads_access import ADS_READ_SCOPES, visible_account
from lisync.sandbox.routes.ads_collections import (
    DEFAULT_COUNT,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    cursor_page,
    offset_page,
)
from lisync.sandbox.routes.ads_params import (
    TEntity,
    bad_request,
    criterion_values,
    list_param,
    parse_bool,
    parse_int,
    required_param,
    search_criteria,
    urn_id,
)
from lisync.sandbox.routes.campaigns import (
    CAMPAIGN_SEARCH_FIELDS,
    GROUP_SEARCH_FIELDS,
    MAX_UNPAGED_CAMPAIGNS,
    batch_get_campaign_groups,
    batch_get_campaigns,
    get_campaign,
    get_campaign_group,
    search_campaign_groups,
    search_campaigns,
)
from lisync.sandbox.routes.conversions import conversions_of_account, get_conversion
from lisync.sandbox.routes.creatives import MAX_CREATIVE_PAGE_SIZE, get_creative, search_creatives

__all__ = [
    "ACCOUNT_SEARCH_FIELDS",
    "ADS_READ_SCOPES",
    "CAMPAIGN_SEARCH_FIELDS",
    "DEFAULT_COUNT",
    "DEFAULT_PAGE_SIZE",
    "GROUP_SEARCH_FIELDS",
    "MAX_CREATIVE_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "MAX_UNPAGED_CAMPAIGNS",
    "TEntity",
    "account_users_of_account",
    "account_users_of_member",
    "bad_request",
    "batch_get_ad_accounts",
    "batch_get_campaign_groups",
    "batch_get_campaigns",
    "conversions_of_account",
    "criterion_values",
    "cursor_page",
    "get_ad_account",
    "get_campaign",
    "get_campaign_group",
    "get_conversion",
    "get_creative",
    "list_param",
    "offset_page",
    "parse_bool",
    "parse_int",
    "required_param",
    "search_ad_accounts",
    "search_campaign_groups",
    "search_campaigns",
    "search_creatives",
    "search_criteria",
    "urn_id",
    "visible_account",
]
