"""Progress of a run: a live line on a terminal, a readable trail of log lines otherwise.

On a terminal: ``<stage> · N API requests · T s`` on stderr, and during a retry wait also its reason and the
seconds left (``waiting 312 s more: LinkedIn's data-volume throttle (429)``) instead of a frozen spinner.
Without a terminal (cron, an orchestrator): one line per stage and one per wait of :data:`LONG_WAIT_S` or
more, so a scheduled run leaves a trail of what it did and what it waited for.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.status import Status

from lisync.linkedin.http.stats import RequestStats

__all__ = ["LONG_WAIT_S", "RunProgress", "describe_wait"]

LONG_WAIT_S = 5.0  # a wait this long gets its own trail line when there is no terminal
TICK_S = 0.5

WAIT_REASONS = {
    "429 data volume": "LinkedIn's data-volume throttle (429)",
    "429": "LinkedIn's request throttle (429)",
    "timeout": "a request timed out",
    "connection error": "the connection failed",
    "broken body": "a response broke off",
    "invalid JSON": "LinkedIn answered with a body that is not JSON",
}


def describe_wait(reason: str) -> str:
    """Say in words why the client waits (``"503"`` → ``"LinkedIn answered 503"``)."""
    return WAIT_REASONS.get(reason, f"LinkedIn answered {reason}" if reason[:1].isdigit() else reason)


class RunProgress:
    """Shows what a run is doing on stderr: a live line on a terminal, log lines otherwise.

    Args:
        stats: The client's request counters (requests so far, the latest retry wait).
        enabled: Whether to show anything (the CLI passes ``True``; library callers get silence by default).
        stream: Where to write (default: stderr); a terminal gets the live line, anything else the trail.
    """

    def __init__(self, stats: RequestStats, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.stats = stats
        self.stream = stream or sys.stderr
        self.live = enabled and self.stream.isatty()
        self.trail = enabled and not self.live
        self._stage = "starting"
        self._started = time.monotonic()
        self._status: Status | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._announced_wait: tuple[str, float, float] | None = None

    @property
    def current_stage(self) -> str:
        """The stage the run is in (``starting`` before the first)."""
        return self._stage

    def stage(self, name: str) -> None:
        """Switch to stage ``name`` (a trail line without a terminal)."""
        self._stage = name
        if self.trail:
            self._line(name)
        self._refresh()

    def _current_wait(self) -> tuple[str, float] | None:
        wait = self.stats.last_wait
        if wait is None:
            return None
        left = wait[2] - time.monotonic()
        return (wait[0], left) if left > 0 else None

    def _text(self) -> str:
        elapsed = time.monotonic() - self._started
        text = f"{self._stage} · {self.stats.total:,} API requests · {elapsed:.0f} s"
        wait = self._current_wait()
        if wait is not None:
            text += f" · waiting {wait[1]:.0f} s more: {describe_wait(wait[0])}"
        return text

    def _line(self, what: str) -> None:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        elapsed = time.monotonic() - self._started
        self.stream.write(f"lisync {now} {what} ({self.stats.total:,} API requests, {elapsed:.0f} s)\n")
        self.stream.flush()

    def _announce_long_wait(self) -> None:
        wait = self.stats.last_wait
        if wait is None or wait is self._announced_wait or wait[1] < LONG_WAIT_S:
            return
        self._announced_wait = wait
        self._line(f"{self._stage}: waiting {wait[1]:.0f} s for {describe_wait(wait[0])}")

    def _refresh(self) -> None:
        if self._status is not None:
            self._status.update(self._text())

    def _tick(self) -> None:
        while not self._stop.wait(TICK_S):
            if self.trail:
                self._announce_long_wait()
            self._refresh()

    def __enter__(self) -> RunProgress:
        if self.live:
            self._status = Status(self._text(), console=Console(file=self.stream))
            self._status.start()
        if self.live or self.trail:
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
