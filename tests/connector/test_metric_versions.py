"""Newer adAnalytics metrics follow the LinkedIn-Version (issue #14): lisync's one list, the sandbox, the requests.

lisync keeps the metrics LinkedIn added per version in ``report_fields.EXTENDED_METRICS``; the sandbox (which
imports nothing from the connector) keeps its own table and must agree with it. A run asks only for the
metrics its version has, and a custom report naming a newer one is a one-line error before any request.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lisync.config.settings import RunSettings
from lisync.errors import ConfigError
from lisync.linkedin.analytics.custom_reports import check_report_versions, parse_custom_reports
from lisync.linkedin.analytics.report_fields import EXTENDED_METRICS, unavailable_metrics
from lisync.sandbox.analytics.catalog import METRIC_SINCE_VERSION, metrics_newer_than
from lisync.sources.reports import entity_report


def test_the_sandbox_gates_exactly_the_metrics_lisync_lists_per_version() -> None:
    assert {m: since for since, names in EXTENDED_METRICS.items() for m in names} == METRIC_SINCE_VERSION
    for version in ("202410", "202411", "202512", "202601", "202610"):
        assert metrics_newer_than(version) == unavailable_metrics(version), version
    assert metrics_newer_than("20251201") == metrics_newer_than("202512.01") == unavailable_metrics("202512")


def test_unavailable_metrics_per_version() -> None:
    assert {"averageDwellTime", "audiencePenetration", "videoWatchTime"} <= unavailable_metrics("202410")
    assert "averageDwellTime" not in unavailable_metrics("202512")
    assert {"videoWatchTime", "eventViews", "costPerEventView"} <= unavailable_metrics("202512")
    assert unavailable_metrics("202601") == frozenset()


@pytest.mark.parametrize(("version", "asked"), [("202410", False), ("202411", True), ("202610", True)])
def test_campaign_performance_asks_for_audience_penetration_only_where_it_exists(version: str, asked: bool) -> None:
    for extended in (False, True):
        settings = RunSettings(pipelines=["campaign_performance"], api_version=version, extended_metrics=extended)
        report, added = entity_report(settings, "campaign_performance")
        fields = {f for chunk in report.chunks for f in chunk}
        assert ("audiencePenetration" in fields) is asked
        assert not fields & unavailable_metrics(version)
        assert set(added) <= fields


def test_a_custom_report_with_a_metric_newer_than_the_version_is_a_one_line_error() -> None:
    reports = parse_custom_reports({"watch": {"pivots": ["CAMPAIGN"], "metrics": ["impressions", "videoWatchTime"]}})
    check_report_versions(reports, "202601")
    with pytest.raises(ConfigError) as error:
        check_report_versions(reports, "202512")
    message = str(error.value)
    assert "\n" not in message
    assert "'watch'" in message and "videoWatchTime" in message and "202601" in message


def test_cli_refuses_a_custom_report_metric_newer_than_the_version_before_any_request(tmp_path: Path) -> None:
    (tmp_path / ".dlt").mkdir()
    (tmp_path / ".dlt" / "config.toml").write_text(
        '[sources.linkedin.custom_reports.watch]\npivots = ["CAMPAIGN"]\nmetrics = ["videoWatchTime"]\n')
    # a separate process (dlt caches the config files it read); the API base is unroutable, so any request
    # would fail differently
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    result = subprocess.run([sys.executable, "-m", "lisync.cli", "run", "watch", "--access-token", "t",
                             "--api-version", "202512", "--api-base-url", "http://127.0.0.1:9/rest",
                             "--duckdb", str(tmp_path / "x.duckdb")],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and "videoWatchTime needs LinkedIn-Version 202601" in lines[0], lines
