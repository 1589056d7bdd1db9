"""Ctrl-C during a run: one line saying what was kept, and exit code 130 (the shell's code for SIGINT).

dlt turns SIGINT inside a step into ``SignalReceivedException`` wrapped in ``PipelineStepFailed``; outside
a step Python raises ``KeyboardInterrupt``. Either way nothing of the interrupted stage was committed (a
load package commits whole or is resumed by the next run), so the user only needs to know where it stopped.
"""

from __future__ import annotations

from dlt.common.exceptions import SignalReceivedException

from lisync.errors import LisyncError

__all__ = ["Interrupted", "is_interrupt"]


class Interrupted(LisyncError):
    """The user interrupted the run (Ctrl-C); exit code 130."""

    exit_code = 130

    def __init__(self, stage: str) -> None:
        self.stage = stage
        super().__init__(f"interrupted; nothing committed after {stage}, re-run to continue")


def is_interrupt(exc: BaseException) -> bool:
    """Whether ``exc`` (or what it wraps) is a Ctrl-C."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, KeyboardInterrupt | SignalReceivedException):
            return True
        stack.extend([getattr(current, "exception", None), current.__cause__, current.__context__])
    return False
