"""The dbt project's sources file is generated from the contract: the committed copy must be current."""

from __future__ import annotations

from pathlib import Path

import yaml

from lisync.spec.loader import all_tables
from lisync.warehouse.dbt_sources import SOURCES_PATH, render_sources

REPO = Path(__file__).resolve().parents[2]


def test_committed_sources_match_the_contract() -> None:
    committed = (REPO / SOURCES_PATH).read_text(encoding="utf-8")
    assert committed == render_sources(), "dbt sources are stale: run python scripts/gen_dbt_sources.py"


def test_sources_carry_every_contract_column_with_its_description() -> None:
    document = yaml.safe_load(render_sources())
    tables = {t["name"]: t for t in document["sources"][0]["tables"]}
    for name, table in all_tables().items():
        columns = {c["name"]: c["description"] for c in tables[name]["columns"]}
        assert columns == {c.name: c.description for c in table.columns}, name
        assert tables[name]["description"] == table.description
