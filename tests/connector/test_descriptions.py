"""Every contract column has a description (issue #19, item 15), and docs and warehouse comments agree.

The seed stays byte-identical: the twelve descriptions it lacks come from one documented supplement,
``spec/data/extensions/descriptions.json``, read by ``load_spec`` like every other description.
"""

from __future__ import annotations

import json
from importlib import resources

from lisync.run.comments import desired_comments
from lisync.spec.dictionary import build_dictionary, render
from lisync.spec.loader import all_tables, load_contract

SEED_GAPS = {("ad_performance", "creative_id"), ("conversion_performance", "creative_id"),
             ("conversion_performance", "conversion_id"), ("conversion_details", "lastcallbackat")}


def test_every_contract_column_has_a_description() -> None:
    missing = [f"{t.name}.{c.name}" for t in all_tables().values() for c in t.columns if not c.description.strip()]
    assert not missing, missing


def test_the_seed_still_lacks_them_and_the_supplement_fills_only_gaps() -> None:
    seed = {t.name: t for p in load_contract(extensions=False).values() for t in p.tables}
    for table, column in SEED_GAPS:
        assert not next(c for c in seed[table].columns if c.name == column).description
    supplement = json.loads(resources.files("lisync.spec").joinpath("data/extensions/descriptions.json").read_text())
    assert supplement["pipelines"] == []
    assert all(fix["was"] == "" for fix in supplement["description_corrections"])


def test_docs_and_warehouse_comments_use_the_same_text() -> None:
    tables = all_tables()
    landed = {name: {c.name for c in t.columns} for name, t in tables.items()}
    comments = desired_comments(landed)
    markdown = render(build_dictionary(), "markdown")
    for table, column in SEED_GAPS:
        text = next(c for c in tables[table].columns if c.name == column).description
        assert comments[(table, column)] == text
        assert text in markdown
