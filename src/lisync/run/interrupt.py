"""Ctrl-C during a run: one line saying what was kept, and exit code 130 (the shell's code for SIGINT).

dlt turns SIGINT inside a step into ``SignalReceivedException`` wrapped in ``PipelineStepFailed``; outside
a step Python raises ``KeyboardInterrupt``. Either way nothing of the interrupted stage was committed (a
load package commits whole or is resumed by the next run), so the user only needs to know where it stopped.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from dlt.common.exceptions import SignalReceivedException
from dlt.common.runtime import signals

from lisync.errors import LisyncError

__all__ = ["Interrupted", "is_interrupt", "steps_intercepting_ctrl_c", "stop_if_interrupted"]


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
        if isinstance(current, KeyboardInterrupt | SignalReceivedException | Interrupted):
            return True
        stack.extend([getattr(current, "exception", None), current.__cause__, current.__context__])
    return False


def steps_intercepting_ctrl_c() -> AbstractContextManager[None]:
    """Hold dlt's SIGINT/SIGTERM interception across the extract, normalize and load steps.

    dlt intercepts signals per step and forgets a signal when the step ends; a Ctrl-C that lands after a
    step's last check would then be lost and the run would go on to load. Held around all steps (dlt's own
    nested interception is then a no-op), the signal stays recorded until :func:`stop_if_interrupted`.
    """
    return signals.intercepted_signals()


def stop_if_interrupted(stage: str) -> None:
    """Raise :class:`Interrupted` for ``stage`` if a Ctrl-C (or SIGTERM) arrived during the steps so far."""
    if signals.was_signal_received():
        raise Interrupted(stage)
