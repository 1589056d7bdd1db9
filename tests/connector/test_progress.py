"""Run progress (issue #19, items 7 and 17): waits say what they wait for, and runs without a terminal leave
one log line per stage and per long wait."""

from __future__ import annotations

import io
import time

from lisync.linkedin.http.stats import RequestStats
from lisync.run.progress import LONG_WAIT_S, RunProgress, describe_wait


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def wait_for(predicate: object, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.05)


def test_without_a_terminal_each_stage_and_each_long_wait_is_one_line() -> None:
    stats, stream = RequestStats(), io.StringIO()
    with RunProgress(stats, stream=stream) as progress:
        progress.stage("extracting")
        stats.count_retry("503", 1.0)  # short: no line of its own
        stats.count_retry("429 data volume", LONG_WAIT_S + 25)
        wait_for(lambda: "waiting" in stream.getvalue())
        progress.stage("loading")
    lines = stream.getvalue().splitlines()
    assert [line.split(" ", 2)[2].split(" (")[0] for line in lines] == [
        "extracting", f"extracting: waiting {LONG_WAIT_S + 25:.0f} s for LinkedIn's data-volume throttle", "loading"]
    assert all(line.startswith("lisync ") and "API requests" in line for line in lines)


def test_on_a_terminal_the_line_shows_the_wait_reason_and_time_left() -> None:
    stats, stream = RequestStats(), FakeTerminal()
    with RunProgress(stats, stream=stream) as progress:
        progress.stage("extracting")
        stats.count_retry("429 data volume", 330.0)
        text = progress._text()
    assert "waiting 330 s more: LinkedIn's data-volume throttle (429)" in text or "waiting 329 s more" in text
    assert "lisync " not in stream.getvalue().split("\n")[0][:7]  # no trail lines on a terminal


def test_disabled_progress_writes_nothing() -> None:
    stats, stream = RequestStats(), io.StringIO()
    with RunProgress(stats, enabled=False, stream=stream) as progress:
        progress.stage("extracting")
        stats.count_retry("429", 30.0)
        time.sleep(0.6)
    assert stream.getvalue() == ""


def test_wait_reasons_read_as_words() -> None:
    assert describe_wait("503") == "LinkedIn answered 503"
    assert describe_wait("timeout") == "a request timed out"
