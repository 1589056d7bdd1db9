"""Checks a DuckDB destination file before anything is read from LinkedIn: absent or DuckDB, and writable.

A path to a text file, or into a folder nobody can create files in (``/proc``), used to fail with DuckDB's
raw ``IOException`` only after every API read. :func:`check_duckdb_target` looks at the file's header and
tries to create it, so the run stops at once with one line naming the file and the fix.
"""

from __future__ import annotations

from pathlib import Path

from lisync.errors import ConfigError

__all__ = ["DUCKDB_MAGIC", "check_duckdb_target", "is_duckdb_file", "only_written_by"]

DUCKDB_MAGIC = b"DUCK"  # DuckDB's storage header: an 8-byte checksum, then these four bytes
MAGIC_OFFSET = 8


def is_duckdb_file(path: Path) -> bool:
    """Whether ``path`` is a non-empty file with DuckDB's storage header."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(MAGIC_OFFSET + len(DUCKDB_MAGIC))
    except OSError:
        return False
    return header[MAGIC_OFFSET:] == DUCKDB_MAGIC


def check_duckdb_target(path: Path) -> None:
    """Refuse a DuckDB destination that is another kind of file, or that cannot be created.

    Args:
        path: The absolute DuckDB file path.

    Raises:
        ConfigError: Naming the file, what is wrong and the fix.
    """
    if path.is_file():
        if path.stat().st_size and not is_duckdb_file(path):
            raise ConfigError(f"{path} exists and is not a DuckDB database: pass a --duckdb path to a DuckDB file or "
                              "to a file that does not exist yet (lisync never overwrites other files).")
        return
    try:
        with open(path, "xb"):
            pass
    except OSError as exc:
        raise ConfigError(f"Cannot create DuckDB file {path} ({exc.strerror or type(exc).__name__}): pass a "
                          "--duckdb path in a folder you can write.") from None
    path.unlink()


def only_written_by(path: Path, pipeline_name: str) -> bool:
    """Whether the DuckDB file ``path`` holds nothing but what the dlt pipeline ``pipeline_name`` loaded.

    True when every table is in a schema whose ``_dlt_pipeline_state`` names only ``pipeline_name`` (or dlt's
    staging schema next to it); false for any other table, another pipeline's state, or an unreadable file.
    """
    import duckdb  # the destination's own driver; imported here so the module stays light for other checks

    if not is_duckdb_file(path):
        return False
    try:
        with duckdb.connect(str(path), read_only=True) as conn:
            schemas = {r[0] for r in conn.execute(
                "select distinct table_schema from information_schema.tables where table_catalog = current_database()"
            ).fetchall()}
            owned: set[str] = set()
            for schema in schemas:
                names = {r[0] for r in conn.execute(
                    "select table_name from information_schema.tables where table_schema = ?", [schema]).fetchall()}
                if "_dlt_pipeline_state" not in names:
                    continue
                pipelines = {r[0] for r in conn.execute(
                    f'select distinct pipeline_name from "{schema}"._dlt_pipeline_state').fetchall()}
                if pipelines == {pipeline_name}:
                    owned |= {schema, f"{schema}_staging"}
    except duckdb.Error:
        return False
    return schemas <= owned
