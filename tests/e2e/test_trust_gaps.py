"""Smaller trust gaps of issue #13: a password-less Postgres DSN, and `lisync check` on a retired version."""

from __future__ import annotations

import psycopg2
from tests.e2e.conftest import unique_dataset
from typer.testing import CliRunner

from lisync.cli import app
from lisync.sandbox.server import SandboxServer


def test_a_postgres_dsn_without_password_works_against_a_trust_server(e2e_sandbox: SandboxServer,
                                                                      postgres_dsn: str, tmp_path: object) -> None:
    dataset = unique_dataset("nopw")
    host_and_db = postgres_dsn.split("@", 1)[1]
    dsn = f"postgresql://postgres@{host_and_db}"
    try:
        result = CliRunner().invoke(app, [
            "run", "ad_accounts", "--api-base-url", f"{e2e_sandbox.base_url}/rest", "--access-token", "t",
            "--destination", "postgres", "--destination-credentials", dsn, "--dataset", dataset,
            "--pipelines-dir", str(tmp_path), "--no-verify"])
        assert result.exit_code == 0, result.output
        with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cursor:
            cursor.execute(f'select count(*) from "{dataset}".ad_accounts')
            row = cursor.fetchone()
            assert row is not None and row[0] > 0
    finally:
        with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cursor:
            cursor.execute(f'drop schema if exists "{dataset}" cascade')
            cursor.execute(f'drop schema if exists "{dataset}_staging" cascade')


def test_a_dsn_without_host_names_what_is_missing(tmp_path: object) -> None:
    result = CliRunner().invoke(app, [
        "run", "ad_accounts", "--access-token", "t", "--destination", "postgres",
        "--destination-credentials", "postgresql://postgres@/", "--pipelines-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "has no host and no database" in result.output


def test_check_names_a_retired_linkedin_version_in_one_line(e2e_sandbox: SandboxServer) -> None:
    result = CliRunner().invoke(app, ["check", "--api-base-url", f"{e2e_sandbox.base_url}/rest",
                                      "--access-token", "t", "--api-version", "202301"])
    assert result.exit_code == 1
    assert "does not serve LinkedIn-Version 202301 (426" in result.output
    assert "Pipeline" not in result.output  # no table of per-pipeline guesses


def test_check_passes_the_version_probe_with_the_pinned_version(e2e_sandbox: SandboxServer) -> None:
    result = CliRunner().invoke(app, ["check", "--api-base-url", f"{e2e_sandbox.base_url}/rest",
                                      "--access-token", "t"])
    assert "does not serve" not in result.output
