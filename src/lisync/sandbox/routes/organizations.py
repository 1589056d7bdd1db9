"""Organization (Community Management) endpoints of the sandbox: ACLs, lookup, statistics, posts and media.

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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from lisync.sandbox.core import RestliError, SandboxRequest, SandboxResponse, TokenGrant, access_denied, route
from lisync.sandbox.organic_world import (
    ADMINISTRATOR,
    APPROVED,
    DAY_MS,
    POST_READER_ROLES,
    MediaAsset,
    OrganicWorld,
    Organization,
    PostSkeleton,
    TGranularity,
    add_months,
    date_to_ms,
    days_in,
    ms_to_datetime,
    time_buckets,
)

ADMIN_SCOPES = (frozenset({"rw_organization_admin"}), frozenset({"r_organization_admin"}))
ACL_SCOPES = (*ADMIN_SCOPES, frozenset({"r_organization_social"}))
POST_SCOPES = (frozenset({"r_organization_social"}),)
MEDIA_SCOPES = (frozenset({"r_organization_social"}), frozenset({"w_organization_social"}),
                frozenset({"r_ads"}), frozenset({"rw_ads"}), frozenset({"w_member_social"}))
ROLES = frozenset({"ADMINISTRATOR", "DIRECT_SPONSORED_CONTENT_POSTER", "RECRUITING_POSTER",
                   "LEAD_GEN_FORMS_MANAGER", "ANALYST", "CURATOR", "CONTENT_ADMINISTRATOR"})
STATES = frozenset({"APPROVED", "REQUESTED", "REJECTED", "REVOKED"})
GRANULARITIES = ("DAY", "WEEK", "MONTH")
POSTS_DEFAULT_COUNT = 10
POSTS_MAX_COUNT = 100
FINDER_DEFAULT_COUNT = 10
FOLLOWED_EDGE_TYPES = frozenset({"COMPANY_FOLLOWED_BY_MEMBER", "CompanyFollowedByMember"})


# ----- request helpers --------------------------------------------------------------------------------------


def _organic(request: SandboxRequest) -> OrganicWorld:
    organic: OrganicWorld = request.world.organic
    return organic


def _grant(request: SandboxRequest) -> TokenGrant:
    return request.grant or TokenGrant()


def _bad_request(message: str) -> RestliError:
    return RestliError(400, message)


def _scalar(request: SandboxRequest, name: str, *, required: bool = False) -> str | None:
    value = request.query.get(name)
    if value is None:
        if required:
            raise _bad_request(f"Required parameter '{name}' is missing.")
        return None
    if not isinstance(value, str):
        raise _bad_request(f"Parameter '{name}' is invalid: expected a single value.")
    return value


def _enum_param(request: SandboxRequest, name: str, allowed: frozenset[str] | tuple[str, ...],
                default: str | None = None) -> str | None:
    value = _scalar(request, name)
    if value is None:
        return default
    if value not in allowed:
        choices = ", ".join(sorted(allowed))
        raise _bad_request(f"Invalid value {value!r} for parameter '{name}': use one of {choices}.")
    return value


def _int_param(request: SandboxRequest, name: str, default: int) -> int:
    value = _scalar(request, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise _bad_request(f"Parameter '{name}' is invalid: {value!r} is not an integer.") from None
    if number < 0:
        raise _bad_request(f"Parameter '{name}' must not be negative.")
    return number


def _list_param(request: SandboxRequest, name: str) -> list[str]:
    value = request.query.get(name)
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in values):
        raise _bad_request(f"Parameter '{name}' is invalid: expected a list of URNs.")
    return values


def _paging(request: SandboxRequest, total: int, start: int, count: int) -> dict[str, Any]:
    """LinkedIn's offset ``paging`` block, with a ``next`` link while more elements remain."""
    links = []
    if start + count < total and count > 0:
        kept = [(k, v) for k, v in parse_qsl(request.raw_query, keep_blank_values=True)
                if k not in ("start", "count")]
        query = urlencode([*kept, ("start", str(start + count)), ("count", str(count))], safe="():,")
        links.append({"rel": "next", "href": f"/rest{request.path}?{query}", "type": "application/json"})
    return {"start": start, "count": count, "links": links, "total": total}


def _org_param(request: SandboxRequest, name: str) -> Organization | None:
    """Return the organization an ``urn:li:organization:N`` parameter names (``None`` if unknown)."""
    urn = _scalar(request, name, required=True) or ""
    prefix = "urn:li:organization:"
    if not urn.startswith(prefix) or not urn[len(prefix):].isdigit():
        raise RestliError(400, f"Invalid URN {urn!r} for parameter '{name}': use urn:li:organization:{{id}}.",
                          code="INVALID_URN_TYPE")
    return _organic(request).organization(int(urn[len(prefix):]))


def _require_role(request: SandboxRequest, org: Organization | None, roles: frozenset[str], resource: str,
                  method: str) -> Organization:
    grant = _grant(request)
    if org is None or _organic(request).member_role(org.id, grant.organization_ids) not in roles:
        raise access_denied(resource, method, request.version)
    return org


def _batch(keys: list[str], lookup: Callable[[str], dict[str, Any] | RestliError]) -> SandboxResponse:
    """Answer a BATCH_GET: ``results`` and ``statuses`` per found key, ``errors`` per failed key."""
    results: dict[str, Any] = {}
    statuses: dict[str, int] = {}
    errors: dict[str, Any] = {}
    for key in keys:
        found = lookup(key)
        if isinstance(found, RestliError):
            errors[key] = found.body()
            statuses[key] = found.status
        else:
            results[key] = found
            statuses[key] = 200
    return SandboxResponse({"results": results, "statuses": statuses, "errors": errors})


# ----- organization ACLs and lookup -------------------------------------------------------------------------


def _acl(member_urn: str, org: Organization, role: str, state: str) -> dict[str, Any]:
    return {"roleAssignee": member_urn, "state": state, "role": role, "organization": org.urn}


@route("GET", "/organizationAcls", finder="roleAssignee", resource="organizationAcls", scopes=ACL_SCOPES)
def find_acls_by_role_assignee(request: SandboxRequest) -> SandboxResponse:
    """List the member's organization roles, optionally filtered by ``role`` and ``state``."""
    role, state = _enum_param(request, "role", ROLES), _enum_param(request, "state", STATES)
    grant = _grant(request)
    roles = _organic(request).member_roles(grant.organization_ids)
    rows = [_acl(grant.member_urn, org, r, s) for org, r, s in roles
            if (role is None or r == role) and (state is None or s == state)]
    start, count = _int_param(request, "start", 0), _int_param(request, "count", FINDER_DEFAULT_COUNT)
    return SandboxResponse({"paging": _paging(request, len(rows), start, count),
                            "elements": rows[start:start + count]})


@route("GET", "/organizationAcls", finder="organization", resource="organizationAcls", scopes=ACL_SCOPES)
def find_acls_by_organization(request: SandboxRequest) -> SandboxResponse:
    """List every member's role on one organization; the caller must be its approved ADMINISTRATOR."""
    org = _require_role(request, _org_param(request, "organization"), frozenset({ADMINISTRATOR}),
                        "organizationAcls", "FINDER-organization")
    rows = [_acl(_grant(request).member_urn, org, ADMINISTRATOR, APPROVED),
            *_organic(request).other_members_acls(org)]
    start, count = _int_param(request, "start", 0), _int_param(request, "count", FINDER_DEFAULT_COUNT)
    return SandboxResponse({"paging": _paging(request, len(rows), start, count),
                            "elements": rows[start:start + count]})


def _organization_json(request: SandboxRequest, key: str, *,
                       allow_full: bool) -> dict[str, Any] | RestliError:
    organic = _organic(request)
    org = organic.organization(int(key)) if key.isdigit() else None
    if org is None:
        return RestliError(404, f"Organization {key} does not exist.")
    admin = organic.member_role(org.id, _grant(request).organization_ids) == ADMINISTRATOR
    return organic.organization_json(org, full=allow_full and admin)


@route("GET", "/organizations/{org_id}", resource="organizations", scopes=ACL_SCOPES)
def get_organization(request: SandboxRequest) -> SandboxResponse:
    """Look one organization up (full fields for its approved administrators)."""
    found = _organization_json(request, request.path_params["org_id"], allow_full=True)
    if isinstance(found, RestliError):
        raise found
    return SandboxResponse(found)


@route("GET", "/organizations", resource="organizations", scopes=ACL_SCOPES)
def batch_get_organizations(request: SandboxRequest) -> SandboxResponse:
    """BATCH_GET organizations by id."""
    ids = _list_param(request, "ids")
    if not ids:
        raise _bad_request("Required parameter 'ids' is missing: use ids=List(id1,id2).")
    return _batch(ids, lambda key: _organization_json(request, key, allow_full=True))


@route("GET", "/organizationsLookup", resource="organizationsLookup", scopes=ACL_SCOPES)
def batch_lookup_organizations(request: SandboxRequest) -> SandboxResponse:
    """BATCH_GET organizations by id with the non-administrator field subset."""
    ids = _list_param(request, "ids")
    if not ids:
        raise _bad_request("Required parameter 'ids' is missing: use ids=List(id1,id2).")
    return _batch(ids, lambda key: _organization_json(request, key, allow_full=False))


@route("GET", "/networkSizes/{entity}", resource="networkSizes", scopes=ACL_SCOPES)
def get_network_size(request: SandboxRequest) -> SandboxResponse:
    """Return an organization's follower count (``firstDegreeSize``)."""
    if _scalar(request, "edgeType", required=True) not in FOLLOWED_EDGE_TYPES:
        raise _bad_request("Invalid value for parameter 'edgeType': use COMPANY_FOLLOWED_BY_MEMBER.")
    org = _organic(request).organization_by_urn(request.path_params["entity"])
    if org is None:
        raise RestliError(404, f"Entity {request.path_params['entity']} does not exist.")
    return SandboxResponse({"firstDegreeSize": _organic(request).follower_count(org)})


# ----- statistics -------------------------------------------------------------------------------------------


def _describe(raw: Any) -> str:
    """Echo intervals as LinkedIn does: ``[{timeGranularityType=DAY, timeRange={start=.., end=..}}]``."""
    if not isinstance(raw, dict):
        return f"[{raw}]"
    time_range = raw.get("timeRange") if isinstance(raw.get("timeRange"), dict) else {}
    return (f"[{{timeGranularityType={raw.get('timeGranularityType')}, "
            f"timeRange={{start={time_range.get('start')}, end={time_range.get('end')}}}}}]")


def _time_intervals(request: SandboxRequest) -> tuple[int, int, TGranularity] | None:
    """Parse and validate ``timeIntervals`` (2.0 record or 1.0 dotted); ``None`` when absent (lifetime)."""
    raw = request.query.get("timeIntervals")
    if raw is None:
        return None
    if isinstance(raw, list) and len(raw) == 1:
        raw = raw[0]
    time_range = raw.get("timeRange") if isinstance(raw, dict) else None
    granularity = raw.get("timeGranularityType") if isinstance(raw, dict) else None
    try:
        start = int(time_range["start"]) if isinstance(time_range, dict) else None
        end = int(time_range["end"]) if isinstance(time_range, dict) and "end" in time_range else None
    except (TypeError, ValueError):
        start = None
    if start is None or granularity not in GRANULARITIES:
        raise _bad_request("Parameter 'timeIntervals' is invalid")
    clock = _organic(request).clock
    now_ms = clock.now_ms()
    end = now_ms if end is None else end
    invalid = f"Invalid timeIntervals parameter {_describe(raw)}."
    unit_end = (int(add_months(ms_to_datetime(start), 1).timestamp() * 1000) if granularity == "MONTH"
                else start + DAY_MS * (7 if granularity == "WEEK" else 1))
    if end < unit_end:
        raise _bad_request(f"{invalid} End time must be greater than start time by at least one multiple of "
                           f"the granularity type [{granularity}]")
    if end >= int(add_months(ms_to_datetime(start), 14).timestamp() * 1000):
        raise _bad_request(f"{invalid} Start time and end time must be less than 14 months apart.")
    twelve_months_ago = date_to_ms(_months_before(clock.today, 12))
    if start < twelve_months_ago:
        raise _bad_request(f"{invalid} Start time must be within the last 12 months (rolling window).")
    if start > now_ms - 2 * DAY_MS:
        raise _bad_request(f"{invalid} Start time must be at least 2 days before the current time.")
    return start, end, granularity


def _months_before(day: dt.date, months: int) -> dt.date:
    moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return add_months(moment, -months).date()


def _statistics_response(elements: list[dict[str, Any]]) -> SandboxResponse:
    return SandboxResponse({"paging": {"start": 0, "count": 10, "links": []}, "elements": elements})


@route("GET", "/organizationPageStatistics", finder="organization", resource="organizationPageStatistics",
       scopes=ADMIN_SCOPES)
def find_page_statistics(request: SandboxRequest) -> SandboxResponse:
    """Lifetime (segmented) or time-bound page views and clicks of an administered organization."""
    organic = _organic(request)
    org = _require_role(request, _org_param(request, "organization"), frozenset({ADMINISTRATOR}),
                        "organizationPageStatistics", "FINDER-organization")
    window = _time_intervals(request)
    if window is None:
        return _statistics_response([organic.lifetime_page_statistics(org)])
    cutoff_ms = date_to_ms(organic.data_cutoff())
    elements = []
    for low, high in time_buckets(*window):
        if low < cutoff_ms:
            metrics = organic.page_metrics(org, days_in(low, high))
            elements.append({"organization": org.urn, "timeRange": {"start": low, "end": high},
                             "totalPageStatistics": organic.shape_page_statistics(metrics)})
    return _statistics_response(elements)


@route("GET", "/organizationalEntityFollowerStatistics", finder="organizationalEntity",
       resource="organizationalEntityFollowerStatistics", scopes=ADMIN_SCOPES)
def find_follower_statistics(request: SandboxRequest) -> SandboxResponse:
    """Lifetime follower counts by facet, or time-bound organic/paid follower gains."""
    organic = _organic(request)
    org = _require_role(request, _org_param(request, "organizationalEntity"), frozenset({ADMINISTRATOR}),
                        "organizationalEntityFollowerStatistics", "FINDER-organizationalEntity")
    window = _time_intervals(request)
    if window is None:
        return _statistics_response([organic.lifetime_follower_statistics(org)])
    cutoff_ms = date_to_ms(organic.data_cutoff())
    elements = []
    for low, high in time_buckets(*window):
        if low >= cutoff_ms:
            continue
        gains = [organic.follower_gains(org, day) for day in days_in(low, high)]
        elements.append({"timeRange": {"start": low, "end": high}, "organizationalEntity": org.urn,
                         "followerGains": {"organicFollowerGain": sum(g[0] for g in gains),
                                           "paidFollowerGain": sum(g[1] for g in gains)}})
    return _statistics_response(elements)


def _posts_for_statistics(request: SandboxRequest, org: Organization) -> list[tuple[str, PostSkeleton]]:
    """Return the requested ``shares`` / ``ugcPosts`` as ``(field, post)``, refusing foreign posts."""
    out = []
    organic = _organic(request)
    for field, namespace in (("shares", "urn:li:share:"), ("ugcPosts", "urn:li:ugcPost:")):
        for index, urn in enumerate(_list_param(request, field)):
            post = organic.find_post(urn) if urn.startswith(namespace) else None
            if post is None or post.org.id != org.id:
                message = ("Unpermitted fields present in PARAMETER: Data Processing Exception while "
                           f"processing fields [/{field}[{index}]]")
                raise RestliError(403, message, code="ACCESS_DENIED", service_error_code=100)
            out.append((field[:-1], post))
    return out


@route("GET", "/organizationalEntityShareStatistics", finder="organizationalEntity",
       resource="organizationalEntityShareStatistics", scopes=ADMIN_SCOPES)
def find_share_statistics(request: SandboxRequest) -> SandboxResponse:
    """Organic share statistics: lifetime, time-bound, or per post (``shares`` / ``ugcPosts``)."""
    organic = _organic(request)
    org = _require_role(request, _org_param(request, "organizationalEntity"), frozenset({ADMINISTRATOR}),
                        "organizationalEntityShareStatistics", "FINDER-organizationalEntity")
    posts = _posts_for_statistics(request, org)
    window = _time_intervals(request)
    cutoff = organic.data_cutoff()
    buckets = [] if window is None else [b for b in time_buckets(*window) if b[0] < date_to_ms(cutoff)]
    elements: list[dict[str, Any]] = []
    if posts:
        for field, post in posts:
            if window is None:
                stats = organic.shape_share_statistics(organic.post_share_metrics(post))
                elements.append({"organizationalEntity": org.urn, field: post.urn,
                                 "totalShareStatistics": stats})
                continue
            for low, high in buckets:
                days = days_in(low, high)
                if not days:
                    continue
                before = organic.post_share_metrics(post, min(days[0], cutoff))
                after = organic.post_share_metrics(post, min(days[-1] + dt.timedelta(days=1), cutoff))
                after.subtract(before)
                elements.append({"organizationalEntity": org.urn, field: post.urn,
                                 "timeRange": {"start": low, "end": high},
                                 "totalShareStatistics": organic.shape_share_statistics(after)})
        return _statistics_response(elements)
    if window is None:
        totals = organic.share_metrics(org, organic.lifetime_days())
        lifetime = organic.shape_share_statistics(totals, mentions=True)
        return _statistics_response([{"organizationalEntity": org.urn, "totalShareStatistics": lifetime}])
    for low, high in buckets:
        totals = organic.share_metrics(org, days_in(low, high))
        elements.append({"organizationalEntity": org.urn, "timeRange": {"start": low, "end": high},
                         "totalShareStatistics": organic.shape_share_statistics(totals)})
    return _statistics_response(elements)


# ----- posts ------------------------------------------------------------------------------------------------


def _post_or_error(request: SandboxRequest, urn: str) -> dict[str, Any] | RestliError:
    organic = _organic(request)
    post = organic.find_post(urn)
    if post is None:
        return RestliError(404, f"Post {urn} does not exist or was deleted.")
    if organic.member_role(post.org.id, _grant(request).organization_ids) not in POST_READER_ROLES:
        return access_denied("partnerApiPostsExternal", "GET", request.version)
    return organic.post_json(post)


@route("GET", "/posts", finder="author", resource="partnerApiPostsExternal", scopes=POST_SCOPES)
def find_posts_by_author(request: SandboxRequest) -> SandboxResponse:
    """List an organization's posts, newest first by ``lastModifiedAt`` (default) or ``createdAt``."""
    organic = _organic(request)
    author = _scalar(request, "author", required=True) or ""
    if author.startswith("urn:li:person:"):
        raise access_denied("partnerApiPostsExternal", "FINDER-author", request.version)
    org = _require_role(request, _org_param(request, "author"), POST_READER_ROLES, "partnerApiPostsExternal",
                        "FINDER-author")
    sort_by = _enum_param(request, "sortBy", ("LAST_MODIFIED", "CREATED"), "LAST_MODIFIED")
    view_context = _enum_param(request, "viewContext", ("READER", "AUTHOR"), "READER")
    start, count = _int_param(request, "start", 0), _int_param(request, "count", POSTS_DEFAULT_COUNT)
    if count > POSTS_MAX_COUNT:
        raise _bad_request(f"Parameter 'count' is invalid: {count} is above the maximum {POSTS_MAX_COUNT}.")
    posts = [p for p in organic.visible_posts(org) if view_context == "AUTHOR" or p.state == "PUBLISHED"]
    shaped = [organic.post_json(p) for p in posts]
    key = "lastModifiedAt" if sort_by == "LAST_MODIFIED" else "createdAt"
    shaped.sort(key=lambda p: (p[key], p["id"]), reverse=True)
    return SandboxResponse({"paging": _paging(request, len(shaped), start, count),
                            "elements": shaped[start:start + count]})


DSC_AD_TYPES = frozenset({"STANDARD", "VIDEO", "CAROUSEL", "JOB_POSTING", "NATIVE_DOCUMENT", "EVENT"})
DSC_SCOPES = (*POST_SCOPES, frozenset({"r_ads"}), frozenset({"rw_ads"}))


@route("GET", "/posts", finder="dscAdAccount", resource="partnerApiPostsExternal", scopes=DSC_SCOPES)
def find_posts_by_ad_account(request: SandboxRequest) -> SandboxResponse:
    """List the Direct Sponsored Content (dark) posts of an ad account (Posts API "Find Posts by Account").

    The sandbox models no DSC posts (sponsored creatives reference posts the organic world does not hold),
    so a valid request for an account the member can see answers an empty ``start``/``count`` page.
    """
    raw = _scalar(request, "dscAdAccount", required=True) or ""
    prefix, _, tail = raw.rpartition(":")
    if prefix != "urn:li:sponsoredAccount" or not tail.isdigit():
        raise _bad_request(f"Parameter 'dscAdAccount' is invalid: expected urn:li:sponsoredAccount:<id>, got {raw!r}.")
    account_id = int(tail)
    if request.world.account(account_id) is None:
        raise RestliError(404, f"Ad account {account_id} does not exist")
    if not request.world.can_see_account(_grant(request), account_id):
        raise access_denied("partnerApiPostsExternal", "FINDER-dscAdAccount", request.version)
    unknown = sorted(set(_list_param(request, "dscAdTypes")) - DSC_AD_TYPES)
    if unknown:
        raise _bad_request(f"Parameter 'dscAdTypes' is invalid: {', '.join(unknown)}; use "
                           f"{', '.join(sorted(DSC_AD_TYPES))}.")
    start, count = _int_param(request, "start", 0), _int_param(request, "count", POSTS_DEFAULT_COUNT)
    if count > POSTS_MAX_COUNT:
        raise _bad_request(f"Parameter 'count' is invalid: {count} is above the maximum {POSTS_MAX_COUNT}.")
    return SandboxResponse({"paging": _paging(request, 0, start, count), "elements": []})


@route("GET", "/posts/{post_urn}", resource="partnerApiPostsExternal", scopes=POST_SCOPES)
def get_post(request: SandboxRequest) -> SandboxResponse:
    """Return one post by its (URL-encoded) URN."""
    found = _post_or_error(request, request.path_params["post_urn"])
    if isinstance(found, RestliError):
        raise found
    return SandboxResponse(found)


@route("GET", "/posts", resource="partnerApiPostsExternal", scopes=POST_SCOPES)
def batch_get_posts(request: SandboxRequest) -> SandboxResponse:
    """BATCH_GET posts by URN."""
    ids = _list_param(request, "ids")
    if not ids:
        raise _bad_request("Required parameter 'ids' is missing: use ids=List(urn1,urn2) or q=author.")
    return _batch(ids, lambda urn: _post_or_error(request, urn))


# ----- images, videos, documents ----------------------------------------------------------------------------


def _media_or_error(request: SandboxRequest, kind: str, urn: str) -> dict[str, Any] | RestliError:
    organic = _organic(request)
    asset: MediaAsset | None = organic.find_media(urn) if urn.startswith(f"urn:li:{kind}:") else None
    if asset is None:
        return RestliError(404, f"{kind.capitalize()} {urn} does not exist.")
    return organic.media_json(asset)


def _register_media(kind: str, resource: str) -> None:
    def get_one(request: SandboxRequest) -> SandboxResponse:
        if not _grant(request).media_permission:
            raise access_denied(resource, "GET", request.version)
        found = _media_or_error(request, kind, request.path_params["urn"])
        if isinstance(found, RestliError):
            raise found
        return SandboxResponse(found)

    def batch_get(request: SandboxRequest) -> SandboxResponse:
        if not _grant(request).media_permission:
            raise access_denied(resource, "BATCH_GET", request.version)
        ids = _list_param(request, "ids")
        if not ids:
            raise _bad_request(f"Required parameter 'ids' is missing: use ids=List(urn:li:{kind}:..).")
        return _batch(ids, lambda urn: _media_or_error(request, kind, urn))

    get_one.__doc__ = f"Return one {kind} (status, owner, expiring download URL)."
    batch_get.__doc__ = f"BATCH_GET {kind}s by URN."
    route("GET", f"/{resource}/{{urn}}", resource=resource, scopes=MEDIA_SCOPES)(get_one)
    route("GET", f"/{resource}", resource=resource, scopes=MEDIA_SCOPES)(batch_get)


for _kind, _resource in (("image", "images"), ("video", "videos"), ("document", "documents")):
    _register_media(_kind, _resource)
