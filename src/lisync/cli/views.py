"""`lisync views fivetran`: create Fivetran-compatible LinkedIn views over lisync's tables in the destination."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from lisync.cli.common import DestinationCredentialsOption, fail, out
from lisync.config.defaults import DEFAULT_DATASET, DEFAULT_DUCKDB_PATH
from lisync.config.resolve import build_settings
from lisync.errors import LisyncError

__all__ = ["views_app"]

views_app = typer.Typer(help="Create views over lisync's tables for tools that expect another connector's schema.",
                        no_args_is_help=True)


@views_app.command()
def fivetran(
    schema: Annotated[str, typer.Option(help="Schema to create the views in (Fivetran's dbt package reads "
                                        "linkedin_ads by default).")] = "linkedin_ads",
    destination: Annotated[str | None, typer.Option(help="duckdb (default) or postgres.")] = None,
    duckdb: Annotated[str | None, typer.Option("--duckdb",
                                               help=f"DuckDB file (default {DEFAULT_DUCKDB_PATH}).")] = None,
    destination_credentials: DestinationCredentialsOption = None,
    dataset: Annotated[str | None, typer.Option(help=f"lisync's dataset/schema (default {DEFAULT_DATASET}).")] = None,
) -> None:
    """Create Fivetran LinkedIn Ad Analytics views (account_history, ad_analytics_by_creative, …).

    Views whose lisync source was not replicated are skipped with the reason. To create them after every
    run, set fivetran_views = "linkedin_ads" in [sources.linkedin] (or SOURCES__LINKEDIN__FIVETRAN_VIEWS).

    Example: lisync views fivetran --duckdb lisync.duckdb --schema linkedin_ads
    """
    from lisync.run.pipeline import make_pipeline
    from lisync.warehouse.fivetran_views import check_schema_name, create_views_in_destination

    try:
        settings = build_settings(destination=destination, duckdb=duckdb, dataset=dataset,
                                  destination_credentials=destination_credentials)
        outcomes = create_views_in_destination(make_pipeline(settings), check_schema_name(schema))
    except LisyncError as exc:
        raise fail(str(exc), exc.exit_code) from None
    for outcome in outcomes:
        label = "[green]created[/green] " if outcome.created else "[yellow]disabled[/yellow]"
        out.print(f"{label} {schema}.{outcome.name}: {escape(outcome.detail)}", highlight=False, soft_wrap=True)
