"""lisync's command line: a thin typer app over the library (``lisync.pipeline``, ``lisync.sandbox``).

Every user mistake surfaces as one line on stderr (no traceback) with exit code 2; a failed run exits 1.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from lisync import __version__, config, spec
from lisync.cli_auth import auth_app, check_command, print_warnings, run_token_provider
from lisync.config import RunSettings
from lisync.errors import ConfigError, LisyncError
from lisync.linkedin.retry import RetryPolicy
from lisync.settings import (
    DEFAULT_API_BASE_URL,
    DEFAULT_API_VERSION,
    DEFAULT_DATASET,
    DEFAULT_DUCKDB_PATH,
    DEMO_DUCKDB_PATH,
)
from lisync.summary import RunSummary

app = typer.Typer(
    name="lisync",
    help="Replicate LinkedIn ads, analytics, organization pages and posts into your database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` as a one-line error and return the Exit to raise."""
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        out.print(f"lisync {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what lisync and dlt do.")] = False,
) -> None:
    """Replicate LinkedIn data into DuckDB, Postgres or any dlt destination."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def build_settings(
    pipelines: list[str] | None,
    *,
    start_date: str | None,
    update_window_days: str | None,
    accounts: str | None,
    organizations: str | None,
    destination: str | None,
    duckdb: str | None,
    dataset: str | None,
    api_base_url: str | None,
    api_version: str | None,
    access_token: str | None,
    pipeline_name: str | None = None,
    pipelines_dir: str | None = None,
    period: str | None = None,
    keep_metrics_history: bool | None = None,
    posts_replication: str | None = None,
    destination_credentials: str | None = None,
    strict: bool | None = None,
    max_workers: str | None = None,
    shard: str | None = None,
) -> RunSettings:
    """Turn CLI flags (falling back to dlt config and env) into validated :class:`RunSettings`.

    Raises:
        ConfigError: For any invalid value, naming it and the fix.
    """
    config.check_config_keys(_config_section())

    def pick(flag_value: object, key: str) -> object:
        return flag_value if flag_value not in (None, "") else config.config_value(key)

    workers = config.parse_workers(pick(max_workers, "max_workers"))
    return RunSettings(
        pipelines=config.parse_pipelines(pipelines or []),
        access_token=config.resolve_access_token(access_token),
        api_base_url=str(pick(api_base_url, "api_base_url") or DEFAULT_API_BASE_URL).rstrip("/"),
        api_version=_check_version(str(pick(api_version, "api_version") or DEFAULT_API_VERSION)),
        account_ids=config.parse_ids(pick(accounts, "account_ids"), "account", "sponsoredAccount"),
        organization_ids=config.parse_ids(pick(organizations, "organization_ids"), "organization", "organization"),
        start_date=config.parse_date(pick(start_date, "start_date")),
        update_window_days=config.parse_window(pick(update_window_days, "update_window_days")),
        destination=destination or os.environ.get("LISYNC_DESTINATION") or "duckdb",
        destination_credentials=(destination_credentials or os.environ.get("LISYNC_DESTINATION_CREDENTIALS")
                                 or None),
        duckdb_path=duckdb or os.environ.get("LISYNC_DUCKDB_PATH") or DEFAULT_DUCKDB_PATH,
        dataset=_check_dataset(dataset or os.environ.get("LISYNC_DATASET") or DEFAULT_DATASET),
        pipeline_name=pipeline_name,
        pipelines_dir=pipelines_dir,
        extras={
            "period": config.parse_choice(pick(period, "period") or "day", "--period", config.PERIODS),
            "keep_metrics_history": config.parse_bool(
                keep_metrics_history if keep_metrics_history is not None else config.config_value(
                    "keep_metrics_history"), "--keep-metrics-history"),
            "posts_replication": config.parse_choice(pick(posts_replication, "posts_replication") or "incremental",
                                                     "--posts-replication", config.POSTS_REPLICATION),
        },
        strict=config.parse_bool(strict if strict is not None else config.config_value("strict"), "--strict"),
        retry_policy=RetryPolicy(max_concurrency=workers) if workers else RetryPolicy(),
        shard=config.parse_shard(shard),
    )


def _config_section() -> dict[str, object] | None:
    try:
        import dlt

        section = dlt.config.get("sources.linkedin")
    except Exception:
        return None
    return section if isinstance(section, dict) else None


def _check_version(value: str) -> str:
    if not (len(value) == 6 and value.isdigit()) and not (len(value) == 9 and value[6] == "." and
                                                            value.replace(".", "").isdigit()):
        raise ConfigError(f"Invalid --api-version {value!r}: use LinkedIn's YYYYMM form, e.g. {DEFAULT_API_VERSION}.")
    return value


def _check_dataset(value: str) -> str:
    if not value.replace("_", "").isalnum() or value[0].isdigit():
        raise ConfigError(f"Invalid --dataset {value!r}: use letters, digits and underscores, starting with a letter.")
    return value


def finish(summary: RunSummary, summary_json: str | None, show: bool = True) -> None:
    """Print and/or write the summary, then exit 1 if the run failed."""
    if summary_json:
        summary.write_json(summary_json)
    if show:
        summary.render(out)
    if summary.status != "ok":
        raise typer.Exit(1)


PipelinesArg = Annotated[list[str] | None, typer.Argument(
    help="Pipelines to run (the spec's main table names); all available ones when omitted.",
    show_default=False)]
DestinationCredentialsOption = Annotated[str | None, typer.Option(
    help="The destination's connection string, passed to dlt as is: a Postgres DSN, a Snowflake URL…; for "
    "filesystem the folder or bucket URL (or env LISYNC_DESTINATION_CREDENTIALS; default: dlt's "
    "DESTINATION__<NAME>__CREDENTIALS / .dlt/secrets.toml).", show_default=False)]


@app.command()
def run(
    pipelines: PipelinesArg = None,
    start_date: Annotated[str | None, typer.Option(help="Read start date (savepoint) for incremental pipelines, "
                                                   "YYYY-MM-DD.")] = None,
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
    shard: Annotated[str | None, typer.Option(help="Run as this shard of a sharded replication (see `lisync "
                                              "plan-shards`): own savepoints and staging, and Full tables "
                                              "replace only the shard's accounts and organizations.")] = None,
) -> None:
    """Replicate the selected pipelines into the destination.

    Example: lisync run ad_accounts campaign_metadata --accounts 5100001 --duckdb lisync.duckdb
    """
    from lisync import pipeline as runner

    try:
        settings = build_settings(
            pipelines, start_date=start_date, update_window_days=update_window_days, accounts=accounts,
            organizations=organizations, destination=destination, duckdb=duckdb, dataset=dataset,
            api_base_url=api_base_url, api_version=api_version, access_token=access_token,
            pipeline_name=pipeline_name, pipelines_dir=pipelines_dir, period=period,
            keep_metrics_history=keep_metrics_history, posts_replication=posts_replication,
            destination_credentials=destination_credentials, strict=strict, max_workers=max_workers, shard=shard)
        if today:  # the hidden flag used to be accepted and ignored; benchmarks and shard tests rely on it
            settings.today = config.parse_date(today, "--today", today=dt.date.max)
        provider = run_token_provider(settings.access_token)
        print_warnings(provider)
        summary = runner.run(settings, token_provider=provider, show_progress=True)
    except LisyncError as exc:
        if summary_json:
            RunSummary(pipelines=list(pipelines or []), status="failed", error=str(exc)).write_json(summary_json)
        raise fail(str(exc), exc.exit_code) from None
    if summary.status != "ok":
        err.print(f"[red]error:[/red] {summary.error}", highlight=False, soft_wrap=True)
    finish(summary, summary_json)


@app.command()
def demo(
    duckdb: Annotated[str, typer.Option("--duckdb", help="Where to write the demo database.")] = DEMO_DUCKDB_PATH,
    scale: Annotated[str, typer.Option(help="Sandbox world size: tiny, small, medium or large.")] = "small",
    seed: Annotated[int, typer.Option(help="Sandbox seed (same seed, same data).")] = 42,
    summary_json: Annotated[str | None, typer.Option(help="Also write the run summary as JSON to this path.")] = None,
) -> None:
    """Start the LinkedIn sandbox in-process and replicate every pipeline into a fresh DuckDB file.

    Example: lisync demo --duckdb lisync_demo.duckdb
    """
    from lisync import pipeline as runner
    from lisync.sandbox.core import resolve_scale
    from lisync.sandbox.server import SandboxConfig, SandboxServer

    try:
        resolve_scale(scale)
    except ValueError as exc:
        raise fail(str(exc)) from None
    target = Path(duckdb)
    for path in (target, target.with_name(target.name + ".wal")):
        path.unlink(missing_ok=True)
    workdir = tempfile.mkdtemp(prefix="lisync-demo-")
    try:
        with SandboxServer(SandboxConfig(port=0, seed=seed, scale=scale)) as sandbox:
            out.print(f"LinkedIn sandbox (seed {seed}, scale {scale}) at {sandbox.base_url}")
            settings = RunSettings(
                pipelines=runner.available_pipelines(), access_token="lisync-demo-token",
                api_base_url=f"{sandbox.base_url}/rest", duckdb_path=str(target), dataset=DEFAULT_DATASET,
                pipeline_name="lisync_demo", pipelines_dir=workdir,
                start_date=sandbox.world.clock.today - dt.timedelta(days=90))
            summary = runner.run(settings, show_progress=True)
    except LisyncError as exc:
        raise fail(str(exc), exc.exit_code) from None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    finish(summary, summary_json)
    out.print(f"Open it with: duckdb {target} -c \"select * from {DEFAULT_DATASET}.ad_accounts\"")


@app.command()
def sandbox(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0 picks a free one).")] = 8787,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic world.")] = 42,
    scale: Annotated[str, typer.Option(help="World size: tiny, small, medium or large.")] = "small",
    today: Annotated[str | None, typer.Option(
        help="The sandbox's 'today' (YYYY-MM-DD; default: real UTC today).")] = None,
    strict_tokens: Annotated[bool, typer.Option(help="Accept only tokens the sandbox issued via OAuth.")] = False,
    accept_retired_versions: Annotated[bool, typer.Option(help="Serve LinkedIn-Version values LinkedIn has "
                                                          "retired (for benchmarking old clients).")] = False,
    latency_ms: Annotated[int, typer.Option(help="Added latency per request, in milliseconds.")] = 0,
    knob: Annotated[list[str] | None, typer.Option(help="Override one world-size knob, e.g. --knob accounts=20 "
                                                  "--knob history_days=365 (repeatable).")] = None,
    fault_rate: Annotated[float, typer.Option(help="Share of API requests that fail transiently (0 to 1), "
                                              "deterministically for --fault-seed.")] = 0.0,
    fault_mix: Annotated[str, typer.Option(
        help="Fault kinds and weights, e.g. '429=2,503,reset' (kinds: 429, 429-retry-after, 429-data-volume, 500, "
        "502, 503, 504, reset, stall, truncated, 401-expired; 'transient' = all but 401-expired).")] = "transient",
    fault_seed: Annotated[int, typer.Option(help="Seed of the fault decisions.")] = 0,
) -> None:
    """Serve the LinkedIn API sandbox on 127.0.0.1 until interrupted.

    Example: lisync sandbox --port 8787 --scale medium, then
    lisync run --api-base-url http://127.0.0.1:8787/rest --access-token any-token
    """
    from lisync.sandbox.core import resolve_scale
    from lisync.sandbox.server import SandboxConfig, serve

    try:
        overrides = _parse_knobs(knob or [])
        resolve_scale(scale, **overrides)
        day = dt.date.fromisoformat(today) if today else None
    except ValueError as exc:
        raise fail(f"{exc}" if "scale" in str(exc) or "knob" in str(exc)
                   else f"Invalid --today {today!r}: use YYYY-MM-DD.") from None
    if latency_ms < 0:
        raise fail("Invalid --latency-ms: use 0 or more milliseconds.")
    from lisync.sandbox.faults import FaultConfig, parse_mix

    try:
        faults = FaultConfig(rate=fault_rate, mix=parse_mix(fault_mix), seed=fault_seed)
    except ValueError as exc:
        raise fail(f"{exc} (--fault-rate / --fault-mix)") from None
    kwargs: dict[str, object] = {"port": port, "seed": seed, "scale": scale, "scale_overrides": overrides,
                                 "strict_tokens": strict_tokens,
                                 "accept_retired_versions": accept_retired_versions, "latency_ms": latency_ms,
                                 "faults": faults}
    if day is not None:
        kwargs["today"] = day
    serve(SandboxConfig(**kwargs))  # type: ignore[arg-type]


def _parse_knobs(items: list[str]) -> dict[str, int]:
    """Parse ``NAME=COUNT`` scale overrides.

    Raises:
        ValueError: For a malformed item (the caller turns it into a one-line error).
    """
    out: dict[str, int] = {}
    for item in items:
        name, _, value = item.partition("=")
        if not name or not value.strip().isdigit():
            raise ValueError(f"Invalid sandbox scale knob {item!r}: use NAME=COUNT, e.g. accounts=20.")
        out[name.strip()] = int(value)
    return out


@app.command(name="plan-shards")
def plan_shards(
    shards: Annotated[int, typer.Option(help="How many shards to split the accounts and organizations into.")],
    fmt: Annotated[str, typer.Option("--format", help="text (default) or json (for the orchestrator "
                                     "modules).")] = "text",
    output: Annotated[str | None, typer.Option(help="Write the plan to this file instead of standard "
                                               "output.")] = None,
    measure: Annotated[str, typer.Option(help="How to weigh an account: campaigns (one listing per account) "
                                         "or count (every account weighs the same, no extra calls).")] = "campaigns",
    accounts: Annotated[str | None, typer.Option(help="Only plan these ad accounts (default: all visible).")] = None,
    organizations: Annotated[str | None, typer.Option(help="Only plan these organizations (default: all "
                                                      "administered company pages).")] = None,
    api_base_url: Annotated[str | None, typer.Option(help="LinkedIn REST base URL (default LinkedIn's).")] = None,
    api_version: Annotated[str | None, typer.Option(help=f"LinkedIn-Version header (default "
                                                    f"{DEFAULT_API_VERSION}).")] = None,
    access_token: Annotated[str | None, typer.Option(help="LinkedIn access token (default: as for `lisync "
                                                     "run`).", show_default=False)] = None,
) -> None:
    """Propose a balanced split of the accounts and organizations into shards that run in parallel.

    Example: lisync plan-shards --shards 4 --format json --output plan.json, then run each shard with
    lisync run --shard shard_01 --accounts ... --organizations ... (or hand plan.json to lisync.orchestrate).
    """
    from lisync import shards as sharding

    try:
        if fmt not in ("text", "json"):
            raise ConfigError(f"Invalid --format {fmt!r}: use text or json.")
        settings = build_settings(
            [], start_date=None, update_window_days=None, accounts=accounts, organizations=organizations,
            destination=None, duckdb=None, dataset=None, api_base_url=api_base_url, api_version=api_version,
            access_token=access_token)
        provider = run_token_provider(settings.access_token)
        plan, notes = sharding.discover_and_plan(settings, shards, measure, token_provider=provider)
    except LisyncError as exc:
        raise fail(str(exc), exc.exit_code) from None
    for note in notes:
        err.print(f"note: {note}", highlight=False, soft_wrap=True)
    text = plan.to_json() if fmt == "json" else plan.to_text()
    if output:
        Path(output).write_text(text)
        err.print(f"Wrote {output}", highlight=False)
    else:
        sys.stdout.write(text)


@app.command(name="pipelines")
def list_pipelines() -> None:
    """List the pipelines, their tables and replication modes.

    Example: lisync pipelines
    """
    from lisync.pipeline import available_pipelines

    present = set(available_pipelines())
    for pid, p in spec.load_spec().items():
        mark = "" if pid in present else " (not in this version)"
        tables = ", ".join(t.name for t in p.tables)
        out.print(f"[bold]{pid}[/bold]{mark} — {p.replication}; tables: {tables}", highlight=False)


@app.command()
def docs(
    fmt: Annotated[str, typer.Option("--format", help="markdown (GitHub renders the diagram) or "
                                     "html.")] = "markdown",
    output: Annotated[str | None, typer.Option(help="Write to this file instead of standard output.")] = None,
    duckdb: Annotated[str | None, typer.Option("--duckdb", help="Also read the schema landed in this DuckDB "
                                               "file, marking any drift from the contract.")] = None,
    destination: Annotated[str | None, typer.Option(help="Also read the schema landed in this dlt "
                                                    "destination (duckdb, postgres, filesystem…).")] = None,
    destination_credentials: DestinationCredentialsOption = None,
    dataset: Annotated[str | None, typer.Option(help="Dataset/schema to read (default "
                                                f"{DEFAULT_DATASET}).")] = None,
) -> None:
    """Write the data dictionary: tables, columns, types, keys, replication, descriptions and an ER diagram.

    Built from the table contract; with --duckdb or --destination also from the schema that landed there.

    Example: lisync docs --output docs/data-dictionary.md, or
    lisync docs --format html --duckdb lisync.duckdb --output data-dictionary.html
    """
    from lisync import docs_gen

    try:
        if fmt not in docs_gen.DOC_FORMATS:
            raise ConfigError(f"Invalid --format {fmt!r}: use markdown or html.")
        live, source = None, None
        if duckdb or destination:
            settings = build_settings(
                [], start_date=None, update_window_days=None, accounts=None, organizations=None,
                destination=destination or "duckdb", duckdb=duckdb, dataset=dataset, api_base_url=None,
                api_version=None, access_token=None, destination_credentials=destination_credentials)
            live = docs_gen.load_live_schema(settings)
            where = settings.destination
            if where == "duckdb":
                where = f"duckdb:{settings.duckdb_path}"
            source = f"{where} (dataset {settings.dataset})"
        text = docs_gen.render(docs_gen.build_dictionary(live, source), fmt)  # type: ignore[arg-type]
    except LisyncError as exc:
        raise fail(str(exc), exc.exit_code) from None
    if output:
        path = docs_gen.write_docs(text, output)
        err.print(f"Wrote {path}", highlight=False)
    else:
        sys.stdout.write(text)


app.add_typer(auth_app, name="auth")
app.command(name="check")(check_command)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except LisyncError as exc:  # a library error that escaped a command
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
