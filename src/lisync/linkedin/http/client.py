"""The one HTTP client for every LinkedIn call: headers, Rest.li URLs, query tunneling, LinkedIn's error envelope.

Built on dlt's ``RESTClient`` and dlt's retrying ``requests`` client, with lisync's retry policy (see
:mod:`lisync.linkedin.http.retry`: what is transient, full-jitter backoff, ``Retry-After``, the data-volume
throttle's long wait, per-request and per-run bounds, a concurrency cap). What is LinkedIn-specific lives
here: the ``LinkedIn-Version`` and
``X-Restli-Protocol-Version`` headers, Rest.li query strings that must not be re-encoded, query tunneling
for long queries, LinkedIn's two paging styles, its error envelope, and a per-endpoint request count
for the run summary.

Token providers and the bearer auth live in :mod:`lisync.linkedin.http.bearer`, request counting in
:mod:`lisync.linkedin.http.stats` and the paginators in :mod:`lisync.linkedin.http.paging`; their public
names are re-exported here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from dlt.sources.helpers.rest_client.client import RESTClient
from dlt.sources.helpers.rest_client.paginators import BasePaginator
from requests import Request, Response
from requests.exceptions import RequestException, Timeout

from lisync.linkedin.http.bearer import LinkedInAuth, StaticTokenProvider, TokenProvider
from lisync.linkedin.http.errors import BadResponseError, NetworkError, api_error
from lisync.linkedin.http.paging import CursorPaginator, OffsetPaginator, request_url
from lisync.linkedin.http.restli import MAX_QUERY_LENGTH, encode_query
from lisync.linkedin.http.retry import LinkedInRetryingClient, RetryPolicy, cached_json
from lisync.linkedin.http.stats import RequestStats, endpoint_key
from lisync.linkedin.http.version import DEFAULT_API_BASE_URL, DEFAULT_API_VERSION

__all__ = ["CursorPaginator", "LinkedInClient", "OffsetPaginator", "RequestStats", "RetryPolicy",
           "StaticTokenProvider", "TokenProvider", "endpoint_key"]


class _LinkedInRESTClient(RESTClient):
    """dlt's RESTClient with LinkedIn's query-string rules: tunneling and per-endpoint counting."""

    def __init__(self, *args: Any, stats: RequestStats, retrying: LinkedInRetryingClient, **kwargs: Any) -> None:
        self._retrying = retrying
        super().__init__(*args, **kwargs)
        self.stats = stats

    @property
    def session(self) -> Any:
        """The calling thread's retrying session (dlt keeps one per thread, so workers never share one)."""
        return self._retrying.session

    @session.setter
    def session(self, value: Any) -> None:
        """Ignore RESTClient's assignment: sessions come from the per-thread retrying client."""

    def _send_request(self, request: Request, **kwargs: Any) -> Response:
        parts = urlsplit(request_url(request))
        finder = dict(parse_qsl(parts.query)).get("q")
        endpoint = endpoint_key(parts.path.removeprefix(urlsplit(self.base_url).path), finder)
        self.stats.count_request(endpoint)
        if (request.method or "").upper() == "GET" and len(parts.query) > MAX_QUERY_LENGTH:
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
    parts = urlsplit(request_url(request))
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
            auth=LinkedInAuth(token_provider),
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
            params: Query parameters as Rest.li values (see :func:`lisync.linkedin.http.restli.encode_query`).
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
