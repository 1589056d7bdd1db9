"""The reports extension contract: its tables, and the corrections it records against seed descriptions."""

from __future__ import annotations

import json
from pathlib import Path

from lisync.linkedin.analytics.fields import metric_chunks
from lisync.spec.loader import SEED_FILE, data_folder, load_contract, table_spec


def _seed_column(table: str, column: str) -> str:
    seed = json.loads(data_folder().joinpath(SEED_FILE).read_text(encoding="utf-8"))
    found = [c for p in seed["pipelines"] for t in p["tables"] if t["table"] == table
             for c in t["columns"] if c["name"] == column]
    return str(found[0]["description"])


def test_conversion_columns_get_their_own_descriptions_and_the_seed_is_untouched() -> None:
    for column in ("externalwebsitepostclickconversions", "externalwebsitepostviewconversions"):
        assert "viral" in _seed_column("conversion_performance", column)  # the seed's mistake stays in the seed
        fixed = table_spec("conversion_performance").column(column).description
        assert fixed == table_spec("ad_performance").column(column).description
        assert "viral" not in fixed
    assert "must not be summed across conversion_id" in table_spec("conversion_performance").description
    assert "Always empty" in table_spec("conversion_performance").column("approximatememberreach").description
    assert "cannot be summed" in table_spec("ad_performance").column("approximatememberreach").description


def test_a_correction_applies_only_while_the_seed_says_what_it_was_written_for(tmp_path: Path) -> None:
    seed = json.loads(data_folder().joinpath(SEED_FILE).read_text(encoding="utf-8"))
    (tmp_path / SEED_FILE).write_text(json.dumps(seed))
    (tmp_path / "extensions").mkdir()
    (tmp_path / "extensions" / "fix.json").write_text(json.dumps({"pipelines": [], "description_corrections": [
        {"table": "ad_performance", "column": "clicks", "was": "something else", "description": "X", "why": "t"},
        {"table": "ad_performance", "column": "impressions",
         "was": _seed_column("ad_performance", "impressions"), "description": "Y", "why": "t"}]}))
    tables = {t.name: t for p in load_contract(tmp_path).values() for t in p.tables}
    assert tables["ad_performance"].column("impressions").description == "Y"
    assert tables["ad_performance"].column("clicks").description == _seed_column("ad_performance", "clicks")


def test_report_tables_are_keyed_like_the_seed() -> None:
    assert table_spec("campaign_performance").primary_key == ("metric_date", "campaign_id")
    assert table_spec("account_performance").primary_key == ("metric_date", "account_id")
    assert table_spec("campaign_group_performance").primary_key == ("metric_date", "campaign_group_id")
    assert "audiencepenetration" in table_spec("campaign_performance").column_names
    # every metric column maps to a LinkedIn field; reach sits in the last chunk
    chunks = metric_chunks("campaign_performance")
    assert "approximateMemberReach" in chunks[-1] and "audiencePenetration" in chunks[-1]
    assert not any("approximateMemberReach" in c for c in metric_chunks("conversion_performance",
                                                                         frozenset({"approximateMemberReach"})))
