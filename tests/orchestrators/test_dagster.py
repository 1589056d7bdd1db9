"""Dagster: the definitions built by lisync.orchestrate.dagster load (an asset per shard and a job over all
of them) and materializing one shard's asset replicates that shard end to end against the sandbox.

Runs with Dagster from ``.venv-orchestrators/dagster``, in-process with an ephemeral Dagster instance.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import duckdb
import pytest
from tests.orchestrators.conftest import ShardWorld, orchestrator_python, result_line, run_script

pytestmark = [pytest.mark.slow, pytest.mark.orchestrators]

RUN = """
import json
import dagster as dg
from lisync_test_settings import PLAN, settings
from lisync.orchestrate.dagster import JOB_NAME, asset_name, build_definitions

defs = build_definitions(PLAN, settings, cron="0 3 * * *")
dg.Definitions.validate_loadable(defs)
job = defs.resolve_job_def(JOB_NAME)
assets = {{a.key.to_user_string(): a for a in defs.resolve_all_asset_specs()}}
shard_asset = next(a for a in defs.assets if a.key.to_user_string() == asset_name("{shard}"))
result = dg.materialize([shard_asset], instance=dg.DagsterInstance.ephemeral())
materialization = result.asset_materializations_for_node(asset_name("{shard}"))[0]
rows = {{k: v.value for k, v in materialization.metadata.items() if k.startswith("rows.")}}
print("RESULT " + json.dumps({{"assets": sorted(assets), "job": job.name, "success": result.success, "rows": rows}}))
"""


def test_dagster_asset_runs_a_shard(shard_world: ShardWorld, tmp_path: Path) -> None:
    python = orchestrator_python("dagster")
    shard = shard_world.plan.shards[0]
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "PYTHONPATH": str(shard_world.settings_module.parent)}
    env.pop("LINKEDIN_ACCESS_TOKEN", None)
    proc = run_script(python, shard_world.script(RUN.format(shard=shard.name)), tmp_path, env)
    result = result_line(proc.stdout)

    assert result["success"] is True
    assert result["assets"] == sorted(f"lisync_{s.name}" for s in shard_world.plan.shards)
    assert result["job"] == "lisync_all_shards"
    rows = result["rows"]
    assert isinstance(rows, dict)
    assert rows["rows.ad_accounts"] == len(shard.accounts)
    with contextlib.closing(duckdb.connect(str(shard_world.duckdb_path), read_only=True)) as conn:
        owners = {r[0] for r in conn.execute("select distinct account_id from linkedin.creative_metadata").fetchall()}
    assert owners and owners <= set(shard.accounts)
