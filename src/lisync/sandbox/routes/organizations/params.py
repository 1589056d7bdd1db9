"""Parameter, paging, role and BATCH_GET helpers shared by the organization (Community Management) routes.

Each helper reads a decoded query value (see :mod:`lisync.sandbox.http.protocol`) and either returns it in the
shape a handler needs or raises the 400/403 LinkedIn answers for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from lisync.sandbox.errors import RestliError, access_denied
from lisync.sandbox.http.protocol import SandboxRequest, SandboxResponse
from lisync.sandbox.oauth.grants import TokenGrant
from lisync.sandbox.organic.organizations import Organization
from lisync.sandbox.organic.world import OrganicWorld

ADMIN_SCOPES = (frozenset({"rw_organization_admin"}), frozenset({"r_organization_admin"}))
ACL_SCOPES = (*ADMIN_SCOPES, frozenset({"r_organization_social"}))
# Page, brand, follower and share statistics list rw_organization_admin only (their docs' Permissions tables).
STATISTICS_SCOPES = (frozenset({"rw_organization_admin"}),)
POST_SCOPES = (frozenset({"r_organization_social"}),)


def organic_world(request: SandboxRequest) -> OrganicWorld:
    """Return the organic (organization) side of the request's world."""
    organic: OrganicWorld = request.world.organic
    return organic


def token_grant(request: SandboxRequest) -> TokenGrant:
    """Return the request's token grant (the default grant when there is none)."""
    return request.grant or TokenGrant()


def bad_request(message: str) -> RestliError:
    """Return a LinkedIn-style 400 without a ``code``."""
    return RestliError(400, message)


def scalar_param(request: SandboxRequest, name: str, *, required: bool = False) -> str | None:
    """Return a single-valued parameter (``None`` when absent); 400 when it is a list/record or missing."""
    value = request.query.get(name)
    if value is None:
        if required:
            raise bad_request(f"Required parameter '{name}' is missing.")
        return None
    if not isinstance(value, str):
        raise bad_request(f"Parameter '{name}' is invalid: expected a single value.")
    return value


def enum_param(request: SandboxRequest, name: str, allowed: frozenset[str] | tuple[str, ...],
               default: str | None = None) -> str | None:
    """Return a parameter that must be one of ``allowed`` (``default`` when absent)."""
    value = scalar_param(request, name)
    if value is None:
        return default
    if value not in allowed:
        choices = ", ".join(sorted(allowed))
        raise bad_request(f"Invalid value {value!r} for parameter '{name}': use one of {choices}.")
    return value


def int_param(request: SandboxRequest, name: str, default: int) -> int:
    """Return a non-negative integer parameter (``default`` when absent)."""
    value = scalar_param(request, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise bad_request(f"Parameter '{name}' is invalid: {value!r} is not an integer.") from None
    if number < 0:
        raise bad_request(f"Parameter '{name}' must not be negative.")
    return number


def list_param(request: SandboxRequest, name: str) -> list[str]:
    """Return a ``List(...)`` (or repeated) parameter as strings; ``[]`` when absent."""
    value = request.query.get(name)
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in values):
        raise bad_request(f"Parameter '{name}' is invalid: expected a list of URNs.")
    return values


def offset_paging(request: SandboxRequest, total: int, start: int, count: int) -> dict[str, Any]:
    """LinkedIn's offset ``paging`` block, with a ``next`` link while more elements remain."""
    links = []
    if start + count < total and count > 0:
        kept = [(k, v) for k, v in parse_qsl(request.raw_query, keep_blank_values=True)
                if k not in ("start", "count")]
        query = urlencode([*kept, ("start", str(start + count)), ("count", str(count))], safe="():,")
        links.append({"rel": "next", "href": f"/rest{request.path}?{query}", "type": "application/json"})
    return {"start": start, "count": count, "links": links, "total": total}


def organization_param(request: SandboxRequest, name: str) -> Organization | None:
    """Return the organization an ``urn:li:organization:N`` parameter names (``None`` if unknown)."""
    urn = scalar_param(request, name, required=True) or ""
    prefix = "urn:li:organization:"
    if not urn.startswith(prefix) or not urn[len(prefix):].isdigit():
        raise RestliError(400, f"Invalid URN {urn!r} for parameter '{name}': use urn:li:organization:{{id}}.",
                          code="INVALID_URN_TYPE")
    return organic_world(request).organization(int(urn[len(prefix):]))


def require_role(request: SandboxRequest, org: Organization | None, roles: frozenset[str], resource: str,
                 method: str) -> Organization:
    """Return ``org`` when the member holds one of ``roles`` on it, else LinkedIn's 403 ACCESS_DENIED."""
    grant = token_grant(request)
    if org is None or organic_world(request).member_role(org.id, grant.organization_ids) not in roles:
        raise access_denied(resource, method, request.version)
    return org


def batch_response(keys: list[str], lookup: Callable[[str], dict[str, Any] | RestliError]) -> SandboxResponse:
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
