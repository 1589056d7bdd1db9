"""Airflow: the DAG built by lisync.orchestrate.airflow loads with one task per shard and runs a shard end to end.

Runs with Airflow (3.x, or 2.9+) from ``.venv-orchestrators/airflow`` and a SQLite metadata database in a
temporary AIRFLOW_HOME; ``dag.test()`` executes the tasks in-process, without a scheduler. One shard runs
against the sandbox; the other is marked successful without running, to keep the test short.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import duckdb
import pytest
from tests.orchestrators.conftest import ShardWorld, orchestrator_python, result_line, run_script
from tests.support import scalar

pytestmark = [pytest.mark.slow, pytest.mark.orchestrators]

DAG_FILE = """
from lisync_test_settings import PLAN, settings
from lisync.orchestrate.airflow import build_dag

dag = build_dag(PLAN, settings, dag_id="lisync_shards", schedule=None)
"""

RUN = """
import json
from pathlib import Path
import importlib.util
spec = importlib.util.spec_from_file_location("lisync_shards_dag", Path("dags/lisync_shards_dag.py").resolve())
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
dag = module.dag
run = dag.test(mark_success_pattern="{skip}")
print("RESULT " + json.dumps({{"tasks": sorted(dag.task_ids), "state": str(run.state)}}))
"""


def test_airflow_dag_runs_a_shard(shard_world: ShardWorld, tmp_path: Path) -> None:
    python = orchestrator_python("airflow")
    dags = tmp_path / "dags"
    dags.mkdir()
    (dags / "lisync_shards_dag.py").write_text(shard_world.script(DAG_FILE))
    env = {**os.environ, "AIRFLOW_HOME": str(tmp_path / "home"), "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
           "AIRFLOW__CORE__LOAD_EXAMPLES": "False", "PYTHONPATH": str(shard_world.settings_module.parent)}
    env.pop("LINKEDIN_ACCESS_TOKEN", None)
    subprocess.run([str(python.parent / "airflow"), "db", "migrate"], env=env, cwd=tmp_path, check=True,
                   capture_output=True, timeout=300)
    ran, skipped = shard_world.plan.shards
    proc = run_script(python, RUN.format(skip=f"lisync_{skipped.name}"), tmp_path, env)
    result = result_line(proc.stdout)

    assert result["tasks"] == sorted(f"lisync_{s.name}" for s in shard_world.plan.shards)
    state = result["state"]
    assert isinstance(state, str) and state.endswith("success"), result
    with contextlib.closing(duckdb.connect(str(shard_world.duckdb_path), read_only=True)) as conn:
        accounts = {r[0] for r in conn.execute("select id from linkedin.ad_accounts").fetchall()}
        owners = {r[0] for r in conn.execute("select distinct account_id from linkedin.campaign_metadata").fetchall()}
        performance = scalar(conn, "select count(*) from linkedin.ad_performance")
    assert accounts == set(ran.accounts)
    assert owners <= set(ran.accounts)
    assert performance > 0
