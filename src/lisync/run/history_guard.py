"""Keeps entity history safe when a run's history setting differs from what the destination holds.

The destination is the truth (as for savepoints, :mod:`lisync.run.state`): the newest lisync dlt schema
stored in the dataset, whichever dlt pipeline (shard, machine) stored it, says which entity tables hold
history (the table's merge strategy is ``scd2``, or its columns carry dlt's validity hints). Two mismatches
are settled before extracting:

* a table that holds history, in a run that did not ask for it: history stays on for that table and the
  summary says so in one line. A run never throws versions away by omission: ``--no-history`` means "do not
  start history", and dropping history is a deliberate act (``--full-refresh``, or dropping the table).
* a table asked to keep history that holds plain (replaced) rows: the table is dropped and written anew as
  first versions by the same load (dlt's ``refresh="drop_resources"`` on a source holding only those tables,
  so the drop happens in the load step, never when extraction fails). The plain rows are the current state
  that a replace would have overwritten anyway; nothing of value is lost. A sharded run cannot do this (the
  table holds the other shards' rows too) and stops with a one-line error instead.

See docs/history.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import dlt
from dlt.common.destination.client import WithStateSync
from dlt.common.schema.typing import TSchemaTables
from dlt.common.schema.utils import get_merge_strategy, get_validity_column_names, has_table_seen_data
from dlt.destinations.exceptions import DestinationUndefinedEntity
from dlt.extract.source import DltSource

from lisync.config.parse import HISTORY_TABLES
from lisync.config.settings import RunSettings
from lisync.errors import ConfigError
from lisync.sources.history import keep_history
from lisync.spec.naming import SCHEMA_NAME

__all__ = ["HistoryPlan", "apply_history_plan", "holds_history", "plan_history", "split_for_refresh"]


@dataclass(frozen=True)
class HistoryPlan:
    """How a run treats the entity tables whose stored shape differs from its history setting.

    Attributes:
        kept: Tables that hold history although the run did not ask for it: they keep it.
        started: Tables the run asks history for that hold plain rows: dropped and written as first versions.
    """

    kept: tuple[str, ...] = ()
    started: tuple[str, ...] = ()

    def note(self) -> str | None:
        """One summary line about the tables whose history was kept, else ``None``."""
        if not self.kept:
            return None
        tables = ", ".join(self.kept)
        return (f"{tables} {'holds' if len(self.kept) == 1 else 'hold'} entity history (valid_from/valid_to) in the "
                "destination: kept it (pass --history to say so; --full-refresh drops it deliberately).")


def holds_history(tables: TSchemaTables, name: str) -> bool:
    """Whether dlt's schema ``tables`` declare ``name`` a history table (``scd2`` merge or validity columns)."""
    if name not in tables:
        return False
    return get_merge_strategy(tables, name) == "scd2" or any(get_validity_column_names(tables[name]))


def _local_tables(pipeline: dlt.Pipeline) -> TSchemaTables:
    """The tables of lisync's dlt schema in the pipeline's working copy (restored from the destination)."""
    return pipeline.schemas[SCHEMA_NAME].tables if SCHEMA_NAME in pipeline.schema_names else {}


def _stored_tables(pipeline: dlt.Pipeline) -> TSchemaTables:
    """The tables of the newest lisync dlt schema stored in the destination's dataset, else the working copy's.

    Read from the destination whichever dlt pipeline stored it: a shard's first run, or a run under another
    pipeline name, restores no schema of its own.
    """
    try:
        with pipeline.destination_client() as client:
            stored = client.get_stored_schema(SCHEMA_NAME) if isinstance(client, WithStateSync) else None
    except DestinationUndefinedEntity:
        stored = None  # no dataset yet
    tables: TSchemaTables = json.loads(stored.schema).get("tables", {}) if stored is not None else {}
    return tables or _local_tables(pipeline)


def plan_history(pipeline: dlt.Pipeline, settings: RunSettings, tables: Iterable[str]) -> HistoryPlan:
    """Compare the run's history setting with what the destination holds, for the run's ``tables``.

    Call after the state and schemas are restored from the destination (:mod:`lisync.run.state`).

    Raises:
        ConfigError: When a sharded run asks history for a table of plain rows (it would drop other shards' rows).
    """
    stored = _stored_tables(pipeline)
    entity = [t for t in HISTORY_TABLES if t in set(tables)]
    kept = tuple(t for t in entity if t not in settings.history and holds_history(stored, t))
    started = tuple(t for t in entity if t in settings.history and t in stored and not holds_history(stored, t)
                    and has_table_seen_data(stored[t]))
    if started and settings.shard:
        raise ConfigError(f"{', '.join(started)} holds plain rows, not history: start history with one unsharded "
                          "`lisync run --history` of it, then run the shards.")
    unknown = [t for t in started if t not in _local_tables(pipeline)]  # dlt's refresh drops only tables it knows
    if unknown:
        raise ConfigError(f"{', '.join(unknown)} holds plain rows that dlt pipeline {pipeline.pipeline_name} did not "
                          "load: start history with a run under the pipeline name that loaded them.")
    return HistoryPlan(kept, started)


def apply_history_plan(sources: list[DltSource], plan: HistoryPlan) -> None:
    """Switch the resources of the tables that keep history (``plan.kept``) to dlt ``scd2`` in ``sources``."""
    for source in sources:
        for name in plan.kept:
            if name in source.resources:
                keep_history(source.resources[name])


def split_for_refresh(sources: list[DltSource], tables: tuple[str, ...]) -> tuple[list[DltSource], list[DltSource]]:
    """Split ``sources`` into those extracting exactly ``tables`` and the rest (everything else they select).

    The first list is extracted with dlt's ``refresh="drop_resources"``: dlt drops those tables in the load
    step of the same package, and creates them again from the new rows.
    """
    if not tables:
        return [], sources
    refreshed: list[DltSource] = []
    rest: list[DltSource] = []
    for source in sources:
        selected = list(source.resources.selected)
        mine = [name for name in selected if name in tables]
        if not mine:
            rest.append(source)
            continue
        refreshed.append(source.with_resources(*mine))
        others = [name for name in selected if name not in tables]
        if others:
            rest.append(source.with_resources(*others))
    return refreshed, rest
