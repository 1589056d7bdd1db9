"""Makes concurrent shard loads into one dataset safe: a file lock for DuckDB, retries for catalog races.

Two shards that load into the same dataset at the same moment can collide in two places:

* DuckDB allows one writing process per database file: a second process cannot even open it. Shards
  therefore take an exclusive ``fcntl`` lock on ``<file>.lock`` for every step that opens the database
  (state sync, load, comments, row counts). Extraction — the slow, API-bound part — stays parallel.
* On a server database (PostgreSQL…) two first loads both find a table (or the dataset, or one of dlt's
  ``_dlt_*`` tables) missing and both issue the DDL; the loser fails with "already exists" or a unique
  violation in the system catalog. dlt keeps the normalized package, so loading it again — now that the
  table exists — succeeds. :func:`load_with_retry` does that for catalog conflicts only.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dlt
from dlt.pipeline.exceptions import PipelineStepFailed

log = logging.getLogger("lisync")

# Messages PostgreSQL (and other catalogs) give when two sessions create or alter the same object at once.
CATALOG_CONFLICTS = (
    "already exists",
    "duplicate key value violates unique constraint \"pg_",
    "tuple concurrently updated",
    "deadlock detected",
    "could not serialize access",
)
LOAD_ATTEMPTS = 8
RETRY_BASE_SECONDS = 0.5


@contextlib.contextmanager
def duckdb_write_lock(database: str | None) -> Iterator[None]:
    """Hold an exclusive lock on ``<database>.lock`` (no-op for ``None``), waiting for other shards.

    Args:
        database: The DuckDB file the caller is about to open for writing, or ``None`` for other destinations.

    """
    if database is None:
        yield
        return
    lock_path = Path(database).expanduser().resolve().with_name(Path(database).name + ".lock")
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes, even if this process dies
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def is_catalog_conflict(exc: BaseException) -> bool:
    """Whether ``exc`` (or an exception it wraps) is a concurrent-DDL conflict worth retrying."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        text = str(current).lower()
        if any(marker in text for marker in CATALOG_CONFLICTS):
            return True
        stack.extend([getattr(current, "exception", None), current.__cause__, current.__context__])
    return False


def load_with_retry(pipeline: dlt.Pipeline, attempts: int = LOAD_ATTEMPTS, sleep: Any = time.sleep) -> None:
    """Run ``pipeline.load()``, loading the same package again after a concurrent-DDL conflict.

    Raises:
        PipelineStepFailed: For any other load failure, or when the conflicts persist.

    """
    for attempt in range(1, attempts + 1):
        try:
            pipeline.load()
            return
        except PipelineStepFailed as exc:
            if attempt == attempts or not is_catalog_conflict(exc):
                raise
            delay = RETRY_BASE_SECONDS * attempt * (1 + random.random())  # jitter: shards do not re-collide
            log.info("Load hit a concurrent schema change (attempt %d/%d); loading again in %.1fs",
                     attempt, attempts, delay)
            sleep(delay)
