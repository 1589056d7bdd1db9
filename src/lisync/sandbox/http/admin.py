"""The sandbox admin API under ``/_sandbox/``: stats, clock, config and faults, then module-registered routes.

Admin requests need no token and are not counted:

* ``GET /_sandbox/stats``, ``POST /_sandbox/stats/reset``
* ``GET /_sandbox/clock``; ``POST /_sandbox/clock`` with ``{"today": "YYYY-MM-DD"}`` or
  ``{"advance_days": N}``
* ``GET /_sandbox/config``
* ``GET /_sandbox/faults``; ``POST /_sandbox/faults`` with a :class:`~lisync.sandbox.faults.FaultConfig` as JSON
  (e.g. ``{"rate": 0.2, "mix": "429,503,reset", "seed": 3}``; ``{}`` switches faults off)
* any unversioned route of the route table under ``/_sandbox/`` (e.g. ``routes/oauth/admin.py``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from lisync.sandbox.errors import RestliError
from lisync.sandbox.faults import FaultConfig
from lisync.sandbox.http.gateway import resolve_route
from lisync.sandbox.http.protocol import SandboxRequest
from lisync.sandbox.http.rendering import error_response, json_response, render
from lisync.sandbox.http.restli import decode_query, first_value

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from lisync.sandbox.http.state import SandboxState

ADMIN_PREFIX = "/_sandbox"


def is_admin_path(path: str) -> bool:
    """Return whether ``path`` belongs to the sandbox admin API."""
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")


async def answer_admin(state: SandboxState, request: Request, path: str) -> Response:
    """Answer one sandbox admin request.

    Args:
        state: The app's shared state.
        request: The HTTP request.
        path: Its path (under ``/_sandbox``).

    Returns:
        The JSON answer; 400 for an invalid body, 404 for an unknown admin route.

    """
    world = state.world
    method = request.method.upper()
    try:
        if path == f"{ADMIN_PREFIX}/stats" and method == "GET":
            return json_response(state.stats.snapshot())
        if path == f"{ADMIN_PREFIX}/stats/reset" and method == "POST":
            state.stats.reset()
            return json_response(state.stats.snapshot())
        if path == f"{ADMIN_PREFIX}/clock" and method == "GET":
            return json_response({"today": world.clock.today.isoformat()})
        if path == f"{ADMIN_PREFIX}/clock" and method == "POST":
            payload = json.loads(await request.body() or b"{}")
            if "today" in payload:
                world.clock.today = dt.date.fromisoformat(str(payload["today"]))
            elif "advance_days" in payload:
                world.clock.advance(int(payload["advance_days"]))
            else:
                return json_response(
                    {"message": 'Send {"today": "YYYY-MM-DD"} or {"advance_days": N}.', "status": 400},
                    400,
                )
            return json_response({"today": world.clock.today.isoformat()})
        if path == f"{ADMIN_PREFIX}/faults" and method == "GET":
            return json_response(state.faults.snapshot())
        if path == f"{ADMIN_PREFIX}/faults" and method == "POST":
            state.faults.reconfigure(FaultConfig.from_dict(json.loads(await request.body() or b"{}")))
            return json_response(state.faults.snapshot())
        if path == f"{ADMIN_PREFIX}/config" and method == "GET":
            config = state.config
            return json_response(
                {
                    "seed": config.seed,
                    "scale": config.scale,
                    "scale_overrides": config.scale_overrides,
                    "knobs": dict(vars(config.resolved_scale())),
                    "today": world.clock.today.isoformat(),
                    "strict_tokens": config.strict_tokens,
                    "latency_ms": config.latency_ms,
                    "faults": state.faults.config.as_dict(),
                    "accept_retired_versions": config.accept_retired_versions,
                    "visible_account_ids": world.visible_account_ids,
                    "hidden_account_ids": world.hidden_account_ids,
                    "organization_ids_for_ads": world.organization_ids_for_ads,
                }
            )
    except (ValueError, TypeError) as error:
        return json_response({"message": f"Invalid sandbox admin request: {error}", "status": 400}, 400)
    # The route table may hold admin routes of endpoint modules (e.g. routes/oauth/admin.py: /_sandbox/oauth).
    raw_query = request.scope.get("query_string", b"").decode("latin-1")
    try:
        query = decode_query(raw_query)
        finder = first_value(query.get("q"))
        resolution = resolve_route(
            state.routes, method, path, finder if isinstance(finder, str) else None, versioned=False
        )
        if resolution.route is not None:
            outcome = resolution.route.handler(
                SandboxRequest(
                    method=method,
                    path=path,
                    path_params=resolution.params,
                    query=query,
                    raw_query=raw_query,
                    headers=request.headers,
                    grant=None,
                    world=world,
                    body=await request.body(),
                )
            )
            return render(outcome, dict(outcome.headers))
    except RestliError as error:
        return render(error_response(error), dict(error.headers))
    return json_response({"message": f"No sandbox admin route {method} {path}", "status": 404}, 404)
