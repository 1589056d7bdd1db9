"""A performance table's first load is a plain insert: with nothing to merge into, dlt's staging copy is waste.

dlt merges through a staging dataset: every row is copied into a staging table, then deleted from and inserted
into the final table. For a table the destination does not have yet there is nothing to delete, so that copy
only costs: at 16× the bench world (425,595 ``ad_performance`` rows into DuckDB) the staged merge costs 5.2
CPU-s against 3.4 for a plain insert (bench/RESULTS.md). A backfill, the largest load a table ever gets, is
exactly this case.

Only tables whose rows are unique by construction qualify (declared with
:data:`~lisync.sources.arrow.UNIQUE_MERGE`, their keys checked before the load by
:class:`~lisync.sources.arrow.UniqueKeys`), and only when the destination is known not to hold the table and no
earlier run's package is waiting to load (its rows could overlap this run's). Every later run merges as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import dlt
from dlt.destinations.exceptions import DestinationUndefinedEntity
from dlt.extract.source import DltSource

from lisync.run.heal import has_sql_tables
from lisync.run.refresh import dataset_table_names
from lisync.sources.arrow import UNIQUE_MERGE

__all__ = ["insert_into_new_tables"]

log = logging.getLogger("lisync")


def insert_into_new_tables(pipeline: dlt.Pipeline, sources: Iterable[DltSource]) -> list[str]:
    """Switch the unique-by-key merge resources whose table the destination lacks to a plain insert.

    Args:
        pipeline: The run's pipeline, its state restored from the destination.
        sources: The run's sources, before extraction.

    Returns:
        The tables that will be created by a plain insert in this run.
    """
    candidates = {name: resource for source in sources for name, resource in source.resources.items()
                  if resource.write_disposition == UNIQUE_MERGE}
    if not candidates or pipeline.has_pending_data:
        return []
    present = _destination_tables(pipeline)
    if present is None:
        return []
    fresh = sorted(name for name in candidates if name not in present)
    for name in fresh:
        candidates[name].apply_hints(write_disposition="append")
    if fresh:
        log.debug("First load of %s: a plain insert (nothing to merge into)", ", ".join(fresh))
    return fresh


# Destinations whose information_schema names tables exactly as dlt does (lower case, unquoted). Elsewhere
# (Snowflake upper-cases names) a table could look absent while present, and an insert would land keys twice.
LISTED_EXACTLY = ("duckdb", "postgres")


def _destination_tables(pipeline: dlt.Pipeline) -> set[str] | None:
    """The dataset's tables in the destination, or ``None`` when they cannot be listed (then nothing changes)."""
    if pipeline.destination is None or pipeline.destination.destination_name not in LISTED_EXACTLY \
            or not has_sql_tables(pipeline):
        return None
    try:
        return dataset_table_names(pipeline)
    except DestinationUndefinedEntity:
        return set()  # no dataset yet: no table
    except Exception as exc:  # a destination without information_schema: keep the merge
        log.debug("Could not list the destination's tables: %s", exc)
        return None
