"""The sandbox's HTTP app: builds the Starlette app that serves LinkedIn's protocol and the sandbox admin API.

Order of checks for a ``/rest`` request, as LinkedIn's gateway applies them: URL limits (414), access
token (401), ``LinkedIn-Version`` (400 ``VERSION_MISSING`` / 426 ``NONEXISTENT_VERSION``), resource and
finder resolution (404 / 400), scopes (403), then the handler. Every request is counted under an endpoint
key such as ``GET adAccounts?q=search`` (errors included); admin routes under ``/_sandbox/`` need no
token and are not counted:

* ``GET /_sandbox/stats``, ``POST /_sandbox/stats/reset``
* ``GET /_sandbox/clock``; ``POST /_sandbox/clock`` with ``{"today": "YYYY-MM-DD"}`` or
  ``{"advance_days": N}``
* ``GET /_sandbox/config``
* ``GET /_sandbox/faults``; ``POST /_sandbox/faults`` with a :class:`~lisync.sandbox.faults.FaultConfig` as JSON
  (e.g. ``{"rate": 0.2, "mix": "429,503,reset", "seed": 3}``; ``{}`` switches faults off)

Fault injection (see :mod:`lisync.sandbox.faults`) happens before the protocol checks: per-endpoint latency,
then a transient fault or a configured permanent 403/404, then the real answer (cut short for ``truncated``).

Where each part lives (this module re-exports their public names):

* :mod:`~lisync.sandbox.app_state` — the state shared across requests and the request counters;
* :mod:`~lisync.sandbox.gateway` — URL limits, route resolution, token and version checks;
* :mod:`~lisync.sandbox.dispatch` — the dispatcher that runs faults, checks and handlers for each request;
* :mod:`~lisync.sandbox.admin` — the ``/_sandbox/`` admin API;
* :mod:`~lisync.sandbox.rendering` — deterministic JSON and error envelopes as HTTP responses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.routing import Route as StarletteRoute

from lisync.sandbox.admin import ADMIN_PREFIX
from lisync.sandbox.app_state import RequestStats, SandboxState
from lisync.sandbox.dispatch import RAW_SEND_KEY, REST_PREFIX, SandboxDispatcher
from lisync.sandbox.gateway import (
    MAX_QUERY_BYTES,
    MAX_URL_BYTES,
    check_token,
    check_version,
    endpoint_key,
    normalized_version,
    resolve_route,
)
from lisync.sandbox.rendering import dump_json

if TYPE_CHECKING:
    from lisync.sandbox.server import SandboxConfig
    from lisync.sandbox.world import World

__all__ = [
    "ADMIN_PREFIX",
    "MAX_QUERY_BYTES",
    "MAX_URL_BYTES",
    "RAW_SEND_KEY",
    "REST_PREFIX",
    "RequestStats",
    "SandboxDispatcher",
    "SandboxState",
    "check_token",
    "check_version",
    "create_app",
    "dump_json",
    "endpoint_key",
    "normalized_version",
    "resolve_route",
]

_ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


class _SandboxStarlette(Starlette):
    """Starlette that keeps the server's own ``send`` in the scope, so a fault can reset the connection."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        scope[RAW_SEND_KEY] = send
        await super().__call__(scope, receive, send)


def create_app(world: World, config: SandboxConfig) -> Starlette:
    """Build the sandbox's Starlette app over ``world``.

    Args:
        world: The world the API serves.
        config: The sandbox configuration (version policy, latency...).

    Returns:
        The ASGI app; ``app.state.sandbox`` is its :class:`SandboxState`.

    """
    state = SandboxState(world, config)
    dispatcher = SandboxDispatcher(state)
    app = _SandboxStarlette(routes=[StarletteRoute("/{path:path}", dispatcher.handle, methods=_ALL_METHODS)])
    app.state.sandbox = state
    return app
