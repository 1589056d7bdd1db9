"""The README's first command: `lisync demo` replicates every pipeline from the sandbox into DuckDB."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from tests.support import assert_duckdb_table_matches_spec, scalar
from typer.testing import CliRunner

from lisync.cli import app
from lisync.spec.loader import all_tables, load_spec


def test_demo_loads_every_table_and_reports_a_summary(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    summary_path = tmp_path / "summary.json"
    result = CliRunner().invoke(app, ["demo", "--duckdb", str(db), "--summary-json",
                                      str(summary_path)])
    assert result.exit_code == 0, result.output
    assert "Rows per table" in result.output and "API requests per endpoint" in result.output
    report = tmp_path / "demo_report.html"
    assert f"Report: {report}" in result.output.replace("\n", "") and report.stat().st_size > 100_000
    summary = json.loads(summary_path.read_text())
    assert summary["status"] == "ok"
    tables = all_tables()
    assert set(summary["tables"]) == set(tables)
    assert summary["requests"]["total"] == sum(summary["requests"]["by_endpoint"].values()) > 0
    with duckdb.connect(str(db), read_only=True) as conn:
        for table in tables:
            assert_duckdb_table_matches_spec(conn, "linkedin", table)
            count = scalar(conn, f"select count(*) from linkedin.{table}")
            assert count == summary["tables"][table]
    main_tables = [p for p in load_spec()]
    assert all(summary["tables"][t] > 0 for t in main_tables), summary["tables"]
