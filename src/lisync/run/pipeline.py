"""Runs the dlt pipeline for a set of lisync pipelines end to end, and produces the run summary.

A lisync *pipeline* is one of the contract's pipelines (named after its main table). One run: the LinkedIn client
(:mod:`lisync.run.client`), the dlt pipeline and destination (:mod:`lisync.run.destinations`), discovery of the
accounts and pages it covers (:mod:`lisync.run.discovery`), one dlt source per family
(:mod:`lisync.run.families`), extract, normalize and load, then the post-load table work (:mod:`lisync.run.tables`,
:mod:`lisync.run.comments`); the outcome becomes a :class:`~lisync.run.summary.RunSummary`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import time
from pathlib import Path
from typing import Any

import dlt
from dlt.pipeline.exceptions import PipelineStepFailed

from lisync.config.parse import check_date_range
from lisync.config.settings import RunSettings
from lisync.errors import LisyncError, RunFailed
from lisync.linkedin.http.bearer import TokenProvider
from lisync.linkedin.http.errors import LinkedInError, VersionRetiredError
from lisync.linkedin.http.stats import RequestStats
from lisync.linkedin.http.version import version_sunset_warning
from lisync.run.bounded import end_date_note
from lisync.run.client import make_client
from lisync.run.comments import apply_comments
from lisync.run.crash_seam import arm_kill_during
from lisync.run.destinations import (
    check_destination_config,
    check_destination_reachable,
    make_destination,
    preferred_file_format,
)
from lisync.run.discovery import discover_scope
from lisync.run.families import build_sources
from lisync.run.first_load import insert_into_new_tables
from lisync.run.heal import clear_interrupted_jobs, drop_replayed_rows
from lisync.run.history_guard import apply_history_plan, plan_history, split_for_refresh
from lisync.run.interrupt import Interrupted, is_interrupt, steps_intercepting_ctrl_c, stop_if_interrupted
from lisync.run.load_guard import duckdb_write_lock, load_with_retry
from lisync.run.loaded_rows import rows_loaded_by_run
from lisync.run.package_guard import drop_foreign_packages, tag_packages
from lisync.run.progress import RunProgress
from lisync.run.refresh import discard_unloadable_packages, drop_pipelines, heal_missing_tables
from lisync.run.run_lock import acquire_run_lock, hold_server_dataset_lock
from lisync.run.shards import restrict_to_shard
from lisync.run.state import restore_state_from_destination, working_folder
from lisync.run.summary import RunSummary
from lisync.run.tables import count_rows, materialize_missing_tables
from lisync.run.verify_step import verify_run
from lisync.spec.loader import load_spec
from lisync.warehouse.fivetran_views import refresh_after_run

__all__ = ["KILL_AT_ENV", "ensure_ok", "make_pipeline", "run"]

log = logging.getLogger("lisync")

# Test seam for the crash-safety suite: SIGKILL the process right after the named stage
# (extract, normalize or load) so a test can interrupt a run at a precise point. Unset in normal use.
KILL_AT_ENV = "LISYNC_TEST_KILL_AT"


def make_pipeline(settings: RunSettings) -> dlt.Pipeline:
    """Return the dlt pipeline that holds this run's state and loads into the chosen destination."""
    kwargs: dict[str, Any] = {"pipelines_dir": working_folder(settings)}  # one working folder per destination
    if log.isEnabledFor(logging.DEBUG):
        kwargs["progress"] = "log"  # without it dlt reports no progress
    pipeline = dlt.pipeline(
        pipeline_name=settings.effective_pipeline_name,
        destination=make_destination(settings),
        dataset_name=settings.dataset,
        **kwargs,
    )
    check_destination_config(pipeline, settings)
    check_destination_reachable(pipeline, settings)
    return pipeline


def _root_error(exc: BaseException) -> BaseException:
    """Find the error behind dlt's step wrappers: a LinkedIn or lisync error, else the deepest cause."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    deepest = exc
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, LinkedInError | LisyncError):
            return current
        deepest = current
        stack.extend([getattr(current, "exception", None), current.__cause__, current.__context__])
    return deepest


def run(settings: RunSettings, token_provider: TokenProvider | None = None, show_progress: bool = False,
        full_refresh: bool = False) -> RunSummary:
    """Run the selected pipelines end to end and return the summary.

    Extraction happens completely before anything is loaded, so a run that fails while reading LinkedIn
    leaves the destination exactly as it was; savepoints move only with a committed load.

    Args:
        settings: Validated run settings.
        token_provider: Where access tokens come from (default: the settings' static token).
        show_progress: Show progress: a live line on a terminal, one log line per stage and long wait otherwise.
        full_refresh: Drop the selected pipelines' tables and savepoints first (re-read from the start date).

    Returns:
        The run summary (``status="failed"`` with ``error`` set when the run failed).

    Raises:
        ConfigError: For settings a run cannot use (a shard without its slice, an unknown pipeline…).
        SelectionError: When a filtered account or organization is not visible to the token.
    """
    settings = restrict_to_shard(settings)
    check_date_range(settings.start_date, settings.end_date)  # library callers build RunSettings themselves
    started = time.monotonic()
    run_started = dt.datetime.now(dt.UTC)
    today = settings.today or dt.datetime.now(dt.UTC).date()
    summary = RunSummary(pipelines=list(settings.pipelines), destination=_describe_destination(settings))
    bounded = end_date_note(settings, today)  # --end-date: lisync.run.bounded
    if bounded:
        summary.add_note(bounded)
    stats = RequestStats()
    contract = load_spec()
    tables = [t.name for p in settings.pipelines for t in (contract[p].tables if p in contract else ())]
    tables += [p for p in settings.pipelines if p not in contract]  # custom reports: one table each
    progress = RunProgress(stats, enabled=show_progress)
    pipeline: dlt.Pipeline | None = None
    run_lock = acquire_run_lock(settings, working_folder(settings))  # one run per dataset: lisync.run.run_lock
    try:
        with progress:
            client = make_client(settings, token_provider, stats)
            pipeline = make_pipeline(settings)  # destination errors surface before any API call
            hold_server_dataset_lock(run_lock, pipeline, settings)
            progress.stage("discovering accounts and organizations")
            scope = discover_scope(settings, client, summary)
            sources = build_sources(settings, today, client, scope, summary)
            dropped = drop_foreign_packages(pipeline, settings)  # packages of another destination: package_guard
            with duckdb_write_lock(_duckdb_file(settings)):  # it reads the destination: parallel shards lock it
                dropped = dropped or discard_unloadable_packages(pipeline, list(settings.pipelines))  # run.refresh
            if dropped:
                summary.add_note(dropped)
            # The destination is the truth about savepoints (any worker, any local folder): lisync.run.state.
            with duckdb_write_lock(_duckdb_file(settings)):
                note = restore_state_from_destination(pipeline, summary.destination)
            if note:
                log.warning(note)
                summary.add_note(note)
            with duckdb_write_lock(_duckdb_file(settings)):  # it reads the destination: parallel shards lock it
                healed = heal_missing_tables(pipeline, list(settings.pipelines))  # lisync.run.refresh
            if healed:
                summary.add_note(healed)
            if full_refresh:  # --full-refresh: the selected pipelines start over (lisync.run.refresh)
                dropped_tables = drop_pipelines(pipeline, list(settings.pipelines))
                summary.add_note(f"--full-refresh dropped {len(dropped_tables)} tables and their savepoints.")
            with duckdb_write_lock(_duckdb_file(settings)):  # the destination's history stays: history_guard
                history = plan_history(pipeline, settings, tables)
            apply_history_plan(sources, history)
            with duckdb_write_lock(_duckdb_file(settings)):  # a new table is created by a plain insert: first_load
                insert_into_new_tables(pipeline, sources)
            kept_note = history.note()
            if kept_note:
                summary.add_note(kept_note)
            progress.stage("extracting")
            with steps_intercepting_ctrl_c():  # a Ctrl-C inside a step is never lost: lisync.run.interrupt
                tag_packages(pipeline, settings)
                refreshed, sources = split_for_refresh(sources, history.started)
                if refreshed:  # plain rows become first versions; dlt drops the tables in this run's load step
                    pipeline.extract(refreshed, refresh="drop_resources",
                                     loader_file_format=preferred_file_format(settings.destination))
                if sources or not refreshed:
                    pipeline.extract(sources, loader_file_format=preferred_file_format(settings.destination))
                _kill_point("extract")
                stop_if_interrupted(progress.current_stage)
                progress.stage("normalizing")
                pipeline.normalize()
                _kill_point("normalize")
                stop_if_interrupted(progress.current_stage)
                progress.stage("loading")
                with duckdb_write_lock(_duckdb_file(settings)):
                    clear_interrupted_jobs(pipeline)  # a resumed package must not load a committed job twice
                    arm_kill_during("load")
                    load_with_retry(pipeline)
                    drop_replayed_rows(pipeline, tables)  # rows a resumed package loaded twice (SIGKILL mid-load)
                    _kill_point("load")
                    stop_if_interrupted(progress.current_stage)  # the load is committed; post-load is not run
                    progress.stage("post-load")
                    materialize_missing_tables(pipeline, tables, settings)
                    apply_comments(pipeline)
                    if settings.fivetran_views:
                        refresh_after_run(pipeline, settings.fivetran_views)
                    summary.tables = count_rows(pipeline, tables)
            if settings.verify:
                progress.stage("verifying")
                if verify_run(pipeline, settings, today, client, scope, summary, _duckdb_file(settings)) is not None:
                    with duckdb_write_lock(_duckdb_file(settings)):
                        summary.tables = count_rows(pipeline, tables)
    except KeyboardInterrupt:
        raise Interrupted(progress.current_stage) from None  # Ctrl-C outside a dlt step: lisync.run.interrupt
    except (PipelineStepFailed, LinkedInError, LisyncError) as exc:
        if is_interrupt(exc):
            raise Interrupted(progress.current_stage) from None  # dlt's SignalReceivedException inside a step
        root = _root_error(exc)
        summary.status = "failed"
        summary.error = _one_line(root)
        if isinstance(root, LisyncError) and root.exit_code == 2:
            raise root from None  # usage errors (bad settings, unknown accounts) surface as they are
        if pipeline is not None:
            with duckdb_write_lock(_duckdb_file(settings)):
                summary.tables = rows_loaded_by_run(pipeline, tables, run_started)  # not rows already there
        if not isinstance(root, VersionRetiredError):  # "retired" already says it: one message, not two
            _warn_about_version(settings, summary, today)
    else:
        _warn_about_version(settings, summary, today)
    finally:
        run_lock.release()
        summary.requests = stats.as_dict()
        summary.seconds = time.monotonic() - started
    return summary


def _duckdb_file(settings: RunSettings) -> str | None:
    """The DuckDB file a shard must lock before opening it (DuckDB allows one writing process per file)."""
    return settings.duckdb_path if settings.shard and settings.destination == "duckdb" else None


def _kill_point(stage: str) -> None:
    """Kill this process without any cleanup when ``LISYNC_TEST_KILL_AT`` names ``stage`` (tests only)."""
    if os.environ.get(KILL_AT_ENV) == stage:
        os.kill(os.getpid(), signal.SIGKILL)


def _warn_about_version(settings: RunSettings, summary: RunSummary, today: dt.date) -> None:
    """Note (and log) when the API version nears the end of LinkedIn's one-year support."""
    warning = version_sunset_warning(settings.api_version, today)
    if warning:
        log.warning(warning)
        summary.add_note(warning)


def _one_line(exc: BaseException) -> str:
    """Return the first meaningful line of ``exc``'s message, naming its type when it is not lisync's own."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    if not isinstance(exc, LinkedInError | LisyncError) and not text.startswith(type(exc).__name__):
        text = f"{type(exc).__name__}: {text}"
    return text


def _describe_destination(settings: RunSettings) -> str:
    where = f"dataset {settings.dataset}" + (f", shard {settings.shard}" if settings.shard else "")
    if settings.destination == "duckdb":
        return f"duckdb:{Path(settings.duckdb_path).expanduser().absolute()} ({where})"
    return f"{settings.destination} ({where})"


def ensure_ok(summary: RunSummary) -> RunSummary:
    """Raise :class:`RunFailed` for a failed summary (library callers that prefer exceptions)."""
    if summary.status != "ok":
        raise RunFailed(summary.error or "The run failed.")
    return summary
