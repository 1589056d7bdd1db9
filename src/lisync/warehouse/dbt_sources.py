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
# Tables other lisync pipelines may not have replicated: table → (dbt variable that enables it, its default). The
# project's dbt_project.yml sets the same defaults; the models over each table follow the same variable.
OPTIONAL_TABLES: dict[str, tuple[str, bool]] = {
    "ad_demographics": ("lisync__using_demographics", False),
    "demographic_values": ("lisync__using_demographics", False),
    "creative_landing_pages": ("lisync__using_landing_pages", True),
    "organization_followers": ("lisync__using_followers", False),
    "organization_video_statistics": ("lisync__using_video", False),
    "ad_account_users": ("lisync__using_account_users", False),
    **{table: ("lisync__using_leads", False) for table in (
        "lead_forms", "lead_forms__questions", "lead_forms__question_options", "lead_forms__hidden_fields",
        "lead_forms__consents", "lead_form_responses", "lead_form_responses__answers",
        "lead_form_responses__consents")},
}


def sources_document() -> dict[str, Any]:
    """Return the dbt sources document for every table of the contract, in contract order."""
    tables = []
    for table in all_tables().values():
        entry: dict[str, Any] = {"name": table.name, "description": table.description or ""}
        if table.name in OPTIONAL_TABLES:
            variable, default = OPTIONAL_TABLES[table.name]
            entry["config"] = {"enabled": f"{{{{ var('{variable}', {str(default).lower()}) }}}}"}
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
