"""Counts the client's API requests for the run summary: logical requests per endpoint, attempts, retries, errors."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RequestStats", "endpoint_key"]


@dataclass
class RequestStats:
    """Thread-safe counts of API requests: logical requests per endpoint and raw HTTP attempts.

    Attributes:
        by_endpoint: Logical requests (one per page or call, retries excluded) per endpoint key.
        attempts: Every HTTP attempt, retries included.
        errors: Final error statuses per endpoint key.
        retry_reasons: Retries per reason (``429``, ``503``, ``timeout``, ``invalid JSON``…).
        retry_seconds: Seconds spent waiting between attempts.
        last_wait: The latest wait between attempts: ``(reason, seconds, monotonic end)`` (for progress displays).

    """

    by_endpoint: Counter[str] = field(default_factory=Counter)
    attempts: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    retry_reasons: Counter[str] = field(default_factory=Counter)
    retry_seconds: float = 0.0
    last_wait: tuple[str, float, float] | None = None  # (reason, seconds, monotonic time it ends): for progress
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
            self.last_wait = (reason, seconds, time.monotonic() + seconds)

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
