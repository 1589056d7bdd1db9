"""The data dictionary: the committed docs/data-dictionary.md is current and its diagram draws every relationship."""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

import dlt
import pytest
from dlt.common.schema.typing import TTableReference
from dlt.common.schema.utils import new_table
from typer.testing import CliRunner

from lisync.cli import app
from lisync.spec.dictionary import DEFAULT_DOCS_PATH, REGENERATE_COMMAND, build_dictionary, markdown_cell, render
from lisync.spec.hints import dlt_columns, dlt_references
from lisync.spec.loader import all_tables
from lisync.spec.naming import new_schema

COMMITTED = Path(__file__).resolve().parents[2] / DEFAULT_DOCS_PATH
RELATIONSHIP_LINE = re.compile(r'^\s+(\w+) (?:\}o--\|\||\}o--o\{) (\w+) : "([\w, ]+) → ([\w, ]+)"$')


def _mermaid_block(markdown: str) -> str:
    return markdown.split("```mermaid\n", 1)[1].split("```", 1)[0]


def _spec_relationships() -> set[tuple[str, str, str, str]]:
    """Every relationship the contract states: column references, and child tables to their parent."""
    pairs = {(t.name, c.name, *c.references) for t in all_tables().values() for c in t.columns
             if c.references}
    for table in all_tables().values():
        if table.parent:
            parent_links = [r for r in dlt_references(table.name) if r["referenced_table"] == table.parent]
            assert parent_links, f"{table.name} has no link to its parent {table.parent}"
            pairs |= {(table.name, col, table.parent, ref) for r in parent_links
                      for col, ref in zip(r["columns"], r["referenced_columns"], strict=True)}
    return pairs


def test_committed_dictionary_is_current() -> None:
    expected = render(build_dictionary())
    assert COMMITTED.exists(), f"{COMMITTED} is missing: run `{REGENERATE_COMMAND}`"
    assert COMMITTED.read_text(encoding="utf-8") == expected, (
        f"{DEFAULT_DOCS_PATH} is stale: run `{REGENERATE_COMMAND}` and commit it")


def test_committed_diagram_draws_every_relationship_in_the_spec() -> None:
    drawn: set[tuple[str, str, str, str]] = set()
    for line in _mermaid_block(COMMITTED.read_text(encoding="utf-8")).splitlines():
        match = RELATIONSHIP_LINE.match(line)
        if match:
            table, target, columns, referenced = match.groups()
            drawn |= {(table, c, target, r)
                      for c, r in zip(columns.split(", "), referenced.split(", "), strict=True)}
    expected = _spec_relationships()
    assert len(expected) >= 20
    assert drawn == expected


def test_every_table_and_column_is_documented_with_its_description() -> None:
    text = COMMITTED.read_text(encoding="utf-8")
    diagram = _mermaid_block(text)
    for table in all_tables().values():
        assert f"\n    {table.name} {{\n" in diagram
        section = text.split(f"\n### {table.name}\n", 1)[1].split("\n### ", 1)[0]
        assert f"**Replication:** {table.replication}" in section
        if table.primary_key:
            assert "**Primary key:** " + ", ".join(f"`{c}`" for c in table.primary_key) in section
        rows = [line for line in section.splitlines() if line.startswith("| `")]
        assert [row.split("`")[1] for row in rows] == table.column_names
        for row, col in zip(rows, table.columns, strict=True):
            assert f"| {col.type} |" in row
            assert row.endswith(f"{markdown_cell(col.description)} |".lstrip())


def test_html_dictionary_is_standalone_and_escaped() -> None:
    page = render(build_dictionary(), "html")
    assert page.startswith("<!DOCTYPE html>") and '<pre class="mermaid">erDiagram' in page
    assert "}o--||" in page  # Mermaid reads the text content; only <, > and & are entities
    for table in all_tables():
        assert f'<h3 id="{table}">' in page
    assert "<script" not in page.split('<pre class="mermaid">', 1)[1].split("</pre>", 1)[0]


def _live_schema_with_drift() -> dlt.Schema:
    schema = new_schema()
    columns = [dict(hint) for name, hint in dlt_columns("campaign_group_metadata").items() if name != "name"]
    for col in columns:
        if col["name"] == "status":
            col["data_type"] = "bigint"
    columns.append({"name": "surprise", "data_type": "text", "nullable": True})
    table = new_table("campaign_group_metadata", write_disposition="replace", columns=columns)  # type: ignore[arg-type]
    # spec.dlt_references builds plain dicts with exactly dlt's reference keys
    table["references"] = [*cast(list[TTableReference], dlt_references("campaign_group_metadata")),
                           {"referenced_table": "campaign_metadata", "columns": ["id"],
                            "referenced_columns": ["campaign_group_id"]}]
    schema.update_table(table)
    return schema


def test_live_schema_drift_is_marked() -> None:
    dictionary = build_dictionary(_live_schema_with_drift(), "duckdb:test.duckdb (dataset linkedin)")
    groups = next(t for t in dictionary.tables if t.name == "campaign_group_metadata")
    assert groups.landed is True and groups.write_disposition == "replace"
    drift = {c.name: c.drift for c in groups.columns if c.drift}
    assert drift == {"name": "not landed", "status": "landed as bigint, contract text",
                     "surprise": "landed but not in the contract"}
    assert all(t.landed is False for t in dictionary.tables if t.name != "campaign_group_metadata")
    assert any("campaign_group_metadata.id → campaign_metadata.campaign_group_id" in n for n in dictionary.notes)
    text = render(dictionary)
    assert "⚠ not landed" in text and "schema landed in duckdb:test.duckdb" in text


runner = CliRunner()


def test_cli_docs_writes_the_committed_dictionary(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "dictionary.md"
    result = runner.invoke(app, ["docs", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8")
    html = runner.invoke(app, ["docs", "--format", "html"])
    assert html.exit_code == 0 and html.stdout.startswith("<!DOCTYPE html>")


def test_cli_docs_help_has_an_example() -> None:
    result = runner.invoke(app, ["docs", "--help"])
    assert result.exit_code == 0 and "Example" in result.output


@pytest.mark.parametrize(("args", "needle"), [
    (["docs", "--format", "pdf"], "Invalid --format"),
    (["docs", "--duckdb", "/nonexistent/lisync.duckdb"], "does not exist"),
])
def test_cli_docs_bad_input_is_one_line_exit_2(args: list[str], needle: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    text = result.stderr or result.output
    assert needle in text and len(text.strip().splitlines()) == 1
