"""Destinations: Parquet files that read back equal to DuckDB, Postgres credentials, and dlt passthrough."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import pytest
from dlt.common.destination.reference import Destination
from tests.e2e.conftest import TODAY, PostgresConnection, Runner, reachable_postgres, unique_dataset
from tests.support import scalar
from typer.testing import CliRunner

from lisync.cli import app
from lisync.config.settings import RunSettings
from lisync.errors import ConfigError
from lisync.run.comments import apply_comments
from lisync.run.destinations import make_destination
from lisync.run.families import available_pipelines
from lisync.run.memory import DUCKDB_MEMORY_DEFAULTS
from lisync.run.pipeline import make_pipeline, run
from lisync.sandbox.server import SandboxServer
from lisync.spec.loader import load_spec, table_spec

START = TODAY - dt.timedelta(days=30)
DELETE_MARKER = "_dlt_deleted"  # dlt's hard_delete column (organization_posts child tables)


def _spec_rows(conn: Any, source: str, table: str, where: str = "true") -> list[tuple[Any, ...]]:
    cols = ", ".join(f'"{c}"' for c in table_spec(table).column_names)
    return conn.execute(f"select {cols} from {source} where {where} order by {cols}").fetchall()


def _has_column(conn: Any, source: str, column: str) -> bool:
    return column in {row[0] for row in conn.execute(f"describe select * from {source}").fetchall()}


def _current_state(source: str, table: str, write_disposition: str | None) -> str:
    """The recipe docs/destinations.md gives for reading a table's current state from appended Parquet."""
    tspec = table_spec(table)
    if write_disposition != "merge":
        return source
    if tspec.primary_key:
        key = ", ".join(tspec.primary_key)
        return f"(select * from {source} qualify row_number() over (partition by {key} order by _dlt_load_id desc) = 1)"
    return (f"(select * exclude (newest) from (select *, max(_dlt_load_id) over (partition by post_id) as newest "
            f"from {source}) where _dlt_load_id = newest and {DELETE_MARKER} is not true)")


@pytest.mark.slow
def test_parquet_files_read_back_equal_to_the_duckdb_tables(e2e_sandbox: SandboxServer, tmp_path: Path) -> None:
    pipelines = available_pipelines()
    (tmp_path / "duckdb").mkdir()
    reference = Runner(e2e_sandbox, tmp_path / "duckdb")
    lake = tmp_path / "lake"
    settings = reference.settings(*pipelines, start_date=START, today=TODAY, destination="filesystem",
                                  destination_credentials=str(lake), pipelines_dir=str(tmp_path / "dlt-files"))
    tables = [t.name for p in pipelines for t in load_spec()[p].tables]

    # first run: every Parquet row equals its DuckDB row
    assert reference.run(*pipelines, start_date=START, today=TODAY).status == "ok"
    summary = run(settings)
    assert summary.status == "ok", summary.error
    with contextlib.closing(reference.connect()) as warehouse, contextlib.closing(duckdb.connect()) as files:
        for table in tables:
            folder = lake / reference.dataset / table
            written = sorted(p.suffix for p in folder.iterdir())
            assert written and set(written) == {".parquet"}, f"{table}: {written}"
            source = f"read_parquet('{folder}/*.parquet')"
            expected = _spec_rows(warehouse, f'"{reference.dataset}"."{table}"', table)
            if _has_column(files, source, DELETE_MARKER):
                # Files cannot merge, so dlt appends: the posts child tables' hard-delete marker rows (which
                # a database applies as deletes) land as rows flagged _dlt_deleted; every other row is equal.
                landed = _spec_rows(files, source, table, f"{DELETE_MARKER} is not true")
                markers = scalar(files, f"select count(*) from {source} where {DELETE_MARKER}")
                assert summary.tables[table] == len(expected) + markers, table
            else:
                landed = _spec_rows(files, source, table)
                assert summary.tables[table] == len(expected), table
            assert landed == expected, table
    assert apply_comments(make_pipeline(settings)).dialect is None

    # a re-run appends to the merge tables; the documented current-state reading equals DuckDB again
    assert reference.run(*pipelines, start_date=START, today=TODAY).status == "ok"
    again = run(settings)
    assert again.status == "ok", again.error
    schema = make_pipeline(settings).default_schema
    with contextlib.closing(reference.connect()) as warehouse, contextlib.closing(duckdb.connect()) as files:
        for table in tables:
            source = f"read_parquet('{lake / reference.dataset / table}/*.parquet')"
            current = _current_state(source, table, schema.get_table(table)["write_disposition"])
            expected = _spec_rows(warehouse, f'"{reference.dataset}"."{table}"', table)
            assert _spec_rows(files, current, table) == expected, table


def test_a_relative_folder_becomes_an_absolute_parquet_destination(monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    factory = make_destination(RunSettings(pipelines=[], destination="filesystem", destination_credentials="lake"))
    assert factory.config_params["bucket_url"] == str(tmp_path / "lake")
    assert factory.capabilities().preferred_loader_file_format == "parquet"


def _assert_not_echoed(dsn: str, output: str) -> None:
    assert dsn not in output
    password = urlsplit(dsn).password
    assert not password or f":{password}@" not in output


@pytest.fixture
def pg_dataset(postgres_dsn: str) -> Any:
    """A unique Postgres schema name, dropped (with dlt's staging schema) after the test."""
    name = unique_dataset("dest")
    yield name
    with PostgresConnection(postgres_dsn) as conn:
        for schema in (name, f"{name}_staging"):
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _pg_count(dsn: str, dataset: str, table: str) -> int:
    with PostgresConnection(dsn) as conn:
        return int(conn.execute(f'select count(*) from "{dataset}"."{table}"').fetchone()[0])


@pytest.mark.postgres
def test_cli_loads_postgres_with_a_dsn_flag_and_never_echoes_it(e2e_sandbox: SandboxServer, postgres_dsn: str,
                                                                 pg_dataset: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [
        "run", "ad_accounts", "--destination", "postgres", "--destination-credentials", postgres_dsn,
        "--dataset", pg_dataset, "--api-base-url", f"{e2e_sandbox.base_url}/rest", "--access-token", "e2e",
        "--pipelines-dir", str(tmp_path / "dlt")])
    assert result.exit_code == 0, result.output
    _assert_not_echoed(postgres_dsn, result.output)
    assert _pg_count(postgres_dsn, pg_dataset, "ad_accounts") > 0


@pytest.mark.postgres
@pytest.mark.parametrize("variable", ["LISYNC_DESTINATION_CREDENTIALS", "DESTINATION__POSTGRES__CREDENTIALS"])
def test_credentials_from_the_environment_reach_dlt(variable: str, e2e_sandbox: SandboxServer, postgres_dsn: str,
                                                    pg_dataset: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(variable, postgres_dsn)
    result = CliRunner().invoke(app, [
        "run", "ad_accounts", "--destination", "postgres", "--dataset", pg_dataset,
        "--api-base-url", f"{e2e_sandbox.base_url}/rest", "--access-token", "e2e",
        "--pipelines-dir", str(tmp_path / "dlt")])
    assert result.exit_code == 0, result.output
    assert _pg_count(postgres_dsn, pg_dataset, "ad_accounts") > 0


@pytest.mark.postgres
def test_a_named_dlt_destination_works_by_configuration_alone(e2e_sandbox: SandboxServer, postgres_dsn: str,
                                                              pg_dataset: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # exactly how a user points lisync at any warehouse: dlt's own config, no lisync flag but the name
    monkeypatch.setenv("DESTINATION__ANALYTICS_WAREHOUSE__DESTINATION_TYPE", "postgres")
    monkeypatch.setenv("DESTINATION__ANALYTICS_WAREHOUSE__CREDENTIALS", postgres_dsn)
    runner = Runner(e2e_sandbox, tmp_path, dataset=pg_dataset)
    summary = runner.run("campaign_group_metadata", destination="analytics_warehouse")
    assert summary.status == "ok", summary.error
    assert summary.tables["campaign_group_metadata"] == _pg_count(postgres_dsn, pg_dataset, "campaign_group_metadata")
    assert summary.tables["campaign_group_metadata"] > 0


UNREACHABLE_DSN = "postgresql://postgres:postgres@127.0.0.1:1/test"  # nothing listens on port 1


def test_unreachable_postgres_skips_with_how_to_enable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LISYNC_REQUIRE_POSTGRES", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"start it .*pg_ctlcluster.* or set LISYNC_POSTGRES_DSN"):
        reachable_postgres(UNREACHABLE_DSN)


def test_unreachable_postgres_fails_when_ci_requires_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LISYNC_REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception, match="LISYNC_REQUIRE_POSTGRES is set"):
        reachable_postgres(UNREACHABLE_DSN)


def test_missing_credentials_fail_in_one_line_naming_the_fix(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    monkeypatch.delenv("DESTINATION__POSTGRES__CREDENTIALS", raising=False)
    settings = RunSettings(pipelines=["ad_accounts"], destination="postgres", pipelines_dir=str(tmp_path))
    with pytest.raises(ConfigError) as info:
        make_pipeline(settings)
    message = str(info.value)
    assert "--destination-credentials" in message and "DESTINATION__POSTGRES__CREDENTIALS" in message
    assert len(message.splitlines()) == 1


def test_a_malformed_dsn_is_rejected_without_showing_it(tmp_path: Path) -> None:
    secret = "not-a-dsn-but-a-pasted-password-Zq81"
    settings = RunSettings(pipelines=["ad_accounts"], destination="postgres", destination_credentials=secret,
                           pipelines_dir=str(tmp_path))
    with pytest.raises(ConfigError) as info:
        make_pipeline(settings)
    assert secret not in str(info.value) and "Zq81" not in repr(settings)


def test_duckdb_takes_its_file_from_duckdb_not_destination_credentials() -> None:
    with pytest.raises(ConfigError, match="--duckdb PATH"):
        make_destination(RunSettings(pipelines=[], destination_credentials="postgresql://x:y@h/db"))


PASSTHROUGH = [
    ("postgres", "postgresql://loader:pw@db.example.com:5432/analytics"),
    ("redshift", "redshift://loader:pw@cluster.example.com:5439/analytics"),
    ("snowflake", "snowflake://loader:pw@acme-xy12345/ANALYTICS?warehouse=LOADING&role=LOADER"),
    ("motherduck", "md:analytics?motherduck_token=tok123"),
    ("bigquery", '{"type": "service_account", "project_id": "acme", "client_email": "l@acme.iam", '
                 '"private_key": "-----BEGIN PRIVATE KEY-----\\nx\\n-----END PRIVATE KEY-----\\n"}'),
    ("clickhouse", "clickhouse://loader:pw@ch.example.com:9440/analytics"),
    ("databricks", None),
    ("athena", None),
    ("duckdb", None),
]


@pytest.mark.parametrize(("name", "credentials"), PASSTHROUGH, ids=[p[0] for p in PASSTHROUGH])
def test_destination_and_credentials_pass_to_dlt_unchanged(name: str, credentials: str | None,
                                                           tmp_path: Path) -> None:
    settings = RunSettings(pipelines=[], destination=name, destination_credentials=credentials,
                           duckdb_path=str(tmp_path / "x.duckdb"))
    factory = make_destination(settings)
    by_dlt = Destination.from_reference(name, credentials=credentials) if credentials else \
        Destination.from_reference(name)
    assert by_dlt is not None
    assert type(factory) is type(by_dlt)
    assert factory.destination_type == f"dlt.destinations.{name}"
    assert factory.caps_params == by_dlt.caps_params == {}
    if name == "duckdb":  # lisync's default: it sets the --duckdb file and DuckDB's memory bound, nothing else
        assert set(factory.config_params) == {"credentials"}
        duckdb_credentials = factory.config_params["credentials"]
        assert duckdb_credentials.database == str(tmp_path / "x.duckdb")
        assert duckdb_credentials.global_config == DUCKDB_MEMORY_DEFAULTS
    elif credentials is None:
        assert factory.config_params == {}  # dlt resolves DESTINATION__<NAME>__CREDENTIALS itself
    else:
        assert factory.config_params["credentials"] is credentials
        assert factory.config_params == by_dlt.config_params
