"""Dagster integration: one asset per shard of a lisync shard plan, a job that materializes them all.

In a Dagster code location (``pip install 'lisync[dagster]'``)::

    from lisync.orchestrate.dagster import build_definitions

    defs = build_definitions("/opt/lisync/plan.json", settings=my_settings_function, cron="0 3 * * *")

Each asset (``lisync_<shard>``) runs :func:`lisync.orchestrate.run_shard` and reports rows per table as
metadata. The assets are independent, so Dagster's multiprocess executor runs the shards in parallel, and a
failed shard can be re-materialized alone. Plain assets are used rather than ``dagster-dlt``'s
``@dlt_assets``, which needs the dlt source at definition time: lisync discovers accounts and builds its
source only when it runs.
"""

from __future__ import annotations

from typing import Any

from lisync.orchestrate import TPlanSource, TSettingsSource, resolve_plan, run_shard

GROUP = "lisync"
JOB_NAME = "lisync_all_shards"


def asset_name(shard_name: str) -> str:
    """The Dagster asset name of a shard."""
    return f"lisync_{shard_name}"


def build_assets(plan: TPlanSource, settings: TSettingsSource) -> list[Any]:
    """Return one Dagster asset per shard of ``plan`` (see :func:`lisync.orchestrate.run_shard`)."""
    try:
        import dagster as dg
    except ImportError:
        raise ImportError("Dagster is not installed: pip install 'lisync[dagster]'.") from None
    resolved = resolve_plan(plan)

    def shard_asset(name: str, description: str) -> Any:
        @dg.asset(name=asset_name(name), group_name=GROUP, description=description)
        def materialize() -> Any:  # Dagster resolves annotations at runtime; ``dg`` is a local import
            summary = run_shard(resolved, name, settings)
            tables = summary.get("tables", {})
            metadata: dict[str, int | float] = {f"rows.{table}": int(rows) for table, rows in tables.items()}
            metadata["requests"] = int(summary.get("requests", {}).get("total", 0))
            metadata["seconds"] = float(summary.get("seconds", 0.0))
            return dg.MaterializeResult(metadata=metadata)

        return materialize

    return [shard_asset(s.name, f"lisync shard {s.name}: {len(s.accounts)} ad accounts, "
                        f"{len(s.organizations)} organizations") for s in resolved.shards]


def build_definitions(plan: TPlanSource, settings: TSettingsSource, cron: str | None = None) -> Any:
    """Return Dagster ``Definitions``: the shard assets, a job over all of them and, with ``cron``, a schedule."""
    import dagster as dg

    assets = build_assets(plan, settings)
    job = dg.define_asset_job(JOB_NAME, selection=dg.AssetSelection.groups(GROUP))
    schedules = [dg.ScheduleDefinition(job=job, cron_schedule=cron)] if cron else []
    return dg.Definitions(assets=assets, jobs=[job], schedules=schedules)
