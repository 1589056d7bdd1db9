"""How ads collection methods answer: cursor paging, start/count paging and BATCH_GET.

Search finders page with ``pageSize`` (default 100) and an opaque ``pageToken`` naming the last entity
returned, checked against the world seed and the finder's scope so a token from another finder is rejected;
``metadata.nextPageToken`` is absent on the last page.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from lisync.sandbox import synth
from lisync.sandbox.errors import RestliError
from lisync.sandbox.http.protocol import SandboxRequest, SandboxResponse
from lisync.sandbox.http.restli import first_value
from lisync.sandbox.routes.ads.params import TEntity, bad_request, list_param, parse_int, urn_id

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
DEFAULT_COUNT = 10


def _page_token(seed: int, scope: str, last_key: int) -> str:
    check = synth.stable_hash(seed, "page", scope, last_key) % 10**8
    return base64.urlsafe_b64encode(f"{last_key}:{check:08d}".encode()).decode().rstrip("=")


def _read_page_token(seed: int, scope: str, token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        last_text, check_text = text.split(":")
        last_key = int(last_text)
    except (ValueError, UnicodeDecodeError) as error:
        raise bad_request(f"Invalid pageToken '{token}'") from error
    if _page_token(seed, scope, last_key) != token.rstrip("=") or not check_text.isdigit():
        raise bad_request(f"Invalid pageToken '{token}'")
    return last_key


def cursor_page(
    req: SandboxRequest, items: list[TEntity], key: Callable[[TEntity], int], max_page_size: int, scope: str
) -> SandboxResponse:
    """Answer a search finder with LinkedIn's cursor paging (``pageSize``, ``pageToken``, ``sortOrder``).

    Args:
        req: The request (reads ``pageSize``, ``pageToken`` and ``sortOrder``).
        items: Every matching entity.
        key: The numeric sort key of an entity (its id).
        max_page_size: The finder's largest allowed ``pageSize``.
        scope: Names the finder (and account) so a token from another finder is rejected.

    Returns:
        ``{"elements": [...], "metadata": {"nextPageToken"?}}``.

    """
    raw_size = first_value(req.query.get("pageSize"))
    page_size = DEFAULT_PAGE_SIZE if raw_size is None else parse_int(raw_size, "pageSize", minimum=1)
    if page_size > max_page_size:
        raise bad_request(
            f"pageSize {page_size} is larger than the maximum allowed page size {max_page_size}"
        )
    order = first_value(req.query.get("sortOrder")) or "ASCENDING"
    if order not in ("ASCENDING", "DESCENDING"):
        raise bad_request(f"Invalid sortOrder '{order}': use ASCENDING or DESCENDING")
    descending = order == "DESCENDING"
    ordered = sorted(items, key=key, reverse=descending)
    token = first_value(req.query.get("pageToken"))
    if token:
        last_key = _read_page_token(req.world.seed, scope, str(token))
        ordered = [e for e in ordered if (key(e) < last_key if descending else key(e) > last_key)]
    page = ordered[:page_size]
    metadata: dict[str, Any] = {}
    if len(ordered) > page_size:
        metadata["nextPageToken"] = _page_token(req.world.seed, scope, key(page[-1]))
    return SandboxResponse({"elements": page, "metadata": metadata})


def offset_page(
    req: SandboxRequest, items: list[TEntity], default_count: int | None = DEFAULT_COUNT
) -> SandboxResponse:
    """Answer a finder with start/count paging: ``{"elements", "paging": {start, count, links, total}}``."""
    start = parse_int(first_value(req.query.get("start")) or "0", "start")
    raw_count = first_value(req.query.get("count"))
    count = parse_int(raw_count, "count") if raw_count is not None else (default_count or len(items))
    return SandboxResponse(
        {
            "elements": items[start : start + count],
            "paging": {"count": count, "links": [], "start": start, "total": len(items)},
        }
    )


def batch_get(
    req: SandboxRequest, fetch: Callable[[int], TEntity], kinds: tuple[str, ...]
) -> SandboxResponse:
    """Answer a BATCH_GET (``ids=List(...)``): ``results`` per found id, LinkedIn's error body per failed id.

    Args:
        req: The request (reads ``ids``).
        fetch: Returns the entity of a numeric id or raises its :class:`RestliError`.
        kinds: The URN kinds an id may be given as (bare numbers are accepted too).

    Returns:
        ``{"errors": {...}, "results": {...}, "statuses": {}}`` keyed by the ids as sent.

    """
    ids = list_param(req, "ids")
    if not ids:
        raise RestliError(
            400, "Resource method could not be resolved from request parameters.", code="ILLEGAL_ARGUMENT"
        )
    results: dict[str, TEntity] = {}
    errors: dict[str, Any] = {}
    for raw in ids:
        try:
            results[raw] = fetch(urn_id(raw, kinds, "ids"))
        except RestliError as error:
            errors[raw] = error.body()
    return SandboxResponse({"errors": errors, "results": results, "statuses": {}})
