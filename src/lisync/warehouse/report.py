"""`lisync report` as a library call: read the destination of a run and write the HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lisync.errors import ConfigError
from lisync.warehouse.report_data import read_report_data
from lisync.warehouse.report_html import write_report

DEFAULT_REPORT_PATH = "lisync_report.html"


def write_destination_report(pipeline: Any, output: str | Path = DEFAULT_REPORT_PATH) -> Path:
    """Read the report's data from the destination of ``pipeline`` (its dataset) and write the page to ``output``.

    Args:
        pipeline: A dlt pipeline on the destination lisync loaded (``lisync.run.pipeline.make_pipeline``).
        output: Where to write the page.

    Returns:
        The absolute path written.

    Raises:
        ConfigError: For a destination without SQL, an unreachable one, missing plotly or an unwritable file.
    """
    try:
        client = pipeline.sql_client()
    except Exception:  # filesystem and other destinations without SQL
        raise ConfigError(f"lisync report reads a SQL destination (duckdb, postgres…), not "
                          f"{pipeline.destination.destination_name!r}.") from None
    with client:
        data = read_report_data(client, pipeline.dataset_name)
    return write_report(data, output)
