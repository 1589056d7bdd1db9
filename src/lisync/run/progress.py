"""A live one-line progress display for long runs: stage, API requests so far, elapsed seconds."""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType

from rich.console import Console
from rich.status import Status

from lisync.linkedin.http.stats import RequestStats


class RunProgress:
    """Shows ``<stage> · N requests · T s`` on stderr while a run works; silent when not a terminal.

    Args:
        stats: The client's request counters, read for the live count.
        enabled: Whether to show anything (the CLI passes ``True`` only for an interactive stderr).
    """

    def __init__(self, stats: RequestStats, enabled: bool = True) -> None:
        self.stats = stats
        self.enabled = enabled and sys.stderr.isatty()
        self._stage = "starting"
        self._started = time.monotonic()
        self._status: Status | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def current_stage(self) -> str:
        """The stage the run is in (``starting`` before the first)."""
        return self._stage

    def stage(self, name: str) -> None:
        """Switch the displayed stage."""
        self._stage = name
        self._refresh()

    def _text(self) -> str:
        elapsed = time.monotonic() - self._started
        return f"{self._stage} · {self.stats.total:,} API requests · {elapsed:.0f} s"

    def _refresh(self) -> None:
        if self._status is not None:
            self._status.update(self._text())

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            self._refresh()

    def __enter__(self) -> RunProgress:
        if self.enabled:
            self._status = Status(self._text(), console=Console(stderr=True))
            self._status.start()
            self._thread = threading.Thread(target=self._tick, name="lisync-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._status is not None:
            self._status.stop()
