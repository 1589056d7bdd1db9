"""LinkedIn's gateway checks on an API request: URL limits, route resolution, access token and version.

The dispatcher (:mod:`lisync.sandbox.http.dispatch`) applies them in LinkedIn's order: URL limits (414), access
token (401), ``LinkedIn-Version`` (400 ``VERSION_MISSING`` / 426 ``NONEXISTENT_VERSION``), resource and
finder resolution (404 / 400), then scopes (403).
"""

from __future__ import annotations

from collections.abc import Sequence
from email.parser import BytesParser
from email.policy import HTTP
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from lisync.sandbox.errors import RestliError
from lisync.sandbox.http.protocol import Route
from lisync.sandbox.http.restli import first_value

if TYPE_CHECKING:
    from starlette.requests import Request

    from lisync.sandbox.http.state import SandboxState

# LinkedIn's URL limits (query-tunneling page): query string 4 KB, raw URL 8 KB, one path segment 4 KB, and
# 28 KB for the URL with every header (cookies included).
MAX_QUERY_BYTES = 4096
MAX_URL_BYTES = 8192
MAX_PATH_SEGMENT_BYTES = 4096
MAX_REQUEST_HEAD_BYTES = 28 * 1024


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


class Resolution:
    """The outcome of matching a path and ``q`` against the route table."""

    def __init__(self, route: Route | None, params: dict[str, str], error: RestliError | None) -> None:
        self.route = route
        self.params = params
        self.error = error


def _specificity(route: Route) -> tuple[int, int]:
    return (route.pattern.count("{"), -len(route.pattern))


def resolve_route(
    routes: Sequence[Route], method: str, path: str, finder: str | None, versioned: bool
) -> Resolution:
    """Find the route in ``routes`` for ``method`` + ``path`` + ``q``; on failure, LinkedIn's error for it."""
    by_path = [(r, p) for r in routes if r.versioned == versioned for p in [r.match(path)] if p is not None]
    if not by_path:
        return Resolution(None, {}, RestliError(404, f"No root resource defined for path '{path}'"))
    by_method = [(r, p) for r, p in by_path if r.method == method]
    if not by_method:
        return Resolution(None, {}, RestliError(405, f"Method {method} is not supported for path '{path}'"))
    matching = [(r, p) for r, p in by_method if r.finder == finder]
    if not matching:
        return Resolution(
            None,
            {},
            RestliError(
                400, "Resource method could not be resolved from request parameters.", code="ILLEGAL_ARGUMENT"
            ),
        )
    route, params = min(matching, key=lambda rp: _specificity(rp[0]))
    return Resolution(route, {k: unquote(v) for k, v in params.items()}, None)


def check_url_limits(request: Request, path: str, url_query: str, tunneled: bool) -> None:
    """Apply LinkedIn's URL limits to a ``/rest`` request.

    Raises:
        RestliError: 414 for an untunneled query over 4 KB or URL over 8 KB, and, tunneled or not, for a
            path segment over 4 KB or a URL plus headers over 28 KB.
    """
    url_bytes = len(str(request.url).encode())
    if not tunneled and (len(url_query.encode()) > MAX_QUERY_BYTES or url_bytes > MAX_URL_BYTES):
        raise RestliError(
            414,
            "Request-URI Too Long. Use query tunneling (POST with X-HTTP-Method-Override: GET) for long queries.",
        )
    if any(len(part.encode()) > MAX_PATH_SEGMENT_BYTES for part in path.split("/")):
        raise RestliError(414, "Request-URI Too Long: a URL path segment is longer than 4 KB.")
    if url_bytes + sum(len(k) + len(v) + 4 for k, v in request.headers.raw) > MAX_REQUEST_HEAD_BYTES:
        raise RestliError(414, "Request-URI Too Long: the URL and headers together exceed 28 KB.")


def token_from(request: Request, query: dict[str, Any]) -> str | None:
    """Return the access token of a request: the ``Authorization: Bearer`` header, else ``oauth2_access_token``.

    Raises:
        RestliError: 401 for an ``Authorization`` header with another scheme.

    """
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


def tunneled_query(content_type: str, body: bytes) -> str:
    """Return the query a tunneled POST carries: its form body, or the form part of a ``multipart/mixed`` body."""
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
