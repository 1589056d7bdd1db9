"""Campaign group and campaign endpoints under an ad account: search, GET and BATCH_GET.

No status is excluded by default (the docs list none) and ``test`` unset matches test and non-test
entities. Campaign search without ``pageSize``/``pageToken`` matching more than 1,000 campaigns answers
``400 {"message":"Request would return too many entities. ","status":400}`` (verbatim docs).
"""

from __future__ import annotations

from lisync.sandbox.errors import RestliError
from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.routes.ads.access import ADS_READ_SCOPES, path_account
from lisync.sandbox.routes.ads.collections import MAX_PAGE_SIZE, batch_get, cursor_page
from lisync.sandbox.routes.ads.params import (
    TEntity,
    bad_request,
    criterion_values,
    name_matches,
    parse_bool,
    parse_int,
    search_criteria,
    urn_id,
    value_matches,
)

MAX_UNPAGED_CAMPAIGNS = 1000

# ------------------------------------------------------------------------------------- campaign groups

GROUP_SEARCH_FIELDS = frozenset({"id", "status", "name", "test"})


def search_campaign_groups(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/adCampaignGroups?q=search``."""
    account = path_account(req, "adCampaignGroups")
    search = search_criteria(req, GROUP_SEARCH_FIELDS)
    ids = criterion_values(search, "id")
    wanted = None if ids is None else {urn_id(v, ("sponsoredCampaignGroup",), "search.id") for v in ids}
    statuses, names = criterion_values(search, "status"), criterion_values(search, "name")
    test = parse_bool(search.get("test"), "search.test")
    matches = [
        g
        for g in req.world.groups_of(account["id"])
        if (wanted is None or g["id"] in wanted)
        and value_matches(statuses, g["status"])
        and name_matches(names, g.get("name"))
        and (test is None or g["test"] == test)
    ]
    return cursor_page(req, matches, lambda g: g["id"], MAX_PAGE_SIZE, f"adCampaignGroups:{account['id']}")


def batch_get_campaign_groups(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/adCampaignGroups?ids=List(...)``."""
    account = path_account(req, "adCampaignGroups")
    return batch_get(req, lambda i: _group_in(req, account, i), ("sponsoredCampaignGroup",))


def _group_in(req: SandboxRequest, account: TEntity, group_id: int) -> TEntity:
    group = req.world.campaign_group(group_id)
    if group is None or req.world.account_id_of(group) != account["id"]:
        raise RestliError(404, f"Campaign group {group_id} does not exist in ad account {account['id']}")
    return group


def get_campaign_group(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/adCampaignGroups/{groupId}``."""
    account = path_account(req, "adCampaignGroups")
    return SandboxResponse(_group_in(req, account, parse_int(req.path_params["group_id"], "campaignGroupId")))


# ------------------------------------------------------------------------------------------- campaigns

CAMPAIGN_SEARCH_FIELDS = frozenset(
    {"id", "campaignGroup", "associatedEntity", "status", "type", "name", "test"}
)


def search_campaigns(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/adCampaigns?q=search``."""
    account = path_account(req, "adCampaigns")
    search = search_criteria(req, CAMPAIGN_SEARCH_FIELDS)
    ids = criterion_values(search, "id")
    wanted = None if ids is None else {urn_id(v, ("sponsoredCampaign",), "search.id") for v in ids}
    groups = criterion_values(search, "campaignGroup")
    wanted_groups = (
        None
        if groups is None
        else {
            f"urn:li:sponsoredCampaignGroup:{urn_id(v, ('sponsoredCampaignGroup',), 'search.campaignGroup')}"
            for v in groups
        }
    )
    entities, statuses = criterion_values(search, "associatedEntity"), criterion_values(search, "status")
    types, names = criterion_values(search, "type"), criterion_values(search, "name")
    test = parse_bool(search.get("test"), "search.test")
    matches = [
        c
        for c in req.world.campaigns_of(account["id"])
        if c["id"] not in req.world.unlisted_campaign_ids
        and (wanted is None or c["id"] in wanted)
        and (wanted_groups is None or c["campaignGroup"] in wanted_groups)
        and value_matches(entities, c.get("associatedEntity"))
        and value_matches(statuses, c["status"])
        and value_matches(types, c["type"])
        and name_matches(names, c.get("name"))
        and (test is None or c["test"] == test)
    ]
    unpaged = req.query.get("pageSize") is None and req.query.get("pageToken") is None
    if unpaged and len(matches) > MAX_UNPAGED_CAMPAIGNS:
        raise bad_request("Request would return too many entities. ")
    return cursor_page(req, matches, lambda c: c["id"], MAX_PAGE_SIZE, f"adCampaigns:{account['id']}")


def batch_get_campaigns(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/adCampaigns?ids=List(...)``."""
    account = path_account(req, "adCampaigns")
    return batch_get(req, lambda i: _campaign_in(req, account, i), ("sponsoredCampaign",))


def _campaign_in(req: SandboxRequest, account: TEntity, campaign_id: int) -> TEntity:
    campaign = req.world.campaign(campaign_id)
    if campaign is None or req.world.account_id_of(campaign) != account["id"]:
        raise RestliError(404, f"Campaign {campaign_id} does not exist in ad account {account['id']}")
    return campaign


def get_campaign(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/adCampaigns/{campaignId}``."""
    account = path_account(req, "adCampaigns")
    return SandboxResponse(
        _campaign_in(req, account, parse_int(req.path_params["campaign_id"], "campaignId"))
    )


# The endpoints this module answers, in the order of the route table.
ROUTES: tuple[Route, ...] = (
    Route("GET", "/adAccounts/{account_id}/adCampaignGroups", "search", search_campaign_groups,
          "adCampaignGroups", scopes=ADS_READ_SCOPES),
    Route("GET", "/adAccounts/{account_id}/adCampaignGroups", None, batch_get_campaign_groups,
          "adCampaignGroups", scopes=ADS_READ_SCOPES),
    Route("GET", "/adAccounts/{account_id}/adCampaignGroups/{group_id}", None, get_campaign_group,
          "adCampaignGroups", scopes=ADS_READ_SCOPES),
    Route("GET", "/adAccounts/{account_id}/adCampaigns", "search", search_campaigns,
          "adCampaigns", scopes=ADS_READ_SCOPES),
    Route("GET", "/adAccounts/{account_id}/adCampaigns", None, batch_get_campaigns,
          "adCampaigns", scopes=ADS_READ_SCOPES),
    Route("GET", "/adAccounts/{account_id}/adCampaigns/{campaign_id}", None, get_campaign,
          "adCampaigns", scopes=ADS_READ_SCOPES),
)
