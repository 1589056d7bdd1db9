"""Heals what an interrupted load can leave behind in the destination: rows a resumed package loaded twice.

dlt marks a load job done only after the destination committed it. A run killed between the two leaves the
job pending, and the next run's resumed package loads that file again. Tables with a primary key lose the
copy in dlt's merge (it de-duplicates by key); the ``organization_posts__*`` child tables have no key, so the
replayed rows stayed for good. Every replayed row carries the ``_dlt_id`` dlt wrote into the job file, so two
rows with one ``_dlt_id`` are always the same row twice: :func:`drop_replayed_rows` keeps one of each, in one
transaction, with SQL that any dlt SQL destination understands (``SELECT DISTINCT`` into a temporary table).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import dlt

__all__ = ["ROW_ID", "drop_replayed_rows"]

log = logging.getLogger("lisync")

ROW_ID = "_dlt_id"  # dlt's row key: unique per row it normalizes, kept when a job file is loaded again


def drop_replayed_rows(pipeline: dlt.Pipeline, tables: Iterable[str]) -> dict[str, int]:
    """Delete the second copy of every row that a replayed load job inserted into ``tables``.

    Args:
        pipeline: The pipeline whose destination to heal (SQL destinations only; others are skipped).
        tables: The contract tables of this run; tables absent from the destination are skipped.

    Returns:
        ``{table: rows removed}`` for the tables that held replayed rows.
    """
    try:
        client_cm = pipeline.sql_client()
    except Exception:  # filesystem and other destinations without SQL: dlt never replays into them by SQL
        return {}
    removed: dict[str, int] = {}
    with client_cm as client:
        present = _tables_with_row_id(client, pipeline.dataset_name)
        for table in tables:
            if table not in present:
                continue
            count = _heal_table(client, client.make_qualified_table_name(table))
            if count:
                removed[table] = count
                log.warning("Removed %d rows of %s that an interrupted load had loaded twice", count, table)
    return removed


def _tables_with_row_id(client: Any, dataset: str) -> set[str]:
    """Names of the dataset's tables that have dlt's ``_dlt_id`` column."""
    rows = client.execute_sql(
        "select table_name from information_schema.columns where table_schema = %s and column_name = %s",
        dataset, ROW_ID)
    return {r[0] for r in rows or []}


def _heal_table(client: Any, qualified: str) -> int:
    """Keep one row per ``_dlt_id`` in ``qualified``; return how many rows were removed."""
    twice = client.execute_sql(
        f"select count(*) - count(distinct {ROW_ID}) from {qualified}")[0][0]
    if not twice:
        return 0
    scratch = "lisync_replayed_rows"
    with client.begin_transaction():
        client.execute_sql(f"create temporary table {scratch} as select distinct * from {qualified} where "
                           f"{ROW_ID} in (select {ROW_ID} from {qualified} group by {ROW_ID} having count(*) > 1)")
        client.execute_sql(f"delete from {qualified} where {ROW_ID} in (select {ROW_ID} from {scratch})")
        client.execute_sql(f"insert into {qualified} select * from {scratch}")
        client.execute_sql(f"drop table {scratch}")
    return int(twice)
