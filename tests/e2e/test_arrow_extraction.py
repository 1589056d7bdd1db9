"""End to end: the Arrow extraction path lands exactly the tables the dict path lands, cell by cell.

Both paths run the performance pipelines against the same sandbox world into their own destination
(DuckDB file or Postgres schema); every cell of every spec column, every column's type and nullability
(dlt's own columns included) and every column comment must be the same. A destination first loaded by one
path keeps working with the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.conftest import TODAY, Runner, unique_dataset

from lisync.spec.loader import table_spec

PERF = ("ad_performance", "conversion_performance")
START = TODAY - dt.timedelta(days=120)


@pytest.fixture
def twin(runner: Runner, tmp_path: Path) -> Iterator[Runner]:
    """A second destination of the same kind as ``runner``'s, against the same sandbox."""
    dataset = unique_dataset() if runner.destination == "postgres" else runner.dataset
    other = Runner(runner.sandbox, tmp_path / "twin", dataset=dataset, destination=runner.destination,
                   postgres_dsn=runner.postgres_dsn)
    (tmp_path / "twin").mkdir()
    try:
        yield other
    finally:
        other.drop_dataset()


def _columns(runner: Runner, table: str) -> list[tuple[Any, ...]]:
    """Every column of ``table`` (dlt's included) with its type and nullability, by name."""
    return sorted(runner.query(
        "select column_name, data_type, is_nullable from information_schema.columns "
        "where table_schema = ? and table_name = ?", [runner.dataset, table]))


def _comments(runner: Runner, table: str) -> list[tuple[Any, ...]]:
    """Column comments (descriptions) of ``table``."""
    if runner.destination == "postgres":
        sql = ("select a.attname, col_description(a.attrelid, a.attnum) from pg_attribute a "
               "join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace "
               "where n.nspname = ? and c.relname = ? and a.attnum > 0 and not a.attisdropped")
    else:
        sql = "select column_name, comment from duckdb_columns() where schema_name = ? and table_name = ?"
    return sorted(runner.query(sql, [runner.dataset, table]))


def test_arrow_and_dicts_land_the_same_tables(runner: Runner, twin: Runner) -> None:
    dicts = runner.run(*PERF, start_date=START, today=TODAY, extract_format="dicts")
    arrow = twin.run(*PERF, start_date=START, today=TODAY, extract_format="arrow")
    assert dicts.status == arrow.status == "ok", (dicts.error, arrow.error)
    assert dicts.tables == arrow.tables
    assert dicts.requests["by_endpoint"] == arrow.requests["by_endpoint"]
    for table in PERF:
        twin.assert_matches_spec(table)
        expected, landed = runner.snapshot(table), twin.snapshot(table)
        assert len(landed) == len(expected) > 0
        for want, got in zip(expected, landed, strict=True):
            assert got == want
            assert [type(v) for v in got] == [type(v) for v in want]
        assert _columns(twin, table) == _columns(runner, table)
        assert _comments(twin, table) == _comments(runner, table)
        ids = twin.scalar(f'select count(distinct _dlt_id) from {{ds}}."{table}" where _dlt_load_id is not null')
        assert ids == len(landed)


def test_a_destination_loaded_by_one_path_takes_the_other(runner: Runner) -> None:
    assert runner.run(*PERF, start_date=START, today=TODAY, extract_format="dicts").status == "ok"
    first = {t: runner.snapshot(t) for t in PERF}
    again = runner.run(*PERF, start_date=START, today=TODAY, extract_format="arrow")
    assert again.status == "ok", again.error
    assert {t: runner.snapshot(t) for t in PERF} == first  # merged on the keys: nothing doubled, nothing lost
    back = runner.run(*PERF, start_date=START, today=TODAY, extract_format="dicts")
    assert back.status == "ok", back.error
    assert {t: runner.snapshot(t) for t in PERF} == first


def test_newer_metrics_land_alike(runner: Runner, twin: Runner) -> None:
    dicts = runner.run("ad_performance", start_date=START, today=TODAY, extract_format="dicts", extended_metrics=True)
    arrow = twin.run("ad_performance", start_date=START, today=TODAY, extract_format="arrow", extended_metrics=True)
    assert dicts.status == arrow.status == "ok", (dicts.error, arrow.error)
    extra = sorted(c for c, _, _ in _columns(runner, "ad_performance")
                   if c not in {col.name for col in table_spec("ad_performance").columns} and not c.startswith("_dlt"))
    assert extra  # the opted-in metrics are there
    assert _columns(twin, "ad_performance") == _columns(runner, "ad_performance")
    select = ", ".join(f'"{c}"' for c in ["metric_date", "creative_id", *extra])
    sql = f'select {select} from {{ds}}.ad_performance order by 1, 2'
    assert twin.query(sql) == runner.query(sql)
