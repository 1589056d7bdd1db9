"""Fixtures for the dbt project tests: dbt in its own virtualenv (built once) and lisync data to build on.

dbt pins many libraries of its own, so it lives in ``.venv-dbt/`` rather than lisync's environment. The
venv gets exactly the ``dbt`` extra of ``pyproject.toml`` plus the DuckDB release lisync itself uses (so
both read the same database file). The first run builds it (~30 s); later runs reuse it until the extra
changes.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

REPO = Path(__file__).resolve().parents[2]
PROJECT = REPO / "dbt"
VENV = REPO / ".venv-dbt"
TODAY = dt.date(2026, 11, 15)
INSTALL_TIMEOUT_S = 900


def dbt_requirements() -> list[str]:
    """The ``dbt`` extra of pyproject.toml, plus lisync's own DuckDB release."""
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    return [*extras["dbt"], f"duckdb=={version('duckdb')}"]


def dbt_executable() -> Path:
    """Return ``.venv-dbt/bin/dbt``, building the venv when it is missing or its requirements changed."""
    wanted = dbt_requirements()
    stamp = VENV / ".lisync-requirements"
    digest = hashlib.sha256("\n".join(wanted).encode()).hexdigest()
    with open(REPO / ".venv-dbt.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time (pytest-xdist workers)
        if not stamp.exists() or stamp.read_text().strip() != digest:
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
            subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", *wanted],
                           check=True, timeout=INSTALL_TIMEOUT_S)
            stamp.write_text(digest + "\n")
    return VENV / "bin" / "dbt"


@pytest.fixture(scope="session")
def dbt_bin() -> Path:
    return dbt_executable()


# Seed 10: a small world where every table gets rows, text ads and spotlight ads with landing pages delivered
# (the URL report is not empty), and leads, follower snapshots, video statistics and account users exist.
SANDBOX_SEED = 10


@pytest.fixture(scope="module")
def dbt_sandbox() -> Iterator[SandboxServer]:
    """A small world: every ad and page table gets rows."""
    with SandboxServer(SandboxConfig(port=0, seed=SANDBOX_SEED, scale="small", today=TODAY)) as server:
        yield server


def run_dbt(dbt: Path, args: list[str], profiles_dir: Path, work: Path, variables: dict[str, Any],
            check: bool = True) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    """Run ``dbt <args>`` on the project; return the process and its run results (one per node)."""
    target = work / "target"
    cmd = [str(dbt), *args, "--project-dir", str(PROJECT), "--profiles-dir", str(profiles_dir),
           "--target-path", str(target), "--log-path", str(work / "logs"), "--vars", json.dumps(variables),
           "--no-partial-parse"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=work)
    if check:
        assert proc.returncode == 0, f"dbt {' '.join(args)} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    results = json.loads((target / "run_results.json").read_text())["results"]
    return proc, results
