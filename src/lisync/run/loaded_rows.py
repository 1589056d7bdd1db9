"""Counts the rows a failed run committed: the summary of a failed run must not count rows already there.

A run that fails after loading part of its packages has committed some rows (each carries its package's
``_dlt_load_id``). :func:`rows_loaded_by_run` counts, per table, only the rows of this run's packages: the
ones still pending (a partly loaded package) and the ones the load step completed.
"""

from __future__ import annotations

import datetime as dt

import dlt

__all__ = ["rows_loaded_by_run"]


def _run_load_ids(pipeline: dlt.Pipeline, since: dt.datetime) -> list[str]:
    ids = set(pipeline.list_normalized_load_packages())
    trace = pipeline.last_trace  # persisted in the working folder: an earlier run's unless this run loaded
    if trace is not None and trace.started_at >= since and trace.last_load_info is not None:
        ids |= set(trace.last_load_info.loads_ids)
    return sorted(ids)


def rows_loaded_by_run(pipeline: dlt.Pipeline, tables: list[str], since: dt.datetime) -> dict[str, int]:
    """Return ``{table: rows}`` this run committed to ``tables`` (tables without such rows left out).

    Args:
        pipeline: The run's pipeline.
        tables: The run's tables.
        since: When the run started (UTC): a load trace older than that is an earlier run's.

    Destinations without SQL, or a dataset not created yet, give an empty mapping.
    """
    load_ids = _run_load_ids(pipeline, since)
    if not load_ids:
        return {}
    counted: dict[str, int] = {}
    try:
        with pipeline.sql_client() as client:
            rows = client.execute_sql(
                "select table_name from information_schema.columns where table_schema = %s and column_name = "
                "'_dlt_load_id'", pipeline.dataset_name)
            present = {r[0] for r in rows or []}
            marks = ", ".join("%s" for _ in load_ids)
            for table in tables:
                if table not in present:
                    continue
                name = client.make_qualified_table_name(table)
                answer = client.execute_sql(f"select count(*) from {name} where _dlt_load_id in ({marks})",
                                            *load_ids)
                count = answer[0][0] if answer else 0
                if count:
                    counted[table] = int(count)
    except Exception:
        return counted
    return counted
