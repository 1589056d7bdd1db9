"""The shipped spec copy, and the dlt hints derived from it."""

import json
from pathlib import Path

from lisync import spec

SHARED_SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "linkedin_tables.json"


def test_spec_has_the_contracted_shape() -> None:
    pipelines = spec.load_spec()
    assert len(pipelines) == 9
    tables = spec.all_tables()
    assert len(tables) == 15
    assert sum(len(t.columns) for t in tables.values()) == 394


def test_shipped_copy_matches_shared_spec_when_present() -> None:
    if not SHARED_SPEC.exists():  # a clone without the shared folder beside it
        return
    from importlib import resources

    shipped = json.loads(resources.files("lisync.spec_data").joinpath("linkedin_tables.json").read_text())
    assert shipped == json.loads(SHARED_SPEC.read_text())


def test_dlt_columns_carry_types_descriptions_and_keys() -> None:
    cols = spec.dlt_columns("ad_performance")
    assert cols["metric_date"]["data_type"] == "date"
    assert cols["metric_date"]["primary_key"] is True and cols["metric_date"]["nullable"] is False
    assert cols["impressions"]["data_type"] == "double"
    assert cols["costinusd"]["data_type"] == "text"
    assert cols["impressions"]["description"].startswith("This is the count of impressions")
    assert spec.dlt_columns("campaign_metadata")["runschedule_start"]["data_type"] == "timestamp"
    assert spec.dlt_columns("ad_accounts")["notifiedoncreativerejection"]["data_type"] == "bool"


def test_references_follow_the_spec() -> None:
    refs = {r["referenced_table"]: r for r in spec.dlt_references("ad_performance")}
    assert refs["creative_metadata"]["columns"] == ["creative_id"]
    assert refs["campaign_group_metadata"]["referenced_columns"] == ["id"]
    child = spec.dlt_references("conversion_details__associated_campaigns")
    assert child == [{"referenced_table": "conversion_details", "columns": ["conversion_id"],
                      "referenced_columns": ["id"]}]
