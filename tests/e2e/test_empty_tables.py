"""A pipeline with no data yet still lands its tables, empty, with every spec column."""

from __future__ import annotations

from tests.e2e.conftest import Runner


def test_tables_without_rows_are_created_with_every_spec_column(runner: Runner) -> None:
    account = str(runner.sandbox.world.account_ids_for(runner.sandbox.world.default_grant)[0])
    # One day of one account: LinkedIn has no per-conversion rows for it in this world.
    start = runner.sandbox.world.clock.today
    summary = runner.run("ad_performance", "conversion_performance", account_ids=[account], start_date=start,
                         today=start, update_window_days=0)
    assert summary.status == "ok", summary.error
    for table in ("ad_performance", "conversion_performance"):
        runner.assert_matches_spec(table)
    assert summary.tables["conversion_performance"] == 0
    assert runner.scalar("select count(*) from {ds}.conversion_performance") == 0
