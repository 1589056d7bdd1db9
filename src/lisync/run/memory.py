"""Process-wide memory settings for a ``lisync run`` process: freed memory goes back to the system.

Two allocators would otherwise keep what a run freed: glibc raises its mmap threshold after the first
large buffer is freed, so later answer-sized buffers (megabytes each) come from the heap and stay
mapped after use; and Arrow's default pool (mimalloc or jemalloc) caches freed pages. Both make the
peak RSS of a run the sum of its phases (extract, then the DuckDB merge) instead of their maximum.
The CLI applies these once, at the start of ``lisync run``; a library caller keeps its own process's
settings. The same start also settles Python's garbage collector (:func:`settle_garbage_collector`).
DuckDB's buffer pool is bounded too (:func:`duckdb_global_config`, for every DuckDB destination lisync makes),
and the analytics fetch trims glibc's heaps after each planned request (:mod:`lisync.allocator`).
"""

from __future__ import annotations

import gc
from typing import Any

import dlt
import pyarrow as pa

from lisync.allocator import fix_mmap_threshold


def return_freed_memory() -> None:
    """Make large freed buffers go back to the system: a fixed mmap threshold and Arrow's system pool."""
    pa.set_memory_pool(pa.system_memory_pool())
    fix_mmap_threshold()


# Python's cyclic collector runs a young collection every 700 new container objects and a full one now and
# then, each walking every live object. After the imports, half a million objects live for the whole run and
# lisync's own data are mostly Arrow buffers, which the collector does not see; collections at the default pace
# cost about 6% of a run's CPU at the bench world for almost nothing freed (bench/RESULTS.md).
YOUNG_COLLECTION_THRESHOLD = 10_000


def settle_garbage_collector() -> None:
    """Exempt the objects alive now (the imported modules) from collections, and collect young objects less often.

    Reference counting still frees every object without cycles at once; only cycles wait a little longer.
    Done once per process: a process that runs several times (tests, notebooks) freezes only its first imports.
    """
    if gc.get_freeze_count():
        return
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)


# DuckDB's own defaults are a buffer pool of 80% of RAM and one thread per core: the merge of a large run then
# holds gigabytes (1.7 GB at 16× the bench world). A fixed limit makes DuckDB spill to its temporary folder
# instead, so a run's peak stays flat as the world grows (measured: bench/RESULTS.md, "DuckDB memory settings").
DUCKDB_MEMORY_DEFAULTS: dict[str, Any] = {"memory_limit": "128MB"}
DUCKDB_GLOBAL_CONFIG_KEY = "destination.duckdb.credentials.global_config"


def duckdb_global_config() -> dict[str, Any]:
    """DuckDB's global settings for a run: lisync's memory defaults, overridden by the user's own.

    The user's settings come from dlt's configuration (``DESTINATION__DUCKDB__CREDENTIALS__GLOBAL_CONFIG``
    or ``[destination.duckdb.credentials] global_config`` in ``.dlt/config.toml``); a key set there wins, so
    ``{"memory_limit": "2GB"}`` lifts the bound.
    """
    user = dlt.config.get(DUCKDB_GLOBAL_CONFIG_KEY, dict) or {}
    return {**DUCKDB_MEMORY_DEFAULTS, **user}
