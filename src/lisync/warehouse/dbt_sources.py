"""Renders the dbt project's sources file (``dbt/models/staging/src_lisync.yml``) from the table contract.

The descriptions are the contract's, the same text ``lisync run`` writes into the warehouse as table and
column comments, so dbt docs and the warehouse catalog agree. Regenerate with
``python scripts/gen_dbt_sources.py``; a test fails when the committed file is stale.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from lisync.spec.loader import all_tables

SOURCES_PATH = Path("dbt") / "models" / "staging" / "src_lisync.yml"
HEADER = ("# Generated from lisync's table contract by scripts/gen_dbt_sources.py: do not edit by hand.\n"
          "# Descriptions are the ones lisync writes into the warehouse as table and column comments.\n")
# Tables other lisync pipelines may not have replicated: off unless their dbt variable says otherwise.
OPTIONAL_TABLES: dict[str, str] = {"ad_demographics": "lisync__using_demographics",
                                   "demographic_values": "lisync__using_demographics"}


def sources_document() -> dict[str, Any]:
    """Return the dbt sources document for every table of the contract, in contract order."""
    tables = []
    for table in all_tables().values():
        entry: dict[str, Any] = {"name": table.name, "description": table.description or ""}
        if table.name in OPTIONAL_TABLES:
            entry["config"] = {"enabled": f"{{{{ var('{OPTIONAL_TABLES[table.name]}', false) }}}}"}
        entry["columns"] = [{"name": c.name, "description": c.description or ""} for c in table.columns]
        tables.append(entry)
    return {"version": 2, "sources": [{
        "name": "lisync",
        "description": "Tables replicated from LinkedIn by lisync.",
        "schema": "{{ var('lisync_schema', 'linkedin') }}",
        "database": "{{ var('lisync_database', target.database) }}",
        "loader": "lisync",
        "tables": tables,
    }]}


def render_sources() -> str:
    """Return the sources file's text (deterministic: same contract, same bytes)."""
    body = yaml.safe_dump(sources_document(), sort_keys=False, allow_unicode=True, width=120)
    return HEADER + body
