"""`lisync verify` and the run's verify-and-repair step against the sandbox (issue #13).

Verification compares the landed rows with LinkedIn's own account-month totals (adAnalytics pivot ACCOUNT,
MONTHLY; ACCOUNT × CONVERSION for conversion_performance). Deleting rows must be found and named; a repair
must restore exactly them; a world whose listings hide delivering campaigns must be healed by a run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from tests.e2e.conftest import TODAY
from tests.support import snapshot
from typer.testing import CliRunner

from lisync.cli import app
from lisync.config.settings import RunSettings
from lisync.run.pipeline import run
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

START = dt.date(2026, 1, 1)
TABLES = ("ad_performance", "conversion_performance")


def _settings(sandbox: SandboxServer, folder: Path, **overrides: Any) -> RunSettings:
    base: dict[str, Any] = {
        "pipelines": list(TABLES), "access_token": "t", "api_base_url": f"{sandbox.base_url}/rest",
        "duckdb_path": str(folder / "v.duckdb"), "pipelines_dir": str(folder / "dlt"), "start_date": START,
        "today": sandbox.world.clock.today}
    base.update(overrides)
    return RunSettings(**base)


def _rows(folder: Path) -> dict[str, list[tuple[Any, ...]]]:
    with contextlib.closing(duckdb.connect(str(folder / "v.duckdb"), read_only=True)) as conn:
        return {t: snapshot(conn, "linkedin", t) for t in TABLES}


def _verify_cli(sandbox: SandboxServer, folder: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(app, [
        "verify", "--api-base-url", f"{sandbox.base_url}/rest", "--access-token", "t",
        "--duckdb", str(folder / "v.duckdb"), "--pipelines-dir", str(folder / "dlt"),
        "--start-date", START.isoformat(), "--today", sandbox.world.clock.today.isoformat(), "--json", *extra])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture(scope="module")
def medium_sandbox() -> Iterator[SandboxServer]:
    """A medium world: enough accounts and months for packed totals requests."""
    with SandboxServer(SandboxConfig(port=0, seed=3, scale="medium", today=TODAY)) as server:
        yield server


@pytest.fixture(scope="module")
def landed(medium_sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("verify")
    summary = run(_settings(medium_sandbox, folder))
    assert summary.status == "ok", summary.error
    assert summary.verify is not None and summary.verify["status"] == "ok", summary.verify
    assert summary.verify["repaired"] == []
    return folder


def test_a_run_verifies_what_it_read_in_few_requests(medium_sandbox: SandboxServer, landed: Path) -> None:
    code, report = _verify_cli(medium_sandbox, landed)
    assert code == 0, report["differences"][:5]
    months = report["account_months"]
    assert months >= 100
    assert report["requests"] <= max(len(TABLES), months / 100), report  # ≤ 1 request per 100 account-months


def test_verify_names_a_deleted_account_month_and_repair_restores_exactly_it(
        medium_sandbox: SandboxServer, landed: Path) -> None:
    before = _rows(landed)
    with contextlib.closing(duckdb.connect(str(landed / "v.duckdb"))) as conn:
        account, month = conn.execute(
            "select account_id, strftime(metric_date, '%Y-%m') m from linkedin.ad_performance group by 1, 2 "
            "order by count(*) desc limit 1").fetchone() or ("", "")
        conn.execute("delete from linkedin.ad_performance where account_id = ? and strftime(metric_date, '%Y-%m') = ?",
                     [account, month])
    assert _rows(landed) != before

    code, report = _verify_cli(medium_sandbox, landed)
    assert code == 1
    named = {(d["table"], d["account_id"], d["month"]) for d in report["differences"]}
    assert named == {("ad_performance", account, month)}

    code, report = _verify_cli(medium_sandbox, landed, "--repair")
    assert code == 0, report
    assert [(r["table"], r["account_id"], r["month"]) for r in report["repaired"]] == [
        ("ad_performance", account, month)]
    assert _rows(landed) == before
    assert _verify_cli(medium_sandbox, landed)[0] == 0


def test_the_next_run_repairs_deleted_rows_outside_its_update_window(medium_sandbox: SandboxServer,
                                                                     landed: Path) -> None:
    before = _rows(landed)
    with contextlib.closing(duckdb.connect(str(landed / "v.duckdb"))) as conn:
        conn.execute("delete from linkedin.ad_performance where metric_date between '2026-03-01' and '2026-03-31'")
    summary = run(_settings(medium_sandbox, landed, update_window_days=30))
    assert summary.status == "ok", summary.error
    assert summary.verify is not None
    read_from = summary.details["analytics"]["ad_performance"]["read_from"]
    assert min(read_from.values()) > "2026-04-01", (read_from, summary.notes)
    assert {r["month"] for r in summary.verify["repaired"]} == {"2026-03"}
    assert _rows(landed) == before


def test_a_world_whose_listings_hide_delivery_is_caught_and_healed_by_a_run(tmp_path: Path) -> None:
    config = SandboxConfig(port=0, seed=3, scale="medium", today=TODAY, unlisted_campaign_accounts=2)
    with SandboxServer(config) as disagreeing:
        plain = SandboxConfig(port=0, seed=3, scale="medium", today=TODAY)
        with SandboxServer(plain) as consistent:
            reference = tmp_path / "reference"
            reference.mkdir()
            assert run(_settings(consistent, reference, verify=False)).status == "ok"

        unverified = tmp_path / "unverified"
        unverified.mkdir()
        assert run(_settings(disagreeing, unverified, verify=False)).status == "ok"
        assert _rows(unverified)["ad_performance"] != _rows(reference)["ad_performance"], \
            "the knob did not make the planner miss rows"
        code, report = _verify_cli(disagreeing, unverified)
        assert code == 1 and report["differences"]

        healed = tmp_path / "healed"
        healed.mkdir()
        summary = run(_settings(disagreeing, healed))
        assert summary.status == "ok", summary.error
        assert summary.verify is not None and summary.verify["repaired"], summary.verify
        metrics = ("metric_date", "creative_id", "impressions", "clicks", "costinlocalcurrency")
        with contextlib.closing(duckdb.connect(str(healed / "v.duckdb"), read_only=True)) as got, \
                contextlib.closing(duckdb.connect(str(reference / "v.duckdb"), read_only=True)) as want:
            query = f"select {', '.join(metrics)} from linkedin.ad_performance order by 1, 2"
            assert got.execute(query).fetchall() == want.execute(query).fetchall()


def test_verify_lists_posts_names_a_missing_one_and_repair_restores_it(e2e_sandbox: SandboxServer,
                                                                       tmp_path: Path) -> None:
    settings = _settings(e2e_sandbox, tmp_path, pipelines=["organization_posts"])
    summary = run(settings)
    assert summary.status == "ok", summary.error
    assert summary.verify is not None and summary.verify["posts"]["listed"] > 0, summary.verify
    assert summary.verify["posts"]["missing"] == 0
    with contextlib.closing(duckdb.connect(str(tmp_path / "v.duckdb"))) as conn:
        before = snapshot(conn, "linkedin", "organization_posts")
        post, organization = conn.execute(
            "select post_id, organization_urn from linkedin.organization_posts order by last_modified_at limit 1"
        ).fetchone() or ("", "")
        conn.execute("delete from linkedin.organization_posts where post_id = ?", [post])

    code, report = _verify_cli(e2e_sandbox, tmp_path, "organization_posts")
    assert code == 1
    assert report["posts"]["missing_posts"] == {organization.rsplit(":", 1)[-1]: [post]}

    code, report = _verify_cli(e2e_sandbox, tmp_path, "organization_posts", "--repair")
    assert code == 0, report
    assert report["posts"]["repaired"] == {organization.rsplit(":", 1)[-1]: 1}
    with contextlib.closing(duckdb.connect(str(tmp_path / "v.duckdb"), read_only=True)) as conn:
        assert snapshot(conn, "linkedin", "organization_posts") == before
