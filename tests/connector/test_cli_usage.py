"""CLI usage errors: one line on stderr, exit code 2, no traceback — and every command documented."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from lisync.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_ambient_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("SOURCES__LINKEDIN__ACCESS_TOKEN", raising=False)


@pytest.mark.parametrize(("args", "needle"), [
    (["run", "not_a_pipeline", "--access-token", "t"], "Unknown pipeline not_a_pipeline"),
    (["run", "--start-date", "2024-13-01", "--access-token", "t"], "Invalid --start-date"),
    (["run", "--start-date", "2999-01-01", "--access-token", "t"], "in the future"),
    (["run", "--end-date", "2024-02-30", "--access-token", "t"], "Invalid --end-date"),
    (["run", "--start-date", "2024-03-01", "--end-date", "2024-02-01", "--access-token", "t"],
     "before the read start date 2024-03-01"),
    (["run", "--update-window-days", "-3", "--access-token", "t"], "Invalid --update-window-days"),
    (["run", "--update-window-days", "100000", "--access-token", "t"], "Invalid --update-window-days"),
    (["run", "--update-window-days", "ten", "--access-token", "t"], "Invalid --update-window-days"),
    (["run", "--accounts", "12x", "--access-token", "t"], "Invalid account id"),
    (["run", "--organizations", "urn:li:person:1", "--access-token", "t"], "Invalid organization id"),
    (["run", "--api-version", "2024", "--access-token", "t"], "Invalid --api-version"),
    (["run", "--dataset", "bad-name!", "--access-token", "t"], "Invalid --dataset"),
    (["run", "ad_accounts"], "No LinkedIn access token"),
    (["sandbox", "--scale", "huge"], "Unknown sandbox scale"),
    (["run", "--shard", "s1", "--access-token", "t"], "--shard s1 needs its slice"),
    (["run", "ad_performance", "--shard", "s1", "--organizations", "100000", "--access-token", "t"],
     "None of the selected pipelines applies to shard s1"),
])
def test_bad_input_is_one_line_exit_2(args: list[str], needle: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    text = result.stderr if result.stderr else result.output
    assert needle in text
    assert "Traceback" not in text
    assert len([line for line in text.strip().splitlines() if line.strip()]) == 1


def test_unknown_flag_is_a_usage_error() -> None:
    result = runner.invoke(app, ["run", "--no-such-flag"])
    assert result.exit_code == 2


@pytest.mark.parametrize("command", ["run", "demo", "sandbox", "pipelines", "report", "views fivetran"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_pipelines_lists_the_spec() -> None:
    result = runner.invoke(app, ["pipelines"])
    assert result.exit_code == 0
    for name in ("ad_accounts", "ad_performance", "organization_posts"):
        assert name in result.output


def test_duckdb_file_named_like_the_dataset_is_refused_before_any_api_call(tmp_path) -> None:
    result = runner.invoke(app, ["run", "ad_accounts", "--duckdb", str(tmp_path / "linkedin.duckdb"),
                                 "--access-token", "t", "--api-base-url", "http://127.0.0.1:9/rest"])
    assert result.exit_code == 2
    assert "named like the dataset" in (result.stderr or result.output)
