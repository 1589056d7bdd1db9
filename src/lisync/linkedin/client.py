"""The one HTTP client for every LinkedIn call: headers, auth, Rest.li URLs, tunneling, paging, counting.

Built on dlt's ``RESTClient`` and dlt's retrying ``requests`` client, with lisync's retry policy (see
:mod:`lisync.linkedin.retry`: what is transient, full-jitter backoff, ``Retry-After``, the data-volume
throttle's long wait, per-request and per-run bounds, a concurrency cap). What is LinkedIn-specific lives
here: the ``LinkedIn-Version`` and
``X-Restli-Protocol-Version`` headers, Rest.li query strings that must not be re-encoded, query tunneling
for long queries, LinkedIn's two paging styles, its error envelope, and a per-endpoint request count
for the run summary.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

from dlt.sources.helpers.rest_client.client import RESTClient
from dlt.sources.helpers.rest_client.paginators import BasePaginator
from requests import PreparedRequest, Request, Response
from requests.auth import AuthBase
from requests.exceptions import RequestException, Timeout

from lisync.linkedin.errors import BadResponseError, NetworkError, api_error
from lisync.linkedin.restli import MAX_QUERY_LENGTH, encode_query
from lisync.linkedin.retry import LinkedInRetryingClient, RetryPolicy, cached_json
from lisync.settings import DEFAULT_API_BASE_URL, DEFAULT_API_VERSION

__all__ = ["LinkedInClient", "RequestStats", "RetryPolicy", "StaticTokenProvider", "TokenProvider", "endpoint_key"]


class TokenProvider(Protocol):
    """Supplies access tokens to the client and renews them when LinkedIn says they expired."""

    def access_token(self) -> str:
        """Return the access token to send now."""
        ...

    def handle_unauthorized(self, error_code: str | None) -> bool:
        """React to a 401; return ``True`` when a new token is ready and the request should be retried.

        A provider may also accept ``used_token`` (the token the failed request carried); the client then
        passes it, so requests that raced a refresh retry with the new token instead of refreshing again.
        """
        ...


class StaticTokenProvider:
    """A fixed access token (flag, env var or dlt secret) that lisync cannot renew."""

    def __init__(self, token: str) -> None:
        self._token = token

    def access_token(self) -> str:
        """Return the fixed token."""
        return self._token

    def handle_unauthorized(self, error_code: str | None) -> bool:
        """Return ``False``: a fixed token cannot be renewed."""
        return False

    def __repr__(self) -> str:
        return "StaticTokenProvider(token=***)"


@dataclass
class RequestStats:
    """Thread-safe counts of API requests: logical requests per endpoint and raw HTTP attempts.

    Attributes:
        by_endpoint: Logical requests (one per page or call, retries excluded) per endpoint key.
        attempts: Every HTTP attempt, retries included.
        errors: Final error statuses per endpoint key.
        retry_reasons: Retries per reason (``429``, ``503``, ``timeout``, ``invalid JSON``…).
        retry_seconds: Seconds spent waiting between attempts.

    """

    by_endpoint: Counter[str] = field(default_factory=Counter)
    attempts: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    retry_reasons: Counter[str] = field(default_factory=Counter)
    retry_seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count_request(self, endpoint: str) -> None:
        """Count one logical request to ``endpoint``."""
        with self._lock:
            self.by_endpoint[endpoint] += 1

    def count_attempt(self) -> None:
        """Count one HTTP attempt."""
        with self._lock:
            self.attempts += 1

    def count_retry(self, reason: str, seconds: float) -> None:
        """Count one retry and the wait before it."""
        with self._lock:
            self.retry_reasons[reason] += 1
            self.retry_seconds += seconds

    def count_error(self, endpoint: str, status: int) -> None:
        """Count a request that finally failed with ``status``."""
        with self._lock:
            self.errors[f"{endpoint} {status}"] += 1

    @property
    def total(self) -> int:
        """Logical requests over all endpoints."""
        return sum(self.by_endpoint.values())

    @property
    def retries(self) -> int:
        """Attempts repeated after a transient failure (throttling, 5xx, dropped or stalled connections)."""
        return sum(self.retry_reasons.values())

    def as_dict(self) -> dict[str, Any]:
        """Return the summary form: totals, attempts, retries (count, seconds, reasons) and per-endpoint counts."""
        with self._lock:
            return {
                "total": sum(self.by_endpoint.values()),
                "attempts": self.attempts,
                "retries": sum(self.retry_reasons.values()),
                "retry_seconds": round(self.retry_seconds, 3),
                "retry_reasons": dict(sorted(self.retry_reasons.items())),
                "by_endpoint": dict(sorted(self.by_endpoint.items())),
            }


_ID_SEGMENT = re.compile(r"^(\d+|urn(%3A|:).*|\(.*\))$", re.IGNORECASE)


def endpoint_key(path: str, finder: str | None) -> str:
    """Return a stable name for an endpoint: ids replaced by ``{id}``, plus the finder.

    Example:
        ``endpoint_key("/adAccounts/5/adCampaigns", "search")`` → ``"adAccounts/{id}/adCampaigns?q=search"``

    """
    parts = [("{id}" if _ID_SEGMENT.match(p) else p) for p in path.strip("/").split("/") if p]
    key = "/".join(parts)
    return f"{key}?q={finder}" if finder else key


class _LinkedInAuth(AuthBase):
    """Sets the bearer token and, on a 401 the provider can fix, renews the token and re-sends once."""

    def __init__(self, provider: TokenProvider) -> None:
        self.provider = provider
        try:
            parameters = inspect.signature(provider.handle_unauthorized).parameters
        except (TypeError, ValueError):
            parameters = {}  # type: ignore[assignment]
        self._passes_used_token = "used_token" in parameters

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.provider.access_token()}"
        request.register_hook("response", self._on_response)
        return request

    def _on_response(self, response: Response, **kwargs: Any) -> Response:
        if response.status_code != 401 or getattr(response.request, "_lisync_reauthed", False):
            return response
        try:
            code = response.json().get("code")
        except ValueError:
            code = None
        if self._passes_used_token:
            sent = response.request.headers.get("Authorization") or ""
            sent = sent.decode("latin-1") if isinstance(sent, bytes) else sent
            used_token = sent.removeprefix("Bearer ") if sent.startswith("Bearer ") else None
            renewed = self.provider.handle_unauthorized(code, used_token=used_token)  # type: ignore[call-arg]
        else:
            renewed = self.provider.handle_unauthorized(code)
        if not renewed:
            return response
        retry = response.request.copy()
        retry.headers["Authorization"] = f"Bearer {self.provider.access_token()}"
        retry._lisync_reauthed = True  # type: ignore[attr-defined]
        response.content  # noqa: B018 - drain the body so the connection can be reused
        response.close()
        assert response.connection is not None
        again: Response = response.connection.send(retry, **kwargs)
        again.history.append(response)
        again.request = retry
        return again


class _LinkedInRESTClient(RESTClient):
    """dlt's RESTClient with LinkedIn's query-string rules: tunneling and per-endpoint counting."""

    def __init__(self, *args: Any, stats: RequestStats, retrying: LinkedInRetryingClient, **kwargs: Any) -> None:
        self._retrying = retrying
        super().__init__(*args, **kwargs)
        self.stats = stats

    @property  # type: ignore[override]
    def session(self) -> Any:
        """The calling thread's retrying session (dlt keeps one per thread, so workers never share one)."""
        return self._retrying.session

    @session.setter
    def session(self, value: Any) -> None:
        """Ignore RESTClient's assignment: sessions come from the per-thread retrying client."""

    def _send_request(self, request: Request, **kwargs: Any) -> Response:
        parts = urlsplit(request.url)
        finder = dict(parse_qsl(parts.query)).get("q")
        endpoint = endpoint_key(parts.path.removeprefix(urlsplit(self.base_url).path), finder)
        self.stats.count_request(endpoint)
        if request.method.upper() == "GET" and len(parts.query) > MAX_QUERY_LENGTH:
            request = _tunneled(request)
        try:
            response = super()._send_request(request, **kwargs)
        except RequestException as exc:
            host = urlsplit(self.base_url).netloc
            reason = "timed out" if isinstance(exc, Timeout) else "connection failed"
            raise NetworkError(f"Cannot reach LinkedIn at {host} ({reason} on {endpoint}, after every retry): "
                               "check the network and --api-base-url, then re-run; lisync resumes where it "
                               "stopped.") from None
        if response.status_code >= 400:
            self.stats.count_error(endpoint, response.status_code)
            raise api_error(response.status_code, endpoint, _json_or_none(response),
                            version=(self.headers or {}).get("LinkedIn-Version"))
        return response


def _tunneled(request: Request) -> Request:
    """Return ``request`` as LinkedIn's query tunnel: POST, override header, query in a form body."""
    parts = urlsplit(request.url)
    headers = dict(request.headers or {})
    headers["X-HTTP-Method-Override"] = "GET"
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return Request(
        method="POST",
        url=urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
        headers=headers,
        data=parts.query,
        auth=request.auth,
        hooks=request.hooks,
    )


def _json_or_none(response: Response) -> Any:
    return cached_json(response)


def _with_param(url: str, name: str, encoded_value: str) -> str:
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
        request.url = _with_param(request.url, "pageSize", str(self.page_size))

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        """Read the next token, if any."""
        body = _json_or_none(response) or {}
        token = (body.get("metadata") or {}).get("nextPageToken") if isinstance(body, dict) else None
        if not token or token in self._seen:
            self._has_next_page = False
            return
        self._seen.add(token)
        self._token = token

    def update_request(self, request: Request) -> None:
        """Put the next token into the query."""
        if self._has_next_page and self._token:
            request.url = _with_param(request.url, "pageToken", quote(self._token, safe=""))


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
        request.url = _with_param(_with_param(request.url, "start", "0"), "count", str(self.count))

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        """Advance ``start`` and decide whether another page exists."""
        body = _json_or_none(response) or {}
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
        request.url = _with_param(request.url, "start", str(self.start))


class LinkedInClient:
    """Every LinkedIn API call lisync makes goes through one of these.

    Args:
        token_provider: Supplies (and renews) the access token.
        base_url: The versioned REST base URL (LinkedIn's, or the sandbox's ``…/rest``).
        api_version: ``LinkedIn-Version`` header value (``YYYYMM``).
        stats: Where requests are counted (a fresh :class:`RequestStats` by default).
        timeout: Read timeout per attempt in seconds (overrides the policy's ``read_timeout_s``).
        max_attempts: Attempts per request (overrides the policy's ``max_attempts``).
        retry_policy: What is retried, how long to wait, the budgets and the concurrency cap.

    """

    def __init__(
        self,
        token_provider: TokenProvider,
        base_url: str = DEFAULT_API_BASE_URL,
        api_version: str = DEFAULT_API_VERSION,
        stats: RequestStats | None = None,
        timeout: float | None = None,
        max_attempts: int | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        self.stats = stats or RequestStats()
        self.base_url = base_url.rstrip("/")
        self.api_version = api_version
        policy = retry_policy or RetryPolicy()
        if timeout is not None:
            policy = dataclasses.replace(policy, read_timeout_s=timeout)
        if max_attempts is not None:
            policy = dataclasses.replace(policy, max_attempts=max_attempts)
        self.retry_policy = policy
        retrying = LinkedInRetryingClient(policy, on_attempt=self.stats.count_attempt,
                                          on_retry=self.stats.count_retry)
        self._rest = _LinkedInRESTClient(
            base_url=self.base_url,
            headers={
                "LinkedIn-Version": api_version,
                "X-Restli-Protocol-Version": "2.0.0",
                "User-Agent": "lisync",
            },
            auth=_LinkedInAuth(token_provider),
            session=retrying.session,
            stats=self.stats,
            retrying=retrying,
        )

    def _url(self, path: str, params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None) -> str:
        query = encode_query(params or {})
        return f"{self.base_url}/{path.lstrip('/')}" + (f"?{query}" if query else "")

    def get(self, path: str, params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
            headers: dict[str, str] | None = None) -> Any:
        """GET one resource and return its JSON body.

        Args:
            path: Path below the base URL, e.g. ``adAccounts/123`` (URN keys already percent-encoded).
            params: Query parameters as Rest.li values (see :func:`lisync.linkedin.restli.encode_query`).
            headers: Extra headers (e.g. ``X-RestLi-Method``).

        Returns:
            The decoded JSON body.

        Raises:
            LinkedInAPIError: LinkedIn answered an error status after any retries.
            BadResponseError: The body is not JSON.

        """
        response = self._rest.get(self._url(path, params), headers=headers)
        body = _json_or_none(response)
        if body is None:
            raise BadResponseError(f"LinkedIn answered {endpoint_key(path.split('?')[0], None)} with a body that "
                                   "is not JSON, even after retries: re-run later; lisync resumes where it stopped.")
        return body

    def _paginate(self, path: str, params: Any, paginator: BasePaginator,
                  headers: dict[str, str] | None) -> Iterator[list[dict[str, Any]]]:
        # An explicit (empty) response-hook list stops RESTClient from raising its own HTTPError, so the
        # retrying session sees 429/5xx responses and _send_request turns final errors into LinkedIn errors.
        for page in self._rest.paginate(self._url(path, params), paginator=paginator, data_selector="elements",
                                        headers=headers, hooks={"response": []}):
            yield [e for e in page if isinstance(e, dict)]

    def paginate_cursor(self, path: str, params: Mapping[str, Any] | Sequence[tuple[str, Any]],
                        page_size: int, headers: dict[str, str] | None = None) -> Iterator[list[dict[str, Any]]]:
        """Yield pages of ``elements`` from a cursor-paged finder (``pageToken``/``nextPageToken``).

        Args:
            path: Path below the base URL.
            params: Finder parameters as Rest.li values.
            page_size: Elements per page (LinkedIn's maximum is endpoint-specific).
            headers: Extra headers.

        Yields:
            Lists of element dicts, one per page.

        """
        yield from self._paginate(path, params, CursorPaginator(page_size), headers)

    def paginate_offset(self, path: str, params: Mapping[str, Any] | Sequence[tuple[str, Any]],
                        count: int, headers: dict[str, str] | None = None) -> Iterator[list[dict[str, Any]]]:
        """Yield pages of ``elements`` from an offset-paged finder (``start``/``count``).

        Args:
            path: Path below the base URL.
            params: Finder parameters as Rest.li values.
            count: Elements per page.
            headers: Extra headers.

        Yields:
            Lists of element dicts, one per page.

        """
        yield from self._paginate(path, params, OffsetPaginator(count), headers)
