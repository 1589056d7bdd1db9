"""``--end-date`` (bounded backfills): the window planners' end bound, its validation and the run's one note.

Pure date math at the boundaries; the end-to-end behaviour (requests, rows, savepoints, a bounded run followed
by an open one) is in ``tests/e2e/test_end_date.py``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lisync.config.resolve import build_settings
from lisync.config.settings import RunSettings
from lisync.errors import ConfigError
from lisync.linkedin.pages.posts import day_start_ms
from lisync.linkedin.pages.statistics import StatisticsWindow, TPeriod, plan_statistics_window
from lisync.linkedin.pages.video_statistics import read_window
from lisync.run.bounded import end_date_note, honours_end_date
from lisync.run.pipeline import run as run_pipelines
from lisync.sources.incremental import ReadWindow, plan_read_window

D = dt.date
TODAY = D(2026, 11, 15)


def test_the_window_ends_on_the_end_date() -> None:
    assert plan_read_window(None, D(2026, 1, 1), 30, TODAY, D(2026, 6, 30)) == ReadWindow(D(2026, 1, 1),
                                                                                           D(2026, 6, 30))


def test_the_update_window_never_reads_past_the_end_date() -> None:
    # a re-run of the same bounded backfill re-reads the update window before its savepoint, and stops at the end
    assert plan_read_window(D(2026, 6, 30), D(2026, 1, 1), 7, TODAY, D(2026, 6, 30)) == ReadWindow(
        D(2026, 6, 23), D(2026, 6, 30))


def test_a_savepoint_past_the_end_date_reads_only_what_the_window_reaches() -> None:
    assert plan_read_window(D(2026, 7, 10), D(2026, 1, 1), 30, TODAY, D(2026, 6, 30)) == ReadWindow(
        D(2026, 6, 10), D(2026, 6, 30))
    assert plan_read_window(D(2026, 9, 1), D(2026, 1, 1), 30, TODAY, D(2026, 6, 30)) is None


def test_an_end_date_after_today_reads_up_to_today() -> None:
    assert plan_read_window(None, D(2026, 1, 1), 30, TODAY, D(2027, 1, 1)) == ReadWindow(D(2026, 1, 1), TODAY)
    assert RunSettings(pipelines=[], end_date=D(2027, 1, 1)).last_day(TODAY) == TODAY
    assert RunSettings(pipelines=[], end_date=D(2026, 6, 30)).last_day(TODAY) == D(2026, 6, 30)
    assert RunSettings(pipelines=[]).last_day(TODAY) == TODAY


def test_a_one_day_backfill() -> None:
    assert plan_read_window(None, D(2026, 6, 30), 30, TODAY, D(2026, 6, 30)) == ReadWindow(D(2026, 6, 30),
                                                                                           D(2026, 6, 30))


@pytest.mark.parametrize(("period", "end_date", "expected_end"), [
    ("day", D(2026, 9, 10), D(2026, 9, 11)),    # the end date's day is read (end exclusive)
    ("week", D(2026, 9, 10), D(2026, 9, 7)),    # a Thursday: its week is not whole, so it ends the Monday before
    ("week", D(2026, 9, 13), D(2026, 9, 14)),   # a Sunday: its week is whole
    ("month", D(2026, 9, 10), D(2026, 9, 1)),
    ("month", D(2026, 9, 30), D(2026, 10, 1)),
    ("day", D(2026, 11, 14), D(2026, 11, 13)),  # after today − 2 days: the usual lag still applies
])
def test_page_statistics_read_whole_periods_ending_by_the_end_date(period: TPeriod, end_date: dt.date,
                                                                    expected_end: dt.date) -> None:
    window = plan_statistics_window(None, D(2026, 6, 1), TODAY, period, end_date)
    assert window == StatisticsWindow(D(2026, 6, 1), expected_end, period)


def test_page_statistics_rerun_of_a_backfill_rereads_its_last_period_only() -> None:
    assert plan_statistics_window(D(2026, 9, 10), D(2026, 6, 1), TODAY, "day", D(2026, 9, 10)) == StatisticsWindow(
        D(2026, 9, 9), D(2026, 9, 11), "day")
    # the last loaded week again, never the end date's unfinished week
    assert plan_statistics_window(D(2026, 9, 6), D(2026, 6, 1), TODAY, "week", D(2026, 9, 10)) == StatisticsWindow(
        D(2026, 8, 31), D(2026, 9, 7), "week")


def test_video_days_stop_after_the_end_date() -> None:
    published = day_start_ms(D(2026, 9, 1))
    assert read_window(published, None, TODAY, 7, D(2026, 10, 1)) == (D(2026, 9, 1), D(2026, 10, 2))
    assert read_window(published, D(2026, 10, 1), TODAY, 7, D(2026, 10, 1)) == (D(2026, 9, 25), D(2026, 10, 2))
    assert read_window(day_start_ms(D(2026, 10, 5)), None, TODAY, 7, D(2026, 10, 1)) is None  # published after
    assert read_window(published, None, TODAY, 7, D(2027, 1, 1)) == (D(2026, 9, 1), TODAY)


@pytest.fixture
def no_ambient_config(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> pytest.MonkeyPatch:
    for name in ("SOURCES__LINKEDIN__START_DATE", "SOURCES__LINKEDIN__END_DATE", "LINKEDIN_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))  # no .dlt/config.toml of the repo's
    return monkeypatch


def test_end_date_from_the_flag_or_the_environment(no_ambient_config: pytest.MonkeyPatch) -> None:
    assert build_settings(end_date="2026-06-30").end_date == D(2026, 6, 30)
    assert build_settings().end_date is None
    no_ambient_config.setenv("SOURCES__LINKEDIN__END_DATE", "2026-05-31")
    assert build_settings().end_date == D(2026, 5, 31)
    assert build_settings(end_date="2026-06-30").end_date == D(2026, 6, 30)  # the flag wins


def test_an_end_date_in_the_future_is_accepted(no_ambient_config: pytest.MonkeyPatch) -> None:
    assert build_settings(end_date="2999-12-31").end_date == D(2999, 12, 31)


def test_a_malformed_end_date_is_refused(no_ambient_config: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match=r"^Invalid --end-date '2026-02-30': use a date like 2024-01-31\.$"):
        build_settings(end_date="2026-02-30")


def test_an_end_date_before_the_start_date_is_refused(no_ambient_config: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError) as refused:
        build_settings(start_date="2026-03-01", end_date="2026-02-28")
    assert str(refused.value) == ("Invalid --end-date 2026-02-28: it is before the read start date 2026-03-01 "
                                  "(--start-date); pass an end date on or after it, or an earlier --start-date.")
    assert build_settings(start_date="2026-03-01", end_date="2026-03-01").end_date == D(2026, 3, 1)


def test_a_library_run_refuses_an_end_date_before_the_start_date_before_any_request() -> None:
    settings = RunSettings(pipelines=["ad_performance"], access_token="t", api_base_url="http://127.0.0.1:1/rest",
                           start_date=D(2026, 3, 1), end_date=D(2026, 2, 1))
    with pytest.raises(ConfigError, match="before the read start date 2026-03-01"):
        run_pipelines(settings)


def test_the_note_names_the_selected_pipelines_that_ignore_the_end_date() -> None:
    settings = RunSettings(pipelines=["ad_accounts", "ad_performance", "organization_followers", "lead_forms"],
                           end_date=D(2026, 6, 30))
    assert end_date_note(settings, TODAY) == (
        "--end-date 2026-06-30: ad_accounts, organization_followers, lead_forms ignore it and read what LinkedIn "
        "holds on 2026-11-15 (Full or snapshot replication); the time-windowed pipelines stop at 2026-06-30.")
    assert end_date_note(RunSettings(pipelines=["ad_accounts"]), TODAY) is None
    windowed = ["ad_performance", "conversion_performance", "account_performance", "campaign_group_performance",
                "campaign_performance", "ad_demographics", "organization_pages", "organization_posts",
                "organization_video_statistics", "lead_form_responses"]
    assert end_date_note(RunSettings(pipelines=windowed, end_date=D(2026, 6, 30)), TODAY) is None


def test_full_posts_replication_ignores_the_end_date() -> None:
    incremental = RunSettings(pipelines=["organization_posts"], end_date=D(2026, 6, 30))
    full = RunSettings(pipelines=["organization_posts"], end_date=D(2026, 6, 30), posts_replication="full")
    assert honours_end_date("organization_posts", incremental)
    assert not honours_end_date("organization_posts", full)
    assert end_date_note(full, TODAY) is not None
