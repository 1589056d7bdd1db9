"""Documentation in the warehouse: spec descriptions as DuckDB/Postgres comments, references and live docs."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

import duckdb
import pytest
from tests.e2e.conftest import TODAY, Runner

from lisync.run.comments import DLT_COLUMN_DESCRIPTIONS, DLT_TABLE_DESCRIPTIONS, apply_comments
from lisync.run.families import available_pipelines
from lisync.run.live_schema import load_live_schema
from lisync.run.pipeline import make_pipeline
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer
from lisync.spec.dictionary import build_dictionary, render
from lisync.spec.hints import dlt_references
from lisync.spec.loader import load_spec, table_spec

START = TODAY - dt.timedelta(days=60)
ADS = ("ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata",
       "conversion_details")

DUCKDB_COMMENTS_SQL = (
    "select table_name, null, comment from duckdb_tables() where schema_name = ? "
    "union all select table_name, column_name, comment from duckdb_columns() where schema_name = ?")
POSTGRES_COMMENTS_SQL = (
    "select c.relname, null, obj_description(c.oid, 'pg_class') from pg_class c "
    "join pg_namespace n on n.oid = c.relnamespace where n.nspname = ? and c.relkind = 'r' "
    "union all select c.relname, a.attname, col_description(c.oid, a.attnum) from pg_attribute a "
    "join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace "
    "where n.nspname = ? and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped")


@pytest.fixture(scope="module")
def e2e_sandbox() -> Iterator[SandboxServer]:
    """The smallest world in which every table gets rows (tiny has no attributed conversions)."""
    with SandboxServer(SandboxConfig(port=0, seed=7, scale="small", today=TODAY)) as server:
        yield server


def landed_comments(runner: Runner) -> dict[tuple[str, str | None], str | None]:
    """Read every table and column comment back with the warehouse's own catalog functions."""
    sql = POSTGRES_COMMENTS_SQL if runner.destination == "postgres" else DUCKDB_COMMENTS_SQL
    return {(t, c): text for t, c, text in runner.query(sql, [runner.dataset, runner.dataset])}


def run_everything(runner: Runner) -> list[str]:
    pipelines = available_pipelines()
    summary = runner.run(*pipelines, start_date=START, today=TODAY)
    assert summary.status == "ok", summary.error
    return pipelines


def test_every_landed_table_and_column_carries_the_spec_description(runner: Runner) -> None:
    pipelines = run_everything(runner)
    comments = landed_comments(runner)
    landed_tables = {t for t, c in comments if c is None}
    expected_tables = [t for p in pipelines for t in load_spec()[p].tables]
    assert expected_tables and {t.name for t in expected_tables} <= landed_tables
    for tspec in expected_tables:
        assert comments[(tspec.name, None)] == tspec.description, tspec.name
        for col in tspec.columns:
            assert comments[(tspec.name, col.name)] == (col.description or None), f"{tspec.name}.{col.name}"
        for column, text in DLT_COLUMN_DESCRIPTIONS.items():
            assert comments[(tspec.name, column)] == text
    assert comments[("_dlt_loads", None)] == DLT_TABLE_DESCRIPTIONS["_dlt_loads"]


def test_comments_are_back_after_a_table_is_replaced(runner: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.run(*ADS).status == "ok"
    text = table_spec("campaign_metadata").column("name").description
    assert landed_comments(runner)[("campaign_metadata", "name")] == text
    if runner.destination == "postgres":
        # staging-optimized swaps in a new table: its comments are gone unless lisync writes them again
        monkeypatch.setenv("DESTINATION__REPLACE_STRATEGY", "staging-optimized")
        oid = f"select '{runner.dataset}.campaign_metadata'::regclass::oid"
        before = runner.scalar(oid)
        with monkeypatch.context() as quiet:
            quiet.setattr("lisync.run.pipeline.apply_comments", lambda pipeline: None)
            assert runner.run(*ADS).status == "ok"
        assert runner.scalar(oid) != before
        assert landed_comments(runner)[("campaign_metadata", "name")] is None
    assert runner.run(*ADS).status == "ok"
    comments = landed_comments(runner)
    assert comments[("campaign_metadata", "name")] == text
    assert comments[("campaign_metadata", None)] == table_spec("campaign_metadata").description


def test_only_comments_that_differ_are_written(runner: Runner) -> None:
    assert runner.run("campaign_metadata").status == "ok"
    pipeline = make_pipeline(runner.settings("campaign_metadata"))
    assert apply_comments(pipeline).written == 0
    writable = duckdb.connect(str(runner.db_path)) if runner.destination == "duckdb" else runner.connect()
    with contextlib.closing(writable) as conn:
        conn.execute(f"comment on column {runner.dataset}.campaign_metadata.name is 'stale text'")
        conn.execute(f"comment on table {runner.dataset}.campaign_metadata is null")
    result = apply_comments(pipeline)
    assert result.written == 2 and result.skipped_reason is None
    comments = landed_comments(runner)
    campaigns = table_spec("campaign_metadata")
    assert comments[("campaign_metadata", "name")] == campaigns.column("name").description
    assert comments[("campaign_metadata", None)] == campaigns.description


def test_references_land_in_the_stored_schema_and_live_docs_show_no_drift(runner: Runner) -> None:
    pipelines = run_everything(runner)
    live = load_live_schema(runner.settings())
    tables = [t.name for p in pipelines for t in load_spec()[p].tables]
    for table in tables:
        assert live.tables[table].get("references", []) == dlt_references(table), table
        assert live.tables[table].get("description") == table_spec(table).description
    dictionary = build_dictionary(live, "test")
    assert dictionary.notes == ()
    by_name = {t.name: t for t in dictionary.tables}
    for table in tables:
        assert by_name[table].landed is True
        assert [c.drift for c in by_name[table].columns if c.drift] == [], table
    # what landed renders exactly like the committed contract, table by table
    contract = render(build_dictionary())
    rendered = render(dictionary)
    for table in tables:
        assert _columns_section(rendered, table) == _columns_section(contract, table), table


def _columns_section(markdown: str, table: str) -> str:
    section = markdown.split(f"\n### {table}\n", 1)[1].split("\n### ", 1)[0]
    return section[section.index("| Column |"):]


class _RejectingClient:
    """A SQL client for a warehouse that has an information schema but rejects COMMENT ON."""

    dataset_name = "linkedin"

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __enter__(self) -> _RejectingClient:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def execute_sql(self, sql: str, *params: Any) -> Any:
        self.statements.append(sql)
        if sql.startswith("COMMENT"):
            raise RuntimeError("syntax error at or near COMMENT")
        return [("campaign_metadata", "id"), ("campaign_metadata", "name")]

    def make_qualified_table_name(self, table: str, quote: bool = True) -> str:
        return f'"linkedin"."{table}"'

    def escape_column_name(self, column: str) -> str:
        return f'"{column}"'


class _Destination:
    destination_type = "dlt.destinations.redshift"
    destination_name = "redshift"


class _Pipeline:
    destination = _Destination()

    def __init__(self, client: _RejectingClient) -> None:
        self.client = client

    def sql_client(self) -> _RejectingClient:
        return self.client


def test_other_warehouses_get_best_effort_comments_that_stop_at_the_first_rejection() -> None:
    client = _RejectingClient()
    result = apply_comments(_Pipeline(client))  # type: ignore[arg-type]
    assert result.dialect == "generic" and result.written == 0
    assert result.skipped_reason == "syntax error at or near COMMENT"
    comment_statements = [s for s in client.statements if s.startswith("COMMENT")]
    assert comment_statements == [
        "COMMENT ON TABLE \"linkedin\".\"campaign_metadata\" IS "
        f"'{table_spec('campaign_metadata').description}'"]
