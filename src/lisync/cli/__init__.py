"""lisync's command line: a thin typer app over the library (``lisync.run.pipeline``, ``lisync.sandbox``).

Every user mistake surfaces as one line on stderr (no traceback) with exit code 2; a failed run exits 1.
This module holds the app, the small commands and :func:`main`; the larger commands live beside it
(:mod:`lisync.cli.run`, :mod:`~lisync.cli.sandbox`, :mod:`~lisync.cli.auth`, :mod:`~lisync.cli.check`). Settings
precedence lives in :mod:`lisync.config.resolve` and the token choice in :mod:`lisync.config.tokens`.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from lisync import __version__
from lisync.cli.auth import auth_app
from lisync.cli.check import check_command
from lisync.cli.common import DestinationCredentialsOption, PipelinesArg, err, fail, out, print_warnings
from lisync.cli.report import report
from lisync.cli.run import demo, finish, run
from lisync.cli.sandbox import sandbox
from lisync.cli.state import state_command
from lisync.cli.verify import verify
from lisync.cli.views import views_app
from lisync.config.defaults import DEFAULT_DATASET
from lisync.config.resolve import build_settings
from lisync.config.tokens import run_token_provider
from lisync.errors import ConfigError, LisyncError
from lisync.linkedin.http.version import DEFAULT_API_VERSION
from lisync.run.live_schema import load_live_schema
from lisync.run.shards import discover_and_plan
from lisync.spec.dictionary import DOC_FORMATS, build_dictionary, render, write_docs
from lisync.spec.loader import load_spec

# Re-exported for the importers of lisync.cli (build_settings: lisync.orchestrate and its docs).
__all__ = ["DestinationCredentialsOption", "PipelinesArg", "app", "build_settings", "demo", "docs", "err", "fail",
           "finish", "list_pipelines", "main", "out", "plan_shards", "print_warnings", "run", "run_token_provider",
           "sandbox"]

app = typer.Typer(
    name="lisync",
    help="Replicate LinkedIn ads, analytics, organization pages and posts into your database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


app.command()(run)
app.command()(demo)
app.command()(sandbox)
app.command()(verify)
app.command()(report)


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
    try:
        if fmt not in ("text", "json"):
            raise ConfigError(f"Invalid --format {fmt!r}: use text or json.")
        settings = build_settings(
            [], start_date=None, update_window_days=None, accounts=accounts, organizations=organizations,
            destination=None, duckdb=None, dataset=None, api_base_url=api_base_url, api_version=api_version,
            access_token=access_token)
        provider = run_token_provider(settings.access_token)
        plan, notes = discover_and_plan(settings, shards, measure, token_provider=provider)
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
    from lisync.run.families import available_pipelines

    present = set(available_pipelines())
    for pid, p in load_spec().items():
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
    try:
        if fmt not in DOC_FORMATS:
            raise ConfigError(f"Invalid --format {fmt!r}: use markdown or html.")
        live, source = None, None
        if duckdb or destination:
            settings = build_settings(
                [], start_date=None, update_window_days=None, accounts=None, organizations=None,
                destination=destination or "duckdb", duckdb=duckdb, dataset=dataset, api_base_url=None,
                api_version=None, access_token=None, destination_credentials=destination_credentials)
            live = load_live_schema(settings)
            where = settings.destination
            if where == "duckdb":
                where = f"duckdb:{settings.duckdb_path}"
            source = f"{where} (dataset {settings.dataset})"
        text = render(build_dictionary(live, source), fmt)
    except LisyncError as exc:
        raise fail(str(exc), exc.exit_code) from None
    if output:
        path = write_docs(text, output)
        err.print(f"Wrote {path}", highlight=False)
    else:
        sys.stdout.write(text)


app.add_typer(auth_app, name="auth")
app.add_typer(views_app, name="views")
app.command(name="check")(check_command)
app.command(name="state")(state_command)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:  # Ctrl-C outside a run (a run says where it stopped: lisync.run.interrupt)
        err.print("interrupted; nothing committed, re-run to continue", highlight=False)
        sys.exit(130)
    except LisyncError as exc:  # a library error that escaped a command
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
