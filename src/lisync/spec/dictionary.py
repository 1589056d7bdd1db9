"""Generates lisync's data dictionary (Markdown or HTML) with a Mermaid entity-relationship diagram.

The dictionary is built from the table contract (``spec``) and, when given, from the dlt schema stored
in a destination (the "live" schema: what actually landed). Live tables show their landed columns and
types; anything that differs from the contract is marked, so the docs cannot silently drift from the
warehouse. The committed ``docs/data-dictionary.md`` is the contract-only rendering, checked by a test.
"""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import dlt

from lisync.errors import ConfigError
from lisync.spec.hints import DLT_TYPES, dlt_references
from lisync.spec.loader import TableSpec, all_tables

TDocFormat = Literal["markdown", "html"]
DOC_FORMATS: tuple[TDocFormat, ...] = ("markdown", "html")
DEFAULT_DOCS_PATH = "docs/data-dictionary.md"
REGENERATE_COMMAND = f"lisync docs --output {DEFAULT_DOCS_PATH}"
MERMAID_MODULE_URL = "https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs"
DRIFT_MARK = "⚠"


@dataclass(frozen=True)
class ColumnDoc:
    """One column as documented.

    Attributes:
        name: Column name.
        type: The contract's portable type (text, float, boolean, date, timestamp).
        description: The contract's description ("" when the contract has none).
        primary_key: Part of the table's primary key.
        references: ``table.column`` this column points to, if any.
        drift: What differs in the live schema ("" when nothing does).

    """

    name: str
    type: str
    description: str
    primary_key: bool = False
    references: str | None = None
    drift: str = ""


@dataclass(frozen=True)
class Relationship:
    """A relationship the diagram draws: ``table.columns`` → ``referenced_table.referenced_columns``.

    Attributes:
        table: The referencing table.
        columns: Its referencing columns.
        referenced_table: The referenced table.
        referenced_columns: The referenced columns.
        to_one: True when the referenced columns are the referenced table's whole primary key.

    """

    table: str
    columns: tuple[str, ...]
    referenced_table: str
    referenced_columns: tuple[str, ...]
    to_one: bool


@dataclass(frozen=True)
class TableDoc:
    """One table as documented.

    Attributes:
        name: Table name.
        pipeline_id: The pipeline that loads it (CLI name).
        pipeline_title: The pipeline's display name.
        replication: The contract's replication mode.
        description: What the table holds.
        primary_key: Primary key columns.
        parent: Parent table of a child table.
        columns: Columns in contract order (live-only columns appended).
        write_disposition: dlt write disposition as landed (live schema only).
        landed: Whether the table exists in the live schema (``None`` without one).

    """

    name: str
    pipeline_id: str
    pipeline_title: str
    replication: str
    description: str
    primary_key: tuple[str, ...]
    parent: str | None
    columns: tuple[ColumnDoc, ...]
    write_disposition: str | None = None
    landed: bool | None = None


@dataclass(frozen=True)
class DataDictionary:
    """Every table and relationship, ready to render.

    Attributes:
        tables: Tables in contract order.
        relationships: Relationships (column references and parent links).
        source: Where the live schema came from (``None``: contract only).
        notes: Drift between the contract's and the landed references.

    """

    tables: tuple[TableDoc, ...]
    relationships: tuple[Relationship, ...]
    source: str | None = None
    notes: tuple[str, ...] = field(default=())


def spec_relationships() -> list[Relationship]:
    """Return every relationship the contract draws: column references and child → parent links."""
    tables = all_tables()
    found: list[Relationship] = []
    for tspec in tables.values():
        for ref in dlt_references(tspec.name):
            target = tables.get(ref["referenced_table"])
            referenced = tuple(ref["referenced_columns"])
            found.append(Relationship(tspec.name, tuple(ref["columns"]), ref["referenced_table"], referenced,
                                      to_one=target is not None and target.primary_key == referenced))
    return found


def build_dictionary(live_schema: dlt.Schema | None = None, source: str | None = None) -> DataDictionary:
    """Return the data dictionary from the contract, overlaid with a live dlt schema when one is given.

    Args:
        live_schema: The dlt schema stored in a destination (``None``: document the contract only).
        source: A human description of where ``live_schema`` came from.

    Returns:
        The dictionary; with a live schema, tables not landed are marked and drift is noted per column.

    """
    live_tables = live_schema.tables if live_schema is not None else None
    tables = [_table_doc(tspec, live_tables) for tspec in all_tables().values()]
    relationships = spec_relationships()
    notes = _reference_drift(relationships, live_schema) if live_schema is not None else []
    return DataDictionary(tuple(tables), tuple(relationships), source, tuple(notes))


def _reference_drift(relationships: list[Relationship], live_schema: dlt.Schema) -> list[str]:
    """Describe references that landed but are not in the contract, and contract ones that did not land."""
    def key(table: str, ref: Any) -> tuple[str, tuple[str, ...], str, tuple[str, ...]]:
        return table, tuple(ref["columns"]), ref["referenced_table"], tuple(ref["referenced_columns"])

    # A schema's tables always carry their name; dlt's TypedDict only declares it Optional.
    landed_tables = {cast(str, table["name"]): table for table in live_schema.data_tables()}
    landed = {key(name, ref) for name, table in landed_tables.items()
              for ref in table.get("references") or []}
    declared = {(r.table, r.columns, r.referenced_table, r.referenced_columns) for r in relationships}
    notes = [f"{DRIFT_MARK} landed reference not in the contract: {t}.{', '.join(c)} → {rt}.{', '.join(rc)}"
             for t, c, rt, rc in sorted(landed - declared)]
    notes += [f"{DRIFT_MARK} contract reference missing from the landed schema: {t}.{', '.join(c)} → "
              f"{rt}.{', '.join(rc)}" for t, c, rt, rc in sorted(declared - landed) if t in landed_tables]
    return notes


def _table_doc(tspec: TableSpec, live_tables: dict[str, Any] | None) -> TableDoc:
    refs = {c.name: f"{c.references[0]}.{c.references[1]}" for c in tspec.columns if c.references}
    for rel in dlt_references(tspec.name):
        if rel["referenced_table"] == tspec.parent:
            for col, target in zip(rel["columns"], rel["referenced_columns"], strict=True):
                refs.setdefault(col, f"{tspec.parent}.{target}")
    columns = [ColumnDoc(c.name, c.type, c.description, c.name in tspec.primary_key, refs.get(c.name))
               for c in tspec.columns]
    doc = TableDoc(tspec.name, tspec.pipeline_id, tspec.pipeline, tspec.replication, tspec.description,
                   tspec.primary_key, tspec.parent, tuple(columns))
    if live_tables is None:
        return doc
    live = live_tables.get(tspec.name)
    if live is None:
        return dataclasses.replace(doc, landed=False)
    live_columns = {name: col for name, col in live.get("columns", {}).items()
                    if not name.startswith("_dlt_")}
    marked: list[ColumnDoc] = []
    for col in columns:
        landed = live_columns.get(col.name)
        expected = DLT_TYPES[col.type]
        if landed is None:
            marked.append(dataclasses.replace(col, drift="not landed"))
        elif landed.get("data_type") != expected:
            drift = f"landed as {landed.get('data_type')}, contract {expected}"
            marked.append(dataclasses.replace(col, drift=drift))
        else:
            marked.append(col)
    for name, landed in live_columns.items():
        if name not in tspec.column_names:
            marked.append(ColumnDoc(name, str(landed.get("data_type")), landed.get("description") or "",
                                    drift="landed but not in the contract"))
    return dataclasses.replace(doc, columns=tuple(marked), landed=True,
                               write_disposition=str(live.get("write_disposition") or ""))


def mermaid_er(dictionary: DataDictionary) -> str:
    """Return a Mermaid ``erDiagram`` with every table's key and reference columns and every relationship."""
    lines = ["erDiagram"]
    for table in dictionary.tables:
        attributes = [c for c in table.columns if c.primary_key or c.references]
        lines.append(f"    {table.name} {{")
        for col in attributes:
            keys = ", ".join(k for k, on in (("PK", col.primary_key), ("FK", bool(col.references))) if on)
            lines.append(f"        {col.type} {col.name} {keys}")
        lines.append("    }")
    for rel in dictionary.relationships:
        cardinality = "}o--||" if rel.to_one else "}o--o{"
        label = f"{', '.join(rel.columns)} → {', '.join(rel.referenced_columns)}"
        lines.append(f'    {rel.table} {cardinality} {rel.referenced_table} : "{label}"')
    return "\n".join(lines) + "\n"


def render(dictionary: DataDictionary, fmt: TDocFormat = "markdown") -> str:
    """Render the dictionary as Markdown (GitHub renders the Mermaid block) or a standalone HTML page.

    Raises:
        ConfigError: For an unknown format.

    """
    if fmt == "markdown":
        return _render_markdown(dictionary)
    if fmt == "html":
        return _render_html(dictionary)
    raise ConfigError(f"Invalid --format {fmt!r}: use markdown or html.")


def _summary_line(dictionary: DataDictionary) -> str:
    pipelines = {t.pipeline_id for t in dictionary.tables}
    columns = sum(len(t.columns) for t in dictionary.tables)
    return (f"{len(dictionary.tables)} tables in {len(pipelines)} pipelines, {columns} columns, "
            f"{len(dictionary.relationships)} relationships.")


def _origin_line(dictionary: DataDictionary) -> str:
    if dictionary.source:
        return (f"Generated by `lisync docs` from the table contract and the schema landed in "
                f"{dictionary.source}. {DRIFT_MARK} marks where the landed schema differs from the contract.")
    return (f"Generated by `lisync docs` from the table contract (`lisync/spec/data/linkedin_tables.json`). "
            f"Do not edit by hand: run `{REGENERATE_COMMAND}`.")


def markdown_cell(text: str) -> str:
    """Return ``text`` escaped for one Markdown table cell (pipes, backticks, angle brackets, newlines)."""
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    out = out.replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(out.split())


def _table_facts(table: TableDoc) -> list[tuple[str, str]]:
    facts = [("Pipeline", f"{table.pipeline_title} (`lisync run {table.pipeline_id}`)"),
             ("Replication", table.replication)]
    if table.write_disposition:
        facts.append(("Write disposition (landed)", f"`{table.write_disposition}`"))
    facts.append(("Primary key", ", ".join(f"`{c}`" for c in table.primary_key) or "none"))
    if table.parent:
        facts.append(("Parent table", f"[`{table.parent}`](#{table.parent})"))
    if table.landed is False:
        facts.append(("Landed", f"{DRIFT_MARK} not in the landed schema (pipeline not run yet?)"))
    return facts


def _render_markdown(dictionary: DataDictionary) -> str:
    out = ["# lisync data dictionary", "", _origin_line(dictionary), "", _summary_line(dictionary), ""]
    out += [*(f"- {note}" for note in dictionary.notes), ""] if dictionary.notes else []
    out += ["## Entity-relationship diagram", "",
            "Keys (PK) and references (FK) of every table; each line is a relationship "
            "(`}o--||`: many rows to one, `}o--o{`: many to many).", "",
            "```mermaid", mermaid_er(dictionary).rstrip("\n"), "```", "",
            "## Tables", "", "| Table | Pipeline | Replication | Description |", "| --- | --- | --- | --- |"]
    for t in dictionary.tables:
        link = f"[`{t.name}`](#{t.name})"
        out.append(f"| {link} | `{t.pipeline_id}` | {t.replication} | {markdown_cell(t.description)} |")
    for t in dictionary.tables:
        out += ["", f"### {t.name}", "", markdown_cell(t.description) or "(no description)", ""]
        out += [f"- **{label}:** {value}" for label, value in _table_facts(t)]
        out += ["", "| Column | Type | Key | References | Description |", "| --- | --- | --- | --- | --- |"]
        for c in t.columns:
            key = "PK" if c.primary_key else ""
            ref = f"`{c.references}`" if c.references else ""
            text = markdown_cell(c.description) + (f" {DRIFT_MARK} {c.drift}" if c.drift else "")
            out.append(f"| `{c.name}` | {c.type} | {key} | {ref} | {text.strip()} |")
    return "\n".join(out) + "\n"


def _render_html(dictionary: DataDictionary) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        "<title>lisync data dictionary</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}"
        "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;"
        "vertical-align:top;text-align:left}code{font-size:.9em}.drift{color:#b45309}</style>",
        "</head>", "<body>", "<h1>lisync data dictionary</h1>",
        f"<p>{e(_origin_line(dictionary).replace('`', ''))}</p>", f"<p>{e(_summary_line(dictionary))}</p>",
    ]
    if dictionary.notes:
        parts += ["<ul>", *(f'<li class="drift">{e(n)}</li>' for n in dictionary.notes), "</ul>"]
    parts += ["<h2>Entity-relationship diagram</h2>",
              f'<pre class="mermaid">{e(mermaid_er(dictionary))}</pre>',
              "<h2>Tables</h2>", "<table><tr><th>Table</th><th>Pipeline</th><th>Replication</th>"
              "<th>Description</th></tr>"]
    for t in dictionary.tables:
        parts.append(f'<tr><td><a href="#{e(t.name)}"><code>{e(t.name)}</code></a></td>'
                     f"<td><code>{e(t.pipeline_id)}</code></td><td>{e(t.replication)}</td>"
                     f"<td>{e(t.description)}</td></tr>")
    parts.append("</table>")
    for t in dictionary.tables:
        parts += [f'<h3 id="{e(t.name)}">{e(t.name)}</h3>', f"<p>{e(t.description)}</p>", "<ul>"]
        parts += [f"<li><b>{e(label)}:</b> {e(value.replace('`', ''))}</li>"
                  for label, value in _table_facts(t) if label != "Parent table"]
        if t.parent:
            parts.append(f'<li><b>Parent table:</b> <a href="#{e(t.parent)}">{e(t.parent)}</a></li>')
        parts += ["</ul>", "<table><tr><th>Column</th><th>Type</th><th>Key</th><th>References</th>"
                  "<th>Description</th></tr>"]
        for c in t.columns:
            drift = f' <span class="drift">{DRIFT_MARK} {e(c.drift)}</span>' if c.drift else ""
            parts.append(f"<tr><td><code>{e(c.name)}</code></td><td>{e(c.type)}</td>"
                         f"<td>{'PK' if c.primary_key else ''}</td><td>{e(c.references or '')}</td>"
                         f"<td>{e(c.description)}{drift}</td></tr>")
        parts.append("</table>")
    parts += [f'<script type="module">import mermaid from "{MERMAID_MODULE_URL}";'
              "mermaid.initialize({startOnLoad: true});</script>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def write_docs(text: str, output: str) -> Path:
    """Write generated docs to ``output``, creating its folder; return the path written."""
    path = Path(output).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
