"""Date math of the update-window savepoint at its boundaries."""

import datetime as dt

from lisync.sources.incremental import ReadWindow, get_savepoint, plan_read_window, set_savepoint

D = dt.date


def _window(savepoint: dt.date | None, start_date: dt.date, update_window_days: int, today: dt.date) -> ReadWindow:
    """plan_read_window for a case that has something to read."""
    window = plan_read_window(savepoint, start_date, update_window_days, today)
    assert window is not None
    return window


def test_first_run_reads_from_start_date() -> None:
    assert plan_read_window(None, D(2026, 1, 1), 30, D(2026, 3, 1)) == ReadWindow(D(2026, 1, 1), D(2026, 3, 1))


def test_rerun_same_day_rereads_the_update_window() -> None:
    window = plan_read_window(D(2026, 3, 1), D(2026, 1, 1), 7, D(2026, 3, 1))
    assert window == ReadWindow(D(2026, 2, 22), D(2026, 3, 1))
    assert window.days == 8


def test_window_never_reaches_before_start_date() -> None:
    assert _window(D(2026, 1, 3), D(2026, 1, 1), 30, D(2026, 1, 5)).start == D(2026, 1, 1)


def test_window_crossing_month_and_year() -> None:
    assert _window(D(2026, 1, 2), D(2025, 1, 1), 3, D(2026, 1, 2)).start == D(2025, 12, 30)
    assert _window(D(2024, 3, 2), D(2023, 1, 1), 2, D(2024, 3, 2)).start == D(2024, 2, 29)


def test_zero_window_and_future_start() -> None:
    assert _window(D(2026, 3, 1), D(2026, 1, 1), 0, D(2026, 3, 1)).start == D(2026, 3, 1)
    assert plan_read_window(None, D(2026, 3, 2), 0, D(2026, 3, 1)) is None


def test_savepoints_per_scope_never_move_back() -> None:
    state: dict = {}
    assert get_savepoint(state, "a") is None
    set_savepoint(state, "a", D(2026, 3, 1))
    set_savepoint(state, "a", D(2026, 2, 1))
    set_savepoint(state, "b", D(2026, 1, 1))
    assert get_savepoint(state, "a") == D(2026, 3, 1)
    assert get_savepoint(state, "b") == D(2026, 1, 1)
    state["savepoints"]["c"] = "garbage"
    assert get_savepoint(state, "c") is None
