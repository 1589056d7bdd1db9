"""Trimming glibc's heaps gives back the pages that freed blocks between live ones keep mapped."""

from __future__ import annotations

import ctypes.util
import os

import pytest

from lisync.allocator import fix_mmap_threshold, trim_freed_memory

GLIBC = ctypes.util.find_library("c") is not None and os.uname().sysname == "Linux"


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not GLIBC, reason="glibc's allocator only (a no-op elsewhere)")
def test_trim_returns_the_pages_of_blocks_freed_between_live_ones() -> None:
    fix_mmap_threshold()
    # 64 KiB blocks: above Python's small-object allocator, below the mmap threshold, so glibc's heap holds them
    blocks = [bytes(64 * 1024) + bytes([i % 251]) for i in range(3_000)]  # about 190 MB
    survivors = blocks[::50]  # one live block in fifty pins the heap's top: plain free cannot shrink it
    del blocks
    before = _rss_mb()
    trim_freed_memory()
    after = _rss_mb()
    assert len(survivors) == 60
    assert before - after > 100, f"RSS {before:.0f} MB → {after:.0f} MB"


def test_trim_and_threshold_are_safe_to_call_repeatedly() -> None:
    for _ in range(3):
        fix_mmap_threshold()
        trim_freed_memory()
