"""End to end: the Arrow path of the pages source lands exactly the tables the dict path lands, cell by cell.

``organization_pages``, ``organization_posts`` and its five child tables run once with ``extract_format``
``dicts`` and once with ``arrow`` against the same sandbox world, into twin destinations (DuckDB files or
Postgres schemas): every cell of every column, every column's type and nullability (dlt's own columns
included) and every column comment must be the same. A destination first loaded by dicts and then
incrementally by Arrow stays equal to one loaded by dicts only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tests.e2e.conftest import TODAY, Runner, extracted_formats, table_columns, table_comments

from lisync.run.summary import RunSummary
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer
from lisync.spec.loader import table_spec

PIPELINES = ("organization_pages", "organization_posts")
CHILDREN = ("organization_posts__hashtags", "organization_posts__commentary_mentions",
            "organization_posts__poll_options", "organization_posts__carousel_cards",
            "organization_posts__content_multi_image")
TABLES = (*PIPELINES, *CHILDREN)
DELETED_FLAG = "_dlt_deleted"


@pytest.fixture
def e2e_sandbox() -> Iterator[SandboxServer]:
    """A fresh small sandbox per test: some of these tests move its clock."""
    with SandboxServer(SandboxConfig(port=0, seed=7, scale="small", today=TODAY)) as server:
        yield server



def advance_clock(runner: Runner, days: int) -> None:
    """Move the sandbox's today through its admin API."""
    httpx.post(f"{runner.sandbox.base_url}/_sandbox/clock", json={"advance_days": days}).raise_for_status()




def all_cells(runner: Runner, table: str) -> list[tuple[Any, ...]]:
    """Every row of ``table`` in every column but dlt's row columns (the hard-delete flag included), ordered."""
    names = [c for c, _, _ in table_columns(runner, table) if c not in ("_dlt_load_id", "_dlt_id")]
    select = ", ".join(f'"{c}"' for c in names)
    return runner.query(f'select {select} from {{ds}}."{table}" order by {select}')



def run_both(runner: Runner, twin: Runner, first: str, **options: Any) -> tuple[RunSummary, RunSummary]:
    """Run the pages pipelines with extract format ``first`` into ``runner`` and with ``dicts`` into ``twin``."""
    landed = runner.run(*PIPELINES, extract_format=first, **options)
    expected = twin.run(*PIPELINES, extract_format="dicts", **options)
    assert landed.status == expected.status == "ok", (landed.error, expected.error)
    return landed, expected


def assert_same_tables(landed: Runner, expected: Runner) -> None:
    """Every pages table of ``landed`` equals ``expected``'s: cells, Python types, columns, types and comments."""
    for table in TABLES:
        assert table_columns(landed, table) == table_columns(expected, table), table
        assert table_comments(landed, table) == table_comments(expected, table), table
        want, got = expected.snapshot(table), landed.snapshot(table)
        assert len(got) == len(want) > 0, table
        assert got == want, table
        want, got = all_cells(expected, table), all_cells(landed, table)
        assert got == want, table
        assert [[type(v) for v in row] for row in got] == [[type(v) for v in row] for row in want], table
        ids = landed.scalar(f'select count(distinct _dlt_id) from {{ds}}."{table}" where _dlt_load_id is not null')
        assert ids == landed.scalar(f'select count(*) from {{ds}}."{table}"'), table


@pytest.mark.parametrize("options", [
    {},
    {"keep_metrics_history": True, "period": "week"},
    {"posts_replication": "full", "period": "month"},
], ids=["incremental", "history-week", "full-month"])
def test_arrow_and_dicts_land_the_same_pages_tables(runner: Runner, twin: Runner, options: dict[str, Any]) -> None:
    arrow, dicts = run_both(runner, twin, "arrow", **options)
    assert extracted_formats(runner, TABLES) == {t: {"parquet"} for t in TABLES}  # dlt got Arrow tables
    assert extracted_formats(twin, TABLES) == {t: {"typed-jsonl"} for t in TABLES}
    assert arrow.tables == dicts.tables
    assert arrow.requests["by_endpoint"] == dicts.requests["by_endpoint"]
    for table in TABLES:
        runner.assert_matches_spec(table)
    assert_same_tables(runner, twin)
    history = bool(options.get("keep_metrics_history"))
    dated = runner.scalar("select count(*) from {ds}.organization_posts where metric_date = ?", [TODAY])
    assert dated == (runner.scalar("select count(*) from {ds}.organization_posts") if history else 0)
    for table in CHILDREN:  # the hard-delete marker rows never land
        flagged = [c for c, _, _ in table_columns(runner, table) if c == DELETED_FLAG]
        if flagged:
            assert runner.scalar(f'select count(*) from {{ds}}."{table}" where "{DELETED_FLAG}" is not null') == 0
        assert bool(flagged) == (options.get("posts_replication") != "full"), table


@pytest.mark.parametrize("history", [False, True], ids=["incremental", "history"])
def test_a_dicts_destination_loaded_on_by_arrow_stays_like_dicts(runner: Runner, twin: Runner, history: bool) -> None:
    options = {"keep_metrics_history": history, "update_window_days": 7}
    run_both(runner, twin, "dicts", **options)
    assert_same_tables(runner, twin)
    before = runner.scalar("select count(*) from {ds}.organization_posts")
    advance_clock(runner, 10)  # new days of statistics, new posts, edited posts (hashtags change)
    run_both(runner, twin, "arrow", **options)
    assert extracted_formats(runner, TABLES) == {t: {"parquet"} for t in TABLES}
    assert_same_tables(runner, twin)
    assert runner.scalar("select count(*) from {ds}.organization_posts") > before
    loads = runner.scalar("select count(distinct _dlt_load_id) from {ds}.organization_pages")
    assert loads == 2
    if history:  # every re-read post has a second, later snapshot
        later = runner.scalar("select count(*) from {ds}.organization_posts where metric_date > ?", [TODAY])
        assert later > 0
    columns_of_posts = {c for c, _, _ in table_columns(runner, "organization_posts")}
    assert set(table_spec("organization_posts").column_names) < columns_of_posts
