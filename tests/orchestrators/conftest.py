"""Fixtures for the orchestrator tests: Airflow/Dagster virtualenvs (built once) and a sandbox with a shard plan.

Airflow and Dagster are too heavy (and too opinionated about their dependencies) for lisync's own test
environment, so each lives in ``.venv-orchestrators/<name>`` with lisync installed editable and the
matching extra (``lisync[airflow]``, ``lisync[dagster]``). The first run builds them (a few minutes, several
hundred MB each); later runs reuse them. The tests then run a DAG / an asset in that interpreter, as a
subprocess, against the sandbox served by this test process.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lisync.config.settings import RunSettings
from lisync.run.shards import ShardPlan, discover_and_plan
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

REPO = Path(__file__).resolve().parents[2]
VENVS = REPO / ".venv-orchestrators"
TODAY = dt.date(2026, 11, 15)
INSTALL_TIMEOUT_S = 1800


def orchestrator_python(extra: str) -> Path:
    """Return the interpreter of ``.venv-orchestrators/<extra>``, building the venv on first use."""
    venv = VENVS / extra
    python = venv / "bin" / "python"
    done = venv / ".lisync-installed"
    VENVS.mkdir(exist_ok=True)
    with open(VENVS / f".{extra}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time (pytest-xdist workers)
        if not done.exists():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-e", f"{REPO}[{extra}]"],
                           check=True, timeout=INSTALL_TIMEOUT_S)
            done.write_text("ok\n")
    return python


@dataclass
class ShardWorld:
    """A running sandbox, a two-shard plan of it and the settings module the orchestrator code imports."""

    sandbox: SandboxServer
    plan: ShardPlan
    plan_path: Path
    duckdb_path: Path
    settings_module: Path

    def script(self, body: str) -> str:
        """A Python script that can ``from lisync_test_settings import settings, PLAN``."""
        return f"import sys\nsys.path.insert(0, {str(self.settings_module.parent)!r})\n" + textwrap.dedent(body)


@pytest.fixture(scope="module")
def shard_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ShardWorld]:
    folder = tmp_path_factory.mktemp("orchestrator")
    with SandboxServer(SandboxConfig(port=0, seed=5, scale="tiny", today=TODAY)) as sandbox:
        duckdb_path = folder / "lisync.duckdb"
        settings_module = folder / "lisync_test_settings.py"
        settings_module.write_text(textwrap.dedent(f"""
            import datetime as dt
            from lisync.config.settings import RunSettings
            from lisync.run.families import available_pipelines

            PLAN = {str(folder / 'plan.json')!r}

            def settings():
                return RunSettings(
                    pipelines=available_pipelines(), access_token="orchestrator-token",
                    api_base_url={sandbox.base_url + '/rest'!r}, duckdb_path={str(duckdb_path)!r},
                    dataset="linkedin", pipelines_dir={str(folder / 'dlt')!r},
                    today=dt.date.fromisoformat({TODAY.isoformat()!r}),
                    start_date=dt.date.fromisoformat({(TODAY - dt.timedelta(days=30)).isoformat()!r}))
        """))
        base = RunSettings(pipelines=[], access_token="orchestrator-token", api_base_url=f"{sandbox.base_url}/rest")
        plan, _ = discover_and_plan(base, 2)
        assert len(plan.shards) == 2
        plan_path = folder / "plan.json"
        plan_path.write_text(plan.to_json())
        yield ShardWorld(sandbox, plan, plan_path, duckdb_path, settings_module)


def run_script(python: Path, script: str, cwd: Path, env: dict[str, str] | None = None,
               timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """Run ``script`` with ``python``; fail the test with its output when it exits non-zero."""
    proc = subprocess.run([str(python), "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    return proc


def result_line(output: str) -> dict[str, object]:
    """The ``RESULT {json}`` line a test script prints."""
    for line in reversed(output.splitlines()):
        if line.startswith("RESULT "):
            return dict(json.loads(line[len("RESULT "):]))
    raise AssertionError(f"no RESULT line in:\n{output[-3000:]}")
