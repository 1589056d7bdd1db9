"""The shipped spec copy, and the dlt hints derived from it."""

import json
from pathlib import Path

import pytest

from lisync.spec.hints import dlt_columns, dlt_references
from lisync.spec.loader import SEED_FILE, all_tables, data_folder, load_contract, load_spec

SHARED_SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "linkedin_tables.json"


def test_seed_has_the_contracted_shape() -> None:
    pipelines = load_contract(extensions=False)
    assert len(pipelines) == 9
    tables = [t for p in pipelines.values() for t in p.tables]
    assert len(tables) == 15
    assert sum(len(t.columns) for t in tables) == 394
    assert list(load_spec())[:9] == list(pipelines)  # the seed comes first, extensions after it
    assert set(all_tables()) >= {t.name for t in tables}


def test_extension_contracts_load_after_the_seed_in_file_order(tmp_path: Path) -> None:
    (tmp_path / SEED_FILE).write_bytes(data_folder().joinpath(SEED_FILE).read_bytes())
    (tmp_path / "extensions").mkdir()
    (tmp_path / "extensions" / "notes.txt").write_text("not a contract")
    for name, table in (("b_family.json", "zeta_stats"), ("a_family.json", "alpha_stats")):
        document = {"pipelines": [{"pipeline": f"{table} pipeline", "replication": "Full", "tables": [{
            "table": table, "suggested_primary_key": ["account_id"], "columns": [
                {"name": "account_id", "type": "text", "description": "The account.",
                 "references": {"pipeline": "Ad accounts", "column": "id"}}]}]}]}
        (tmp_path / "extensions" / name).write_text(json.dumps(document))
    pipelines = load_contract(tmp_path)
    assert list(pipelines)[9:] == ["alpha_stats", "zeta_stats"]
    assert list(pipelines)[:9] == list(load_contract(extensions=False))
    assert pipelines["zeta_stats"].tables[0].column("account_id").references == ("ad_accounts", "id")
    (tmp_path / "extensions" / "c_family.json").write_text(
        (tmp_path / "extensions" / "a_family.json").read_text())
    with pytest.raises(ValueError, match=r"alpha_stats in extensions/c_family\.json"):
        load_contract(tmp_path)


def test_shipped_copy_matches_shared_spec_when_present() -> None:
    if not SHARED_SPEC.exists():  # a clone without the shared folder beside it
        return
    shipped = json.loads(data_folder().joinpath(SEED_FILE).read_text())
    assert shipped == json.loads(SHARED_SPEC.read_text())


def test_dlt_columns_carry_types_descriptions_and_keys() -> None:
    cols = dlt_columns("ad_performance")
    assert cols["metric_date"]["data_type"] == "date"
    assert cols["metric_date"]["primary_key"] is True and cols["metric_date"]["nullable"] is False
    assert cols["impressions"]["data_type"] == "double"
    assert cols["costinusd"]["data_type"] == "text"
    assert cols["impressions"]["description"].startswith("This is the count of impressions")
    assert dlt_columns("campaign_metadata")["runschedule_start"]["data_type"] == "timestamp"
    assert dlt_columns("ad_accounts")["notifiedoncreativerejection"]["data_type"] == "bool"


def test_references_follow_the_spec() -> None:
    refs = {r["referenced_table"]: r for r in dlt_references("ad_performance")}
    assert refs["creative_metadata"]["columns"] == ["creative_id"]
    assert refs["campaign_group_metadata"]["referenced_columns"] == ["id"]
    child = dlt_references("conversion_details__associated_campaigns")
    assert child == [{"referenced_table": "conversion_details", "columns": ["conversion_id"],
                      "referenced_columns": ["id"]}]


def test_extension_contracts_add_the_organic_tables() -> None:
    tables = all_tables()
    for name in ("organization_followers", "organization_video_statistics", "ad_account_users"):
        assert tables[name].primary_key and tables[name].description
        assert all(c.description for c in tables[name].columns)
    assert dlt_references("ad_account_users") == [
        {"referenced_table": "ad_accounts", "columns": ["account_id"], "referenced_columns": ["id"]}]


def test_lifetime_post_statistics_say_organic_and_rolling_twelve_months() -> None:
    lifetime = [c for c in all_tables()["organization_posts"].columns if c.name.startswith("lifetime_")]
    assert len(lifetime) == 7
    assert all("Organic activity only" in c.description and "rolling last 12 months" in c.description
               for c in lifetime)
    seed = load_contract(extensions=False)["organization_posts"].tables[0]
    assert all("rolling" not in c.description for c in seed.columns)  # the seed file itself is untouched
