"""Sandbox admin routes of the OAuth server: token lifetimes, registered clients, the member removing the app.

Routes (full paths, no ``LinkedIn-Version``, no bearer token):

* ``GET  /_sandbox/oauth`` — token lifetimes and registered clients (secrets included: this is the sandbox).
* ``POST /_sandbox/oauth`` — change lifetimes and/or register clients (JSON body, any subset of the GET
  fields), e.g. ``{"access_token_ttl_seconds": 3600, "clients": [{"client_id": .., "client_secret": ..,
  "redirect_uris": [..]}]}``.
* ``POST /_sandbox/oauth/revoke`` — ``{"token": ..}``: act as the member removing the app, so every access
  and refresh token of that member and client dies.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.oauth.state import client_from_json, revoke_member_authorization
from lisync.sandbox.routes.oauth.flow import form_fields


def _json_body(request: SandboxRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        parsed = json.loads(request.body)
    except ValueError:
        return dict(parse_qsl(request.body.decode("utf-8", "replace")))
    return parsed if isinstance(parsed, dict) else {}


def get_oauth_settings(request: SandboxRequest) -> SandboxResponse:
    """Return token lifetimes and registered clients."""
    return SandboxResponse(request.world.oauth.settings())


def set_oauth_settings(request: SandboxRequest) -> SandboxResponse:
    """Change token lifetimes and/or register clients (JSON body, any subset of the GET fields)."""
    body = _json_body(request)
    state = request.world.oauth
    try:
        with state.lock:
            if body.get("access_token_ttl_seconds") is not None:
                state.access_token_ttl_seconds = _positive(body["access_token_ttl_seconds"],
                                                           "access_token_ttl_seconds")
            if body.get("refresh_token_ttl_seconds") is not None:
                state.refresh_token_ttl_seconds = _positive(body["refresh_token_ttl_seconds"],
                                                            "refresh_token_ttl_seconds")
            for spec in body.get("clients") or ():
                client = client_from_json(spec)
                state.clients[client.client_id] = client
    except (KeyError, TypeError, ValueError) as exc:
        return SandboxResponse({"status": 400, "message": f"Bad sandbox OAuth settings: {exc}"}, status=400)
    return SandboxResponse(state.settings())


def _positive(value: Any, name: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError(f"{name} must be a positive number of seconds")
    return number


def admin_revoke(request: SandboxRequest) -> SandboxResponse:
    """Act as the member removing the app: revoke every token of the authorization behind ``token``."""
    token = str(_json_body(request).get("token") or form_fields(request).get("token") or "")
    if not token:
        return SandboxResponse({"status": 400, "message": 'Pass the "token" to revoke.'}, status=400)
    return SandboxResponse({"revoked_access_tokens": revoke_member_authorization(request.world, token)})


# The endpoints this module answers, in the order of the route table.
ROUTES: tuple[Route, ...] = (
    Route("GET", "/_sandbox/oauth", None, get_oauth_settings, "sandboxOAuth", versioned=False),
    Route("POST", "/_sandbox/oauth", None, set_oauth_settings, "sandboxOAuth", versioned=False),
    Route("POST", "/_sandbox/oauth/revoke", None, admin_revoke, "sandboxOAuth", versioned=False),
)
