"""One logical LinkedIn request on the wire: counted, tunneled when long, retried, and turned into lisync's errors.

:class:`LinkedInSession` is the ``requests`` session the client hands to dlt's ``RESTClient`` through its public
``session`` argument (dlt 1.31: ``RESTClient`` prepares each request with ``session.prepare_request`` and sends it
with ``session.send``; both are public ``requests.Session`` methods, overridden here). dlt offers no public hook
to retry with a custom policy or to map error statuses, so lisync does not subclass ``RESTClient`` nor dlt's
retrying ``Client`` (whose session factory is private): it extends ``requests`` instead.

* :meth:`~LinkedInSession.prepare_request` counts the logical request per endpoint and, for a GET whose query
  is longer than LinkedIn accepts, builds LinkedIn's query tunnel (POST, ``X-HTTP-Method-Override: GET``,
  the query as a form body);
* :meth:`~LinkedInSession.send` runs each HTTP attempt under the :class:`~lisync.linkedin.http.retry.RetryPolicy`
  (counting attempts, at most ``max_concurrency`` in flight over all threads), then raises
  :class:`~lisync.linkedin.http.errors.NetworkError` when LinkedIn stayed unreachable and the most specific
  :class:`~lisync.linkedin.http.errors.LinkedInAPIError` for a final error status.
"""

from __future__ import annotations

import logging
import threading
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import requests
from requests import PreparedRequest, Request, Response
from requests.adapters import HTTPAdapter
from requests.exceptions import RequestException, Timeout

from lisync.linkedin.http.errors import NetworkError, api_error
from lisync.linkedin.http.fast_fail import hopeless_reason
from lisync.linkedin.http.not_linkedin import not_linkedin
from lisync.linkedin.http.paging import request_url
from lisync.linkedin.http.restli import MAX_QUERY_LENGTH
from lisync.linkedin.http.retry import RetryController, cached_json
from lisync.linkedin.http.stats import RequestStats, endpoint_key

__all__ = ["LargeReadAdapter", "LinkedInSession", "tunneled"]

log = logging.getLogger("lisync")


# requests reads a body 10 KiB at a time and joins the pieces: an 8 MB adAnalytics answer took 800 small
# buffers, which fragment the allocator's heaps (tens of MB kept after each answer at 16× the bench world) and
# cost a Python call each. One MiB reads give the same bytes from a few large buffers.
BODY_READ_BYTES = 1 << 20


class LargeReadAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` that reads a whole body (unless streamed) in reads of :data:`BODY_READ_BYTES`."""

    def send(self, request: PreparedRequest, stream: bool = False, timeout: Any = None, verify: Any = True,
             cert: Any = None, proxies: Any = None) -> Response:
        """Send ``request`` as ``HTTPAdapter`` does; read its body at once in large reads unless ``stream``."""
        response = super().send(request, stream=True, timeout=timeout, verify=verify, cert=cert, proxies=proxies)
        if not stream:
            # what requests' Response.content does, with larger reads (its errors are mapped the same way)
            response._content = b"".join(response.iter_content(BODY_READ_BYTES)) or b""
        return response


class LinkedInSession(requests.Session):
    """A ``requests`` session for LinkedIn's REST API (one per thread; they share the adapter and the limits).

    Args:
        base_url: The versioned REST base URL (endpoint keys are paths below it).
        api_version: The ``LinkedIn-Version`` sent, named in a 426's error message.
        retry: The client's retry controller (policy and shared run budget).
        stats: Where requests, attempts and errors are counted.
        adapter: The connection pool shared by the client's sessions.
        slots: Caps the HTTP attempts in flight over every session of the client.
    """

    def __init__(self, base_url: str, api_version: str, retry: RetryController, stats: RequestStats,
                 adapter: HTTPAdapter, slots: threading.BoundedSemaphore) -> None:
        super().__init__()
        self.base_url = base_url
        self.api_version = api_version
        self.retry = retry
        self.stats = stats
        self.slots = slots
        self.mount("http://", adapter)
        self.mount("https://", adapter)
        self._endpoints: dict[int, str] = {}
        self._environment: dict[tuple[Any, ...], dict[str, Any]] = {}

    def merge_environment_settings(self, url: str, proxies: Any, stream: Any, verify: Any,
                                   cert: Any) -> dict[str, Any]:
        """Merge the proxy and certificate settings of the environment as ``requests`` does, once per host.

        ``requests`` reads every environment variable twice per request to find proxies (about a millisecond
        each time); the environment of a run does not change, so the result for a host is kept.
        """
        key = (urlsplit(url).netloc, repr(proxies), stream, verify, cert)
        merged = self._environment.get(key)
        if merged is None:
            merged = self._environment[key] = super().merge_environment_settings(url, proxies, stream, verify, cert)
        return {name: dict(value) if isinstance(value, dict) else value for name, value in merged.items()}

    def _endpoint(self, url: str) -> str:
        parts = urlsplit(url)
        finder = dict(parse_qsl(parts.query)).get("q")
        return endpoint_key(parts.path.removeprefix(urlsplit(self.base_url).path), finder)

    def prepare_request(self, request: Request) -> PreparedRequest:
        """Count the logical request, tunnel an over-long GET, and prepare it as ``requests`` does."""
        url = request_url(request)
        endpoint = self._endpoint(url)
        self.stats.count_request(endpoint)
        if (request.method or "").upper() == "GET" and len(urlsplit(url).query) > MAX_QUERY_LENGTH:
            request = tunneled(request)
        prepared = super().prepare_request(request)
        self._endpoints[id(prepared)] = endpoint
        return prepared

    def _attempt(self, request: PreparedRequest, **kwargs: Any) -> Response:
        self.stats.count_attempt()
        with self.slots:
            return super().send(request, **kwargs)

    def send(self, request: PreparedRequest, **kwargs: Any) -> Response:
        """Send ``request`` with retries; return a 2xx/3xx response or raise lisync's error for it.

        Raises:
            NetworkError: LinkedIn could not be reached (refused, reset, timed out) after every retry.
            LinkedInAPIError: LinkedIn answered an error status after any retries (its most specific subclass).
        """
        endpoint = self._endpoints.pop(id(request), None) or self._endpoint(request.url or "")
        policy = self.retry.policy
        kwargs.setdefault("timeout", (policy.connect_timeout_s, policy.read_timeout_s))
        try:
            response: Response = self.retry.retrying()(self._attempt, request, **kwargs)
            log.debug("LinkedIn %s answered %d in %.0f ms", endpoint, response.status_code,
                      response.elapsed.total_seconds() * 1000)  # `lisync run --verbose`
        except RequestException as exc:
            host = urlsplit(self.base_url).netloc
            hopeless = hopeless_reason(exc, request.url or "", 1)
            if hopeless:
                raise NetworkError(f"Cannot reach LinkedIn at {host} ({hopeless} on {endpoint}, not retried): check "
                                   "--api-base-url (LinkedIn's is https://api.linkedin.com/rest).") from None
            reason = "timed out" if isinstance(exc, Timeout) else "connection failed"
            raise NetworkError(f"Cannot reach LinkedIn at {host} ({reason} on {endpoint}, after every retry): "
                               "check the network and --api-base-url, then re-run; lisync resumes where it "
                               "stopped.") from None
        if response.status_code >= 400:
            self.stats.count_error(endpoint, response.status_code)
            body = cached_json(response)
            raise (not_linkedin(response.status_code, body, request.url or "") or
                   api_error(response.status_code, endpoint, body, version=self.api_version))
        return response


def tunneled(request: Request) -> Request:
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
