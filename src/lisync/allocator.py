"""glibc's allocator, asked to give freed memory back to the system (a no-op elsewhere: musl, macOS).

A run frees most of what it allocates within one planned request (answers, parsed columns, shaped tables),
but glibc keeps freed small blocks in its heaps until the top of a heap is free, so the heaps of the request
threads grow with every request. Measured at 16× the bench world: 60–80 MB were returned by a trim after each
planned request (bench/RESULTS.md).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
from typing import Any

__all__ = ["fix_mmap_threshold", "trim_freed_memory"]

log = logging.getLogger("lisync")

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number (malloc.h)
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's default; setting it explicitly stops it from growing


@functools.cache
def _glibc() -> Any | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt  # noqa: B018 - glibc has it; musl and macOS libc do not
        libc.malloc_trim  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def fix_mmap_threshold() -> None:
    """Keep glibc's mmap threshold at its default, so large buffers are always mapped and unmapped on free.

    glibc raises the threshold after the first large buffer is freed; later answer-sized buffers then come from
    the heap and stay mapped after use.
    """
    libc = _glibc()
    if libc is None:
        log.debug("mallopt is not available; allocator defaults apply")
        return
    libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def trim_freed_memory() -> None:
    """Return the free pages of every glibc heap to the system (about a millisecond)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
