"""The data-volume throttle of the sandbox's ``adAnalytics``: metric values served per token per window."""

from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lisync.sandbox.analytics_model import AnalyticsModel

# LinkedIn: 45,000,000 metric values per token in a rolling 5 minutes.
DEFAULT_METRIC_VALUE_LIMIT = 45_000_000
METRIC_VALUE_WINDOW_SECONDS = 300.0


class MetricValueThrottle:
    """LinkedIn's adAnalytics data-volume limit: metric values served per token in a rolling window.

    Args:
        model: The model whose ``metric_value_limit`` / ``metric_value_window_seconds`` apply (read live so
            tests can lower them).

    """

    def __init__(self, model: AnalyticsModel) -> None:
        self._model = model
        self._served: dict[str, deque[tuple[float, int]]] = {}

    def admit(self, token_key: str, values: int, now: float | None = None) -> bool:
        """Record ``values`` metric values for ``token_key`` unless that would exceed the window's limit.

        Returns:
            ``True`` when the request may be answered, ``False`` when it must get the 429.

        """
        now = time.monotonic() if now is None else now
        served = self._served.setdefault(token_key, deque())
        while served and served[0][0] <= now - self._model.metric_value_window_seconds:
            served.popleft()
        used = sum(count for _, count in served)
        if used + values > self._model.metric_value_limit:
            return False
        served.append((now, values))
        return True
