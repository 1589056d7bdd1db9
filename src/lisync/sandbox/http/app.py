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

Where each part lives:

* :mod:`~lisync.sandbox.http.state` — the state shared across requests and the request counters;
* :mod:`~lisync.sandbox.http.gateway` — URL limits, route resolution, token and version checks;
* :mod:`~lisync.sandbox.http.dispatch` — the dispatcher that runs faults, checks and handlers for each request;
* :mod:`~lisync.sandbox.http.admin` — the ``/_sandbox/`` admin API;
* :mod:`~lisync.sandbox.http.rendering` — deterministic JSON and error envelopes as HTTP responses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.routing import Route as StarletteRoute

from lisync.sandbox.http.dispatch import RAW_SEND_KEY, SandboxDispatcher
from lisync.sandbox.http.state import SandboxState

if TYPE_CHECKING:
    from lisync.sandbox.config import SandboxConfig
    from lisync.sandbox.http.protocol import Route
    from lisync.sandbox.world import World

_ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


class _SandboxStarlette(Starlette):
    """Starlette that keeps the server's own ``send`` in the scope, so a fault can reset the connection."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        scope[RAW_SEND_KEY] = send
        await super().__call__(scope, receive, send)


def create_app(world: World, config: SandboxConfig, routes: Sequence[Route]) -> Starlette:
    """Build the sandbox's Starlette app over ``world``.

    Args:
        world: The world the API serves.
        config: The sandbox configuration (version policy, latency...).
        routes: The endpoints it answers (:data:`lisync.sandbox.routes.table.ROUTES`).

    Returns:
        The ASGI app; ``app.state.sandbox`` is its :class:`SandboxState`.

    """
    state = SandboxState(world, config, routes)
    dispatcher = SandboxDispatcher(state)
    app = _SandboxStarlette(routes=[StarletteRoute("/{path:path}", dispatcher.handle, methods=_ALL_METHODS)])
    app.state.sandbox = state
    return app
