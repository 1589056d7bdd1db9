"""Shard planning and shard settings: balanced packing, plan round trip, per-shard names, slice dispositions."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from lisync.config.parse import parse_shard
from lisync.config.settings import RunSettings
from lisync.errors import ConfigError
from lisync.run.load_guard import duckdb_write_lock, is_catalog_conflict
from lisync.run.shards import (
    ORGANIZATION_WEIGHT,
    Shard,
    load_plan,
    pack,
    plan_shards,
    restrict_to_shard,
    shard_settings,
)
from lisync.spec.hints import slice_disposition


def test_pack_puts_the_largest_first_onto_the_lightest_shard() -> None:
    weights = {("account", "1"): 10, ("account", "2"): 7, ("account", "3"): 6, ("account", "4"): 5,
               ("account", "5"): 2}
    shards = pack(weights, 2)
    assert [s.weight for s in shards] == [15, 15]
    assert sorted(a for s in shards for a in s.accounts) == ["1", "2", "3", "4", "5"]
    assert [s.name for s in shards] == ["shard_01", "shard_02"]


def test_pack_never_makes_empty_shards_and_rejects_zero() -> None:
    assert [s.accounts for s in pack({("account", "9"): 1}, 4)] == [["9"]]
    with pytest.raises(ConfigError, match="--shards 0"):
        pack({}, 0)


def test_plan_round_trips_through_json_and_weighs_organizations() -> None:
    plan = plan_shards({"5100001": 3, "5100002": 1}, ["100000"], 2)
    assert sum(s.weight for s in plan.shards) == 4 + ORGANIZATION_WEIGHT
    again = load_plan(plan.to_json())
    assert again.shards == plan.shards
    assert "lisync run --shard shard_01" in plan.to_text()
    with pytest.raises(ConfigError, match="Unknown shard"):
        again.shard("shard_99")


def test_load_plan_rejects_malformed_plans(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Cannot read the shard plan"):
        load_plan(tmp_path / "missing.json")
    with pytest.raises(ConfigError, match="Invalid --shard"):
        load_plan({"shards": [{"name": "Bad Name"}]})


def test_shard_settings_pick_names_filters_and_pipelines() -> None:
    base = RunSettings(pipelines=["ad_accounts", "ad_performance", "organization_pages"], dataset="li")
    only_accounts = shard_settings(base, Shard("shard_01", accounts=["1"]))
    assert only_accounts.pipelines == ["ad_accounts", "ad_performance"]
    assert only_accounts.effective_pipeline_name == "lisync_li_shard_01"
    assert only_accounts.staging_dataset_layout == "%s_staging_shard_01"
    assert only_accounts.organization_ids == []
    only_pages = shard_settings(base, Shard("shard_02", organizations=["100000"]))
    assert only_pages.pipelines == ["organization_pages"]
    assert base.effective_pipeline_name == "lisync_li" and base.staging_dataset_layout is None


def test_a_shard_run_keeps_to_its_slice() -> None:
    everything = RunSettings(pipelines=["ad_accounts", "ad_performance", "organization_pages", "organization_posts"])
    accounts_only = restrict_to_shard(dataclasses.replace(everything, shard="s3", account_ids=["5"]))
    assert accounts_only.pipelines == ["ad_accounts", "ad_performance"]
    pages_only = restrict_to_shard(dataclasses.replace(everything, shard="s1", organization_ids=["100000"]))
    assert pages_only.pipelines == ["organization_pages", "organization_posts"]
    both = dataclasses.replace(everything, shard="s2", account_ids=["5"], organization_ids=["100000"])
    assert restrict_to_shard(both).pipelines == everything.pipelines
    assert restrict_to_shard(everything) is everything  # unsharded runs are left alone
    with pytest.raises(ConfigError, match="needs its slice"):
        restrict_to_shard(dataclasses.replace(everything, shard="s4"))


def test_shard_names_must_be_identifiers() -> None:
    assert parse_shard("shard_01") == "shard_01"
    assert parse_shard(None) is None
    with pytest.raises(ConfigError, match="Invalid --shard"):
        parse_shard("a-b; drop")


def test_slice_disposition_deletes_only_the_slice() -> None:
    assert slice_disposition("account_id", ["1", "2"]) == {
        "disposition": "merge", "strategy": "delete-insert", "destination_scope": "account_id IN ('1', '2')"}
    assert slice_disposition("account_id", [])["destination_scope"] == "1 = 0"


def test_catalog_conflicts_are_recognised_through_dlt_wrappers() -> None:
    cause = RuntimeError('duplicate key value violates unique constraint "pg_namespace_nspname_index"')
    wrapped = PipelineStepFailed.__new__(PipelineStepFailed)
    Exception.__init__(wrapped, "load failed")
    wrapped.__cause__ = cause
    assert is_catalog_conflict(wrapped)
    assert not is_catalog_conflict(RuntimeError("column type mismatch"))


HOLD = """
import pathlib, sys, time
from lisync.run.load_guard import duckdb_write_lock
with duckdb_write_lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    pathlib.Path(sys.argv[1] + ".released").write_text("")
"""


def test_duckdb_lock_makes_a_second_process_wait(tmp_path: Path) -> None:
    database = str(tmp_path / "x.duckdb")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, database, "1.5"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with duckdb_write_lock(database):
        assert Path(database + ".released").exists(), "the lock was granted while another process held it"
    holder.wait(timeout=10)
    assert (tmp_path / "x.duckdb.lock").exists()
