"""Conversion rule endpoints: the ``account`` finder (start/count paging) and GET by id.

Both name their ad account in the ``account`` parameter (``urn:li:sponsoredAccount:N``), which must be one
the member can see.
"""

from __future__ import annotations

from lisync.sandbox.errors import RestliError
from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.routes.ads.access import ADS_READ_SCOPES, visible_account
from lisync.sandbox.routes.ads.collections import offset_page
from lisync.sandbox.routes.ads.params import TEntity, parse_int, required_param, urn_id


def _conversion_account(req: SandboxRequest) -> TEntity:
    account_id = urn_id(required_param(req, "account"), ("sponsoredAccount",), "account", numeric_ok=False)
    return visible_account(req, account_id, "conversions")


def conversions_of_account(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/conversions?q=account&account=urn:li:sponsoredAccount:N`` with start/count paging."""
    account = _conversion_account(req)
    return offset_page(req, req.world.conversions_of(account["id"]))


def get_conversion(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/conversions/{id}?account=urn:li:sponsoredAccount:N``."""
    account = _conversion_account(req)
    conversion = req.world.conversion(parse_int(req.path_params["conversion_id"], "conversionId"))
    if conversion is None or req.world.account_id_of(conversion) != account["id"]:
        raise RestliError(
            404, f"Conversion {req.path_params['conversion_id']} does not exist in ad account {account['id']}"
        )
    return SandboxResponse(conversion)


# The endpoints this module answers, in the order of the route table.
ROUTES: tuple[Route, ...] = (
    Route("GET", "/conversions", "account", conversions_of_account, "conversions", scopes=ADS_READ_SCOPES),
    Route("GET", "/conversions/{conversion_id}", None, get_conversion, "conversions", scopes=ADS_READ_SCOPES),
)
