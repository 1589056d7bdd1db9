"""The one HTTP client for every LinkedIn call: headers, Rest.li URLs, query tunneling, LinkedIn's error envelope.

Built on dlt's ``RESTClient`` (paging, data selection), given one :class:`~lisync.linkedin.http.session.LinkedInSession`
per thread through its public ``session`` argument: the session counts requests, tunnels long queries, retries
under lisync's policy (:mod:`lisync.linkedin.http.retry`: what is transient, full-jitter backoff,
``Retry-After``, the data-volume throttle's long wait, per-request and per-run bounds, a concurrency cap) and
turns LinkedIn's error envelope into lisync's errors. What this module adds: the ``LinkedIn-Version`` and
``X-Restli-Protocol-Version`` headers, Rest.li query strings that must not be re-encoded, and LinkedIn's two
paging styles. Token providers and the bearer auth live in :mod:`lisync.linkedin.http.bearer`, request counting
in :mod:`lisync.linkedin.http.stats` and the paginators in :mod:`lisync.linkedin.http.paging`.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from dlt.common.jsonpath import compile_path
from dlt.sources.helpers.rest_client.client import RESTClient
from dlt.sources.helpers.rest_client.paginators import BasePaginator

from lisync.linkedin.http.bearer import LinkedInAuth, TokenProvider
from lisync.linkedin.http.errors import BadResponseError
from lisync.linkedin.http.paging import CursorPaginator, OffsetPaginator
from lisync.linkedin.http.restli import encode_query
from lisync.linkedin.http.retry import RetryController, RetryPolicy, cached_json, parse_hook
from lisync.linkedin.http.session import LargeReadAdapter, LinkedInSession
from lisync.linkedin.http.stats import RequestStats, endpoint_key
from lisync.linkedin.http.version import DEFAULT_API_BASE_URL, DEFAULT_API_VERSION

__all__ = ["LinkedInClient"]

# The pages' data, compiled once: dlt compiles a selector given as text again for every page (a JSONPath parser
# built from its grammar each time, about a millisecond).
ELEMENTS = compile_path("elements")


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
        self._retry = RetryController(policy, on_retry=self.stats.count_retry)
        self._auth = LinkedInAuth(token_provider)
        self._adapter = LargeReadAdapter(pool_maxsize=max(10, policy.max_concurrency))
        self._slots = threading.BoundedSemaphore(policy.max_concurrency)
        self._local = threading.local()

    @property
    def _rest(self) -> RESTClient:
        """The calling thread's dlt ``RESTClient`` (each thread its own session; one pool and one cap for all)."""
        rest: RESTClient | None = getattr(self._local, "rest", None)
        if rest is None:
            session = LinkedInSession(self.base_url, self.api_version, self._retry, self.stats, self._adapter,
                                      self._slots)
            rest = self._local.rest = RESTClient(
                base_url=self.base_url,
                headers={
                    "LinkedIn-Version": self.api_version,
                    "X-Restli-Protocol-Version": "2.0.0",
                    "User-Agent": "lisync",
                },
                auth=self._auth,
                session=session,
            )
        return rest

    def _url(self, path: str, params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None) -> str:
        query = encode_query(params or {})
        return f"{self.base_url}/{path.lstrip('/')}" + (f"?{query}" if query else "")

    def get(self, path: str, params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
            headers: dict[str, str] | None = None, parse: Callable[[bytes], Any] | None = None) -> Any:
        """GET one resource and return its JSON body.

        Args:
            path: Path below the base URL, e.g. ``adAccounts/123`` (URN keys already percent-encoded).
            params: Query parameters as Rest.li values (see :func:`lisync.linkedin.http.restli.encode_query`).
            headers: Extra headers (e.g. ``X-RestLi-Method``).
            parse: Parses a 2xx body instead of the JSON decoder (e.g. straight into Arrow); when it raises
                ``ValueError`` the body is decoded as JSON, and retried when it is not JSON.

        Returns:
            The body as ``parse`` returned it, else the decoded JSON body.

        Raises:
            LinkedInAPIError: LinkedIn answered an error status after any retries.
            BadResponseError: The body is not JSON.

        """
        hooks = {"response": [parse_hook(parse)]} if parse is not None else None
        response = self._rest.get(self._url(path, params), headers=headers, hooks=hooks)
        body = cached_json(response)
        if body is None:
            raise BadResponseError(f"LinkedIn answered {endpoint_key(path.split('?')[0], None)} with a body that "
                                   "is not JSON, even after retries: re-run later; lisync resumes where it stopped.")
        return body

    def _paginate(self, path: str, params: Any, paginator: BasePaginator,
                  headers: dict[str, str] | None) -> Iterator[list[dict[str, Any]]]:
        # An explicit (empty) response-hook list stops RESTClient from raising its own HTTPError, so the
        # session sees 429/5xx responses, retries them and turns final errors into LinkedIn errors.
        for page in self._rest.paginate(self._url(path, params), paginator=paginator, data_selector=ELEMENTS,
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
