"""Smoke test of bench/throughput.py on a tiny world: it records, replays, and measures both paths alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[2] / "bench" / "throughput.py"


def test_throughput_bench_records_replays_and_measures_both_paths(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--accounts", "1", "--days", "14", "--scales", "1",
                           "--cache", str(tmp_path / "cache"), "--no-verify"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line.split("|")[1:-1] for line in done.stdout.splitlines() if line.startswith("| W1 ")]
    assert [cells[1].strip() for cells in rows] == ["dicts", "arrow"]
    landed = {cells[2].strip() for cells in rows}
    assert len(landed) == 1 and landed != {"0"}  # both paths landed the same, non-zero number of rows
    assert "**" not in done.stdout  # no request missing from the recording, no differing rows
    assert (tmp_path / "cache" / "a1-d14-ad_performance" / "index.json").exists()
