"""One unsharded run at a time per destination dataset and per dlt working folder: a second one refuses.

Two overlapping runs (a cron job that outlived its interval) used to interleave their loads into one dataset,
or share one dlt working folder and load each other's packages. A run therefore holds, for its whole length:

* an exclusive ``fcntl`` lock on ``<working folder>/<pipeline name>.run.lock`` (released by the kernel when
  the process dies, so a killed run never leaves a stale lock);
* for a DuckDB destination, the same kind of lock on ``<database file>.run.lock``;
* for a PostgreSQL destination, a session advisory lock keyed by the dataset (``pg_try_advisory_lock``),
  held on a connection of its own.

A second run that finds one of them taken stops before reading LinkedIn with one line naming the holder.
Sharded runs (``--shard``) use their own working folder each and skip the dataset locks: shards of one
replication load into one dataset in parallel by design (:mod:`lisync.run.load_guard` serializes their
DuckDB writes).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import zlib
from pathlib import Path
from typing import IO, Any

import dlt

from lisync.config.settings import RunSettings
from lisync.errors import LisyncError

__all__ = ["RunInProgress", "RunLock", "acquire_run_lock", "hold_server_dataset_lock"]

LOCK_SUFFIX = ".run.lock"


class RunInProgress(LisyncError):
    """Another lisync run holds the dataset or the working folder this run needs."""


class RunLock:
    """The locks a run holds; :meth:`release` frees them (idempotent)."""

    def __init__(self) -> None:
        self._files: list[IO[str]] = []
        self._connection: Any = None

    def hold_file(self, path: Path, what: str) -> None:
        """Take the exclusive lock on ``path`` or raise :class:`RunInProgress` naming ``what``."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(path, "a+")  # noqa: SIM115 - held open for the run's whole length
        except OSError:
            return  # a folder nobody can write: the destination check names the problem and the fix
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise RunInProgress(f"Another lisync run ({holder}) is writing {what}: wait for it to finish, or run "
                                "this one later (parallel runs into one dataset: see `lisync plan-shards` and "
                                "--shard).") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        self._files.append(handle)

    def hold_postgres_dataset(self, pipeline: dlt.Pipeline, dataset: str) -> None:
        """Take a session advisory lock for ``dataset`` on a connection of its own, or raise RunInProgress."""
        client = pipeline.sql_client()
        client.open_connection()
        key = zlib.crc32(f"lisync:{dataset}".encode())
        answer = client.execute_sql("select pg_try_advisory_lock(%s)", key)
        taken = bool(answer and answer[0][0])
        if not taken:
            client.close_connection()
            raise RunInProgress(f"Another lisync run is writing dataset {dataset} in this PostgreSQL database: "
                                "wait for it to finish, or run this one later (parallel runs into one dataset: "
                                "see `lisync plan-shards` and --shard).")
        self._connection = client

    def release(self) -> None:
        """Free every lock (closing a lock file or the session frees the lock)."""
        for handle in self._files:
            with contextlib.suppress(OSError):
                handle.close()
        self._files.clear()
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close_connection()
            self._connection = None


def acquire_run_lock(settings: RunSettings, working_dir: str) -> RunLock:
    """Take the working-folder lock and, for an unsharded DuckDB run, the database file's lock.

    Args:
        settings: The run settings (destination, DuckDB path, shard).
        working_dir: The folder dlt keeps this run's working state in.

    Returns:
        The held locks (add the PostgreSQL dataset lock with :func:`hold_server_dataset_lock`).

    Raises:
        RunInProgress: When another run holds one of them.
    """
    lock = RunLock()
    try:
        folder = Path(working_dir).expanduser().absolute()
        lock.hold_file(folder / f"{settings.effective_pipeline_name}{LOCK_SUFFIX}", f"dlt working folder {folder}")
        if settings.destination == "duckdb" and not settings.shard:
            database = Path(settings.duckdb_path).expanduser().absolute()
            lock.hold_file(database.with_name(database.name + LOCK_SUFFIX),
                           f"dataset {settings.dataset} in {database}")
    except BaseException:
        lock.release()
        raise
    return lock


def hold_server_dataset_lock(lock: RunLock, pipeline: dlt.Pipeline, settings: RunSettings) -> None:
    """Add the PostgreSQL dataset lock to ``lock`` for an unsharded run (other destinations: nothing).

    Raises:
        RunInProgress: When another run holds the dataset.
    """
    if settings.destination == "postgres" and not settings.shard:
        lock.hold_postgres_dataset(pipeline, settings.dataset)
