"""`dbt build` of the lisync dbt project on DuckDB and PostgreSQL over sandbox data, reconciliation included."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import pytest
from tests.dbt.conftest import TODAY, run_dbt
from tests.e2e.conftest import DEFAULT_POSTGRES_DSN, reachable_postgres

from lisync.config.settings import RunSettings
from lisync.run.families import available_pipelines
from lisync.run.pipeline import run
from lisync.sandbox.server import SandboxServer

pytestmark = [pytest.mark.dbt, pytest.mark.slow]

START = TODAY - dt.timedelta(days=60)
HISTORY = ("ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata", "conversion_details")
MOVE_DAYS = 28
REPORTS = ["lisync__account_report", "lisync__campaign_group_report", "lisync__campaign_report",
           "lisync__creative_report", "lisync__url_report", "lisync__organization_page_report",
           "lisync__monthly_demographic_report", "lisync__organization_follower_report",
           "lisync__organization_follower_demographic_report", "lisync__organization_video_report",
           "lisync__account_user_report", "lisync__lead_report"]
# every pipeline runs, so every optional model is on
VARIABLES = {"lisync__using_demographics": True, "lisync__using_followers": True, "lisync__using_video": True,
             "lisync__using_account_users": True, "lisync__using_leads": True}
# reports → (raw table, report column, raw expression): the report's total must equal the raw table's
RAW_TOTALS = [
    ("lisync__organization_follower_report", "followers", "organization_followers",
     "sum(case when facet = 'total' then follower_count end)"),
    ("lisync__organization_video_report", "video_views", "organization_video_statistics", "sum(video_views)"),
    ("lisync__account_user_report", "users", "ad_account_users", "count(*)"),
    ("lisync__lead_report", "leads + test_leads", "lead_form_responses", "count(*)"),
]


def replicate(sandbox: SandboxServer, work: Path, dataset: str, **destination: Any) -> None:
    settings = RunSettings(
        pipelines=available_pipelines(), access_token="dbt-token", api_base_url=f"{sandbox.base_url}/rest",
        dataset=dataset, pipeline_name=f"lisync_dbt_{dataset}", pipelines_dir=str(work / "dlt"),
        today=sandbox.world.clock.today, start_date=START, **destination)
    summary = run(settings)
    assert summary.status == "ok", summary.error


def move_clock(sandbox: SandboxServer, days: int) -> None:
    """Move the sandbox clock over its admin API: entities drift (status, budget, names) weekly."""
    request = urllib.request.Request(f"{sandbox.base_url}/_sandbox/clock", method="POST",
                                     data=json.dumps({"advance_days": days}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def check_build(results: list[dict[str, Any]]) -> None:
    status = {r["unique_id"]: r["status"] for r in results}
    assert status and all(s in ("success", "pass") for s in status.values()), status
    models = {uid.split(".")[-1] for uid in status if uid.startswith("model.")}
    assert set(REPORTS) <= models
    tests = [uid for uid in status if uid.startswith("test.")]
    reconciliations = [t for t in tests if ".lisync_totals_match_" in t]
    assert len(reconciliations) >= len(REPORTS), reconciliations  # one per report
    assert any(".relationships_" in t for t in tests) and any(".unique_" in t for t in tests)


def check_reports(query: Callable[[str], list[tuple[Any, ...]]], reports: str, raw: str) -> None:
    """The URL, organic, account-user and lead reports have rows, and their totals equal the raw tables."""
    pages = query(f"select count(*), count(distinct landing_page_type), sum(impressions), sum(clicks) "
                  f"from {reports}.lisync__url_report")[0]
    want = query(f"select sum(p.impressions), sum(p.clicks) from {raw}.ad_performance p "
                 f"where p.creative_id in (select creative_id from {raw}.creative_landing_pages)")[0]
    assert pages[0] > 0 and pages[1] == 3, pages  # text ads, spotlight ads and sponsored content delivered
    assert (int(pages[2]), int(pages[3])) == (int(want[0]), int(want[1])) and pages[2] > 0
    assert query(f"select count(*) from {reports}.lisync__url_report where utm_source <> 'linkedin' "
                 "or url_host <> 'www.example.com' or base_url not like 'https://www.example.com/%'")[0][0] == 0
    for report, column, table, expression in RAW_TOTALS:
        got = query(f"select count(*), sum({column}) from {reports}.{report}")[0]
        expected = query(f"select {expression} from {raw}.{table}")[0][0]
        assert got[0] > 0 and int(got[1]) == int(expected) > 0, report


def test_dbt_build_on_duckdb(dbt_bin: Path, dbt_sandbox: SandboxServer, tmp_path: Path) -> None:
    db = tmp_path / "lisync.duckdb"
    # entity history on, and two runs around a clock move: entities have several versions the models must handle
    replicate(dbt_sandbox, tmp_path, "linkedin", duckdb_path=str(db), history=HISTORY)
    move_clock(dbt_sandbox, MOVE_DAYS)
    try:
        replicate(dbt_sandbox, tmp_path, "linkedin", duckdb_path=str(db), history=HISTORY)
    finally:
        dbt_sandbox.world.clock.today = TODAY
    with contextlib.closing(duckdb.connect(str(db), read_only=True)) as conn:
        versions = conn.execute("select count(*), count(distinct id) from linkedin.campaign_metadata").fetchone()
        assert versions and versions[0] > versions[1] > 0
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "profiles.yml").write_text(
        f"lisync:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n      path: {db}\n"
        "      schema: main\n      threads: 2\n")
    _, results = run_dbt(dbt_bin, ["build"], profiles, tmp_path, {**VARIABLES, "lisync_schema": "linkedin"})
    check_build(results)
    with contextlib.closing(duckdb.connect(str(db), read_only=True)) as conn:
        report = conn.execute("select sum(spend), sum(impressions), sum(clicks) from "
                              "main_lisync_reports.lisync__account_report").fetchone()
        raw = conn.execute("select sum(costinlocalcurrency), sum(impressions), sum(clicks) "
                           "from linkedin.ad_performance").fetchone()
        assert report and raw and report[1] > 0
        assert report[0] == pytest.approx(raw[0]) and report[1:] == tuple(int(v) for v in raw[1:])
        ctr = conn.execute("select sum(clicks) * 1.0 / sum(impressions), max(ctr) from "
                           "main_lisync_reports.lisync__account_report").fetchone()
        assert ctr and 0 < ctr[0] <= ctr[1] < 1
        check_reports(lambda sql: conn.execute(sql).fetchall(), "main_lisync_reports", "linkedin")
        # two runs 28 days apart: every page has a second snapshot, so a follower change
        assert conn.execute("select count(*), count(follower_change) from "
                            "main_lisync_reports.lisync__organization_follower_report").fetchone() == (6, 3)

    # the reconciliation tests can fail: a raw row the reports no longer match
    with contextlib.closing(duckdb.connect(str(db))) as conn:
        conn.execute("update linkedin.ad_performance set impressions = impressions + 1000 "
                     "where creative_id = (select min(creative_id) from linkedin.ad_performance)")
    proc, results = run_dbt(dbt_bin, ["test", "--select", "lisync__campaign_report"], profiles, tmp_path,
                            {**VARIABLES, "lisync_schema": "linkedin"}, check=False)
    failed = {r["unique_id"] for r in results if r["status"] == "fail"}
    assert proc.returncode != 0 and any(".lisync_totals_match_lisync__campaign_report" in t for t in failed), failed

    # a dataset without creative_landing_pages (the pipeline was not run) still builds: no landing pages, no URL rows
    with contextlib.closing(duckdb.connect(str(db))) as conn:
        conn.execute("drop table linkedin.creative_landing_pages")
    _, results = run_dbt(dbt_bin, ["build", "--select", "stg_lisync__creatives+"], profiles, tmp_path,
                         {**VARIABLES, "lisync_schema": "linkedin"})
    assert {r["status"] for r in results} <= {"success", "pass"}
    with contextlib.closing(duckdb.connect(str(db), read_only=True)) as conn:
        assert conn.execute("select count(*) from main_lisync_reports.lisync__url_report").fetchone() == (0,)
        creatives = conn.execute("select count(*), count(landing_page) from "
                                 "main_lisync_staging.stg_lisync__creatives").fetchone()
        assert creatives and creatives[0] > 0 and creatives[1] == 0


@pytest.mark.postgres
def test_dbt_build_on_postgres(dbt_bin: Path, dbt_sandbox: SandboxServer, tmp_path: Path) -> None:
    dsn = reachable_postgres(DEFAULT_POSTGRES_DSN)
    dataset = f"dbt_{uuid.uuid4().hex[:10]}"
    target_schema = f"{dataset}_models"
    try:
        replicate(dbt_sandbox, tmp_path, dataset, destination="postgres", destination_credentials=dsn)
        profiles = tmp_path / "profiles"
        profiles.mkdir()
        (profiles / "profiles.yml").write_text(
            "lisync:\n  target: pg\n  outputs:\n    pg:\n      type: postgres\n      host: 127.0.0.1\n"
            "      port: 5432\n      user: postgres\n      password: postgres\n      dbname: test\n"
            f"      schema: {target_schema}\n      threads: 2\n")
        _, results = run_dbt(dbt_bin, ["build"], profiles, tmp_path, {**VARIABLES, "lisync_schema": dataset})
        check_build(results)
        with contextlib.closing(psycopg2.connect(dsn)) as conn, conn.cursor() as cur:
            cur.execute(f"select sum(impressions) from {target_schema}_lisync_reports.lisync__creative_report")
            report = cur.fetchone()
            cur.execute(f"select sum(impressions) from {dataset}.ad_performance")
            raw = cur.fetchone()
            assert report and raw and report[0] == raw[0] > 0

            def query(sql: str) -> list[tuple[Any, ...]]:
                cur.execute(sql)
                return cur.fetchall()

            check_reports(query, f"{target_schema}_lisync_reports", dataset)
    finally:
        with contextlib.closing(psycopg2.connect(dsn)) as conn:
            conn.autocommit = True
            with conn.cursor() as cur:
                for schema in (dataset, f"{dataset}_staging", target_schema, f"{target_schema}_lisync_staging",
                               f"{target_schema}_lisync_reports"):
                    cur.execute(f'drop schema if exists "{schema}" cascade')
