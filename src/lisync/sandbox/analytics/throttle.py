"""The data-volume throttle of the sandbox's ``adAnalytics``: metric values served per token per window."""

from __future__ import annotations

import time
from collections import deque

# LinkedIn: 45,000,000 metric values per token in a rolling 5 minutes.
DEFAULT_METRIC_VALUE_LIMIT = 45_000_000
METRIC_VALUE_WINDOW_SECONDS = 300.0


class MetricValueThrottle:
    """LinkedIn's adAnalytics data-volume limit: metric values served per token in a rolling window.

    Args:
        limit: Metric values a token may receive per rolling window before the 429 (LinkedIn: 45,000,000 per
            5 minutes); an attribute, read on every call, so tests can lower it.
        window_seconds: Length of that rolling window, on the real monotonic clock.

    """

    def __init__(self, limit: int = DEFAULT_METRIC_VALUE_LIMIT,
                 window_seconds: float = METRIC_VALUE_WINDOW_SECONDS) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._served: dict[str, deque[tuple[float, int]]] = {}

    def admit(self, token_key: str, values: int, now: float | None = None) -> bool:
        """Record ``values`` metric values for ``token_key`` unless that would exceed the window's limit.

        Returns:
            ``True`` when the request may be answered, ``False`` when it must get the 429.

        """
        now = time.monotonic() if now is None else now
        served = self._served.setdefault(token_key, deque())
        while served and served[0][0] <= now - self.window_seconds:
            served.popleft()
        used = sum(count for _, count in served)
        if used + values > self.limit:
            return False
        served.append((now, values))
        return True
