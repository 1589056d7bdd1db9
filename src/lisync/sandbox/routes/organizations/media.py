"""Media endpoints: GET and BATCH_GET of images, videos and documents by URN.

``GET /images|videos|documents/{urn}`` and their BATCH_GETs answer status, owner and an expiring download
URL; a token without media permission gets 403.
"""

from __future__ import annotations

from typing import Any

from lisync.sandbox.errors import RestliError, access_denied
from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.organic.posts import MediaAsset
from lisync.sandbox.routes.organizations.params import (
    bad_request,
    batch_response,
    list_param,
    organic_world,
    token_grant,
)

MEDIA_SCOPES = (frozenset({"r_organization_social"}), frozenset({"w_organization_social"}),
                frozenset({"r_ads"}), frozenset({"rw_ads"}), frozenset({"w_member_social"}))


def _media_or_error(request: SandboxRequest, kind: str, urn: str) -> dict[str, Any] | RestliError:
    organic = organic_world(request)
    asset: MediaAsset | None = organic.content.find_media(urn) if urn.startswith(f"urn:li:{kind}:") else None
    if asset is None:
        return RestliError(404, f"{kind.capitalize()} {urn} does not exist.")
    return organic.content.media_json(asset)


def media_routes(kind: str, resource: str) -> tuple[Route, Route]:
    """Return the GET and BATCH_GET routes of one media kind (``image`` served as ``/images``...)."""

    def get_one(request: SandboxRequest) -> SandboxResponse:
        if not token_grant(request).media_permission:
            raise access_denied(resource, "GET", request.version)
        found = _media_or_error(request, kind, request.path_params["urn"])
        if isinstance(found, RestliError):
            raise found
        return SandboxResponse(found)

    def batch_get(request: SandboxRequest) -> SandboxResponse:
        if not token_grant(request).media_permission:
            raise access_denied(resource, "BATCH_GET", request.version)
        ids = list_param(request, "ids")
        if not ids:
            raise bad_request(f"Required parameter 'ids' is missing: use ids=List(urn:li:{kind}:..).")
        return batch_response(ids, lambda urn: _media_or_error(request, kind, urn))

    get_one.__doc__ = f"Return one {kind} (status, owner, expiring download URL)."
    batch_get.__doc__ = f"BATCH_GET {kind}s by URN."
    return (Route("GET", f"/{resource}/{{urn}}", None, get_one, resource, scopes=MEDIA_SCOPES),
            Route("GET", f"/{resource}", None, batch_get, resource, scopes=MEDIA_SCOPES))


# The endpoints this module answers, in the order of the route table.
ROUTES: tuple[Route, ...] = (
    *media_routes("image", "images"),
    *media_routes("video", "videos"),
    *media_routes("document", "documents"),
)
