"""dlt hints from the contract: column types and descriptions, keys, references, the frozen schema contract."""

from __future__ import annotations

from typing import Any

from dlt.extract.resource import DltResource

from lisync.spec.loader import table_spec

# The spec's portable types mapped to dlt data types.
DLT_TYPES: dict[str, str] = {
    "text": "text",
    "float": "double",
    "boolean": "bool",
    "date": "date",
    "timestamp": "timestamp",
}

# Unknown columns would break the contract (an extra-named column is a bug), so the schema is frozen
# for columns; a value that does not fit its column type fails loudly instead of creating a variant column.
FROZEN_CONTRACT: dict[str, str] = {"tables": "evolve", "columns": "freeze", "data_type": "freeze"}


def dlt_columns(table: str) -> dict[str, dict[str, Any]]:
    """Return dlt column hints (type, description, nullability, primary key) for ``table``.

    Every column is nullable: LinkedIn omits fields, and a missing value must land as NULL rather
    than fail the load. Primary-key columns are the exception.
    """
    tspec = table_spec(table)
    hints: dict[str, dict[str, Any]] = {}
    for col in tspec.columns:
        is_key = col.name in tspec.primary_key
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
    tspec = table_spec(table)
    refs: dict[str, dict[str, Any]] = {}
    for col in tspec.columns:
        if not col.references:
            continue
        target_table, target_col = col.references
        ref = refs.setdefault(target_table, {"referenced_table": target_table, "columns": [],
                                             "referenced_columns": []})
        ref["columns"].append(col.name)
        ref["referenced_columns"].append(target_col)
    if tspec.parent:
        parent = table_spec(tspec.parent)
        shared = [c for c in parent.primary_key if c in tspec.column_names]
        if not shared:
            # Child tables carry the parent's key under a child-specific name (e.g. conversion_id).
            shared_pairs = [(c.name, "id") for c in tspec.columns if c.name.endswith("_id")][:1]
        else:
            shared_pairs = [(c, c) for c in shared]
        if shared_pairs:
            refs.setdefault(tspec.parent, {
                "referenced_table": tspec.parent,
                "columns": [a for a, _ in shared_pairs],
                "referenced_columns": [b for _, b in shared_pairs],
            })
    return list(refs.values())


def table_hints(table: str) -> dict[str, Any]:
    """Return the keyword hints for ``dlt.resource``/``apply_hints`` that make ``table`` match the spec.

    Args:
        table: A spec table name.

    Returns:
        ``columns``, ``primary_key`` (when the spec suggests one), ``references``, the table description
        (as an additional table hint) and the frozen schema contract.

    """
    tspec = table_spec(table)
    hints: dict[str, Any] = {
        "columns": dlt_columns(table),
        "references": dlt_references(table) or None,
        "additional_table_hints": {"description": tspec.description} if tspec.description else None,
        "schema_contract": FROZEN_CONTRACT,
    }
    if tspec.primary_key:
        hints["primary_key"] = list(tspec.primary_key)
    return hints


def with_spec(resource: DltResource, write_disposition: Any, table: str | None = None) -> DltResource:
    """Apply the spec's hints for ``table`` (default: the resource's name) to ``resource`` and return it."""
    resource.apply_hints(write_disposition=write_disposition, **table_hints(table or resource.name))
    return resource


def slice_disposition(column: str, values: list[str]) -> dict[str, Any]:
    """A write disposition that replaces one slice of a table: the rows whose ``column`` is in ``values``.

    A sharded run uses it in place of ``replace`` for Full tables: dlt deletes the slice (every row of the
    shard's accounts or organizations, including entities that vanished from LinkedIn) and inserts what
    was read, in one merge through the shard's staging dataset, and other shards' rows stay untouched.

    Args:
        column: The slice column (``account_id``, ``id`` for ad_accounts, ``organization_urn``).
        values: The slice's values: numeric ids or URNs, which need no quoting beyond SQL's ``'``.

    Returns:
        dlt's ``merge``/``delete-insert`` disposition with a ``destination_scope``.

    """
    literals = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    scope = f"{column} IN ({literals})" if values else "1 = 0"  # an empty slice deletes nothing
    return {"disposition": "merge", "strategy": "delete-insert", "destination_scope": scope}
