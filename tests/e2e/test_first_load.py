"""A performance table the destination lacks is created by a plain insert; every later run merges.

Real runs against the sandbox into DuckDB and Postgres, then toy pipelines on a real DuckDB file for the cases
that must keep dlt's staged merge (a table already there, a package of an earlier run still waiting to load, a
destination whose tables cannot be listed exactly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dlt
import pytest
from tests.e2e.conftest import TODAY, Runner

from lisync.run.first_load import insert_into_new_tables
from lisync.sources.arrow import UNIQUE_MERGE

START = TODAY - dt.timedelta(days=60)
TABLES = ("ad_performance", "conversion_performance")
KEYS = {"ad_performance": "creative_id, metric_date",
        "conversion_performance": "creative_id, conversion_id, metric_date"}


def _staged(runner: Runner, table: str) -> bool:
    """Whether dlt's staging dataset holds ``table`` (only a merge creates it)."""
    return bool(runner.query("select 1 from information_schema.tables where table_schema = ? and table_name = ?",
                             [f"{runner.dataset}_staging", table]))


def _duplicates(runner: Runner, table: str) -> int:
    return int(runner.scalar(f"select count(*) - count(distinct ({KEYS[table]})) from {{ds}}.{table}"))


def test_first_run_inserts_and_the_next_run_merges_its_update_window(runner: Runner) -> None:
    first = runner.run(*TABLES, start_date=START, today=TODAY)
    assert first.status == "ok", first.error
    before = {table: runner.snapshot(table) for table in TABLES}
    for table in TABLES:
        assert before[table], table
        assert not _staged(runner, table), f"{table}: the first load went through dlt's staging copy"
        assert _duplicates(runner, table) == 0
    # the next run re-reads its update window over rows that are there: they must be upserted, not added
    second = runner.run(*TABLES, start_date=START, today=TODAY, update_window_days=14)
    assert second.status == "ok", second.error
    for table in TABLES:
        assert _staged(runner, table), f"{table}: a run into an existing table must merge"
        assert _duplicates(runner, table) == 0
        assert runner.snapshot(table) == before[table]


@dlt.resource(name="toy", primary_key="id", write_disposition=UNIQUE_MERGE)
def _toy(first: int = 0) -> Iterator[list[dict[str, Any]]]:
    yield [{"id": first + i, "value": float(i)} for i in range(3)]


@pytest.fixture
def toy_pipeline(tmp_path: Path) -> dlt.Pipeline:
    return dlt.pipeline("first_load_toy", destination=dlt.destinations.duckdb(str(tmp_path / "first_load.duckdb")),
                        dataset_name="toy", pipelines_dir=str(tmp_path / "dlt"))


def _source(first: int = 0) -> Any:
    return dlt.source(lambda: _toy(first), name="toy_source")()


def test_only_a_table_the_destination_lacks_is_inserted(toy_pipeline: dlt.Pipeline) -> None:
    source = _source()
    assert insert_into_new_tables(toy_pipeline, [source]) == ["toy"]
    assert source.resources["toy"].write_disposition == "append"
    toy_pipeline.run(source)
    again = _source(first=1)  # overlaps ids 1 and 2: a merge must upsert them
    assert insert_into_new_tables(toy_pipeline, [again]) == []
    assert again.resources["toy"].write_disposition == UNIQUE_MERGE
    toy_pipeline.run(again)
    with toy_pipeline.sql_client() as sql:
        assert sql.execute_sql("select id from toy order by id") == [(0,), (1,), (2,), (3,)]


def test_a_waiting_package_keeps_the_merge(toy_pipeline: dlt.Pipeline) -> None:
    toy_pipeline.extract(_source())
    toy_pipeline.normalize()  # an earlier run's package, not loaded yet: its rows may overlap this run's
    source = _source(first=1)
    assert insert_into_new_tables(toy_pipeline, [source]) == []
    assert source.resources["toy"].write_disposition == UNIQUE_MERGE


def test_destinations_not_listed_exactly_keep_the_merge(tmp_path: Path) -> None:
    pipeline = dlt.pipeline("first_load_files", destination=dlt.destinations.filesystem(str(tmp_path / "files")),
                            dataset_name="toy", pipelines_dir=str(tmp_path / "dlt"))
    source = _source()
    assert insert_into_new_tables(pipeline, [source]) == []
    assert source.resources["toy"].write_disposition == UNIQUE_MERGE
