"""organization_pages: the row shaper and the time-bound statistics window planner."""

from __future__ import annotations

import datetime as dt

import pytest

from lisync.linkedin.pages.shape_statistics import shape_page_row
from lisync.linkedin.pages.statistics import (
    StatisticsWindow,
    TPeriod,
    earliest_start,
    last_day_of_period,
    months_before,
    plan_statistics_window,
)
from lisync.spec.loader import table_spec

D = dt.date
ORG = "urn:li:organization:2414183"


def _window(savepoint: dt.date | None, start_date: dt.date | None, today: dt.date,
            period: TPeriod) -> StatisticsWindow:
    """plan_statistics_window for a case that has something to read."""
    window = plan_statistics_window(savepoint, start_date, today, period)
    assert window is not None
    return window


# Shapes as LinkedIn's page-, follower- and share-statistics docs describe them (values illustrative).
PAGE_STATISTICS = {
    "views": {
        "allPageViews": {"pageViews": 120, "uniquePageViews": 80},
        "allDesktopPageViews": {"pageViews": 70, "uniquePageViews": 50},
        "mobileAboutPageViews": {"pageViews": 4, "uniquePageViews": 3},
        "desktopLifeAtPageViews": {"pageViews": 2},
        "insightsPageViews": {"pageViews": 1, "uniquePageViews": 1},
    },
    "clicks": {
        "careersPageClicks": {"careersPageBannerPromoClicks": 1, "careersPagePromoLinksClicks": 2,
                              "careersPageJobsClicks": 3, "careersPageEmployeesClicks": 4},
        "mobileCareersPageClicks": {"careersPageBannerPromoClicks": 0, "careersPagePromoLinksClicks": 1,
                                    "careersPageJobsClicks": 2, "careersPageEmployeesClicks": 3},
        "desktopCustomButtonClickCounts": [{"customButtonType": "VISIT_WEBSITE", "clicks": 3},
                                           {"customButtonType": "LEARN_MORE", "clicks": 2}],
        "mobileCustomButtonClickCounts": [],
    },
}
FOLLOWER_GAINS = {"organicFollowerGain": -2, "paidFollowerGain": 5}
SHARE_STATISTICS = {"uniqueImpressionsCount": 40, "shareCount": 1, "engagement": 0.0625, "clickCount": 3,
                    "likeCount": -1, "impressionCount": 48, "commentCount": 0}


def test_row_has_exactly_the_spec_columns_in_order() -> None:
    row = shape_page_row(D(2026, 3, 1), ORG, "Devtestco", PAGE_STATISTICS, FOLLOWER_GAINS, SHARE_STATISTICS)
    assert list(row) == table_spec("organization_pages").column_names


def test_views_clicks_followers_and_shares_map_to_their_columns() -> None:
    row = shape_page_row(D(2026, 3, 1), ORG, "Devtestco", PAGE_STATISTICS, FOLLOWER_GAINS, SHARE_STATISTICS)
    assert row["metric_date"] == D(2026, 3, 1) and row["organization_urn"] == ORG
    assert row["organization_name"] == "Devtestco"
    assert (row["allpageviews"], row["alluniquepageviews"]) == (120.0, 80.0)
    assert (row["alldesktoppageviews"], row["alldesktopuniquepageviews"]) == (70.0, 50.0)
    assert (row["mobileaboutpageviews"], row["mobileaboutuniquepageviews"]) == (4.0, 3.0)
    assert (row["desktoplifeatpageviews"], row["desktoplifeatuniquepageviews"]) == (2.0, None)
    assert row["insightsuniquepageviews"] == 1.0
    assert row["careerspagebannerpromoclicks"] == 1.0 and row["careerspageemployeesclicks"] == 4.0
    assert row["mobilecareerspagejobsclicks"] == 2.0 and row["mobilecareerspagepromolinksclicks"] == 1.0
    assert row["desktopcustombuttonclickcounts"] == 5.0
    assert row["mobilecustombuttonclickcounts"] == 0.0
    assert (row["organicfollowergain"], row["paidfollowergain"]) == (-2.0, 5.0)
    assert row["likecount"] == -1.0 and row["engagement"] == 0.0625 and row["impressioncount"] == 48.0


def test_missing_statistics_land_as_null_not_zero() -> None:
    row = shape_page_row(D(2026, 3, 1), ORG, None, None, FOLLOWER_GAINS, None)
    assert row["organicfollowergain"] == -2.0
    kept = ("metric_date", "organization_urn", "organicfollowergain", "paidfollowergain")
    values = {k: v for k, v in row.items() if k not in kept}
    assert all(v is None for v in values.values()), values
    assert shape_page_row(D(2026, 3, 1), ORG, None, {"views": {}}, None, None)["allpageviews"] is None


def test_months_before_clamps_the_day() -> None:
    assert months_before(D(2026, 3, 31), 1) == D(2026, 2, 28)
    assert months_before(D(2024, 2, 29), 12) == D(2023, 2, 28)
    assert months_before(D(2026, 1, 15), 12) == D(2025, 1, 15)


def test_first_run_reads_twelve_months_and_ends_two_days_ago() -> None:
    today = D(2026, 11, 15)
    window = plan_statistics_window(None, None, today, "day")
    assert window == StatisticsWindow(D(2025, 11, 16), D(2026, 11, 13), "day")
    assert earliest_start(today) == D(2025, 11, 16)


def test_start_date_is_honoured_but_never_before_the_rolling_year() -> None:
    today = D(2026, 11, 15)
    assert _window(None, D(2026, 10, 1), today, "day").start == D(2026, 10, 1)
    assert _window(None, D(2020, 1, 1), today, "day").start == D(2025, 11, 16)


def test_rerun_reads_the_last_two_loaded_days_again() -> None:
    window = plan_statistics_window(D(2026, 11, 12), None, D(2026, 11, 15), "day")
    assert window == StatisticsWindow(D(2026, 11, 11), D(2026, 11, 13), "day")
    # the clock moved three days: the re-read days plus the three new ones
    assert _window(D(2026, 11, 12), None, D(2026, 11, 18), "day").end == D(2026, 11, 16)


def test_nothing_to_read_when_no_whole_period_is_ready() -> None:
    assert plan_statistics_window(D(2026, 11, 12), None, D(2026, 11, 13), "day") is None
    # today is Tuesday the 10th: the week of Monday the 2nd ends after today − 2 days
    assert plan_statistics_window(D(2026, 11, 8), None, D(2026, 11, 10), "week") is None


@pytest.mark.parametrize(("period", "start", "end"), [
    ("week", D(2025, 11, 17), D(2026, 11, 9)),   # Mondays: the first whole week after the floor
    ("month", D(2025, 12, 1), D(2026, 11, 1)),   # whole months only, crossing the year
])
def test_week_and_month_windows_are_aligned_to_whole_periods(period: TPeriod, start: dt.date,
                                                            end: dt.date) -> None:
    window = _window(None, None, D(2026, 11, 15), period)
    assert (window.start, window.end) == (start, end)


def test_week_rerun_rereads_the_last_loaded_week() -> None:
    window = _window(D(2026, 11, 8), None, D(2026, 11, 20), "week")
    assert (window.start, window.end) == (D(2026, 11, 2), D(2026, 11, 16))


def test_last_day_of_period() -> None:
    assert last_day_of_period(D(2026, 11, 9), "week") == D(2026, 11, 15)
    assert last_day_of_period(D(2026, 12, 1), "month") == D(2026, 12, 31)
    assert last_day_of_period(D(2026, 12, 31), "day") == D(2026, 12, 31)
