"""The table contract: loads the shipped copy of ``linkedin_tables.json`` and turns it into dlt hints.

This module is the only place that knows column names and types. Resources take their column hints,
primary keys, descriptions and references from here, and the conformance tests compare every landed
table with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

TSpecType = Literal["text", "float", "boolean", "date", "timestamp"]
TReplication = Literal["Full", "Incremental", "Incremental with update window"]

# The spec's portable types mapped to dlt data types.
DLT_TYPES: dict[str, str] = {
    "text": "text",
    "float": "double",
    "boolean": "bool",
    "date": "date",
    "timestamp": "timestamp",
}


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the contract.

    Attributes:
        name: Exact column name in the destination.
        type: The spec's type (text, float, boolean, date, timestamp).
        description: What the column means (goes into the warehouse as a comment).
        references: ``(table, column)`` this column points to, if the spec draws a relationship.
    """

    name: str
    type: TSpecType
    description: str
    references: tuple[str, str] | None


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


def _load_raw() -> dict[str, Any]:
    text = resources.files("lisync.spec_data").joinpath("linkedin_tables.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def load_spec() -> dict[str, PipelineSpec]:
    """Load the contract shipped with the package.

    Returns:
        Pipelines keyed by their id (the main table name), in spec order.
    """
    raw = _load_raw()
    main_tables = {p["pipeline"]: p["tables"][0]["table"] for p in raw["pipelines"]}
    pipelines: dict[str, PipelineSpec] = {}
    for p in raw["pipelines"]:
        pid = p["tables"][0]["table"]
        tables = []
        for t in p["tables"]:
            cols = []
            for c in t["columns"]:
                ref = c.get("references")
                target = (main_tables[ref["pipeline"]], ref["column"]) if ref else None
                cols.append(ColumnSpec(c["name"], c["type"], c.get("description") or "", target))
            tables.append(TableSpec(
                name=t["table"], pipeline=p["pipeline"], pipeline_id=pid, replication=p["replication"],
                parent=t.get("parent"), description=t.get("description") or "",
                primary_key=tuple(t.get("suggested_primary_key") or ()), columns=tuple(cols),
            ))
        params = tuple((x["name"], x.get("description") or "") for x in p.get("parameters", []))
        pipelines[pid] = PipelineSpec(pid, p["pipeline"], p["replication"], params, tuple(tables))
    return pipelines


def all_tables() -> dict[str, TableSpec]:
    """Return every table of the contract keyed by name."""
    return {t.name: t for p in load_spec().values() for t in p.tables}


def table_spec(name: str) -> TableSpec:
    """Return the contract for table ``name``.

    Raises:
        KeyError: If the spec has no such table.
    """
    return all_tables()[name]


def dlt_columns(table: str) -> dict[str, dict[str, Any]]:
    """Return dlt column hints (type, description, nullability, primary key) for ``table``.

    Every column is nullable: LinkedIn omits fields, and a missing value must land as NULL rather
    than fail the load. Primary-key columns are the exception.
    """
    spec = table_spec(table)
    hints: dict[str, dict[str, Any]] = {}
    for col in spec.columns:
        is_key = col.name in spec.primary_key
        hint: dict[str, Any] = {
            "name": col.name,
            "data_type": DLT_TYPES[col.type],
            "nullable": not is_key,
        }
        if col.description:
            hint["description"] = col.description
        if is_key:
            hint["primary_key"] = True
        if col.type == "timestamp":
            hint["timezone"] = True
        hints[col.name] = hint
    return hints


def dlt_references(table: str) -> list[dict[str, Any]]:
    """Return dlt table references for the relationships the spec draws from ``table``."""
    spec = table_spec(table)
    refs: dict[str, dict[str, Any]] = {}
    for col in spec.columns:
        if not col.references:
            continue
        target_table, target_col = col.references
        ref = refs.setdefault(target_table, {"referenced_table": target_table, "columns": [],
                                             "referenced_columns": []})
        ref["columns"].append(col.name)
        ref["referenced_columns"].append(target_col)
    if spec.parent:
        parent = table_spec(spec.parent)
        shared = [c for c in parent.primary_key if c in spec.column_names]
        if not shared:
            # Child tables carry the parent's key under a child-specific name (e.g. conversion_id).
            shared_pairs = [(c.name, "id") for c in spec.columns if c.name.endswith("_id")][:1]
        else:
            shared_pairs = [(c, c) for c in shared]
        if shared_pairs:
            refs.setdefault(spec.parent, {
                "referenced_table": spec.parent,
                "columns": [a for a, _ in shared_pairs],
                "referenced_columns": [b for _, b in shared_pairs],
            })
    return list(refs.values())
