"""When and how long lisync retries a LinkedIn call: a tenacity policy run around each HTTP attempt.

What is transient: 429 (LinkedIn's resource throttle and adAnalytics' data-volume throttle), 408, every
5xx, connection errors and resets, timeouts (a stalled answer), a body that breaks off mid-read, and a 2xx
whose body is not JSON (a truncated answer). Everything else is final: 400, 401 (handled by the token
provider before any retry), 403, 404, 426 and the other 4xx cannot succeed by asking again.

How long: full-jitter exponential backoff (a random wait between 0 and ``base·2^(attempt-1)``, capped), or
LinkedIn's ``Retry-After`` when it sends one, or ``data_volume_wait_s`` (default 330 s) after the
data-volume throttle, whose window is five minutes. Two bounds keep a bad day from becoming an endless run:
``request_budget_s`` per logical request (time since its first attempt plus the next wait) and
``run_budget_s`` for the waiting of every request of a run together. :class:`RetryController` builds the
tenacity controller; :class:`lisync.linkedin.http.session.LinkedInSession` runs every attempt through it and caps
how many attempts are in flight at once (``max_concurrency``); waiting between attempts holds no slot.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import orjson
from requests import PreparedRequest, Response
from requests.exceptions import ChunkedEncodingError, ConnectionError, ContentDecodingError, Timeout
from tenacity import RetryCallState, Retrying
from tenacity.retry import retry_base
from tenacity.stop import stop_base
from tenacity.wait import wait_base

from lisync.linkedin.http.fast_fail import hopeless_reason

__all__ = ["DATA_VOLUME_MARKER", "RetryBudget", "RetryController", "RetryPolicy", "cached_json", "transient_reason"]

log = logging.getLogger("lisync.retry")

DATA_VOLUME_MARKER = "data request limit"
JSON_CACHE_ATTR = "_lisync_json"


@dataclass(frozen=True)
class RetryPolicy:
    """How lisync retries LinkedIn calls.

    Attributes:
        max_attempts: Attempts per logical request, the first included.
        backoff_base_s: First backoff ceiling; each retry doubles it (full jitter draws below it).
        backoff_max_s: Largest backoff ceiling.
        data_volume_wait_s: Wait after adAnalytics' data-volume 429 (its window is 5 minutes).
        max_retry_after_s: Largest ``Retry-After`` honoured as given (longer ones are cut to this).
        request_budget_s: Give up on a request when its time since the first attempt plus the next wait
            would exceed this.
        run_budget_s: Give up on any request once the run's retry waiting would exceed this in total.
        connect_timeout_s: TCP connect timeout per attempt.
        read_timeout_s: Read timeout per attempt (a stalled answer fails after this long and is retried).
        max_concurrency: HTTP attempts in flight at once, over every thread of the run.
    """

    max_attempts: int = 8
    backoff_base_s: float = 1.0
    backoff_max_s: float = 60.0
    data_volume_wait_s: float = 330.0
    max_retry_after_s: float = 600.0
    request_budget_s: float = 900.0
    run_budget_s: float = 3600.0
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0
    max_concurrency: int = 4

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.max_concurrency < 1:
            raise ValueError("max_attempts and max_concurrency must be 1 or more.")


class RetryBudget:
    """The run's retry waiting, shared by every request (thread-safe)."""

    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        self.spent_s = 0.0
        self._lock = threading.Lock()

    def allows(self, seconds: float) -> bool:
        """Whether waiting ``seconds`` more stays within the budget."""
        with self._lock:
            return self.spent_s + seconds <= self.limit_s

    def spend(self, seconds: float) -> None:
        """Record ``seconds`` of waiting."""
        with self._lock:
            self.spent_s += seconds


def _body_is_json(response: Response) -> bool:
    """Parse a 2xx body once; cache the value on the response so callers need not parse it again."""
    if hasattr(response, JSON_CACHE_ATTR):
        return True
    try:
        value = parse_json(response.content)
    except (ValueError, UnicodeDecodeError):
        return False
    setattr(response, JSON_CACHE_ATTR, value)
    # dlt's RESTClient and its paginators call response.json() again for every page: serve them this parse
    # instead of a fresh one by requests' slower decoder (measured: the listings' JSON was decoded twice)
    response.json = lambda **_: value  # type: ignore[method-assign]
    return True


def parse_json(body: bytes) -> Any:
    """Parse a JSON body with orjson, or with ``json`` for what orjson refuses (integers over 64 bits, NaN).

    Raises:
        ValueError: The body is not JSON.
    """
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)


def parse_hook(parse: Callable[[bytes], Any]) -> Callable[..., Response]:
    """Return a ``requests`` response hook that parses a 2xx body with ``parse`` and caches the value.

    The retry check then finds the body parsed and does not parse it again. When ``parse`` raises
    ``ValueError`` nothing is cached, so the retry check parses the body as JSON itself: a body that is
    not JSON is retried as before, and valid JSON that ``parse`` declined is returned as Python values.
    """

    def hook(response: Response, *args: Any, **kwargs: Any) -> Response:
        if 200 <= response.status_code < 300 and response.status_code != 204:
            with contextlib.suppress(ValueError):
                setattr(response, JSON_CACHE_ATTR, parse(response.content))
        return response

    return hook


def is_data_volume_throttle(response: Response) -> bool:
    """Whether a 429 is adAnalytics' data-volume throttle rather than the per-resource request throttle."""
    return response.status_code == 429 and DATA_VOLUME_MARKER in response.text.lower()


def transient_reason(response: Response | None, exception: BaseException | None) -> str | None:
    """Return why an attempt is worth repeating (``"429"``, ``"503"``, ``"timeout"``…), or ``None``."""
    if exception is not None:
        if isinstance(exception, Timeout):
            return "timeout"
        if isinstance(exception, ChunkedEncodingError | ContentDecodingError):
            return "broken body"
        if isinstance(exception, ConnectionError):
            return "connection error"
        return None
    if response is None:
        return None
    status = response.status_code
    if status == 429:
        return "429 data volume" if is_data_volume_throttle(response) else "429"
    if status == 408 or status >= 500:
        return str(status)
    if 200 <= status < 300 and status != 204 and not _body_is_json(response):
        return "invalid JSON"
    return None


def _outcome(state: RetryCallState) -> tuple[Response | None, BaseException | None]:
    assert state.outcome is not None
    exception = state.outcome.exception()
    if exception is not None:
        return None, exception
    result = state.outcome.result()
    return (result if isinstance(result, Response) else None), None


def _retry_after_seconds(response: Response) -> float | None:
    header = (response.headers.get("Retry-After") or "").strip()
    if not header:
        return None
    if header.isdigit():
        return float(header)
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


class _RetryIfTransient(retry_base):
    def __call__(self, retry_state: RetryCallState) -> bool:
        response, exception = _outcome(retry_state)
        request = retry_state.args[0] if retry_state.args else None
        if exception is not None and isinstance(request, PreparedRequest) and hopeless_reason(
                exception, request.url or "", retry_state.attempt_number):
            return False  # a closed loopback port or an unknown host: no retry can help (fast_fail)
        return transient_reason(response, exception) is not None


class _LinkedInWait(wait_base):
    """Retry-After when given, the long data-volume wait, else full-jitter exponential backoff."""

    def __init__(self, policy: RetryPolicy, rng: random.Random) -> None:
        self.policy = policy
        self.rng = rng

    def __call__(self, retry_state: RetryCallState) -> float:
        response, _ = _outcome(retry_state)
        if response is not None:
            after = _retry_after_seconds(response)
            if after is not None:
                return min(after, self.policy.max_retry_after_s)
            if is_data_volume_throttle(response):
                return self.policy.data_volume_wait_s
        ceiling = min(self.policy.backoff_max_s, self.policy.backoff_base_s * 2 ** (retry_state.attempt_number - 1))
        return self.rng.uniform(0, ceiling)


class _StopWhenSpent(stop_base):
    """Stop at the attempt limit, or when the next wait would break the request's or the run's budget."""

    def __init__(self, policy: RetryPolicy, budget: RetryBudget) -> None:
        self.policy = policy
        self.budget = budget

    def __call__(self, retry_state: RetryCallState) -> bool:
        upcoming = retry_state.upcoming_sleep or 0.0
        if retry_state.attempt_number >= self.policy.max_attempts:
            return True
        elapsed = retry_state.seconds_since_start or 0.0  # set once an attempt has an outcome, as here
        if elapsed + upcoming > self.policy.request_budget_s:
            log.warning("Giving up on a LinkedIn request: its retries would exceed %.0f s.",
                        self.policy.request_budget_s)
            return True
        if not self.budget.allows(upcoming):
            log.warning("Giving up on a LinkedIn request: the run's retry budget of %.0f s is spent.",
                        self.policy.run_budget_s)
            return True
        return False


class RetryController:
    """Makes the tenacity controllers of one client: lisync's :class:`RetryPolicy`, one shared run budget.

    Args:
        policy: The retry policy.
        on_retry: Called before each wait with ``(reason, seconds)``.
        rng: Jitter source (a fresh unseeded one by default; tests pass a seeded one).
    """

    def __init__(self, policy: RetryPolicy, on_retry: Callable[[str, float], None] | None = None,
                 rng: random.Random | None = None) -> None:
        self.policy = policy
        self.budget = RetryBudget(policy.run_budget_s)
        self._on_retry = on_retry
        self._rng = rng or random.Random()

    def _before_sleep(self, retry_state: RetryCallState) -> None:
        seconds = retry_state.upcoming_sleep or 0.0
        reason = transient_reason(*_outcome(retry_state)) or "transient"
        self.budget.spend(seconds)
        request = retry_state.args[0] if retry_state.args else None
        path = urlsplit(request.url).path if isinstance(request, PreparedRequest) and request.url else "?"
        log.info("LinkedIn %s on %s; retrying in %.1f s (attempt %d of %d).", reason, path, seconds,
                 retry_state.attempt_number + 1, self.policy.max_attempts)
        if self._on_retry is not None:
            self._on_retry(reason, seconds)

    def retrying(self) -> Retrying:
        """Return a tenacity controller for one logical request (call it with the attempt function)."""
        return Retrying(
            retry=_RetryIfTransient(),
            wait=_LinkedInWait(self.policy, self._rng),
            stop=_StopWhenSpent(self.policy, self.budget),
            before_sleep=self._before_sleep,
            reraise=True,
            # after the last attempt: hand back the final response (the caller turns it into an error)
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
        )


def cached_json(response: Response) -> Any:
    """Return the JSON body the retry check already parsed, else parse it (``None`` when not JSON)."""
    if hasattr(response, JSON_CACHE_ATTR):
        return getattr(response, JSON_CACHE_ATTR)
    try:
        return response.json()
    except ValueError:
        return None
