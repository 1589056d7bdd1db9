"""Heals what an interrupted load can leave behind in the destination: rows a resumed package loaded twice.

dlt marks a load job done only after the destination committed it. A run killed between the two leaves the
job pending, and the next run's resumed package loads that file again. Tables with a primary key lose the
copy in dlt's merge (it de-duplicates by key); the ``organization_posts__*`` child tables have no key, so the
replayed rows stayed for good. Every replayed row carries the ``_dlt_id`` dlt wrote into the job file, so two
rows with one ``_dlt_id`` are always the same row twice: :func:`drop_replayed_rows` keeps one of each, in one
transaction, with SQL that any dlt SQL destination understands (``SELECT DISTINCT`` into a temporary table).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import dlt
from dlt.common.destination.client import WithStagingDataset
from dlt.common.storages.load_package import PackageStorage
from dlt.destinations.exceptions import DestinationUndefinedEntity
from dlt.destinations.job_client_impl import SqlJobClientBase

__all__ = ["ROW_ID", "clear_interrupted_jobs", "drop_replayed_rows", "has_sql_tables"]

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
    if not has_sql_tables(pipeline):
        return {}
    client_cm = pipeline.sql_client()
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


def has_sql_tables(pipeline: dlt.Pipeline) -> bool:
    """Whether the destination stores tables a SQL client can change (not files: filesystem gives read-only views)."""
    try:
        with pipeline.destination_client() as client:
            return isinstance(client, SqlJobClientBase)
    except Exception:  # a destination that cannot even say is not one to heal by SQL
        return False


def _interrupted_tables(pipeline: dlt.Pipeline, load_id: str) -> set[str]:
    """Tables of ``load_id`` whose data job may have committed without dlt knowing, and no other job of it did.

    A job dlt started (``started_jobs``) or already retried (``new_jobs`` with a retry count), and whose outcome
    dlt did not record, is run again and may have committed; when no job of the same table completed, every
    row of the table carrying ``load_id`` is that job's, so deleting them before the replay is exact.
    """
    info = pipeline.get_load_package_info(load_id)
    jobs = info.jobs
    # dlt records a finished job's outcome ("pending transition") before moving its file: such a job is not
    # run again, so what it committed must stay.
    recorded = Path(info.package_path) / PackageStorage.PENDING_TRANSITIONS_FOLDER
    finished = {item.name for item in recorded.iterdir()} if recorded.is_dir() else set()
    data = [j for state in ("started_jobs", "new_jobs", "completed_jobs") for j in jobs.get(state, [])
            if j.job_file_info.file_format not in ("sql", "reference")]
    done = {j.job_file_info.table_name for j in data
            if j.state == "completed_jobs" or Path(j.file_path).name in finished}
    suspects = {j.job_file_info.table_name for j in data
                if j.state == "started_jobs" or (j.state == "new_jobs" and j.job_file_info.retry_count > 0)}
    return suspects - done


def clear_interrupted_jobs(pipeline: dlt.Pipeline) -> list[str]:
    """Before a resumed package loads, delete what its interrupted jobs may have committed; return the tables.

    Without this a replayed job loads its rows a second time: on PostgreSQL the ``_dlt_id`` unique constraint
    then fails the load on every run (the destination stays wedged); elsewhere the rows are doubled. Rows go
    to the final table or, for merge tables, to the staging dataset: both are cleared of the package's rows.
    """
    if not pipeline.has_pending_data or not has_sql_tables(pipeline):
        return []
    cleared: list[str] = []
    for load_id in pipeline.list_normalized_load_packages():
        tables = sorted(_interrupted_tables(pipeline, load_id))
        if not tables:
            continue
        with pipeline.destination_client() as job_client:
            assert isinstance(job_client, SqlJobClientBase)
            datasets: list[Any] = [contextlib.nullcontext]  # the dataset itself, then its staging dataset
            if isinstance(job_client, WithStagingDataset):
                datasets.append(job_client.with_staging_dataset)
            for dataset in datasets:
                with dataset():
                    for table in tables:
                        name = job_client.sql_client.make_qualified_table_name(table)
                        with contextlib.suppress(DestinationUndefinedEntity):
                            job_client.sql_client.execute_sql(f"delete from {name} where _dlt_load_id = %s", load_id)
        cleared += tables
        log.warning("Cleared what an interrupted load may have committed to %s before loading it again",
                    ", ".join(tables))
    return cleared


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
