"""LinkedIn's two paging styles as dlt paginators, and the URL helpers they share with the client."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from dlt.sources.helpers.rest_client.paginators import BasePaginator
from requests import Request, Response

from lisync.linkedin.http.retry import cached_json

__all__ = ["CursorPaginator", "OffsetPaginator", "request_url", "with_param"]


def request_url(request: Request) -> str:
    """Return ``request``'s URL as text (dlt builds ``str`` URLs; ``requests`` also allows bytes).

    Raises:
        ValueError: When the request has no URL.

    """
    url = request.url
    if isinstance(url, bytes):
        return url.decode()
    if url is None:
        raise ValueError("The request has no URL.")
    return url


def with_param(url: str, name: str, encoded_value: str) -> str:
    """Return ``url`` with query parameter ``name`` set to an already-encoded value (others untouched)."""
    parts = urlsplit(url)
    pairs = [p for p in parts.query.split("&") if p and p.split("=", 1)[0] != name]
    pairs.append(f"{name}={encoded_value}")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(pairs), ""))


class CursorPaginator(BasePaginator):
    """LinkedIn's cursor paging (``pageSize``/``pageToken`` → ``metadata.nextPageToken``).

    Stops when the token is absent, and also when LinkedIn repeats a token it already gave (a
    repeating cursor would otherwise loop forever).
    """

    def __init__(self, page_size: int) -> None:
        super().__init__()
        self.page_size = page_size
        self._token: str | None = None
        self._seen: set[str] = set()

    def init_request(self, request: Request) -> None:
        """Ask for ``page_size`` elements per page."""
        request.url = with_param(request_url(request), "pageSize", str(self.page_size))

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        """Read the next token, if any."""
        body = cached_json(response) or {}
        token = (body.get("metadata") or {}).get("nextPageToken") if isinstance(body, dict) else None
        if not token or token in self._seen:
            self._has_next_page = False
            return
        self._seen.add(token)
        self._token = token

    def update_request(self, request: Request) -> None:
        """Put the next token into the query."""
        if self._has_next_page and self._token:
            request.url = with_param(request_url(request), "pageToken", quote(self._token, safe=""))


class OffsetPaginator(BasePaginator):
    """LinkedIn's offset paging (``start``/``count`` with an optional ``paging.total``).

    Stops at ``paging.total`` when given, otherwise when a page comes back shorter than ``count``.
    """

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count
        self.start = 0

    def init_request(self, request: Request) -> None:
        """Ask for the first page."""
        request.url = with_param(with_param(request_url(request), "start", "0"), "count", str(self.count))

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        """Advance ``start`` and decide whether another page exists."""
        body = cached_json(response) or {}
        paging = body.get("paging") or {} if isinstance(body, dict) else {}
        returned = len(data or [])
        self.start += self.count
        total = paging.get("total")
        if isinstance(total, int):
            self._has_next_page = self.start < total and returned > 0
        else:
            self._has_next_page = returned >= self.count

    def update_request(self, request: Request) -> None:
        """Put the next ``start`` into the query."""
        request.url = with_param(request_url(request), "start", str(self.start))
