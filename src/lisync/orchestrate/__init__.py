"""Orchestrator integrations: run the shards of a ``lisync plan-shards`` plan as parallel tasks.

:mod:`lisync.orchestrate.airflow` builds an Apache Airflow DAG (``pip install 'lisync[airflow]'``) and
:mod:`lisync.orchestrate.dagster` builds Dagster definitions (``pip install 'lisync[dagster]'``). Both call
:func:`run_shard`, so a shard behaves the same under either orchestrator and under ``lisync run --shard``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lisync.config.settings import RunSettings
from lisync.config.tokens import run_token_provider
from lisync.run.pipeline import ensure_ok, run
from lisync.run.shards import ShardPlan, load_plan, shard_settings

TSettingsSource = RunSettings | Callable[[], RunSettings]
TPlanSource = ShardPlan | str | Path | dict[str, Any]


def resolve_plan(plan: TPlanSource) -> ShardPlan:
    """Return ``plan`` as a :class:`ShardPlan` (a plan, a JSON file path, JSON text or a parsed dict)."""
    return plan if isinstance(plan, ShardPlan) else load_plan(plan)


def run_shard(plan: TPlanSource, shard_name: str, settings: TSettingsSource) -> dict[str, Any]:
    """Run one shard of ``plan`` and return its summary as a dict; raise when the run failed.

    Args:
        plan: The shard plan.
        shard_name: Which shard to run.
        settings: The base run settings (destination, dataset, pipelines, token…) or a function returning
            them. A function is resolved when the task runs, on the worker, so secrets never enter the
            orchestrator's serialized DAG or asset definitions.

    The token comes from the same place as for ``lisync run`` (:func:`lisync.config.tokens.run_token_provider`):
    a refresh token with the app's client id and secret in dlt secrets (or the store ``lisync auth login``
    wrote) renews an expired access token, so a scheduled shard outlives LinkedIn's 60-day tokens.

    Raises:
        lisync.errors.RunFailed: When the shard's run failed (the orchestrator marks the task failed and
            can retry it alone; the other shards' rows are untouched).
        lisync.errors.NotSignedIn: When there is no token, refresh token or stored sign-in.
    """
    base = settings() if callable(settings) else settings
    shard_run = shard_settings(base, resolve_plan(plan).shard(shard_name))
    provider = run_token_provider(shard_run.access_token)
    return ensure_ok(run(shard_run, token_provider=provider)).as_dict()
