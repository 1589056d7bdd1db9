"""dlt table hints for a spec table: columns with types and descriptions, keys, references, contract."""

from __future__ import annotations

from typing import Any

import dlt
from dlt.extract.resource import DltResource

from lisync import spec

# Unknown columns would break the contract (an extra-named column is a bug), so the schema is frozen
# for columns; a value that does not fit its column type fails loudly instead of creating a variant column.
FROZEN_CONTRACT: dict[str, str] = {"tables": "evolve", "columns": "freeze", "data_type": "freeze"}


def table_hints(table: str) -> dict[str, Any]:
    """Return the keyword hints for ``dlt.resource``/``apply_hints`` that make ``table`` match the spec.

    Args:
        table: A spec table name.

    Returns:
        ``columns``, ``primary_key`` (when the spec suggests one), ``references``, the table description
        (as an additional table hint) and the frozen schema contract.

    """
    tspec = spec.table_spec(table)
    hints: dict[str, Any] = {
        "columns": spec.dlt_columns(table),
        "references": spec.dlt_references(table) or None,
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


def add_child_table(resource: DltResource, table: str, write_disposition: Any) -> None:
    """Declare ``table`` as a variant of ``resource`` (rows sent with ``dlt.mark.with_table_name``)."""
    hints = table_hints(table)
    resource.apply_hints(table_name=table, create_table_variant=True, write_disposition=write_disposition,
                         **hints)


def row_for(table: str, row: dict[str, Any]) -> Any:
    """Mark ``row`` as belonging to ``table`` (a child table produced by the parent's resource)."""
    return dlt.mark.with_table_name(row, table)


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
