"""`lisync views fivetran`: Fivetran-named views over lisync's tables, typed like Fivetran's schema, totals exact.

The expected columns are Fivetran's, written down here independently of lisync's view definitions, from:
- the column lists with types in Fivetran's open source dbt package ``fivetran/dbt_linkedin_source``,
  ``macros/get_<table>_columns.sql`` (account_history, campaign_group_history and campaign_history at commit
  79faae89; creative_history at 22c18342; ad_analytics_by_* at 0ade1a3e; monthly_* at dc16c154/cc24d042;
  geo at f66ee05e), which mirror the ERD at
  https://fivetran.com/docs/connectors/applications/linkedin-ads/connector-schema;
- the source table documentation of ``fivetran/dbt_linkedin`` ``models/staging/src_linkedin.yml`` (commit
  bba59f46: adds ``text_ad_landing_page``/``spotlight_landing_page`` to creative_history and
  ``external_website_conversions``/``one_click_leads``, the package's default conversion fields, to the
  analytics tables);
- ``_fivetran_synced``, which Fivetran adds to every table (the packages' source freshness reads it).
Types are the dbt macros' (type_int, type_timestamp, type_string, type_float/type_numeric, boolean).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.e2e.conftest import TODAY, Runner
from typer.testing import CliRunner

from lisync.cli import app
from lisync.config.resolve import build_settings
from lisync.errors import ConfigError
from lisync.run.pipeline import make_pipeline
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer
from lisync.warehouse.fivetran_views import create_views_in_destination

START = TODAY - dt.timedelta(days=45)
SCHEMA_SUFFIX = "_ft"

INT, TS, STR, FLOAT, BOOL = "int", "timestamp", "string", "float", "boolean"
FIVETRAN_COLUMNS: dict[str, dict[str, str]] = {
    "account_history": {
        "_fivetran_synced": TS, "created_time": TS, "currency": STR, "id": INT, "last_modified_time": TS,
        "name": STR, "notified_on_campaign_optimization": BOOL, "notified_on_creative_approval": BOOL,
        "notified_on_creative_rejection": BOOL, "notified_on_end_of_campaign": BOOL, "reference": STR,
        "status": STR, "total_budget_amount": FLOAT, "total_budget_currency_code": STR,
        "total_budget_ends_at": INT, "type": STR, "version_tag": STR},
    "campaign_group_history": {
        "_fivetran_synced": TS, "account_id": INT, "backfilled": BOOL, "created_time": TS, "id": INT,
        "last_modified_time": TS, "name": STR, "run_schedule_end": TS, "run_schedule_start": TS, "status": STR},
    "campaign_history": {
        "_fivetran_synced": TS, "account_id": INT, "associated_entity": STR, "audience_expansion_enabled": BOOL,
        "campaign_group_id": INT, "cost_type": STR, "created_time": TS, "creative_selection": STR,
        "daily_budget_amount": FLOAT, "daily_budget_currency_code": STR, "format": STR, "id": INT,
        "last_modified_time": TS, "locale_country": STR, "locale_language": STR, "name": STR,
        "objective_type": STR, "offsite_delivery_enabled": BOOL, "optimization_target_type": STR,
        "run_schedule_end": TS, "run_schedule_start": TS, "status": STR, "type": STR, "unit_cost_amount": FLOAT,
        "unit_cost_currency_code": STR, "version_tag": STR},
    "creative_history": {
        "_fivetran_synced": TS, "campaign_id": INT, "click_uri": STR, "created_time": TS, "created_at": TS,
        "id": INT, "last_modified_time": TS, "last_modified_at": TS, "intended_status": STR,
        "text_ad_landing_page": STR, "spotlight_landing_page": STR},
    "ad_analytics_by_campaign": {
        "_fivetran_synced": TS, "campaign_id": INT, "clicks": INT, "cost_in_local_currency": FLOAT,
        "cost_in_usd": FLOAT, "day": TS, "impressions": INT, "conversion_value_in_local_currency": FLOAT,
        "external_website_conversions": INT, "one_click_leads": INT},
    "ad_analytics_by_creative": {
        "_fivetran_synced": TS, "clicks": INT, "cost_in_local_currency": FLOAT, "cost_in_usd": FLOAT,
        "creative_id": INT, "day": TS, "impressions": INT, "conversion_value_in_local_currency": FLOAT,
        "external_website_conversions": INT, "one_click_leads": INT},
    "monthly_ad_analytics_by_member_country": {
        "_fivetran_synced": TS, "campaign_id": INT, "month": STR, "clicks": INT, "member_country": INT,
        "impressions": INT, "conversion_value_in_local_currency": FLOAT, "cost_in_local_currency": FLOAT,
        "cost_in_usd": FLOAT, "external_website_conversions": INT, "one_click_leads": INT},
    "monthly_ad_analytics_by_member_region": {
        "_fivetran_synced": TS, "campaign_id": INT, "month": STR, "clicks": INT, "member_region": INT,
        "impressions": INT, "conversion_value_in_local_currency": FLOAT, "cost_in_local_currency": FLOAT,
        "cost_in_usd": FLOAT, "external_website_conversions": INT, "one_click_leads": INT},
    "geo": {"_fivetran_synced": TS, "id": INT, "value": STR},
}
# How each warehouse spells those types in information_schema.columns.data_type.
WAREHOUSE_TYPES: dict[str, dict[str, set[str]]] = {
    "duckdb": {INT: {"BIGINT", "INTEGER"}, TS: {"TIMESTAMP"}, STR: {"VARCHAR"}, FLOAT: {"DOUBLE", "DECIMAL"},
               BOOL: {"BOOLEAN"}},
    "postgres": {INT: {"bigint", "integer"}, TS: {"timestamp without time zone"}, STR: {"text"},
                 FLOAT: {"double precision", "numeric"}, BOOL: {"boolean"}},
}
# Metrics summed by a view and by the raw table: (view, view column, raw table, raw column)
TOTALS = [
    ("ad_analytics_by_creative", "impressions", "ad_performance", "impressions"),
    ("ad_analytics_by_creative", "cost_in_local_currency", "ad_performance", "costinlocalcurrency"),
    ("ad_analytics_by_creative", "cost_in_usd", "ad_performance", "costinusd"),
    ("ad_analytics_by_creative", "landing_page_clicks", "ad_performance", "landingpageclicks"),
    ("ad_analytics_by_campaign", "clicks", "campaign_performance", "clicks"),
    ("ad_analytics_by_campaign", "cost_in_local_currency", "campaign_performance", "costinlocalcurrency"),
    ("ad_analytics_by_campaign", "external_website_conversions", "campaign_performance",
     "externalwebsiteconversions"),
    ("ad_analytics_by_campaign", "conversion_value_in_local_currency", "campaign_performance",
     "conversionvalueinlocalcurrency"),
    ("ad_analytics_by_campaign", "approximate_member_reach", "campaign_performance", "approximatememberreach"),
]
# Monthly demographic views: (view, pivot) over ad_demographics' MONTHLY rows
DEMOGRAPHIC_VIEWS = [("monthly_ad_analytics_by_member_country", "MEMBER_COUNTRY_V2", "member_country"),
                     ("monthly_ad_analytics_by_member_region", "MEMBER_REGION_V2", "member_region")]
COUNTS = [("account_history", "ad_accounts"), ("campaign_group_history", "campaign_group_metadata"),
          ("campaign_history", "campaign_metadata"), ("creative_history", "creative_metadata")]


# Seed 10's visible accounts hold text ads and spotlight ads that delivered in the test's window (seed 7's do not),
# so creative_history's landing-page columns and Fivetran's URL report have rows to show.
LANDING_PAGE_SEED = 10


@pytest.fixture(scope="module")
def e2e_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(port=0, seed=LANDING_PAGE_SEED, scale="small", today=TODAY)) as server:
        yield server


def view_columns(runner: Runner, schema: str, view: str) -> dict[str, str]:
    rows = runner.query("select column_name, data_type from information_schema.columns "
                        "where table_schema = ? and table_name = ?", [schema, view])
    return {name: kind for name, kind in rows}


def test_views_match_fivetran_schema_and_raw_totals(runner: Runner) -> None:
    summary = runner.run("ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata",
                         "creative_landing_pages", "ad_performance", "campaign_performance", "ad_demographics",
                         start_date=START, today=TODAY)
    assert summary.status == "ok", summary.error
    schema = runner.dataset + SCHEMA_SUFFIX
    try:
        check_views(runner, schema)
    finally:
        if runner.destination == "postgres":
            with contextlib.closing(runner.connect()) as conn:
                conn.execute(f'drop schema if exists "{schema}" cascade')


def check_views(runner: Runner, schema: str) -> None:
    outcomes = {o.name: o for o in create_views_in_destination(make_pipeline(runner.settings()), schema)}
    assert list(outcomes) == list(FIVETRAN_COLUMNS)
    types = WAREHOUSE_TYPES[runner.destination]
    for view, expected in FIVETRAN_COLUMNS.items():
        landed = view_columns(runner, schema, view)
        if not outcomes[view].created:
            assert not landed and "lisync run" in outcomes[view].detail, view
            continue
        missing = sorted(set(expected) - set(landed))
        assert not missing, f"{view}: missing {missing}"
        wrong = {c: landed[c] for c, t in expected.items() if landed[c] not in types[t]}
        assert not wrong, f"{view}: wrong types {wrong}"
        extra = set(landed) - set(expected)
        if view.startswith("ad_analytics"):  # LinkedIn's other metrics pass through, named as Fivetran names them
            assert {"video_views", "landing_page_clicks", "total_engagements"} <= extra, view
            assert all(types[INT] | types[FLOAT] >= {landed[c]} for c in extra), view
        else:
            assert not extra, f"{view}: columns Fivetran does not have: {sorted(extra)}"
    assert all(o.created for o in outcomes.values()), {n: o.detail for n, o in outcomes.items() if not o.created}
    assert "pivot CAMPAIGN" in outcomes["ad_analytics_by_campaign"].detail

    for view, column, table, raw in TOTALS:
        got = runner.scalar(f'select sum("{column}") from "{schema}"."{view}"')
        want = runner.scalar(f"select sum(cast({raw} as double precision)) from {{ds}}.{table}")
        assert want and float(got) == pytest.approx(float(want), rel=1e-9), (view, column)
    for view, table in COUNTS:
        assert runner.scalar(f'select count(*) from "{schema}"."{view}"') == runner.scalar(
            f"select count(*) from {{ds}}.{table}") > 0, view
    assert runner.scalar(f'select count(*) from "{schema}"."ad_analytics_by_creative"') == runner.scalar(
        "select count(*) from {ds}.ad_performance")
    assert runner.scalar(f'select count(*) from "{schema}"."ad_analytics_by_campaign"') == runner.scalar(
        "select count(*) from {ds}.campaign_performance")
    for view, pivot, member in DEMOGRAPHIC_VIEWS:
        got = runner.query(f'select count(*), sum(impressions), sum(cost_in_usd) from "{schema}"."{view}"')[0]
        want = runner.query("select count(*), sum(impressions), sum(cast(costinusd as double precision)) "
                            "from {ds}.ad_demographics where demographic_pivot = ? and granularity = 'MONTHLY'",
                            [pivot])[0]
        assert got[0] == want[0] > 0 and got[1] == want[1] and float(got[2]) == pytest.approx(float(want[2])), view
        # every member value is a geo the geo view names
        assert runner.scalar(f'select count(*) from "{schema}"."{view}" v left join "{schema}"."geo" g '
                             f"on g.id = v.{member} where g.id is null") == 0, view
    assert runner.scalar(f'select count(*) from "{schema}"."geo"') == runner.scalar(
        "select count(*) from {ds}.demographic_values where value_type = 'geo'") > 0
    # ids join like Fivetran's: every creative row's creative has a campaign in campaign_history
    assert runner.scalar(
        f'select count(*) from "{schema}"."ad_analytics_by_creative" a left join "{schema}"."creative_history" c '
        f'on c.id = a.creative_id left join "{schema}"."campaign_history" p on p.id = c.campaign_id '
        "where p.id is null") == 0

    check_landing_pages(runner, schema)

    # a second call replaces the views in place
    again = create_views_in_destination(make_pipeline(runner.settings()), schema)
    assert [o.created for o in again] == [o.created for o in outcomes.values()]


def check_landing_pages(runner: Runner, schema: str) -> None:
    """creative_history's URL columns come from creative_landing_pages: text, spotlight and sponsored ads.

    click_uri is every creative's page; text_ad_landing_page and spotlight_landing_page (Fivetran's typed columns)
    only their kind's, so a sponsored creative's page is in click_uri alone.
    """
    landed = dict(runner.query("select content_type, count(*) from {ds}.creative_landing_pages group by 1"))
    assert landed.get("TEXT_AD", 0) > 0 and landed.get("SPOTLIGHT", 0) > 0, landed
    assert landed.get("SPONSORED", 0) > 0, landed
    # each SPONSORED row is a creative whose content.reference is a share/ugcPost (the post it sponsors)
    assert runner.scalar("select count(*) from {ds}.creative_landing_pages lp join {ds}.creative_metadata m "
                         "on m.id = lp.creative_id where lp.content_type = 'SPONSORED' and (m.reference like "
                         "'urn:li:share:%' or m.reference like 'urn:li:ugcPost:%')") == landed["SPONSORED"]
    rows = runner.query(f'select c.id, c.click_uri, c.text_ad_landing_page, c.spotlight_landing_page, '
                        f'lp.content_type, lp.landing_page from "{schema}"."creative_history" c '
                        "left join {ds}.creative_landing_pages lp on lp.creative_id = cast(c.id as text)")
    for _, click_uri, text_ad, spotlight, kind, page in rows:
        assert click_uri == page  # NULL exactly where LinkedIn's creative names no landing page
        assert text_ad == (page if kind == "TEXT_AD" else None)
        assert spotlight == (page if kind == "SPOTLIGHT" else None)
    with_page = [r for r in rows if r[1] is not None]
    assert len(with_page) == sum(landed.values()) and len(with_page) < len(rows)
    assert all(r[1].startswith("https://") and "utm_source=linkedin" in r[1] for r in with_page)
    # the landing pages' creatives delivered: Fivetran's URL report (creative rows with a click_uri) is not empty
    assert runner.scalar(f'select count(*) from "{schema}"."ad_analytics_by_creative" a join "{schema}".'
                         '"creative_history" c on c.id = a.creative_id where c.click_uri is not null') > 0


def test_cli_creates_the_views_and_names_what_is_disabled(e2e_sandbox: SandboxServer, tmp_path: Path) -> None:
    runner = Runner(e2e_sandbox, tmp_path)
    assert runner.run("ad_accounts", "campaign_metadata", start_date=START, today=TODAY).status == "ok"
    result = CliRunner().invoke(app, ["views", "fivetran", "--duckdb", str(runner.db_path), "--dataset",
                                      runner.dataset, "--schema", "ft"])
    assert result.exit_code == 0, result.output
    assert "created  ft.account_history" in result.output
    assert "created  ft.campaign_history" in result.output
    assert "disabled ft.ad_analytics_by_creative: needs lisync table ad_performance" in result.output
    assert "linkedin_ads__using_geo: false" in result.output
    assert runner.scalar("select count(*) from ft.campaign_history") > 0

    bad = CliRunner().invoke(app, ["views", "fivetran", "--duckdb", str(runner.db_path), "--dataset", "nothing"])
    assert bad.exit_code == 2 and "No lisync tables in dataset 'nothing'" in bad.output
    bad = CliRunner().invoke(app, ["views", "fivetran", "--duckdb", str(runner.db_path), "--schema", "x-y"])
    assert bad.exit_code == 2 and "Invalid --schema" in bad.output


def test_setting_refreshes_the_views_after_each_run(e2e_sandbox: SandboxServer, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCES__LINKEDIN__FIVETRAN_VIEWS", "after_run")
    assert build_settings(["campaign_metadata"], access_token="t").fivetran_views == "after_run"
    monkeypatch.setenv("SOURCES__LINKEDIN__FIVETRAN_VIEWS", "not a schema")
    with pytest.raises(ConfigError, match="Invalid fivetran_views"):
        build_settings(access_token="t")

    runner = Runner(e2e_sandbox, tmp_path)
    summary = runner.run("campaign_metadata", start_date=START, today=TODAY, fivetran_views="after_run")
    assert summary.status == "ok", summary.error
    assert runner.scalar("select count(*) from after_run.campaign_history") == runner.scalar(
        "select count(*) from {ds}.campaign_metadata") > 0


def test_campaign_view_rolls_up_creative_rows_without_campaign_performance(e2e_sandbox: SandboxServer,
                                                                          tmp_path: Path) -> None:
    runner = Runner(e2e_sandbox, tmp_path)
    assert runner.run("ad_performance", start_date=START, today=TODAY).status == "ok"
    outcomes = {o.name: o for o in create_views_in_destination(make_pipeline(runner.settings()), "ft")}
    assert "creative rows summed" in outcomes["ad_analytics_by_campaign"].detail
    # a campaign-day row is the sum of that campaign's creative rows on that day; reach is not summed
    assert runner.scalar("select count(*) from ft.ad_analytics_by_campaign") == runner.scalar(
        "select count(*) from (select distinct campaign_id, metric_date from {ds}.ad_performance) d")
    got = runner.query("select sum(impressions), sum(cost_in_usd) from ft.ad_analytics_by_campaign")[0]
    want = runner.query("select sum(impressions), sum(cast(costinusd as double)) from {ds}.ad_performance")[0]
    assert got[0] == want[0] and got[1] == pytest.approx(want[1])
    columns = {c for c, in runner.query("select column_name from information_schema.columns "
                                        "where table_schema = 'ft' and table_name = 'ad_analytics_by_campaign'")}
    assert "video_views" in columns and "approximate_member_reach" not in columns


def test_history_views_hold_every_version(tmp_path: Path) -> None:
    with SandboxServer(SandboxConfig(port=0, seed=7, scale="small", today=TODAY)) as sandbox:
        runner = Runner(sandbox, tmp_path)
        assert runner.run("campaign_metadata", today=TODAY, history=("campaign_metadata",)).status == "ok"
        sandbox.world.clock.today = TODAY + dt.timedelta(days=28)  # campaigns drift weekly over the clock
        later = sandbox.world.clock.today
        assert runner.run("campaign_metadata", today=later, history=("campaign_metadata",)).status == "ok"
    outcomes = {o.name: o for o in create_views_in_destination(make_pipeline(runner.settings()), "ft")}
    assert outcomes["campaign_history"].created
    versions, ids = runner.query("select count(*), count(distinct id) from {ds}.campaign_metadata")[0]
    assert versions > ids > 0
    # one row per version, keyed like Fivetran's history tables: (id, last_modified_time)
    assert runner.query("select count(*), count(distinct id), count(distinct (id, last_modified_time)) "
                        "from ft.campaign_history")[0] == (versions, ids, versions)
