"""Process-wide memory settings for a ``lisync run`` process: freed memory goes back to the system.

Two allocators would otherwise keep what a run freed: glibc raises its mmap threshold after the first
large buffer is freed, so later answer-sized buffers (megabytes each) come from the heap and stay
mapped after use; and Arrow's default pool (mimalloc or jemalloc) caches freed pages. Both make the
peak RSS of a run the sum of its phases (extract, then the DuckDB merge) instead of their maximum.
The CLI applies these once, at the start of ``lisync run``; a library caller keeps its own process's
settings.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

import pyarrow as pa

log = logging.getLogger("lisync")

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number (malloc.h)
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's default; setting it explicitly stops it from growing


def return_freed_memory() -> None:
    """Make large freed buffers go back to the system: a fixed mmap threshold and Arrow's system pool."""
    pa.set_memory_pool(pa.system_memory_pool())
    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    except (OSError, AttributeError):  # not glibc (musl, macOS): its allocator's own defaults apply
        log.debug("mallopt is not available; allocator defaults apply")
