"""Apache Airflow integration: one task per shard of a lisync shard plan, all in one DAG.

Put a file like this in the DAGs folder (``pip install 'lisync[airflow]'``)::

    from lisync.config.resolve import build_settings
    from lisync.orchestrate.airflow import build_dag

    dag = build_dag("/opt/lisync/plan.json", settings=lambda: build_settings(destination="postgres",
                    dataset="linkedin"), dag_id="lisync", schedule="@daily")

Each task runs :func:`lisync.orchestrate.run_shard` in the worker process (plain ``PythonOperator`` s, not
dlt's ``PipelineTasksGroup``, because a lisync run discovers accounts and builds its dlt source only when it
runs). The shard tasks have no dependencies between them, so Airflow runs them in parallel up to the
DAG's ``max_active_tasks``; a failed shard can be cleared and re-run alone. Works with Airflow 2.9+ and 3.x.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lisync.orchestrate import TPlanSource, TSettingsSource, resolve_plan, run_shard

DEFAULT_START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def _airflow_classes() -> tuple[Any, Any]:
    """Return Airflow's ``DAG`` and ``PythonOperator`` for Airflow 3 (task SDK) or 2."""
    try:
        from airflow.providers.standard.operators.python import PythonOperator
        from airflow.sdk import DAG
    except ImportError:
        try:
            from airflow import DAG
            from airflow.operators.python import PythonOperator
        except ImportError:
            raise ImportError("Apache Airflow is not installed: pip install 'lisync[airflow]'.") from None
    return DAG, PythonOperator


def task_id(shard_name: str) -> str:
    """The Airflow task id of a shard."""
    return f"lisync_{shard_name}"


def build_dag(plan: TPlanSource, settings: TSettingsSource, dag_id: str = "lisync", schedule: Any = "@daily",
              start_date: dt.datetime = DEFAULT_START, retries: int = 2,
              retry_delay: dt.timedelta = dt.timedelta(minutes=5), **dag_kwargs: Any) -> Any:
    """Return an Airflow DAG with one independent task per shard of ``plan``.

    Args:
        plan: A :class:`~lisync.run.shards.ShardPlan`, or the path / JSON of ``lisync plan-shards --format json``.
        settings: Base run settings, or a function that returns them on the worker (keeps secrets out of
            the DAG; see :func:`lisync.orchestrate.run_shard`).
        dag_id: The DAG id.
        schedule: Airflow schedule (cron, preset or ``None``).
        start_date: The DAG's start date (catch-up is off: lisync's savepoints already cover missed days).
        retries: Task retries; a retry re-runs the shard alone, which is safe.
        retry_delay: Wait between retries.
        **dag_kwargs: Anything else ``DAG`` accepts (``max_active_tasks``, ``tags``…).

    Returns:
        The DAG; each task returns the shard's run summary (pushed to XCom).
    """
    dag_class, operator = _airflow_classes()
    resolved = resolve_plan(plan)
    dag_kwargs.setdefault("catchup", False)
    dag_kwargs.setdefault("tags", ["lisync"])
    default_args = {"retries": retries, "retry_delay": retry_delay, **dag_kwargs.pop("default_args", {})}
    with dag_class(dag_id, schedule=schedule, start_date=start_date, default_args=default_args, **dag_kwargs) as dag:
        for shard in resolved.shards:
            operator(task_id=task_id(shard.name), python_callable=run_shard,
                     op_args=[resolved, shard.name, settings])
    return dag
