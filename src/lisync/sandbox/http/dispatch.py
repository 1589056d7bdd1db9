"""The sandbox's request dispatcher: faults, LinkedIn's protocol checks, the handler, counting and rendering.

Order for a ``/rest`` request: the configured latency, fault injection (per-endpoint latency, then a
transient fault or a configured permanent 403/404), then the gateway checks of :mod:`lisync.sandbox.http.gateway`
and the handler; the answer is counted under its endpoint key (errors included) and rendered with
``X-RestLi-Protocol-Version`` and a deterministic ``X-LI-UUID`` (cut short for a ``truncated`` fault).
Admin paths go to :mod:`lisync.sandbox.http.admin` instead.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import Response

from lisync.sandbox.errors import RestliError, access_denied
from lisync.sandbox.faults import error_for, reset_connection, truncate
from lisync.sandbox.http.admin import answer_admin, is_admin_path
from lisync.sandbox.http.gateway import (
    check_token,
    check_url_limits,
    check_version,
    endpoint_key,
    normalized_version,
    resolve_route,
    token_from,
    tunneled_query,
)
from lisync.sandbox.http.protocol import SandboxRequest, SandboxResponse
from lisync.sandbox.http.rendering import error_response, li_uuid, render
from lisync.sandbox.http.restli import decode_query, first_value
from lisync.sandbox.http.state import SandboxState

# Handler failures are logged under the app module's name, as before the dispatcher had its own module.
log = logging.getLogger("lisync.sandbox.http.app")

REST_PREFIX = "/rest"
# Resources also answered without the /rest prefix: Airbyte source-linkedin-ads 5.4.1 requests
# ``https://api.linkedin.com/leadFormResponses`` (its path starts with "/", which urljoin puts at the root).
# LinkedIn's behaviour there is undocumented; the sandbox serves them like /rest (see docs/sandbox.md).
ROOT_ALIASES = frozenset({"leadForms", "leadFormResponses"})
RAW_SEND_KEY = "lisync.raw_send"


class SandboxDispatcher:
    """The ASGI endpoint behind every path; see the module docstring for the order of checks."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    async def handle(self, request: Request) -> Response:
        """Answer one HTTP request."""
        path = request.url.path
        if is_admin_path(path):
            return await answer_admin(self.state, request, path)
        if self.state.config.latency_ms > 0:
            await asyncio.sleep(self.state.config.latency_ms / 1000)
        fault: str | None = None
        if path.startswith(REST_PREFIX + "/"):
            fault, early = await self._inject_fault(request, path[len(REST_PREFIX) :])
            if early is not None:
                return early
        key, outcome = await self._api(request)
        sequence = self.state.stats.count(key, outcome.status)
        headers = {
            "X-RestLi-Protocol-Version": "2.0.0",
            "X-LI-UUID": li_uuid(self.state.world.seed, sequence),
            **outcome.headers,
        }
        response = render(outcome, headers)
        if fault == "truncated" and 200 <= response.status_code < 300 and response.body:
            # A cut body with a Content-Length that matches it: only the JSON itself is broken.
            headers.pop("Content-Length", None)
            return Response(truncate(bytes(response.body)), status_code=response.status_code, headers=headers,
                            media_type="application/json")
        return response

    async def _inject_fault(self, request: Request, rest_path: str) -> tuple[str | None, Response | None]:
        """Apply latency and faults to a ``/rest`` request: ``(fault kind, response that replaces the answer)``."""
        faults = self.state.faults
        delay = faults.latency_s(rest_path)
        if delay > 0:
            await asyncio.sleep(delay)
        query = request.scope.get("query_string", b"").decode("latin-1")
        method = request.method.upper()
        override = request.headers.get("x-http-method-override")
        if method == "POST" and override is not None:
            method = override.strip().upper()
            body = (await request.body()).decode("utf-8", errors="replace")
            query = "&".join(part for part in (query, body) if part)
        denial = faults.denied(rest_path, unquote(query), normalized_version(request.headers.get("linkedin-version")))
        if denial is not None:
            self.state.stats.count(f"DENIED {rest_path}", denial.status)
            return None, render(error_response(denial), dict(denial.headers))
        kind = faults.decide(method, rest_path, query)
        if kind is None or kind == "truncated":
            return kind, None
        error = error_for(kind, faults.config.retry_after_s)
        if error is not None:
            status, body, extra = error
            self.state.stats.count(f"FAULT {kind}", status)
            return kind, render(SandboxResponse(body, status=status), extra)
        self.state.stats.count(f"FAULT {kind}", 0)
        if kind == "stall":
            waited = 0.0
            while waited < faults.config.stall_s and not await request.is_disconnected():
                await asyncio.sleep(0.05)
                waited += 0.05
        if not reset_connection(request.scope.get(RAW_SEND_KEY)):
            raise ConnectionAbortedError("sandbox fault: drop the connection")  # the server closes it
        return kind, Response(b"", status_code=500)

    async def _api(self, request: Request) -> tuple[str, SandboxResponse]:
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        path = raw_path.decode("latin-1").split("?", 1)[0]
        versioned = path == REST_PREFIX or path.startswith(REST_PREFIX + "/")
        route_path = path[len(REST_PREFIX) :] if versioned else path
        if not versioned and path.split("/")[1] in ROOT_ALIASES:
            versioned = True  # served as if under /rest (see ROOT_ALIASES)
        url_query = request.scope.get("query_string", b"").decode("latin-1")
        method = request.method.upper()
        override = request.headers.get("x-http-method-override")
        tunneled = versioned and method == "POST" and override is not None
        body = await request.body()
        key = endpoint_key(method, None, route_path, None)
        try:
            if versioned:
                check_url_limits(request, path, url_query, tunneled)
            raw_query = url_query
            if tunneled:
                assert override is not None  # tunneled implies the override header
                method = override.strip().upper()
                tunneled_part = tunneled_query(request.headers.get("content-type", ""), body)
                raw_query = "&".join(part for part in (url_query, tunneled_part) if part)
                body = b""
            query = decode_query(raw_query)
            finder = first_value(query.get("q"))
            finder = finder if isinstance(finder, str) else None
            resolution = resolve_route(self.state.routes, method, route_path, finder, versioned)
            key = endpoint_key(method, resolution.route, route_path, finder)
            grant, version = None, None
            if versioned:
                grant = check_token(self.state, token_from(request, query))
                version = check_version(self.state, request.headers.get("linkedin-version"))
            if resolution.error is not None:
                raise resolution.error
            route = resolution.route
            assert route is not None
            if (
                route.scopes
                and grant is not None
                and not any(scope_set <= grant.scopes for scope_set in route.scopes)
            ):
                raise access_denied(route.resource, method, normalized_version(version))
            sandbox_request = SandboxRequest(
                method=method,
                path=route_path,
                path_params=resolution.params,
                query=query,
                raw_query=raw_query,
                headers=request.headers,
                grant=grant,
                world=self.state.world,
                body=body,
                version=version,
            )
            return key, route.handler(sandbox_request)
        except RestliError as error:
            return key, error_response(error)
        except Exception:  # a handler bug must still answer like a server, not drop the connection
            log.exception("Sandbox handler failed for %s", key)
            return key, SandboxResponse({"message": "Internal Server Error", "status": 500}, status=500)
