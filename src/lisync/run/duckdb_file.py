"""Checks a DuckDB destination file before anything is read from LinkedIn: absent or DuckDB, and writable.

A path to a text file, or into a folder nobody can create files in (``/proc``), used to fail with DuckDB's
raw ``IOException`` only after every API read. :func:`check_duckdb_target` looks at the file's header and
tries to create it, so the run stops at once with one line naming the file and the fix.
"""

from __future__ import annotations

from pathlib import Path

from lisync.errors import ConfigError

__all__ = ["DUCKDB_MAGIC", "check_duckdb_target", "is_duckdb_file"]

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
