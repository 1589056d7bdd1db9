"""End to end: custom reports summed over accounts and verify repairs take the Arrow path, landing what dicts land.

A custom report with no per-account pivot is summed across the run's requests (``SummedRows`` for dicts,
``SummedColumns`` in Arrow): split into many requests by a tiny row budget, both paths must land the same
cells (additive metrics summed as exact decimals, non-additive ones empty where several requests answered a
key), the same run note and summary, and the Arrow run must hand dlt Parquet. ``lisync verify --repair
--extract-format arrow`` must put damaged account-months back exactly as a dict run landed them, on DuckDB and
Postgres.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pyarrow as pa
import pytest
from tests.e2e.conftest import TODAY, Runner, extracted_formats, table_columns, table_comments
from tests.e2e.test_arrow_extraction import _all_cells
from typer.testing import CliRunner

from lisync.cli import app
from lisync.linkedin.analytics.custom_reports import parse_custom_reports
from lisync.linkedin.analytics.summed import SummedColumns, SummedRows
from lisync.linkedin.convert import to_float, to_text
from lisync.run.reconcile import ENTITY_TABLES
from lisync.run.verify_destination import verify_destination
from lisync.spec.loader import table_spec

START = TODAY - dt.timedelta(days=60)
# No ACCOUNT / CAMPAIGN / CREATIVE pivot: summed over accounts; a text metric (costInUsd) and a non-additive one
METRICS = ["impressions", "clicks", "costInLocalCurrency", "costInUsd", "averageDwellTime"]
PERF = ("ad_performance", "conversion_performance")


def _device_report(granularity: str) -> dict[str, Any]:
    return parse_custom_reports({"device_totals": {
        "pivots": ["IMPRESSION_DEVICE_TYPE"], "granularity": granularity, "metrics": METRICS}})


@pytest.mark.parametrize(("granularity", "budget"), [("DAILY", 40), ("MONTHLY", 0.3), ("ALL", 10)])
def test_summed_custom_report_lands_alike(runner: Runner, twin: Runner, granularity: str, budget: float) -> None:
    reports = _device_report(granularity)
    settings: dict[str, Any] = {"start_date": START, "today": TODAY, "custom_reports": reports,
                                "analytics_row_budget": budget}
    dicts = runner.run("device_totals", extract_format="dicts", **settings)
    arrow = twin.run("device_totals", extract_format="arrow", **settings)
    assert dicts.status == arrow.status == "ok", (dicts.error, arrow.error)
    assert extracted_formats(runner, ("device_totals",)) == {"device_totals": {"typed-jsonl"}}
    assert extracted_formats(twin, ("device_totals",)) == {"device_totals": {"parquet"}}
    assert dicts.requests["by_endpoint"] == arrow.requests["by_endpoint"]
    summary, twin_summary = (s.details["analytics"]["device_totals"] for s in (dicts, arrow))
    assert summary["requests"] > 3  # split: the same keys answered by several requests
    assert summary["summed_rows"] == twin_summary["summed_rows"] > 0
    assert dicts.notes == arrow.notes and any("summed over several" in n for n in arrow.notes)
    assert dicts.tables == arrow.tables
    assert table_columns(twin, "device_totals") == table_columns(runner, "device_totals")
    assert table_comments(twin, "device_totals") == table_comments(runner, "device_totals")
    expected, landed = _all_cells(runner, "device_totals"), _all_cells(twin, "device_totals")
    assert len(landed) == len(expected) > 0
    assert landed == expected
    assert [[type(v) for v in row] for row in landed] == [[type(v) for v in row] for row in expected]
    # combined rows lost their average, rows one request answered kept it; costInUsd stays text
    dwell = [row[-1] for row in twin.query("select averagedwelltime from {ds}.device_totals")]
    assert None in dwell
    if granularity == "DAILY":
        assert any(v is not None for v in dwell)
    assert twin.scalar("select count(*) from {ds}.device_totals where costinusd like '%.%'") > 0


def test_summed_columns_fold_like_summed_rows() -> None:
    """Odd cells (no number, nulls, zeros LinkedIn omitted, numbers beyond 38 digits) fold as dicts fold them."""
    metrics = ["impressions", "clicks", "costInUsd", "costInLocalCurrency", "averageDwellTime"]
    requests: list[list[tuple[str, dict[str, Any]]]] = [
        [("MOBILE", {"impressions": 3, "clicks": "1" + "0" * 30, "costInUsd": "1.10", "costInLocalCurrency": "0.5",
                     "averageDwellTime": 2.0}),
         ("DESKTOP", {"impressions": "7", "costInUsd": "n/a", "averageDwellTime": 1.5})],
        [("MOBILE", {"impressions": None, "clicks": "0.0000000001", "costInUsd": 0, "costInLocalCurrency": "n/a",
                     "averageDwellTime": 4.5})],
        [("MOBILE", {"impressions": 4, "clicks": 2, "costInUsd": "2.205", "costInLocalCurrency": "1" + "0" * 40})],
    ]
    day = dt.date(2026, 1, 5)
    rows, columns = SummedRows("DAILY", metrics), SummedColumns("DAILY", metrics)
    for request in requests:
        for key, values in request:
            rows.add((key,), day, day, values)
        columns.add(pa.table({"pivot_0": [key for key, _ in request],
                              "day": pa.array([day] * len(request), pa.date32()),
                              **{m: pa.array([to_text(v.get(m)) for _, v in request], pa.string()) for m in metrics}}),
                    lambda d: d)
    text = {"costInUsd"}
    want = {values[0]: {m: (to_text if m in text else to_float)(row.metrics[m]) for m in metrics}
            for values, row in rows.rows()}
    got = {row["pivot_0"]: {m: row[m] for m in metrics} for row in columns.table(text).to_pylist()}
    assert got == want
    assert got["MOBILE"]["costInUsd"] == "3.305" and got["MOBILE"]["averageDwellTime"] is None
    assert got["DESKTOP"]["averageDwellTime"] == 1.5 and got["DESKTOP"]["costInUsd"] == "n/a"
    assert columns.combined == rows.combined == 1



def _busiest(runner: Runner, table: str) -> str:
    """A filter on the account and month with the most rows of ``table``."""
    account, month = runner.query(
        f"select account_id, extract(year from metric_date) * 100 + extract(month from metric_date) m "
        f"from {{ds}}.{table} group by 1, 2 order by count(*) desc, 1, 2 limit 1")[0]
    first = dt.date(int(month) // 100, int(month) % 100, 1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return f"account_id = '{account}' and metric_date >= '{first}' and metric_date < '{following}'"


def _verify_cli(runner: Runner, tables: tuple[str, ...], *extra: str) -> tuple[int, dict[str, Any]]:
    """``lisync verify --json`` against the runner's destination and the sandbox."""
    target = (["--destination", "postgres", "--destination-credentials", runner.postgres_dsn or ""]
              if runner.destination == "postgres" else ["--duckdb", str(runner.db_path)])
    result = CliRunner().invoke(app, [
        "verify", *tables, "--api-base-url", f"{runner.sandbox.base_url}/rest", "--access-token", "t",
        *target, "--dataset", runner.dataset, "--pipeline-name", "lisync_e2e",
        "--pipelines-dir", str(runner.pipelines_dir), "--start-date", START.isoformat(),
        "--today", TODAY.isoformat(), "--json", *extra])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def _damage(runner: Runner) -> set[str]:
    """Delete or alter a busy account-month of every repaired table; return the tables damaged."""
    runner.write(f"delete from {{ds}}.ad_performance where {_busiest(runner, 'ad_performance')}")
    runner.write("update {ds}.conversion_performance set externalwebsiteconversions = "
                   f"externalwebsiteconversions + 5 where {_busiest(runner, 'conversion_performance')}")
    runner.write(f"delete from {{ds}}.campaign_performance where {_busiest(runner, 'campaign_performance')}")
    runner.write("update {ds}.account_performance set impressions = impressions + 7, approximatememberreach = "
                   f"approximatememberreach * 3 where {_busiest(runner, 'account_performance')}")
    return {"ad_performance", "conversion_performance", "campaign_performance", "account_performance"}


def test_verify_repair_by_arrow_restores_a_dict_landed_table(runner: Runner) -> None:
    tables = (*PERF, *ENTITY_TABLES)
    landed = runner.run(*tables, start_date=START, today=TODAY, extract_format="dicts")
    assert landed.status == "ok", landed.error
    before = {t: _all_cells(runner, t) for t in tables}
    columns = {t: table_columns(runner, t) for t in tables}
    damaged = _damage(runner)
    assert {t for t in tables if _all_cells(runner, t) != before[t]} == damaged

    for table in sorted(damaged):  # one table at a time: the pipeline's trace holds the last extract only
        code, report = _verify_cli(runner, (table,), "--repair", "--extract-format", "arrow")
        assert code == 0, report["differences"][:5]
        assert {r["table"] for r in report["repaired"]} == {table}
        assert extracted_formats(runner, (table,)) == {table: {"parquet"}}  # dlt got an Arrow table
    for table in tables:
        assert table_columns(runner, table) == columns[table]
        assert _all_cells(runner, table) == before[table], table
    assert _verify_cli(runner, tables)[0] == 0


def test_verify_repair_by_arrow_keeps_newer_metrics(runner: Runner) -> None:
    tables = ("ad_performance", "campaign_performance")
    settings: dict[str, Any] = {"start_date": START, "today": TODAY, "extended_metrics": True}
    landed = runner.run(*tables, extract_format="dicts", **settings)
    assert landed.status == "ok", landed.error
    before = {t: _all_cells(runner, t) for t in tables}
    spec = {c.name for c in table_spec("ad_performance").columns}
    assert {c for c, _, _ in table_columns(runner, "ad_performance") if c not in spec and not c.startswith("_dlt")}
    for table in tables:
        runner.write(f"delete from {{ds}}.{table} where {_busiest(runner, table)}")
    report = verify_destination(runner.settings(*tables, extract_format="arrow", **settings), repair=True)[0]
    assert report.status == "ok", [d.as_dict() for d in report.differences]
    assert {r["table"] for r in report.repaired} == set(tables)
    formats = extracted_formats(runner, tables)  # the last repair's extract
    assert formats and all(kinds == {"parquet"} for kinds in formats.values()), formats
    assert {t: _all_cells(runner, t) for t in tables} == before  # the newer metrics' columns restored too
