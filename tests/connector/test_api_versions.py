"""The pinned LinkedIn-Version and the one table of sunset dates (CI fails 90 days before the pin's sunset)."""

from __future__ import annotations

import datetime as dt

from lisync.linkedin.http.sunsets import PIN_MARGIN_DAYS, SUNSET_DATES, sunset_date
from lisync.linkedin.http.version import DEFAULT_API_VERSION, version_support_ends


def test_the_pinned_version_is_in_the_table_of_sunset_dates() -> None:
    assert sunset_date(DEFAULT_API_VERSION) is not None, (
        f"add LinkedIn's sunset date of the pinned version {DEFAULT_API_VERSION} to lisync.api_versions.SUNSET_DATES")


def test_the_pinned_version_is_not_within_90_days_of_its_sunset() -> None:
    sunset = sunset_date(DEFAULT_API_VERSION)
    assert sunset is not None
    left = (sunset - dt.datetime.now(dt.UTC).date()).days
    assert left > PIN_MARGIN_DAYS, (f"LinkedIn-Version {DEFAULT_API_VERSION} is sunset on {sunset}, {left} days from "
                                    f"now: move lisync.settings.DEFAULT_API_VERSION to a newer version")


def test_the_table_is_the_source_of_the_run_warning() -> None:
    for version, (sunset, _) in SUNSET_DATES.items():
        assert version_support_ends(version) == sunset
        assert version_support_ends(f"{version}.01") == sunset
    assert version_support_ends("203001") == dt.date(2031, 1, 1)  # not listed: the one-year rule
