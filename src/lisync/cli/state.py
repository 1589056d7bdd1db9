"""`lisync state`: print the savepoints a destination holds and when each account or page last loaded."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from lisync.cli.common import DestinationCredentialsOption, err, fail, out
from lisync.config.defaults import DEFAULT_DATASET, DEFAULT_DUCKDB_PATH
from lisync.config.resolve import build_settings
from lisync.errors import LisyncError

__all__ = ["state_command"]


def state_command(
    duckdb: Annotated[str | None, typer.Option("--duckdb",
                                               help=f"DuckDB file (default {DEFAULT_DUCKDB_PATH}).")] = None,
    destination: Annotated[str | None, typer.Option(help="dlt destination (default duckdb).")] = None,
    destination_credentials: DestinationCredentialsOption = None,
    dataset: Annotated[str | None, typer.Option(help=f"Dataset/schema name (default {DEFAULT_DATASET}).")] = None,
    pipeline_name: Annotated[str | None, typer.Option(help="dlt pipeline name (default lisync_<dataset>).")] = None,
) -> None:
    """Show the savepoints stored in the destination (per account and page) and each one's last load.

    Read from the destination itself: what the next `lisync run` into it resumes from.

    Example: lisync state --duckdb lisync.duckdb
    """
    from lisync.run.pipeline import make_pipeline
    from lisync.run.state import restore_state_from_destination
    from lisync.run.state_report import savepoint_rows

    try:
        settings = build_settings([], destination=destination, duckdb=duckdb, dataset=dataset,
                                  destination_credentials=destination_credentials, pipeline_name=pipeline_name)
        pipeline = make_pipeline(settings)
        restore_state_from_destination(pipeline, settings.destination)
        rows = savepoint_rows(pipeline)
    except LisyncError as exc:
        raise fail(str(exc), exc.exit_code) from None
    if not rows:
        err.print(f"No savepoints in {settings.destination} dataset {settings.dataset}: the next run starts from the "
                  "read start date.", highlight=False, soft_wrap=True)
        return
    table = Table("pipeline resource", "account / page", "savepoint", "last load (UTC)")
    for row in rows:
        table.add_row(row.resource, row.scope, row.savepoint, row.last_load or "—")
    out.print(table)
