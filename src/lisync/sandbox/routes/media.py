"""Media endpoints: GET and BATCH_GET of images, videos and documents by URN.

``GET /images|videos|documents/{urn}`` and their BATCH_GETs answer status, owner and an expiring download
URL; a token without media permission gets 403.
"""

from __future__ import annotations

from typing import Any

from lisync.sandbox.core import RestliError, SandboxRequest, SandboxResponse, access_denied, route
from lisync.sandbox.organic_world import MediaAsset
from lisync.sandbox.routes.organization_params import (
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
    asset: MediaAsset | None = organic.find_media(urn) if urn.startswith(f"urn:li:{kind}:") else None
    if asset is None:
        return RestliError(404, f"{kind.capitalize()} {urn} does not exist.")
    return organic.media_json(asset)


def _register_media(kind: str, resource: str) -> None:
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
    route("GET", f"/{resource}/{{urn}}", resource=resource, scopes=MEDIA_SCOPES)(get_one)
    route("GET", f"/{resource}", resource=resource, scopes=MEDIA_SCOPES)(batch_get)


for _kind, _resource in (("image", "images"), ("video", "videos"), ("document", "documents")):
    _register_media(_kind, _resource)
