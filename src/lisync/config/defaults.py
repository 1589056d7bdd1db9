"""Defaults of run settings: dataset name and DuckDB file names."""

from __future__ import annotations

from typing import Final

DEFAULT_DATASET: Final = "linkedin"
# Not "linkedin.duckdb": DuckDB names the catalog after the file, and a catalog called like the default
# dataset ("linkedin") makes every qualified name ambiguous.
DEFAULT_DUCKDB_PATH: Final = "lisync.duckdb"
DEMO_DUCKDB_PATH: Final = "lisync_demo.duckdb"
