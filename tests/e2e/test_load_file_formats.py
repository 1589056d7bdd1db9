"""End to end: every table reaches the destination in lisync's bulk load format, table variants included.

``pipeline.extract`` gives the run's file format (Parquet for DuckDB, CSV for Postgres) to each resource's own
table only. ``ad_demographics`` and ``demographic_values`` are variants of one resource; on the dict path they
were loaded as ``insert_values`` (one huge INSERT: 4.4 GB of DuckDB memory at the bench world).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

TABLES = ("ad_performance", "ad_demographics", "demographic_values")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(seed=7, scale="tiny")) as server:
        yield server


def loaded_formats(pipelines_dir: Path) -> dict[str, set[str]]:
    """{table: the file formats of its completed load jobs} (``sql`` merge jobs left out)."""
    formats: dict[str, set[str]] = {}
    for job in pipelines_dir.glob("*/load/loaded/*/completed_jobs/*"):
        table, _, _, fmt = job.name.split(".", 3)
        if not fmt.startswith("sql"):
            formats.setdefault(table, set()).add(fmt.removesuffix(".gz"))
    return formats


@pytest.mark.parametrize(("destination", "expected"), [("duckdb", "parquet"),
                                                        pytest.param("postgres", "csv", marks=pytest.mark.postgres)])
@pytest.mark.parametrize("extract_format", ["dicts", "arrow"])
def test_report_variants_load_in_the_bulk_format(sandbox: SandboxServer, tmp_path: Path, destination: str,
                                                  expected: str, extract_format: str,
                                                  request: pytest.FixtureRequest) -> None:
    if destination == "duckdb":
        target = ["--duckdb", str(tmp_path / "f.duckdb")]
    else:
        target = ["--destination", "postgres", "--destination-credentials",
                  request.getfixturevalue("postgres_dsn"),
                  "--dataset", f"formats_{uuid.uuid4().hex[:8]}"]
    ambient = ("LINKEDIN_", "SOURCES__", "LISYNC_", "NORMALIZE__")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ambient)}
    command = [sys.executable, "-m", "lisync.cli", "run", "ad_performance", "ad_demographics", "--api-base-url",
               f"{sandbox.base_url}/rest", "--access-token", "formats-token", *target, "--pipelines-dir",
               str(tmp_path / "dlt"), "--extract-format", extract_format, "--no-verify"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    formats = loaded_formats(tmp_path / "dlt")
    assert {table: formats.get(table) for table in TABLES} == {table: {expected} for table in TABLES}
