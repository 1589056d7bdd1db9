"""Test seam for the crash-safety suites: SIGKILL this process a set time into a run stage.

``LISYNC_TEST_KILL_AT=<stage>`` (read by :mod:`lisync.run.pipeline`) kills right after a stage;
``LISYNC_TEST_KILL_AT=<stage>+<seconds>`` (read here) kills ``seconds`` after the stage *starts*, so a test
can interrupt dlt in the middle of loading (between a job's commit and its bookkeeping). Unset in normal use.
"""

from __future__ import annotations

import os
import signal
import threading

__all__ = ["KILL_AT_ENV", "arm_kill_during"]

KILL_AT_ENV = "LISYNC_TEST_KILL_AT"


def arm_kill_during(stage: str) -> threading.Timer | None:
    """Start a timer that SIGKILLs this process when ``LISYNC_TEST_KILL_AT`` is ``<stage>+<seconds>``.

    Args:
        stage: The stage about to start (``load``).

    Returns:
        The started timer, or ``None`` when the seam is not set for ``stage``.
    """
    name, _, seconds = os.environ.get(KILL_AT_ENV, "").partition("+")
    if name != stage or not seconds:
        return None
    timer = threading.Timer(float(seconds), os.kill, (os.getpid(), signal.SIGKILL))
    timer.daemon = True
    timer.start()
    return timer
