"""Entity history: the Full entity tables keep every version with a validity interval (dlt's ``scd2`` merge).

With ``--history`` (or ``history = true`` / a list of tables in ``[sources.linkedin]``; parsed by
:func:`lisync.config.parse.parse_history`) the five ads entity
tables (``ad_accounts``, ``campaign_group_metadata``, ``campaign_metadata``, ``creative_metadata``,
``conversion_details``) are loaded with dlt's ``scd2`` merge strategy instead of ``replace``:

* every distinct content of an entity row is one version; dlt stores the row's content hash in ``_dlt_id``;
* ``valid_from`` is when lisync first loaded that version, ``valid_to`` when a later run saw it change or
  disappear (``NULL`` while it is current); a changed entity's old and new versions adjoin
  (old ``valid_to`` = new ``valid_from``);
* an entity LinkedIn no longer lists is *closed* (its current version gets a ``valid_to``), never deleted.
  In a sharded run only the shard's slice can be closed (the same ``destination_scope`` as its replace).

The spec's suggested primary key (``id``) is no longer unique in such a table, so it is not declared a
key; a version is identified by (``id``, ``valid_from``). The state at time ``T``::

    select * from campaign_metadata where valid_from <= T and (valid_to is null or valid_to > T)

Validity times are load times (dlt's load package creation time, UTC), not LinkedIn's ``last_modified_*``
(dlt stamps one boundary per table and load; see docs/history.md). Without history, the tables are replaced
on every run exactly as before, except a table that already holds history in the destination: it keeps it
(:mod:`lisync.run.history_guard`).

``conversion_details__associated_campaigns`` keeps the current associations only (it is not versioned).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dlt.common.schema.typing import TScd2StrategyDict
from dlt.extract.resource import DltResource

from lisync.config.parse import HISTORY_TABLES
from lisync.spec.hints import dlt_columns

VALID_FROM = "valid_from"
VALID_TO = "valid_to"
HISTORY_COLUMNS = {
    VALID_FROM: "When lisync first loaded this version of the entity (UTC load time); with --history only.",
    VALID_TO: "When a later run found the entity changed or no longer listed (UTC load time); NULL while this "
              "version is current; with --history only.",
}


def history_disposition(destination_scope: str | None = None) -> TScd2StrategyDict:
    """Return dlt's ``scd2`` merge disposition with lisync's validity column names (and a shard's scope)."""
    disposition: TScd2StrategyDict = {"disposition": "merge", "strategy": "scd2",
                                      "validity_column_names": [VALID_FROM, VALID_TO]}
    if destination_scope:
        disposition["destination_scope"] = destination_scope
    return disposition


def keep_history(resource: DltResource) -> DltResource:
    """Switch one entity table's resource from ``replace`` (or a shard's slice replace) to ``scd2``.

    The spec's columns keep their types and descriptions; the key columns become ordinary (non-null) columns.
    """
    current = resource.write_disposition
    scope = current.get("destination_scope") if isinstance(current, dict) else None
    scope = str(scope) if scope else None
    columns: dict[str, Any] = {}
    for name, hint in dlt_columns(resource.name).items():
        columns[name] = {**hint, "primary_key": False} if hint.get("primary_key") else hint
    # dlt declares the validity columns itself (it replaces any hint given for them, so their descriptions
    # live in HISTORY_COLUMNS and the docs).
    resource.apply_hints(write_disposition=history_disposition(scope), primary_key=[], columns=columns)
    return resource


def apply_history(resources: Iterable[DltResource], tables: Iterable[str]) -> list[DltResource]:
    """Return ``resources`` with history switched on for those named in ``tables``."""
    wanted = set(tables)
    return [keep_history(r) if r.name in wanted and r.name in HISTORY_TABLES else r for r in resources]
