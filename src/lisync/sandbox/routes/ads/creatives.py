"""Creative endpoints under an ad account: the ``criteria`` finder and GET by sponsoredCreative URN.

``creatives?q=criteria`` ORs values within a field and ANDs across fields; without ``intendedStatuses`` or
``creatives`` it hides CANCELED creatives (the docs: "The creative will be hidden when querying all
creatives under a campaign"). Pages hold at most 100 creatives.
"""

from __future__ import annotations

from lisync.sandbox.errors import RestliError
from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.http.restli import first_value
from lisync.sandbox.routes.ads.access import ADS_READ_SCOPES, path_account
from lisync.sandbox.routes.ads.collections import cursor_page
from lisync.sandbox.routes.ads.params import TEntity, list_param, parse_bool, urn_id

MAX_CREATIVE_PAGE_SIZE = 100


def _creative_number(creative: TEntity) -> int:
    return int(creative["id"].rsplit(":", 1)[-1])


def search_creatives(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/creatives?q=criteria``: values ORed within a field, ANDed across fields."""
    account = path_account(req, "creatives")
    campaigns = list_param(req, "campaigns")
    wanted_campaigns = (
        None
        if campaigns is None
        else {
            f"urn:li:sponsoredCampaign:{urn_id(v, ('sponsoredCampaign',), 'campaigns', numeric_ok=False)}"
            for v in campaigns
        }
    )
    creatives = list_param(req, "creatives")
    wanted_creatives = (
        None
        if creatives is None
        else {urn_id(v, ("sponsoredCreative",), "creatives", numeric_ok=False) for v in creatives}
    )
    statuses = list_param(req, "intendedStatuses")
    references = list_param(req, "contentReferences")
    test = parse_bool(first_value(req.query.get("isTestAccount")), "isTestAccount")
    hide_canceled = not statuses and not creatives
    matches = [
        c
        for c in req.world.creatives_of(account["id"])
        if (not wanted_campaigns or c["campaign"] in wanted_campaigns)
        and (not wanted_creatives or _creative_number(c) in wanted_creatives)
        and (not statuses or c["intendedStatus"] in statuses)
        and (not references or c["content"].get("reference") in references)
        and (test is None or c["isTest"] == test)
        and not (hide_canceled and c["intendedStatus"] == "CANCELED")
    ]
    return cursor_page(req, matches, _creative_number, MAX_CREATIVE_PAGE_SIZE, f"creatives:{account['id']}")


def get_creative(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/creatives/{encoded sponsoredCreative URN}``."""
    account = path_account(req, "creatives")
    creative_id = urn_id(
        req.path_params["creative_urn"], ("sponsoredCreative",), "creativeId", numeric_ok=False
    )
    creative = req.world.creative(creative_id)
    if creative is None or req.world.account_id_of(creative) != account["id"]:
        raise RestliError(
            404,
            f"Creative urn:li:sponsoredCreative:{creative_id} does not exist in ad account {account['id']}",
        )
    return SandboxResponse(creative)


# The endpoints this module answers, in the order of the route table.
ROUTES: tuple[Route, ...] = (
    Route("GET", "/adAccounts/{account_id}/creatives", "criteria", search_creatives,
          "creatives", scopes=ADS_READ_SCOPES),
    Route("GET", "/adAccounts/{account_id}/creatives/{creative_urn}", None, get_creative,
          "creatives", scopes=ADS_READ_SCOPES),
)
