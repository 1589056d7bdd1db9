"""How the sandbox turns answers into HTTP responses: deterministic JSON, error envelopes, raw bodies."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from starlette.responses import Response

from lisync.sandbox.errors import RestliError
from lisync.sandbox.http.protocol import SandboxResponse


def dump_json(body: Any) -> bytes:
    """Serialise a response body deterministically (sorted keys, compact, UTF-8)."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def li_uuid(seed: int, sequence: int) -> str:
    """Return the ``X-LI-UUID`` of the ``sequence``-th request: deterministic for a world seed."""
    digest = hashlib.blake2b(f"{seed}:{sequence}".encode(), digest_size=16).digest()
    return base64.b64encode(digest).decode()


def error_response(error: RestliError, extra: dict[str, str] | None = None) -> SandboxResponse:
    """Return LinkedIn's error envelope for ``error`` as a handler answer (its headers plus ``extra``)."""
    return SandboxResponse(error.body(), status=error.status, headers={**error.headers, **(extra or {})})


def render(outcome: SandboxResponse, headers: dict[str, str]) -> Response:
    """Render a handler's answer: empty, raw text/bytes (e.g. the OAuth consent page) or JSON."""
    if outcome.body is None:
        return Response(b"", status_code=outcome.status, headers=headers)
    if isinstance(outcome.body, str | bytes):
        raw = outcome.body.encode() if isinstance(outcome.body, str) else outcome.body
        return Response(raw, status_code=outcome.status, headers=headers)
    return Response(
        dump_json(outcome.body), status_code=outcome.status, headers=headers, media_type="application/json"
    )


def json_response(body: Any, status: int = 200) -> Response:
    """Return ``body`` as a JSON response without extra headers (the sandbox admin API's answers)."""
    return Response(dump_json(body), status_code=status, media_type="application/json")
