"""Ads entity endpoints: ad accounts, account users, campaign groups, campaigns, creatives and conversions.

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
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from lisync.sandbox import synth
from lisync.sandbox.core import RestliError, SandboxRequest, SandboxResponse, TokenGrant, access_denied, route
from lisync.sandbox.restli import first_value

TEntity = dict[str, Any]
ADS_READ_SCOPES = (frozenset({"r_ads"}), frozenset({"rw_ads"}))
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_CREATIVE_PAGE_SIZE = 100
MAX_UNPAGED_CAMPAIGNS = 1000
DEFAULT_COUNT = 10


# ----------------------------------------------------------------------------------------- parameters


def bad_request(message: str) -> RestliError:
    """Return a LinkedIn-style 400 (no ``code``, as LinkedIn's validation errors usually have none)."""
    return RestliError(400, message)


def required_param(req: SandboxRequest, name: str) -> Any:
    """Return a required query parameter or raise LinkedIn's ``Parameter 'x' is required``."""
    value = first_value(req.query.get(name))
    if value is None or value == "":
        raise bad_request(f"Parameter '{name}' is required")
    return value


def parse_int(value: Any, name: str, minimum: int = 0) -> int:
    """Parse a non-negative integer parameter or raise a 400 naming it."""
    if not isinstance(value, str) or not value.lstrip("-").isdigit() or int(value) < minimum:
        raise bad_request(f"Invalid value '{value}' for parameter '{name}': expected an integer >= {minimum}")
    return int(value)


def parse_bool(value: Any, name: str) -> bool | None:
    """Parse a Rest.li boolean (``true``/``false``); ``None`` when absent."""
    if value is None:
        return None
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise bad_request(f"Invalid value '{value}' for '{name}': expected true or false")


def urn_id(value: Any, kinds: tuple[str, ...], name: str, numeric_ok: bool = True) -> int:
    """Return the numeric id of a URN of one of ``kinds`` (or of a bare number when ``numeric_ok``)."""
    if isinstance(value, str):
        if numeric_ok and value.isdigit():
            return int(value)
        prefix, _, tail = value.rpartition(":")
        if prefix in tuple(f"urn:li:{kind}" for kind in kinds) and tail.isdigit():
            return int(tail)
    raise RestliError(
        400,
        f"Invalid URN '{value}' for '{name}': expected urn:li:{kinds[0]}:<id>",
        code="INVALID_URN_TYPE" if isinstance(value, str) and value.startswith("urn:") else None,
    )


def search_criteria(req: SandboxRequest, allowed: frozenset[str]) -> dict[str, Any]:
    """Return the decoded ``search`` record, rejecting fields the finder does not know."""
    search = req.query.get("search", {})
    if not isinstance(search, dict):
        raise bad_request(
            "Invalid value for query parameter 'search': expected a record such as (status:(values:List(X)))"
        )
    unknown = sorted(set(search) - allowed)
    if unknown:
        raise bad_request(
            f"Unrecognized field(s) {', '.join(unknown)} in 'search': use {', '.join(sorted(allowed))}"
        )
    return search


def criterion_values(search: dict[str, Any], field: str) -> list[str] | None:
    """Return ``search.<field>.values`` as a list of strings, or ``None`` when the criterion is absent."""
    if field not in search:
        return None
    criterion = search[field]
    values = criterion.get("values") if isinstance(criterion, dict) else None
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise bad_request(f"Invalid search criterion '{field}': expected ({field}:(values:List(...)))")
    return values


def list_param(req: SandboxRequest, name: str) -> list[str] | None:
    """Return a ``List(...)`` (or 1.0 indexed/repeated) parameter as strings; ``None`` when absent."""
    value = req.query.get(name)
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in values):
        raise bad_request(f"Invalid value for query parameter '{name}': expected List(...)")
    return values


# --------------------------------------------------------------------------------------------- paging


def _page_token(seed: int, scope: str, last_key: int) -> str:
    check = synth.stable_hash(seed, "page", scope, last_key) % 10**8
    return base64.urlsafe_b64encode(f"{last_key}:{check:08d}".encode()).decode().rstrip("=")


def _read_page_token(seed: int, scope: str, token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        last_text, check_text = text.split(":")
        last_key = int(last_text)
    except (ValueError, UnicodeDecodeError) as error:
        raise bad_request(f"Invalid pageToken '{token}'") from error
    if _page_token(seed, scope, last_key) != token.rstrip("=") or not check_text.isdigit():
        raise bad_request(f"Invalid pageToken '{token}'")
    return last_key


def cursor_page(
    req: SandboxRequest, items: list[TEntity], key: Callable[[TEntity], int], max_page_size: int, scope: str
) -> SandboxResponse:
    """Answer a search finder with LinkedIn's cursor paging (``pageSize``, ``pageToken``, ``sortOrder``).

    Args:
        req: The request (reads ``pageSize``, ``pageToken`` and ``sortOrder``).
        items: Every matching entity.
        key: The numeric sort key of an entity (its id).
        max_page_size: The finder's largest allowed ``pageSize``.
        scope: Names the finder (and account) so a token from another finder is rejected.

    Returns:
        ``{"elements": [...], "metadata": {"nextPageToken"?}}``.

    """
    raw_size = first_value(req.query.get("pageSize"))
    page_size = DEFAULT_PAGE_SIZE if raw_size is None else parse_int(raw_size, "pageSize", minimum=1)
    if page_size > max_page_size:
        raise bad_request(
            f"pageSize {page_size} is larger than the maximum allowed page size {max_page_size}"
        )
    order = first_value(req.query.get("sortOrder")) or "ASCENDING"
    if order not in ("ASCENDING", "DESCENDING"):
        raise bad_request(f"Invalid sortOrder '{order}': use ASCENDING or DESCENDING")
    descending = order == "DESCENDING"
    ordered = sorted(items, key=key, reverse=descending)
    token = first_value(req.query.get("pageToken"))
    if token:
        last_key = _read_page_token(req.world.seed, scope, str(token))
        ordered = [e for e in ordered if (key(e) < last_key if descending else key(e) > last_key)]
    page = ordered[:page_size]
    metadata: dict[str, Any] = {}
    if len(ordered) > page_size:
        metadata["nextPageToken"] = _page_token(req.world.seed, scope, key(page[-1]))
    return SandboxResponse({"elements": page, "metadata": metadata})


def offset_page(
    req: SandboxRequest, items: list[TEntity], default_count: int | None = DEFAULT_COUNT
) -> SandboxResponse:
    """Answer a finder with start/count paging: ``{"elements", "paging": {start, count, links, total}}``."""
    start = parse_int(first_value(req.query.get("start")) or "0", "start")
    raw_count = first_value(req.query.get("count"))
    count = parse_int(raw_count, "count") if raw_count is not None else (default_count or len(items))
    return SandboxResponse(
        {
            "elements": items[start : start + count],
            "paging": {"count": count, "links": [], "start": start, "total": len(items)},
        }
    )


# ----------------------------------------------------------------------------------------- visibility


def _grant(req: SandboxRequest) -> TokenGrant:
    assert req.grant is not None  # versioned routes always carry a grant
    return req.grant


def visible_account(req: SandboxRequest, account_id: int, resource: str) -> TEntity:
    """Return an account the token may read: 404 when unknown, 403 when the member has no role on it."""
    account = req.world.account(account_id)
    if account is None:
        raise RestliError(404, f"Ad account {account_id} does not exist")
    if not req.world.can_see_account(_grant(req), account_id):
        raise access_denied(resource, "GET", _version_for_message(req.version))
    return account


def _version_for_message(version: str | None) -> str | None:
    if version is None:
        return None
    digits = version.split(".")[0]
    return digits + "01" if len(digits) == 6 else digits


def _path_account(req: SandboxRequest, resource: str) -> TEntity:
    return visible_account(
        req, urn_id(req.path_params["account_id"], ("sponsoredAccount",), "adAccountId"), resource
    )


def _matches(values: list[str] | None, actual: Any) -> bool:
    return values is None or actual in values


def _name_matches(values: list[str] | None, name: str | None) -> bool:
    return values is None or (name is not None and any(v.lower() in name.lower() for v in values))


# -------------------------------------------------------------------------------------------- accounts

ACCOUNT_SEARCH_FIELDS = frozenset({"id", "name", "reference", "type", "status", "test"})


@route("GET", "/adAccounts", finder="search", resource="adAccounts", scopes=ADS_READ_SCOPES)
def search_ad_accounts(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts?q=search``: the accounts the member can see, filtered by ``search``."""
    search = search_criteria(req, ACCOUNT_SEARCH_FIELDS)
    ids = criterion_values(search, "id")
    wanted_ids = None if ids is None else {urn_id(v, ("sponsoredAccount",), "search.id") for v in ids}
    names, references = criterion_values(search, "name"), criterion_values(search, "reference")
    types, statuses = criterion_values(search, "type"), criterion_values(search, "status")
    test = parse_bool(search.get("test"), "search.test")
    visible = set(req.world.account_ids_for(_grant(req)))
    matches = [
        a
        for a in req.world.accounts
        if a["id"] in visible
        and (wanted_ids is None or a["id"] in wanted_ids)
        and _name_matches(names, a.get("name"))
        and _matches(references, a.get("reference"))
        and _matches(types, a["type"])
        and _matches(statuses, a["status"])
        and (test is None or a["test"] == test)
    ]
    return cursor_page(req, matches, lambda a: a["id"], MAX_PAGE_SIZE, "adAccounts")


@route("GET", "/adAccounts", resource="adAccounts", scopes=ADS_READ_SCOPES)
def batch_get_ad_accounts(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts?ids=List(1,2)``: BATCH_GET of visible accounts."""
    return _batch_get(req, lambda i: visible_account(req, i, "adAccounts"), ("sponsoredAccount",))


@route("GET", "/adAccounts/{account_id}", resource="adAccounts", scopes=ADS_READ_SCOPES)
def get_ad_account(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}``."""
    return SandboxResponse(_path_account(req, "adAccounts"))


def _batch_get(
    req: SandboxRequest, fetch: Callable[[int], TEntity], kinds: tuple[str, ...]
) -> SandboxResponse:
    ids = list_param(req, "ids")
    if not ids:
        raise RestliError(
            400, "Resource method could not be resolved from request parameters.", code="ILLEGAL_ARGUMENT"
        )
    results: dict[str, TEntity] = {}
    errors: dict[str, Any] = {}
    for raw in ids:
        try:
            results[raw] = fetch(urn_id(raw, kinds, "ids"))
        except RestliError as error:
            errors[raw] = error.body()
    return SandboxResponse({"errors": errors, "results": results, "statuses": {}})


@route(
    "GET", "/adAccountUsers", finder="authenticatedUser", resource="adAccountUsers", scopes=ADS_READ_SCOPES
)
def account_users_of_member(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccountUsers?q=authenticatedUser``: the member's role on each account."""
    return offset_page(req, req.world.account_roles_for(_grant(req)), default_count=None)


@route("GET", "/adAccountUsers", finder="accounts", resource="adAccountUsers", scopes=ADS_READ_SCOPES)
def account_users_of_account(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccountUsers?q=accounts&accounts=urn...``: users of the first account named."""
    accounts = list_param(req, "accounts")
    if not accounts:
        raise bad_request("Parameter 'accounts' is required")
    account_id = urn_id(accounts[0], ("sponsoredAccount",), "accounts", numeric_ok=False)
    visible_account(req, account_id, "adAccountUsers")
    roles = [r for r in req.world.account_roles_for(_grant(req)) if r["account"].endswith(f":{account_id}")]
    return offset_page(req, roles, default_count=None)


# ------------------------------------------------------------------------------------- campaign groups

GROUP_SEARCH_FIELDS = frozenset({"id", "status", "name", "test"})


@route(
    "GET",
    "/adAccounts/{account_id}/adCampaignGroups",
    finder="search",
    resource="adCampaignGroups",
    scopes=ADS_READ_SCOPES,
)
def search_campaign_groups(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/adCampaignGroups?q=search``."""
    account = _path_account(req, "adCampaignGroups")
    search = search_criteria(req, GROUP_SEARCH_FIELDS)
    ids = criterion_values(search, "id")
    wanted = None if ids is None else {urn_id(v, ("sponsoredCampaignGroup",), "search.id") for v in ids}
    statuses, names = criterion_values(search, "status"), criterion_values(search, "name")
    test = parse_bool(search.get("test"), "search.test")
    matches = [
        g
        for g in req.world.groups_of(account["id"])
        if (wanted is None or g["id"] in wanted)
        and _matches(statuses, g["status"])
        and _name_matches(names, g.get("name"))
        and (test is None or g["test"] == test)
    ]
    return cursor_page(req, matches, lambda g: g["id"], MAX_PAGE_SIZE, f"adCampaignGroups:{account['id']}")


@route(
    "GET", "/adAccounts/{account_id}/adCampaignGroups", resource="adCampaignGroups", scopes=ADS_READ_SCOPES
)
def batch_get_campaign_groups(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/adCampaignGroups?ids=List(...)``."""
    account = _path_account(req, "adCampaignGroups")
    return _batch_get(req, lambda i: _group_in(req, account, i), ("sponsoredCampaignGroup",))


def _group_in(req: SandboxRequest, account: TEntity, group_id: int) -> TEntity:
    group = req.world.campaign_group(group_id)
    if group is None or req.world.account_id_of(group) != account["id"]:
        raise RestliError(404, f"Campaign group {group_id} does not exist in ad account {account['id']}")
    return group


@route(
    "GET",
    "/adAccounts/{account_id}/adCampaignGroups/{group_id}",
    resource="adCampaignGroups",
    scopes=ADS_READ_SCOPES,
)
def get_campaign_group(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/adCampaignGroups/{groupId}``."""
    account = _path_account(req, "adCampaignGroups")
    return SandboxResponse(_group_in(req, account, parse_int(req.path_params["group_id"], "campaignGroupId")))


# ------------------------------------------------------------------------------------------- campaigns

CAMPAIGN_SEARCH_FIELDS = frozenset(
    {"id", "campaignGroup", "associatedEntity", "status", "type", "name", "test"}
)


@route(
    "GET",
    "/adAccounts/{account_id}/adCampaigns",
    finder="search",
    resource="adCampaigns",
    scopes=ADS_READ_SCOPES,
)
def search_campaigns(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/adCampaigns?q=search``."""
    account = _path_account(req, "adCampaigns")
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
        if (wanted is None or c["id"] in wanted)
        and (wanted_groups is None or c["campaignGroup"] in wanted_groups)
        and _matches(entities, c.get("associatedEntity"))
        and _matches(statuses, c["status"])
        and _matches(types, c["type"])
        and _name_matches(names, c.get("name"))
        and (test is None or c["test"] == test)
    ]
    unpaged = req.query.get("pageSize") is None and req.query.get("pageToken") is None
    if unpaged and len(matches) > MAX_UNPAGED_CAMPAIGNS:
        raise bad_request("Request would return too many entities. ")
    return cursor_page(req, matches, lambda c: c["id"], MAX_PAGE_SIZE, f"adCampaigns:{account['id']}")


@route("GET", "/adAccounts/{account_id}/adCampaigns", resource="adCampaigns", scopes=ADS_READ_SCOPES)
def batch_get_campaigns(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/adCampaigns?ids=List(...)``."""
    account = _path_account(req, "adCampaigns")
    return _batch_get(req, lambda i: _campaign_in(req, account, i), ("sponsoredCampaign",))


def _campaign_in(req: SandboxRequest, account: TEntity, campaign_id: int) -> TEntity:
    campaign = req.world.campaign(campaign_id)
    if campaign is None or req.world.account_id_of(campaign) != account["id"]:
        raise RestliError(404, f"Campaign {campaign_id} does not exist in ad account {account['id']}")
    return campaign


@route(
    "GET",
    "/adAccounts/{account_id}/adCampaigns/{campaign_id}",
    resource="adCampaigns",
    scopes=ADS_READ_SCOPES,
)
def get_campaign(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/adCampaigns/{campaignId}``."""
    account = _path_account(req, "adCampaigns")
    return SandboxResponse(
        _campaign_in(req, account, parse_int(req.path_params["campaign_id"], "campaignId"))
    )


# ------------------------------------------------------------------------------------------- creatives


def _creative_number(creative: TEntity) -> int:
    return int(creative["id"].rsplit(":", 1)[-1])


@route(
    "GET",
    "/adAccounts/{account_id}/creatives",
    finder="criteria",
    resource="creatives",
    scopes=ADS_READ_SCOPES,
)
def search_creatives(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/creatives?q=criteria``: values ORed within a field, ANDed across fields."""
    account = _path_account(req, "creatives")
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


@route(
    "GET", "/adAccounts/{account_id}/creatives/{creative_urn}", resource="creatives", scopes=ADS_READ_SCOPES
)
def get_creative(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/adAccounts/{id}/creatives/{encoded sponsoredCreative URN}``."""
    account = _path_account(req, "creatives")
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


# ----------------------------------------------------------------------------------------- conversions


def _conversion_account(req: SandboxRequest) -> TEntity:
    account_id = urn_id(required_param(req, "account"), ("sponsoredAccount",), "account", numeric_ok=False)
    return visible_account(req, account_id, "conversions")


@route("GET", "/conversions", finder="account", resource="conversions", scopes=ADS_READ_SCOPES)
def conversions_of_account(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/conversions?q=account&account=urn:li:sponsoredAccount:N`` with start/count paging."""
    account = _conversion_account(req)
    return offset_page(req, req.world.conversions_of(account["id"]))


@route("GET", "/conversions/{conversion_id}", resource="conversions", scopes=ADS_READ_SCOPES)
def get_conversion(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/conversions/{id}?account=urn:li:sponsoredAccount:N``."""
    account = _conversion_account(req)
    conversion = req.world.conversion(parse_int(req.path_params["conversion_id"], "conversionId"))
    if conversion is None or req.world.account_id_of(conversion) != account["id"]:
        raise RestliError(
            404, f"Conversion {req.path_params['conversion_id']} does not exist in ad account {account['id']}"
        )
    return SandboxResponse(conversion)
