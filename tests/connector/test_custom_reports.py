"""Custom report declarations: valid ones parse; each bad one is a one-line error before any request."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lisync.errors import ConfigError
from lisync.linkedin.analytics.custom_reports import CustomReport, parse_custom_reports
from lisync.linkedin.analytics.planner import month_windows
from lisync.linkedin.analytics.report_fields import extended_metrics

GOOD = {"pivots": ["CAMPAIGN", "IMPRESSION_DEVICE_TYPE"], "granularity": "DAILY",
        "metrics": ["impressions", "clicks", "costInLocalCurrency"]}


def test_a_valid_declaration_parses() -> None:
    reports = parse_custom_reports({"spend_by_device": GOOD})
    assert reports == {"spend_by_device": CustomReport("spend_by_device", ("CAMPAIGN", "IMPRESSION_DEVICE_TYPE"),
                                                       "DAILY", ("impressions", "clicks", "costInLocalCurrency"))}
    assert reports["spend_by_device"].pivot_columns == ("campaign", "impression_device_type")


@pytest.mark.parametrize(("declaration", "message"), [
    ({**GOOD, "pivots": ["CAMPAIGN", "DEVICE"]}, "unknown pivot DEVICE"),
    ({**GOOD, "metrics": ["impressions", "clickz"]}, "unknown metric clickz (did you mean clicks?)"),
    ({**GOOD, "pivots": ["ACCOUNT", "CAMPAIGN", "CREATIVE", "CONVERSION"]},
     "4 pivots declared; LinkedIn accepts 1 to 3"),
    ({**GOOD, "pivots": []}, "0 pivots declared"),
    ({"pivots": ["MEMBER_INDUSTRY"], "metrics": ["impressions", "approximateMemberReach"]},
     "approximateMemberReach is not available with the demographic pivot MEMBER_INDUSTRY"),
    ({"pivots": ["CAMPAIGN", "MEMBER_SENIORITY"], "metrics": ["impressions"]}, "allows it only alone"),
    ({**GOOD, "granularity": "WEEKLY"}, "granularity 'WEEKLY' is not one of DAILY, MONTHLY, ALL"),
    ({**GOOD, "metrics": []}, "declare at least one metric"),
    ({**GOOD, "colour": "red"}, "unknown key 'colour'"),
    ({"pivots": ["CAMPAIGN"], "granularity": "ALL", "metrics": ["approximateMemberReach"]},
     "needs DAILY or MONTHLY granularity"),
    ({"pivots": ["CREATIVE", "CONVERSION"], "metrics": ["approximateMemberReach"]}, "not with CONVERSION"),
    ({"pivots": ["CREATIVE"], "metrics": ["audiencePenetration"]},
     "audiencePenetration needs an ACCOUNT, CAMPAIGN_GROUP or CAMPAIGN pivot"),
])
def test_each_bad_declaration_is_a_one_line_error(declaration: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_custom_reports({"bad_report": declaration})
    text = str(error.value)
    assert message in text and "\n" not in text and text.startswith("Custom report 'bad_report'")


def test_a_report_cannot_take_a_contract_table_name() -> None:
    with pytest.raises(ConfigError, match="already a lisync table"):
        parse_custom_reports({"ad_performance": GOOD}, frozenset({"ad_performance"}))


def test_cli_reports_a_bad_declaration_in_one_line_before_any_request(tmp_path: Path) -> None:
    (tmp_path / ".dlt").mkdir()
    (tmp_path / ".dlt" / "config.toml").write_text(
        '[sources.linkedin.custom_reports.by_device]\npivots = ["CAMPAIGN", "DEVICE"]\nmetrics = ["impressions"]\n')
    # a separate process: dlt caches the config files it read, which would leak into other tests;
    # the API base is unroutable, so any request would fail differently
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    result = subprocess.run([sys.executable, "-m", "lisync.cli", "run", "by_device", "--access-token", "t",
                             "--api-base-url", "http://127.0.0.1:9/rest", "--duckdb", str(tmp_path / "x.duckdb")],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and "unknown pivot DEVICE" in lines[0], result.stdout + result.stderr


def test_extended_metrics_follow_the_linkedin_version() -> None:
    assert extended_metrics("202410", "ad_performance") == ()
    assert extended_metrics("202411", "ad_performance") == ("averageDwellTime",)
    assert "videoWatchTime" in extended_metrics("202601", "campaign_performance")
    assert "audiencePenetration" in extended_metrics("202601", "account_performance")
    assert "audiencePenetration" in extended_metrics("202411", "campaign_group_performance")
    assert "audiencePenetration" not in extended_metrics("202601", "campaign_performance")  # a contract column
    assert "audiencePenetration" not in extended_metrics("202601", "ad_performance")  # not at creative level
    assert extended_metrics("202601", "conversion_performance") == ()


def test_month_windows_hold_whole_months_within_92_days() -> None:
    windows = month_windows(dt.date(2026, 1, 17), dt.date(2026, 11, 15), 92)
    assert windows[0] == (dt.date(2026, 1, 17), dt.date(2026, 3, 31))
    assert all((end - start).days < 92 for start, end in windows)
    assert all(end.month != (end + dt.timedelta(days=1)).month for _, end in windows[:-1])
    assert windows[-1][1] == dt.date(2026, 11, 15)


@pytest.mark.parametrize("pivots", [["ACCOUNT"], ["CAMPAIGN_GROUP"], ["CAMPAIGN"], ["ACCOUNT", "CREATIVE"]])
def test_audience_penetration_is_accepted_with_an_account_group_or_campaign_pivot(pivots: list[str]) -> None:
    reports = parse_custom_reports({"penetration": {"pivots": pivots, "metrics": ["audiencePenetration"]}})
    assert reports["penetration"].metrics == ("audiencePenetration",)
