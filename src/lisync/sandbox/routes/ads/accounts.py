"""Ad account endpoints: account search, GET and BATCH_GET, and the member's roles (``adAccountUsers``).

No status is excluded by default from the account search (the docs list none; connectors still send every
status explicitly) and ``test`` unset matches test and non-test accounts.
"""

from __future__ import annotations

from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.routes.ads.access import ADS_READ_SCOPES, path_account, token_grant, visible_account
from lisync.sandbox.routes.ads.collections import MAX_PAGE_SIZE, batch_get, cursor_page, offset_page
from lisync.sandbox.routes.ads.params import (
    bad_request,
    criterion_values,
    list_param,
    name_matches,
    parse_bool,
    search_criteria,
    urn_id,
    value_matches,
)

ACCOUNT_SEARCH_FIELDS = frozenset({"id", "name", "reference", "type", "status", "test"})


def search_ad_accounts(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts?q=search``: the accounts the member can see, filtered by ``search``."""
    search = search_criteria(req, ACCOUNT_SEARCH_FIELDS)
    ids = criterion_values(search, "id")
    wanted_ids = None if ids is None else {urn_id(v, ("sponsoredAccount",), "search.id") for v in ids}
    names, references = criterion_values(search, "name"), criterion_values(search, "reference")
    types, statuses = criterion_values(search, "type"), criterion_values(search, "status")
    test = parse_bool(search.get("test"), "search.test")
    visible = set(req.world.account_ids_for(token_grant(req)))
    matches = [
        a
        for a in req.world.accounts
        if a["id"] in visible
        and (wanted_ids is None or a["id"] in wanted_ids)
        and name_matches(names, a.get("name"))
        and value_matches(references, a.get("reference"))
        and value_matches(types, a["type"])
        and value_matches(statuses, a["status"])
        and (test is None or a["test"] == test)
    ]
    return cursor_page(req, matches, lambda a: a["id"], MAX_PAGE_SIZE, "adAccounts")


def batch_get_ad_accounts(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts?ids=List(1,2)``: BATCH_GET of visible accounts."""
    return batch_get(req, lambda i: visible_account(req, i, "adAccounts"), ("sponsoredAccount",))


def get_ad_account(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}``."""
    return SandboxResponse(path_account(req, "adAccounts"))


def account_users_of_member(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccountUsers?q=authenticatedUser``: the member's role on each account."""
    return offset_page(req, req.world.account_roles_for(token_grant(req)), default_count=None)


def account_users_of_account(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccountUsers?q=accounts&accounts=urn...``: users of the first account named."""
    accounts = list_param(req, "accounts")
    if not accounts:
        raise bad_request("Parameter 'accounts' is required")
    account_id = urn_id(accounts[0], ("sponsoredAccount",), "accounts", numeric_ok=False)
    visible_account(req, account_id, "adAccountUsers")
    roles = [r for r in req.world.account_roles_for(token_grant(req)) if r["account"].endswith(f":{account_id}")]
    return offset_page(req, roles, default_count=None)


# The endpoints this module answers, in the order of the route table.
ROUTES: tuple[Route, ...] = (
    Route("GET", "/adAccounts", "search", search_ad_accounts, "adAccounts", scopes=ADS_READ_SCOPES),
    Route("GET", "/adAccounts", None, batch_get_ad_accounts, "adAccounts", scopes=ADS_READ_SCOPES),
    Route("GET", "/adAccounts/{account_id}", None, get_ad_account, "adAccounts", scopes=ADS_READ_SCOPES),
    Route("GET", "/adAccountUsers", "authenticatedUser", account_users_of_member,
          "adAccountUsers", scopes=ADS_READ_SCOPES),
    Route("GET", "/adAccountUsers", "accounts", account_users_of_account, "adAccountUsers", scopes=ADS_READ_SCOPES),
)
