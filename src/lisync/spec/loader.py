"""The table contract: loads the seed ``data/linkedin_tables.json`` and the extension contracts beside it.

The seed holds the 15 tables lisync was specified with and stays byte-identical; a family that adds tables
ships its own file in ``data/extensions/<family>.json`` in the same format. :func:`load_spec` reads the seed
first, then every extension in file-name order, so pipelines (and tables) keep one deterministic order.
This package is the only place that knows column names and types: resources take their dlt hints from
:mod:`lisync.spec.hints`, and the conformance tests compare every landed table with the contract.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from typing import Any, Literal

TSpecType = Literal["text", "float", "boolean", "date", "timestamp"]
TReplication = Literal["Full", "Incremental", "Incremental with update window"]

SEED_FILE = "linkedin_tables.json"
EXTENSIONS_FOLDER = "extensions"


def data_folder() -> Traversable:
    """The folder shipped with the package that holds the seed contract and ``extensions/``."""
    return resources.files("lisync.spec").joinpath("data")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the contract.

    Attributes:
        name: Exact column name in the destination.
        type: The spec's type (text, float, boolean, date, timestamp).
        description: What the column means (goes into the warehouse as a comment).
        references: ``(table, column)`` this column points to, if the spec draws a relationship.
        personal: Whether the column holds personal data (``"personal": true`` in the contract): the lead
            pipelines keep, hash or empty it as ``--lead-pii`` says, and its description says so.
    """

    name: str
    type: TSpecType
    description: str
    references: tuple[str, str] | None
    personal: bool = False


@dataclass(frozen=True)
class TableSpec:
    """One table of the contract.

    Attributes:
        name: Table name in the destination.
        pipeline: The spec's pipeline display name (e.g. "Ad performance").
        pipeline_id: The pipeline's main table name, used as the CLI pipeline name.
        replication: The pipeline's replication mode.
        parent: The parent table for child tables, else ``None``.
        description: What the table holds.
        primary_key: The suggested primary key columns (empty for child tables without one).
        columns: The columns, in spec order.
    """

    name: str
    pipeline: str
    pipeline_id: str
    replication: TReplication
    parent: str | None
    description: str
    primary_key: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]

    @property
    def column_names(self) -> list[str]:
        """Return the column names in spec order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> ColumnSpec:
        """Return the column called ``name``.

        Raises:
            KeyError: If the table has no such column.
        """
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")


@dataclass(frozen=True)
class PipelineSpec:
    """One pipeline of the contract: a main table plus its child tables.

    Attributes:
        id: The main table's name, used as the pipeline name on the CLI.
        title: The spec's display name.
        replication: Replication mode.
        parameters: Parameter names with their descriptions.
        tables: The main table first, then its children.
    """

    id: str
    title: str
    replication: TReplication
    parameters: tuple[tuple[str, str], ...]
    tables: tuple[TableSpec, ...]


def contract_documents(folder: Traversable | None = None,
                       extensions: bool = True) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(file name, parsed JSON)`` for the seed, then for each extension contract in file-name order.

    Args:
        folder: The contract folder (default: :func:`data_folder`).
        extensions: Also read ``extensions/*.json``.
    """
    folder = folder or data_folder()
    yield SEED_FILE, json.loads(folder.joinpath(SEED_FILE).read_text(encoding="utf-8"))
    extension_folder = folder.joinpath(EXTENSIONS_FOLDER)
    if not extensions or not extension_folder.is_dir():
        return
    for item in sorted((i for i in extension_folder.iterdir() if i.name.endswith(".json")), key=lambda i: i.name):
        yield f"{EXTENSIONS_FOLDER}/{item.name}", json.loads(item.read_text(encoding="utf-8"))


def load_contract(folder: Traversable | None = None, extensions: bool = True) -> dict[str, PipelineSpec]:
    """Parse the contract documents in ``folder`` (see :func:`contract_documents`) into pipeline specs.

    A column may reference a pipeline of any document by its display name.

    Returns:
        Pipelines keyed by their id (the main table name): the seed's in seed order, then each extension's.

    Raises:
        ValueError: When two documents define the same pipeline or table.
    """
    documents = list(contract_documents(folder, extensions))
    main_tables = {p["pipeline"]: p["tables"][0]["table"] for _, raw in documents for p in raw["pipelines"]}
    notes = description_notes(documents)
    corrections = description_corrections(documents)
    pipelines: dict[str, PipelineSpec] = {}
    seen_tables: dict[str, str] = {}
    for source, raw in documents:
        for p in raw["pipelines"]:
            pid = p["tables"][0]["table"]
            tables = []
            for t in p["tables"]:
                if t["table"] in seen_tables:
                    raise ValueError(f"Table {t['table']} in {source} is already defined in {seen_tables[t['table']]}.")
                seen_tables[t["table"]] = source
                cols = []
                for c in t["columns"]:
                    ref = c.get("references")
                    target = (main_tables[ref["pipeline"]], ref["column"]) if ref else None
                    description = corrected(corrections, t["table"], c["name"], c.get("description") or "")
                    if (t["table"], c["name"]) in notes:
                        description = f"{description.rstrip('. ')}. {notes[t['table'], c['name']]}"
                    cols.append(ColumnSpec(c["name"], c["type"], description, target,
                                           bool(c.get("personal", False))))
                tables.append(TableSpec(
                    name=t["table"], pipeline=p["pipeline"], pipeline_id=pid, replication=p["replication"],
                    parent=t.get("parent"),
                    description=corrected(corrections, t["table"], None, t.get("description") or ""),
                    primary_key=tuple(t.get("suggested_primary_key") or ()), columns=tuple(cols),
                ))
            params = tuple((x["name"], x.get("description") or "") for x in p.get("parameters", []))
            pipelines[pid] = PipelineSpec(pid, p["pipeline"], p["replication"], params, tuple(tables))
    return pipelines


def description_notes(documents: list[tuple[str, dict[str, Any]]]) -> dict[tuple[str, str], str]:
    """Notes an extension appends to existing column descriptions, by ``(table, column)``.

    An extension document may hold ``description_notes: [{"table", "columns", "note", "why"}]``: a correction
    to columns of another document (the seed stays byte-identical; the note records what changed and why).
    """
    return {(note["table"], column): note["note"] for _, raw in documents
            for note in raw.get("description_notes", []) for column in note["columns"]}


def description_corrections(documents: list[tuple[str, dict[str, Any]]]
                            ) -> dict[tuple[str, str | None], tuple[str, str]]:
    """Replacements an extension makes to wrong descriptions of another document, by ``(table, column)``.

    An extension document may hold ``description_corrections: [{"table", "column", "was", "description",
    "why"}]`` (``column`` null: the table's description): the loader uses ``description`` instead of ``was``
    while the other document still says ``was`` (the seed stays byte-identical; the entry records the fix).
    """
    return {(fix["table"], fix.get("column")): (fix["was"], fix["description"]) for _, raw in documents
            for fix in raw.get("description_corrections", [])}


def corrected(corrections: dict[tuple[str, str | None], tuple[str, str]], table: str, column: str | None,
              description: str) -> str:
    """Return ``description``, or its recorded correction while it still reads as the correction expects."""
    was, fixed = corrections.get((table, column), (None, description))
    return fixed if description == was else description


@cache
def load_spec() -> dict[str, PipelineSpec]:
    """Load the contract shipped with the package: the seed, then the extension contracts.

    Returns:
        Pipelines keyed by their id (the main table name), in contract order.
    """
    return load_contract()


def all_tables() -> dict[str, TableSpec]:
    """Return every table of the contract keyed by name."""
    return {t.name: t for p in load_spec().values() for t in p.tables}


def table_spec(name: str) -> TableSpec:
    """Return the contract for table ``name``.

    Raises:
        KeyError: If the spec has no such table.
    """
    return all_tables()[name]
