"""`lisync report`: write a self-contained HTML page of the replicated LinkedIn data (opens offline)."""

from __future__ import annotations

from typing import Annotated

import typer

from lisync.cli.common import DestinationCredentialsOption, fail, out
from lisync.config.defaults import DEFAULT_DATASET, DEFAULT_DUCKDB_PATH
from lisync.config.resolve import build_settings
from lisync.errors import LisyncError

__all__ = ["report"]


def report(
    output: Annotated[str, typer.Option(help="Where to write the page.")] = "lisync_report.html",
    destination: Annotated[str | None, typer.Option(help="dlt destination: duckdb (default), postgres…")] = None,
    duckdb: Annotated[str | None, typer.Option("--duckdb",
                                               help=f"DuckDB file (default {DEFAULT_DUCKDB_PATH}).")] = None,
    destination_credentials: DestinationCredentialsOption = None,
    dataset: Annotated[str | None, typer.Option(help=f"lisync's dataset/schema (default {DEFAULT_DATASET}).")] = None,
) -> None:
    """Write a self-contained HTML page of the replicated data (opens offline).

    It shows spend, impressions, clicks and conversions over time, the top campaigns and creatives, and
    page followers over time. Needs plotly (pip install 'lisync[report]').

    Example: lisync report --duckdb lisync.duckdb --output report.html
    """
    from lisync.run.pipeline import make_pipeline
    from lisync.warehouse.report import write_destination_report

    try:
        settings = build_settings(destination=destination, duckdb=duckdb, dataset=dataset,
                                  destination_credentials=destination_credentials)
        path = write_destination_report(make_pipeline(settings), output)
    except LisyncError as exc:
        raise fail(str(exc), exc.exit_code) from None
    out.print(f"Wrote the report to {path}", highlight=False, soft_wrap=True)
