"""``lisync state``: the savepoints a destination holds, per pipeline and scope, with each scope's last load.

Read from the destination, never from dlt's local working folder (:func:`lisync.run.state.
restore_state_from_destination`): what it shows is what the next run into that destination resumes from.
A scope is an ad account (``ad_performance``, ``conversion_performance``) or an organization and its period
(``organization_pages``, ``organization_posts``); its last load is the newest ``_dlt_loads.inserted_at``
among the rows of that account or organization.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import dlt

from lisync.sources.incremental import SAVEPOINTS_KEY
from lisync.spec.naming import SCHEMA_NAME

__all__ = ["SCOPE_COLUMNS", "StateRow", "savepoint_rows"]

# savepoint-holding resource → (table whose rows it covers, column naming the scope, how a scope id maps to it)
SCOPE_COLUMNS: dict[str, tuple[str, str, str]] = {
    "ad_performance": ("ad_performance", "account_id", "{id}"),
    "conversion_performance": ("conversion_performance", "account_id", "{id}"),
    "organization_pages": ("organization_pages", "organization_urn", "urn:li:organization:{id}"),
    "organization_post_pages": ("organization_posts", "organization_urn", "urn:li:organization:{id}"),
}


@dataclass(frozen=True)
class StateRow:
    """One savepoint: the resource, its scope (account id, or organization id and period), the date, last load."""

    resource: str
    scope: str
    savepoint: str
    last_load: str | None


def _last_loads(pipeline: dlt.Pipeline, table: str, column: str) -> dict[str, str]:
    """``{scope value: newest load time}`` of ``table`` (empty when the table or _dlt_loads is missing)."""
    try:
        with pipeline.sql_client() as client:
            name = client.make_qualified_table_name(table)
            loads = client.make_qualified_table_name("_dlt_loads")
            rows = client.execute_sql(f"select t.{column}, max(l.inserted_at) from {name} t join {loads} l on "
                                      f"t._dlt_load_id = l.load_id group by t.{column}")
    except Exception:
        return {}
    return {str(value): str(when)[:19] for value, when in rows or [] if value is not None}


def savepoint_rows(pipeline: dlt.Pipeline) -> list[StateRow]:
    """Return every savepoint of ``pipeline``'s (restored) state, with the last load of its scope."""
    sources: dict[str, Any] = pipeline.state.get("sources") or {}
    resources: dict[str, Any] = (sources.get(SCHEMA_NAME) or {}).get("resources") or {}
    rows: list[StateRow] = []
    for resource in sorted(resources):
        savepoints = (resources[resource] or {}).get(SAVEPOINTS_KEY) or {}
        if not savepoints:
            continue
        table, column, pattern = SCOPE_COLUMNS.get(resource, (resource, "", ""))
        loads = _last_loads(pipeline, table, column) if column else {}
        for scope in sorted(savepoints):
            key = pattern.format(id=scope.split(":")[0]) if pattern else ""
            rows.append(StateRow(resource, scope, str(savepoints[scope]), loads.get(key)))
    return rows
