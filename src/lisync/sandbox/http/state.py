"""What the sandbox app shares across requests: the world, its configuration, routes, counters and faults."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lisync.sandbox.faults import FaultInjector

if TYPE_CHECKING:
    from lisync.sandbox.config import SandboxConfig
    from lisync.sandbox.http.protocol import Route
    from lisync.sandbox.world import World


class RequestStats:
    """Thread-safe request counters, by endpoint key and by HTTP status."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_endpoint: Counter[str] = Counter()
        self._by_status: Counter[str] = Counter()
        self.sequence = 0

    def count(self, key: str, status: int) -> int:
        """Count one request and return its sequence number (1-based, never reset)."""
        with self._lock:
            self._by_endpoint[key] += 1
            self._by_status[str(status)] += 1
            self.sequence += 1
            return self.sequence

    def snapshot(self) -> dict[str, Any]:
        """Return ``{"total", "by_endpoint", "by_status"}`` with keys sorted."""
        with self._lock:
            return {
                "total": sum(self._by_endpoint.values()),
                "by_endpoint": dict(sorted(self._by_endpoint.items())),
                "by_status": dict(sorted(self._by_status.items())),
            }

    def reset(self) -> None:
        """Forget every count (the sequence number keeps growing so ``X-LI-UUID`` stays unique)."""
        with self._lock:
            self._by_endpoint.clear()
            self._by_status.clear()


class SandboxState:
    """What the app shares across requests: the world, the configuration, the route table and the counters."""

    def __init__(self, world: World, config: SandboxConfig, routes: Sequence[Route]) -> None:
        self.world = world
        self.config = config
        self.routes = tuple(routes)
        self.stats = RequestStats()
        self.faults = FaultInjector(config.faults)
