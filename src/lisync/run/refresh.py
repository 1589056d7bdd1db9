"""Drops lisync pipelines' tables and savepoints in the destination, through dlt's public ``pipeline_drop``.

Two callers: ``--full-refresh`` (the user asks to re-read selected pipelines from the start date and replace
their tables) and :func:`heal_missing_tables` (a destination whose dlt schema and savepoints claim a table
that is not there — what two overlapping runs of an older lisync left behind — and on which every later
merge failed with "Table with name … does not exist"). Dropping a lisync pipeline drops every table of it
and every resource state that holds its savepoints, so the next extract re-reads it completely and dlt
creates its tables again.
"""

from __future__ import annotations

import json
import logging

import dlt
from dlt.common.destination.client import WithStateSync
from dlt.destinations.exceptions import DestinationUndefinedEntity
from dlt.pipeline.helpers import pipeline_drop

from lisync.run.heal import has_sql_tables
from lisync.spec.loader import load_spec
from lisync.spec.naming import SCHEMA_NAME

__all__ = ["STATE_ONLY_RESOURCES", "discard_unloadable_packages", "drop_pipelines", "heal_missing_tables",
           "missing_tables"]

log = logging.getLogger("lisync")

# Resources that hold a lisync pipeline's savepoints without writing a table of their own.
STATE_ONLY_RESOURCES: dict[str, tuple[str, ...]] = {"organization_posts": ("organization_post_pages",)}


def _pipeline_tables(name: str) -> list[str]:
    contract = load_spec()
    return [t.name for t in contract[name].tables] if name in contract else [name]  # a custom report: one table


def drop_pipelines(pipeline: dlt.Pipeline, names: list[str]) -> list[str]:
    """Drop the tables and savepoints of the lisync pipelines ``names`` in ``pipeline``'s destination.

    Args:
        pipeline: The run's pipeline, its state restored from the destination and nothing pending.
        names: lisync pipeline names (the spec's main table names, or custom report names).

    Returns:
        The tables dlt knew and dropped (an empty list when the destination never held any of them).
    """
    dropped: list[str] = []
    for schema_name in pipeline.schema_names:
        schema = pipeline.schemas[schema_name]
        tables = [t for n in names for t in _pipeline_tables(n) if t in schema.tables]
        resources = sorted({schema.tables[t].get("resource") or t for t in tables} |
                           {r for n in names for r in STATE_ONLY_RESOURCES.get(n, ())})
        if not resources:
            continue
        state_paths = [f"resources.{r}" for n in names for r in STATE_ONLY_RESOURCES.get(n, ())]
        drop = pipeline_drop(pipeline, resources=[f"re:^{r}$" for r in resources], schema_name=schema_name,
                             state_paths=state_paths)
        if not drop.is_empty:
            drop()
        dropped += tables
    return dropped


def missing_tables(pipeline: dlt.Pipeline, tables: list[str]) -> list[str]:
    """The ``tables`` the destination's stored dlt schema says hold data but the destination does not have.

    dlt creates tables only for a schema version it has not stored yet: while the stored schema claims a table,
    every load into it fails. Destinations without SQL or without a stored schema have nothing to claim.
    """
    if not has_sql_tables(pipeline):
        return []  # filesystem: its "tables" are files, listed by no information_schema
    try:
        client_cm = pipeline.destination_client()
        with client_cm as client:
            if not isinstance(client, WithStateSync):
                return []
            stored = client.get_stored_schema(SCHEMA_NAME)
            if stored is None:
                return []
            claimed = json.loads(stored.schema).get("tables", {})
            wanted = [t for t in tables if (claimed.get(t, {}).get("x-normalizer") or {}).get("seen-data")]
            if not wanted:
                return []
        present = dataset_table_names(pipeline)
    except DestinationUndefinedEntity:
        return []  # no dataset yet: nothing is claimed
    except Exception as exc:  # a destination without information_schema: nothing to heal from here
        log.debug("Skipped the missing-table check: %s", exc)
        return []
    return [t for t in wanted if t not in present]


def dataset_table_names(pipeline: dlt.Pipeline) -> set[str]:
    """The tables the destination's ``information_schema`` lists in the pipeline's dataset.

    Raises:
        DestinationUndefinedEntity: The dataset does not exist.
        Exception: Whatever the destination raises when it has no ``information_schema``.
    """
    with pipeline.sql_client() as sql:
        rows = sql.execute_sql("select table_name from information_schema.tables where table_schema = %s",
                               pipeline.dataset_name)
    return {str(row[0]) for row in rows or []}


def discard_unloadable_packages(pipeline: dlt.Pipeline, pipelines: list[str]) -> str | None:
    """Drop pending packages that can never load because a table they merge into is gone; return a note.

    Call before the state is restored: nothing of these packages was committed, and with them gone the run
    starts from the destination's state and :func:`heal_missing_tables` re-reads the lost tables.
    """
    if not pipeline.has_pending_data:
        return None
    lost = missing_tables(pipeline, [t for n in pipelines for t in _pipeline_tables(n)])
    if not lost:
        return None
    pipeline.drop_pending_packages()
    note = (f"Dropped an unloaded package of an earlier run: it loads into {', '.join(lost)}, which the "
            "destination lost.")
    log.warning(note)
    return note


def heal_missing_tables(pipeline: dlt.Pipeline, pipelines: list[str]) -> str | None:
    """Re-read from scratch each of ``pipelines`` whose tables the destination lost; return a note if any.

    Call after the state is restored from the destination and before extracting.
    """
    if pipeline.has_pending_data or SCHEMA_NAME not in pipeline.schema_names:
        return None
    tables = [t for n in pipelines for t in _pipeline_tables(n)]
    lost = missing_tables(pipeline, tables)
    if not lost:
        return None
    broken = [n for n in pipelines if set(_pipeline_tables(n)) & set(lost)]
    drop_pipelines(pipeline, broken)
    note = (f"The destination lacked {', '.join(lost)} although its savepoints covered them: re-reading "
            f"{', '.join(broken)} from the start date.")
    log.warning(note)
    return note
