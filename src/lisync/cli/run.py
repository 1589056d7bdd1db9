"""`lisync run` and `lisync demo`: parse the run options, run the pipelines, print the summary, set the exit code."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from lisync.cli.common import DestinationCredentialsOption, PipelinesArg, err, fail, out, print_warnings
from lisync.cli.refresh import confirm_full_refresh, enable_verbose_logging
from lisync.config.defaults import DEFAULT_DATASET, DEFAULT_DUCKDB_PATH, DEMO_DUCKDB_PATH
from lisync.config.resolve import build_settings
from lisync.config.settings import RunSettings
from lisync.config.tokens import run_token_provider
from lisync.errors import LisyncError
from lisync.linkedin.http.version import DEFAULT_API_VERSION
from lisync.run.duckdb_file import only_written_by
from lisync.run.interrupt import Interrupted
from lisync.run.summary import RunSummary

__all__ = ["demo", "finish", "run"]

DEMO_PIPELINE_NAME = "lisync_demo"  # how the demo recognizes a database it wrote (its dlt state names it)


def finish(summary: RunSummary, summary_json: str | None, show: bool = True) -> None:
    """Print and/or write the summary, then exit 1 if the run failed."""
    if summary_json:
        summary.write_json(summary_json)
    if show:
        summary.render(out)
    if summary.status != "ok":
        raise typer.Exit(1)


def run(
    pipelines: PipelinesArg = None,
    start_date: Annotated[str | None, typer.Option(help="Read start date (savepoint) for incremental pipelines, "
                                                   "YYYY-MM-DD.")] = None,
    end_date: Annotated[str | None, typer.Option(help="Last day (inclusive) time-windowed pipelines read, "
                                                 "YYYY-MM-DD, for a bounded backfill; their savepoints stop there "
                                                 "(default: today). Full pipelines ignore it.")] = None,
    update_window_days: Annotated[str | None, typer.Option(help="Days before the savepoint to re-read and upsert "
                                                           "(LinkedIn restates recent days).")] = None,
    accounts: Annotated[str | None, typer.Option(help="Comma-separated ad account ids (default: all visible).")] = None,
    organizations: Annotated[str | None, typer.Option(help="Comma-separated organization ids (default: all "
                                                      "administered company pages).")] = None,
    destination: Annotated[str | None, typer.Option(help="dlt destination: duckdb (default), postgres, "
                                                    "filesystem, bigquery, snowflake…")] = None,
    duckdb: Annotated[str | None, typer.Option("--duckdb",
                                               help=f"DuckDB file (default {DEFAULT_DUCKDB_PATH}).")] = None,
    destination_credentials: DestinationCredentialsOption = None,
    dataset: Annotated[str | None, typer.Option(help=f"Dataset/schema name (default {DEFAULT_DATASET}).")] = None,
    api_base_url: Annotated[str | None, typer.Option(help="LinkedIn REST base URL (default LinkedIn's; point it "
                                                     "at `lisync sandbox` to try lisync offline).")] = None,
    api_version: Annotated[str | None, typer.Option(
        help=f"LinkedIn-Version header (default {DEFAULT_API_VERSION}).")] = None,
    access_token: Annotated[str | None, typer.Option(help="LinkedIn access token (or env LINKEDIN_ACCESS_TOKEN; "
                                                     "default: the token from `lisync auth login`).",
                                                     show_default=False)] = None,
    summary_json: Annotated[str | None, typer.Option(help="Also write the run summary as JSON to this path.")] = None,
    pipeline_name: Annotated[str | None, typer.Option(help="dlt pipeline name (state and savepoints live under "
                                                      "it; default lisync_<dataset>).")] = None,
    pipelines_dir: Annotated[str | None, typer.Option(help="Folder for dlt's working state (default dlt's).")] = None,
    period: Annotated[str | None, typer.Option(help="organization_pages period breakdown: day (default), week "
                                               "or month.")] = None,
    keep_metrics_history: Annotated[bool | None, typer.Option(
        "--keep-metrics-history/--no-keep-metrics-history",
        help="organization_posts: also keep a dated snapshot row per post each run.", show_default=False)] = None,
    posts_replication: Annotated[str | None, typer.Option(help="organization_posts replication: incremental "
                                                          "(default) or full (fresh media URLs every run).")] = None,
    today: Annotated[str | None, typer.Option(hidden=True, help="Pretend today (UTC) is this date; for tests and "
                                              "sandbox benchmarks.")] = None,
    strict: Annotated[bool | None, typer.Option(
        "--strict/--no-strict", help="Fail the run when LinkedIn refuses one account or organization (403/404) "
        "instead of skipping it with a note.", show_default=False)] = None,
    max_workers: Annotated[str | None, typer.Option(help="Most API requests in flight at once (1-32, "
                                                    "default 4).")] = None,
    lead_pii: Annotated[str | None, typer.Option(
        "--lead-pii", help="Personal values of lead_form_responses: keep (default), hash (keyed SHA-256 with "
        "lead_pii_secret from dlt secrets) or drop (empty). Applied before anything is written.")] = None,
    shard: Annotated[str | None, typer.Option(help="Run as this shard of a sharded replication (see `lisync "
                                              "plan-shards`): own savepoints and staging, and Full tables "
                                              "replace only the shard's accounts and organizations.")] = None,
    history: Annotated[bool | None, typer.Option(
        "--history/--no-history", help="Entity tables keep every version with valid_from/valid_to (dlt scd2) "
        "instead of being replaced. A table that already holds history keeps it either way.",
        show_default=False)] = None,
    demographics_granularity: Annotated[str | None, typer.Option(
        help="ad_demographics period: monthly (default, as LinkedIn recommends) or daily.")] = None,
    demographic_pivots: Annotated[str | None, typer.Option(
        help="ad_demographics pivots, comma-separated (default all eight: MEMBER_COMPANY, MEMBER_COMPANY_SIZE, "
        "MEMBER_INDUSTRY, MEMBER_SENIORITY, MEMBER_JOB_TITLE, MEMBER_JOB_FUNCTION, MEMBER_COUNTRY_V2, "
        "MEMBER_REGION_V2).")] = None,
    extended_metrics: Annotated[bool | None, typer.Option(
        "--extended-metrics/--no-extended-metrics", help="Add the metrics LinkedIn added since the contract "
        "(per LinkedIn-Version) as nullable columns on the performance tables.", show_default=False)] = None,
    verify: Annotated[bool, typer.Option(
        "--verify/--no-verify", help="After loading, reconcile ad and conversion performance with LinkedIn's "
        "account-month totals and posts with its listing, repair what differs, and fail if a difference "
        "remains.")] = True,
    extract_format: Annotated[str | None, typer.Option(
        help="How rows travel to dlt: arrow (default: Arrow tables with the contract's types, no per-row "
        "normalization; performance, report, page statistics and posts tables) or dicts.")] = None,
    full_refresh: Annotated[bool, typer.Option(
        "--full-refresh", help="Drop the selected pipelines' tables and savepoints in the destination first, then "
        "re-read them from the start date (asks once; --yes skips the question).")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before --full-refresh drops tables.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each request retry, wait, state restore "
                                          "and load step (as `lisync --verbose run`).")] = False,
) -> None:
    """Replicate the selected pipelines into the destination.

    Example: lisync run ad_accounts campaign_metadata --accounts 5100001 --duckdb lisync.duckdb
    """
    from lisync.config.parse import parse_date
    from lisync.run.memory import return_freed_memory, settle_garbage_collector
    from lisync.run.pipeline import run as runner_run

    return_freed_memory()
    settle_garbage_collector()
    try:
        settings = build_settings(
            pipelines, lead_pii=lead_pii, start_date=start_date, end_date=end_date,
            update_window_days=update_window_days,
            accounts=accounts,
            organizations=organizations, destination=destination, duckdb=duckdb, dataset=dataset,
            api_base_url=api_base_url, api_version=api_version, access_token=access_token,
            pipeline_name=pipeline_name, pipelines_dir=pipelines_dir, period=period,
            keep_metrics_history=keep_metrics_history, posts_replication=posts_replication,
            destination_credentials=destination_credentials, strict=strict, max_workers=max_workers, shard=shard,
            history=history, demographics_granularity=demographics_granularity,
            demographic_pivots=demographic_pivots, extended_metrics=extended_metrics,
            extract_format=extract_format)
        settings.verify = verify
        if today:  # the hidden flag used to be accepted and ignored; benchmarks and shard tests rely on it
            settings.today = parse_date(today, "--today", today=dt.date.max)
        if verbose:
            enable_verbose_logging()
        if full_refresh:
            confirm_full_refresh(settings, yes)
        provider = run_token_provider(settings.access_token)
        print_warnings(provider)
        summary = runner_run(settings, token_provider=provider, show_progress=True, full_refresh=full_refresh)
    except Interrupted as exc:
        err.print(str(exc), highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None
    except LisyncError as exc:
        if summary_json:
            RunSummary(pipelines=list(pipelines or []), status="failed", error=str(exc)).write_json(summary_json)
        raise fail(str(exc), exc.exit_code) from None
    if summary.status != "ok":
        err.print(f"[red]error:[/red] {summary.error}", highlight=False, soft_wrap=True)
    finish(summary, summary_json)


def demo(
    duckdb: Annotated[str, typer.Option("--duckdb", help="Where to write the demo database.")] = DEMO_DUCKDB_PATH,
    scale: Annotated[str, typer.Option(help="Sandbox world size: tiny, small, medium or large.")] = "small",
    seed: Annotated[int, typer.Option(help="Sandbox seed (same seed, same data).")] = 42,
    summary_json: Annotated[str | None, typer.Option(help="Also write the run summary as JSON to this path.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --duckdb even when it is not an earlier demo's "
                                        "database.")] = False,
) -> None:
    """Start the LinkedIn sandbox in-process and replicate every pipeline into a fresh DuckDB file.

    Example: lisync demo --duckdb lisync_demo.duckdb
    """
    from lisync.run.families import available_pipelines
    from lisync.run.pipeline import run as runner_run
    from lisync.sandbox.config import SandboxConfig
    from lisync.sandbox.scale import resolve_scale
    from lisync.sandbox.server import SandboxServer

    try:
        resolve_scale(scale)
    except ValueError as exc:
        raise fail(str(exc)) from None
    target = Path(duckdb).expanduser().absolute()
    if target.exists() and not force and not only_written_by(target, DEMO_PIPELINE_NAME):
        raise fail(f"lisync demo will not replace {target}: it is not a database an earlier `lisync demo` wrote. "
                   "Pass another --duckdb path, or --force to replace it.")
    for path in (target, target.with_name(target.name + ".wal")):
        path.unlink(missing_ok=True)
    workdir = tempfile.mkdtemp(prefix="lisync-demo-")
    try:
        with SandboxServer(SandboxConfig(port=0, seed=seed, scale=scale)) as sandbox:
            out.print(f"LinkedIn sandbox (seed {seed}, scale {scale}) at {sandbox.base_url}")
            settings = RunSettings(
                pipelines=available_pipelines(), access_token="lisync-demo-token",
                api_base_url=f"{sandbox.base_url}/rest", duckdb_path=str(target), dataset=DEFAULT_DATASET,
                pipeline_name=DEMO_PIPELINE_NAME, pipelines_dir=workdir,
                start_date=sandbox.world.clock.today - dt.timedelta(days=90))
            summary = runner_run(settings, show_progress=True)
            report = _demo_report(settings, target) if summary.status == "ok" else None
    except LisyncError as exc:
        raise fail(str(exc), exc.exit_code) from None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    finish(summary, summary_json)
    out.print(f"Open it with: duckdb {target} -c \"select * from {DEFAULT_DATASET}.ad_accounts\"")
    if report:
        out.print(f"Report: {report} (open it in a browser; it works offline)", highlight=False, soft_wrap=True)


def _demo_report(settings: RunSettings, database: Path) -> Path | None:
    """Write the HTML report next to the demo database; without plotly, say how to get it."""
    from lisync.run.pipeline import make_pipeline
    from lisync.warehouse.report import write_destination_report

    try:
        return write_destination_report(make_pipeline(settings), database.with_name(f"{database.stem}_report.html"))
    except LisyncError as exc:
        err.print(f"[yellow]note:[/yellow] no HTML report: {exc}", highlight=False, soft_wrap=True)
        return None
