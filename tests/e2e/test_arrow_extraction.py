"""End to end: the Arrow extraction path lands exactly the tables the dict path lands, cell by cell.

Both paths run the performance pipelines against the same sandbox world into their own destination
(DuckDB file or Postgres schema); every cell of every spec column, every column's type and nullability
(dlt's own columns included) and every column comment must be the same. A destination first loaded by one
path keeps working with the other.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import dlt
import pytest
from tests.e2e.conftest import TODAY, Runner, extracted_formats, table_columns, table_comments

from lisync.linkedin.analytics.custom_reports import parse_custom_reports
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer
from lisync.spec.loader import all_tables, table_spec

PERF = ("ad_performance", "conversion_performance")
ENTITY = ("account_performance", "campaign_group_performance", "campaign_performance")
START = TODAY - dt.timedelta(days=120)
# Custom reports read per account (Arrow), with a text metric, a MONTHLY period and a demographic pivot
CUSTOM = parse_custom_reports({
    "spend_by_device": {"pivots": ["CAMPAIGN", "IMPRESSION_DEVICE_TYPE"], "granularity": "DAILY",
                        "metrics": ["impressions", "clicks", "costInLocalCurrency", "costInUsd"]},
    "monthly_reach": {"pivots": ["ACCOUNT"], "granularity": "MONTHLY",
                      "metrics": ["impressions", "approximateMemberReach", "costInUsd"]},
    "seniority_spend": {"pivots": ["MEMBER_SENIORITY"], "granularity": "MONTHLY",
                        "metrics": ["impressions", "clicks", "costInUsd"]},
})





def _all_cells(runner: Runner, table: str) -> list[tuple[Any, ...]]:
    """Every row of ``table`` in every column but dlt's (opted-in newer metrics included), by key."""
    names = [c for c, _, _ in table_columns(runner, table) if not c.startswith("_dlt")]
    select = ", ".join(f'"{c}"' for c in names)
    key = ", ".join(f'"{c}"' for c in (table_spec(table).primary_key if table in all_tables() else names))
    return runner.query(f'select {select} from {{ds}}."{table}" order by {key}')



def _assert_alike(runner: Runner, twin: Runner, tables: tuple[str, ...], **overrides: Any) -> None:
    """Run ``tables`` by the dict path into ``runner`` and the Arrow path into ``twin``; every cell must match."""
    dicts = runner.run(*tables, start_date=START, today=TODAY, extract_format="dicts", **overrides)
    arrow = twin.run(*tables, start_date=START, today=TODAY, extract_format="arrow", **overrides)
    assert dicts.status == arrow.status == "ok", (dicts.error, arrow.error)
    assert extracted_formats(runner, tables) == {t: {"typed-jsonl"} for t in tables}
    assert extracted_formats(twin, tables) == {t: {"parquet"} for t in tables}  # dlt got Arrow tables
    assert dicts.tables == arrow.tables
    assert dicts.requests["by_endpoint"] == arrow.requests["by_endpoint"]
    for table in tables:
        if table in all_tables():  # custom reports are not in the contract: _all_cells compares them
            if not overrides.get("extended_metrics"):  # the opted-in metrics are columns the spec does not have
                twin.assert_matches_spec(table)
            expected, landed = runner.snapshot(table), twin.snapshot(table)
            assert len(landed) == len(expected) > 0
            for want, got in zip(expected, landed, strict=True):
                assert got == want
                assert [type(v) for v in got] == [type(v) for v in want]
        assert table_columns(twin, table) == table_columns(runner, table)
        assert table_comments(twin, table) == table_comments(runner, table)
        ids = twin.scalar(f'select count(distinct _dlt_id) from {{ds}}."{table}" where _dlt_load_id is not null')
        assert ids == twin.scalar(f'select count(*) from {{ds}}."{table}"')
        expected, landed = _all_cells(runner, table), _all_cells(twin, table)
        assert len(landed) == len(expected) > 0
        assert landed == expected
        assert [[type(v) for v in row] for row in landed] == [[type(v) for v in row] for row in expected]


def test_arrow_and_dicts_land_the_same_tables(runner: Runner, twin: Runner) -> None:
    _assert_alike(runner, twin, PERF)


def test_entity_tables_land_alike(runner: Runner, twin: Runner) -> None:
    # 121 days: the reach chunk goes in two ≤92-day windows, read at each level as the dict path reads it
    _assert_alike(runner, twin, ENTITY)
    sql = 'select count(*) from {ds}.campaign_performance where approximatememberreach > 0'
    assert twin.scalar(sql) == runner.scalar(sql) > 0


def test_demographics_land_alike(runner: Runner, twin: Runner) -> None:
    _assert_alike(runner, twin, ("ad_demographics",))
    # the named values are the same lookup table on both paths (always dicts), and every value is named
    assert _all_cells(twin, "demographic_values") == _all_cells(runner, "demographic_values")
    assert twin.scalar("select count(*) from {ds}.ad_demographics d left join {ds}.demographic_values v"
                       " on d.demographic_value = v.demographic_value where v.name is null") == 0
    assert extracted_formats(twin, ("demographic_values",)) == {"demographic_values": {"typed-jsonl"}}
    # the merge key (campaign × pivot × period slice) is declared on both paths
    name = twin.settings().pipeline_name
    assert name
    pipeline = dlt.attach(pipeline_name=name, pipelines_dir=str(twin.pipelines_dir))
    merge_keys = {c["name"] for c in pipeline.default_schema.get_table_columns("ad_demographics").values()
                  if c.get("merge_key")}
    assert merge_keys == {"metric_date", "granularity", "campaign_id", "demographic_pivot"}


def test_demographics_daily_land_alike(runner: Runner, twin: Runner) -> None:
    _assert_alike(runner, twin, ("ad_demographics",), demographics_granularity="DAILY",
                  demographic_pivots=("MEMBER_COMPANY_SIZE", "MEMBER_COUNTRY_V2"))


def test_custom_reports_land_alike(runner: Runner, twin: Runner) -> None:
    _assert_alike(runner, twin, tuple(CUSTOM), custom_reports=CUSTOM)
    for table in CUSTOM:  # the metric LinkedIn answers as a string stays text on both paths
        types = {c: t for c, t, _ in table_columns(twin, table)}
        assert types["costinusd"] in {"text", "character varying", "VARCHAR"}
        assert types["impressions"] in {"double precision", "DOUBLE"}
    assert twin.scalar("select count(*) from {ds}.seniority_spend where account_id is null") == 0


def test_entity_newer_metrics_land_alike(runner: Runner, twin: Runner) -> None:
    _assert_alike(runner, twin, ENTITY, api_version="202601", extended_metrics=True)
    extra = [c for c, _, _ in table_columns(twin, "account_performance")
             if c not in {col.name for col in table_spec("account_performance").columns} and not c.startswith("_dlt")]
    assert "audiencepenetration" in extra and "videowatchtime" in extra


def test_entity_metrics_an_older_version_lacks_stay_empty_alike(tmp_path: Path) -> None:
    config = SandboxConfig(port=0, seed=7, scale="small", today=TODAY, accept_retired_versions=True)
    with SandboxServer(config) as sandbox:
        (tmp_path / "dicts").mkdir()
        (tmp_path / "arrow").mkdir()
        runner, twin = Runner(sandbox, tmp_path / "dicts"), Runner(sandbox, tmp_path / "arrow")
        _assert_alike(runner, twin, ("campaign_performance",), api_version="202410")
    sql = 'select count(*) from {ds}.campaign_performance where audiencepenetration is not null'
    assert twin.scalar(sql) == runner.scalar(sql) == 0


@pytest.mark.parametrize("tables", [PERF, ("campaign_performance",)], ids=["performance", "entity"])
def test_a_destination_loaded_by_one_path_takes_the_other(runner: Runner, tables: tuple[str, ...]) -> None:
    assert runner.run(*tables, start_date=START, today=TODAY, extract_format="dicts").status == "ok"
    first = {t: runner.snapshot(t) for t in tables}
    again = runner.run(*tables, start_date=START, today=TODAY, extract_format="arrow")
    assert again.status == "ok", again.error
    assert {t: runner.snapshot(t) for t in tables} == first  # merged on the keys: nothing doubled, nothing lost
    back = runner.run(*tables, start_date=START, today=TODAY, extract_format="dicts")
    assert back.status == "ok", back.error
    assert {t: runner.snapshot(t) for t in tables} == first


def test_newer_metrics_land_alike(runner: Runner, twin: Runner) -> None:
    dicts = runner.run("ad_performance", start_date=START, today=TODAY, extract_format="dicts", extended_metrics=True)
    arrow = twin.run("ad_performance", start_date=START, today=TODAY, extract_format="arrow", extended_metrics=True)
    assert dicts.status == arrow.status == "ok", (dicts.error, arrow.error)
    extra = sorted(c for c, _, _ in table_columns(runner, "ad_performance")
                   if c not in {col.name for col in table_spec("ad_performance").columns} and not c.startswith("_dlt"))
    assert extra  # the opted-in metrics are there
    assert table_columns(twin, "ad_performance") == table_columns(runner, "ad_performance")
    select = ", ".join(f'"{c}"' for c in ["metric_date", "creative_id", *extra])
    sql = f'select {select} from {{ds}}.ad_performance order by 1, 2'
    assert twin.query(sql) == runner.query(sql)
