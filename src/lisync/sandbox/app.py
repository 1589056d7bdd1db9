"""The sandbox's HTTP app: LinkedIn's protocol rules (auth, versions, tunneling, limits, routing) and admin.

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
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import json
import logging
import threading
from collections import Counter
from email.parser import BytesParser
from email.policy import HTTP
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute

import lisync.sandbox.routes  # noqa: F401  (registers every endpoint in core.ROUTES)
from lisync.sandbox.core import ROUTES, RestliError, Route, SandboxRequest, SandboxResponse, access_denied
from lisync.sandbox.faults import FaultConfig, FaultInjector, error_for, reset_connection, truncate
from lisync.sandbox.restli import decode_query, first_value

if TYPE_CHECKING:
    from lisync.sandbox.server import SandboxConfig
    from lisync.sandbox.world import World

log = logging.getLogger(__name__)

MAX_QUERY_BYTES = 4096
MAX_URL_BYTES = 8192
REST_PREFIX = "/rest"
ADMIN_PREFIX = "/_sandbox"
RAW_SEND_KEY = "lisync.raw_send"
_ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


class RequestStats:
    """Thread-safe request counters, by endpoint key and by HTTP status."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_endpoint: Counter[str] = Counter()
        self._by_status: Counter[str] = Counter()
        self.sequence = 0

    def count(self, key: str, status: int) -> int:
        """Count one request and return its sequence number (1-based, never reset)."""
        with self._lock:
            self._by_endpoint[key] += 1
            self._by_status[str(status)] += 1
            self.sequence += 1
            return self.sequence

    def snapshot(self) -> dict[str, Any]:
        """Return ``{"total", "by_endpoint", "by_status"}`` with keys sorted."""
        with self._lock:
            return {
                "total": sum(self._by_endpoint.values()),
                "by_endpoint": dict(sorted(self._by_endpoint.items())),
                "by_status": dict(sorted(self._by_status.items())),
            }

    def reset(self) -> None:
        """Forget every count (the sequence number keeps growing so ``X-LI-UUID`` stays unique)."""
        with self._lock:
            self._by_endpoint.clear()
            self._by_status.clear()


class SandboxState:
    """What the app shares across requests: the world, the configuration and the counters."""

    def __init__(self, world: World, config: SandboxConfig) -> None:
        self.world = world
        self.config = config
        self.stats = RequestStats()
        self.faults = FaultInjector(config.faults)


def dump_json(body: Any) -> bytes:
    """Serialise a response body deterministically (sorted keys, compact, UTF-8)."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _li_uuid(seed: int, sequence: int) -> str:
    digest = hashlib.blake2b(f"{seed}:{sequence}".encode(), digest_size=16).digest()
    return base64.b64encode(digest).decode()


def endpoint_key(method: str, route: Route | None, path: str, finder: str | None) -> str:
    """Return the stats key of a request, e.g. ``GET adAccounts/{account_id}/adCampaigns?q=search``."""
    name = route.pattern.lstrip("/") if route is not None else path.lstrip("/")
    return f"{method} {name}" + (f"?q={finder}" if finder else "")


def normalized_version(version: str | None) -> str | None:
    """Return the version as LinkedIn echoes it in 403 messages (``202601`` -> ``20260101``)."""
    if version is None:
        return None
    digits = version.split(".")[0]
    return digits + "01" if len(digits) == 6 else digits


class _Resolution:
    """The outcome of matching a path and ``q`` against the route table."""

    def __init__(self, route: Route | None, params: dict[str, str], error: RestliError | None) -> None:
        self.route = route
        self.params = params
        self.error = error


def _specificity(route: Route) -> tuple[int, int]:
    return (route.pattern.count("{"), -len(route.pattern))


def resolve_route(method: str, path: str, finder: str | None, versioned: bool) -> _Resolution:
    """Find the route for ``method`` + ``path`` + ``q``; on failure, LinkedIn's error for it."""
    by_path = [(r, p) for r in ROUTES if r.versioned == versioned for p in [r.match(path)] if p is not None]
    if not by_path:
        return _Resolution(None, {}, RestliError(404, f"No root resource defined for path '{path}'"))
    by_method = [(r, p) for r, p in by_path if r.method == method]
    if not by_method:
        return _Resolution(None, {}, RestliError(405, f"Method {method} is not supported for path '{path}'"))
    matching = [(r, p) for r, p in by_method if r.finder == finder]
    if not matching:
        return _Resolution(
            None,
            {},
            RestliError(
                400, "Resource method could not be resolved from request parameters.", code="ILLEGAL_ARGUMENT"
            ),
        )
    route, params = min(matching, key=lambda rp: _specificity(rp[0]))
    return _Resolution(route, {k: unquote(v) for k, v in params.items()}, None)


def _token_from(request: Request, query: dict[str, Any]) -> str | None:
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise RestliError(401, "Unknown authentication scheme", service_error_code=401)
        return token.strip() or None
    token = first_value(query.get("oauth2_access_token"))
    return token if isinstance(token, str) and token else None


def check_token(state: SandboxState, token: str | None) -> Any:
    """Return the token's grant or raise LinkedIn's 401 for a missing, unknown, expired or revoked token."""
    if not token:
        raise RestliError(401, "Empty oauth2_access_token", service_error_code=401)
    grant = state.world.grant_for(token)
    if grant is None:
        raise RestliError(401, "Invalid access token", service_error_code=65600)
    if grant.revoked:
        raise RestliError(
            401,
            "The token used in the request has been revoked by the user",
            code="REVOKED_ACCESS_TOKEN",
            service_error_code=65601,
        )
    if grant.expires_at_ms is not None and grant.expires_at_ms <= state.world.clock.now_ms():
        raise RestliError(
            401,
            "The token used in the request has expired",
            code="EXPIRED_ACCESS_TOKEN",
            service_error_code=65602,
        )
    return grant


def check_version(state: SandboxState, version: str | None) -> str:
    """Return the ``LinkedIn-Version`` value or raise LinkedIn's 400/426."""
    if version is None or not version.strip():
        raise RestliError(
            400,
            "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
            code="VERSION_MISSING",
        )
    if not state.config.version_is_active(version, state.world.clock.today):
        raise RestliError(
            426, f"Requested version {version.strip()} is not active", code="NONEXISTENT_VERSION"
        )
    return version.strip()


def _tunneled_query(content_type: str, body: bytes) -> str:
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "multipart/mixed":
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
        )
        for part in message.iter_parts():
            if part.get_content_type() == "application/x-www-form-urlencoded":
                payload = part.get_payload(decode=True)
                return payload.decode() if isinstance(payload, bytes) else str(payload)
        return ""
    return body.decode("utf-8", errors="replace")


def _error_response(error: RestliError, extra: dict[str, str] | None = None) -> SandboxResponse:
    return SandboxResponse(error.body(), status=error.status, headers={**error.headers, **(extra or {})})


class SandboxDispatcher:
    """The ASGI endpoint behind every path; see the module docstring for the order of checks."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    async def handle(self, request: Request) -> Response:
        """Answer one HTTP request."""
        path = request.url.path
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            return await self._admin(request, path)
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
            "X-LI-UUID": _li_uuid(self.state.world.seed, sequence),
            **outcome.headers,
        }
        response = _render(outcome, headers)
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
            return None, _render(_error_response(denial), dict(denial.headers))
        kind = faults.decide(method, rest_path, query)
        if kind is None or kind == "truncated":
            return kind, None
        error = error_for(kind, faults.config.retry_after_s)
        if error is not None:
            status, body, extra = error
            self.state.stats.count(f"FAULT {kind}", status)
            return kind, _render(SandboxResponse(body, status=status), extra)
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
        url_query = request.scope.get("query_string", b"").decode("latin-1")
        method = request.method.upper()
        override = request.headers.get("x-http-method-override")
        tunneled = versioned and method == "POST" and override is not None
        body = await request.body()
        key = endpoint_key(method, None, route_path, None)
        try:
            if not tunneled and versioned:
                url_bytes = len(str(request.url).encode())
                if len(url_query.encode()) > MAX_QUERY_BYTES or url_bytes > MAX_URL_BYTES:
                    raise RestliError(
                        414,
                        "Request-URI Too Long. Use query tunneling (POST with "
                        "X-HTTP-Method-Override: GET) for long queries.",
                    )
            raw_query = url_query
            if tunneled:
                method = override.strip().upper()
                tunneled_query = _tunneled_query(request.headers.get("content-type", ""), body)
                raw_query = "&".join(part for part in (url_query, tunneled_query) if part)
                body = b""
            query = decode_query(raw_query)
            finder = first_value(query.get("q"))
            finder = finder if isinstance(finder, str) else None
            resolution = resolve_route(method, route_path, finder, versioned)
            key = endpoint_key(method, resolution.route, route_path, finder)
            grant, version = None, None
            if versioned:
                grant = check_token(self.state, _token_from(request, query))
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
            return key, _error_response(error)
        except Exception:  # a handler bug must still answer like a server, not drop the connection
            log.exception("Sandbox handler failed for %s", key)
            return key, SandboxResponse({"message": "Internal Server Error", "status": 500}, status=500)

    async def _admin(self, request: Request, path: str) -> Response:
        state = self.state
        world = state.world
        method = request.method.upper()
        try:
            if path == f"{ADMIN_PREFIX}/stats" and method == "GET":
                return _json(state.stats.snapshot())
            if path == f"{ADMIN_PREFIX}/stats/reset" and method == "POST":
                state.stats.reset()
                return _json(state.stats.snapshot())
            if path == f"{ADMIN_PREFIX}/clock" and method == "GET":
                return _json({"today": world.clock.today.isoformat()})
            if path == f"{ADMIN_PREFIX}/clock" and method == "POST":
                payload = json.loads(await request.body() or b"{}")
                if "today" in payload:
                    world.clock.today = dt.date.fromisoformat(str(payload["today"]))
                elif "advance_days" in payload:
                    world.clock.advance(int(payload["advance_days"]))
                else:
                    return _json(
                        {"message": 'Send {"today": "YYYY-MM-DD"} or {"advance_days": N}.', "status": 400},
                        400,
                    )
                return _json({"today": world.clock.today.isoformat()})
            if path == f"{ADMIN_PREFIX}/faults" and method == "GET":
                return _json(state.faults.snapshot())
            if path == f"{ADMIN_PREFIX}/faults" and method == "POST":
                state.faults.reconfigure(FaultConfig.from_dict(json.loads(await request.body() or b"{}")))
                return _json(state.faults.snapshot())
            if path == f"{ADMIN_PREFIX}/config" and method == "GET":
                config = state.config
                return _json(
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
            return _json({"message": f"Invalid sandbox admin request: {error}", "status": 400}, 400)
        # Endpoint modules may register their own admin routes (e.g. routes/oauth.py: /_sandbox/oauth).
        raw_query = request.scope.get("query_string", b"").decode("latin-1")
        try:
            query = decode_query(raw_query)
            finder = first_value(query.get("q"))
            resolution = resolve_route(
                method, path, finder if isinstance(finder, str) else None, versioned=False
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
                return _render(outcome, dict(outcome.headers))
        except RestliError as error:
            return _render(_error_response(error), dict(error.headers))
        return _json({"message": f"No sandbox admin route {method} {path}", "status": 404}, 404)


def _render(outcome: SandboxResponse, headers: dict[str, str]) -> Response:
    """Render a handler's answer: empty, raw text/bytes (e.g. the OAuth consent page) or JSON."""
    if outcome.body is None:
        return Response(b"", status_code=outcome.status, headers=headers)
    if isinstance(outcome.body, str | bytes):
        raw = outcome.body.encode() if isinstance(outcome.body, str) else outcome.body
        return Response(raw, status_code=outcome.status, headers=headers)
    return Response(
        dump_json(outcome.body), status_code=outcome.status, headers=headers, media_type="application/json"
    )


def _json(body: Any, status: int = 200) -> Response:
    return Response(dump_json(body), status_code=status, media_type="application/json")


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
