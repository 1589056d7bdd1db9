"""Reads the lisync dlt schema that landed in a destination (for ``lisync docs --duckdb/--destination``)."""

from __future__ import annotations

import dataclasses
import json
import tempfile
from pathlib import Path

import dlt

from lisync.config.settings import RunSettings
from lisync.errors import ConfigError
from lisync.run.pipeline import make_pipeline
from lisync.spec.naming import SCHEMA_NAME


def load_live_schema(settings: RunSettings) -> dlt.Schema:
    """Return the lisync dlt schema stored in the destination and dataset of ``settings``.

    A throwaway dlt working folder is used, so reading never touches a pipeline's local state.

    Raises:
        ConfigError: When the DuckDB file does not exist or the dataset holds no lisync schema.

    """
    if settings.destination == "duckdb" and not Path(settings.duckdb_path).expanduser().exists():
        raise ConfigError(f"DuckDB file {settings.duckdb_path} does not exist: run `lisync run` first or "
                          "pass the right --duckdb path.")
    with tempfile.TemporaryDirectory(prefix="lisync-docs-") as workdir:
        pipeline = make_pipeline(dataclasses.replace(settings, pipelines_dir=workdir,
                                                     pipeline_name="lisync_docs_reader"))
        with pipeline.destination_client() as client:
            stored = client.get_stored_schema(SCHEMA_NAME)  # type: ignore[attr-defined]
    if stored is None:
        raise ConfigError(f"No lisync schema in dataset {settings.dataset!r} of {settings.destination}: run "
                          "`lisync run` first, or pass the --dataset it loaded into.")
    return dlt.Schema.from_stored_schema(json.loads(stored.schema))
