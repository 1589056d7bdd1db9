"""Chooses the dlt destination and load file format for a run, and checks the destination before extracting.

The destination name and credentials go to dlt unchanged except for DuckDB (a file lisync checks first) and
the ``filesystem`` destination (its "credentials" are where the files go). Both checks run before any
LinkedIn call, so a misconfigured destination fails fast and the secret is never shown.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dlt
from dlt.common.configuration.exceptions import ConfigFieldMissingException, ConfigurationException
from dlt.common.destination import TLoaderFileFormat
from dlt.common.destination.reference import Destination
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

from lisync.config.settings import RunSettings
from lisync.errors import ConfigError
from lisync.run.destination_names import unknown_destination
from lisync.run.duckdb_file import check_duckdb_target
from lisync.run.memory import duckdb_global_config
from lisync.run.postgres import postgres_credentials

__all__ = ["FILESYSTEM_DESTINATION_TYPE", "FILESYSTEM_FILE_FORMAT", "PREFERRED_FILE_FORMATS",
           "check_destination_config", "check_destination_reachable", "make_destination", "preferred_file_format"]

FILESYSTEM_DESTINATION_TYPE = "dlt.destinations.filesystem"
FILESYSTEM_FILE_FORMAT: TLoaderFileFormat = "parquet"  # columnar and typed: what a lake reader expects


def make_destination(settings: RunSettings) -> Any:
    """Return the dlt destination for ``settings``: a DuckDB file, or any dlt destination by name.

    The destination name and ``destination_credentials`` go to dlt unchanged (a Postgres DSN, a Snowflake
    URL, a service-account JSON…); without credentials dlt resolves them from its env vars and
    ``.dlt/secrets.toml`` exactly as it documents. The one translation: a ``filesystem`` destination's
    "credentials" are where the files go (a local folder or bucket URL), and it writes Parquet unless
    ``NORMALIZE__LOADER_FILE_FORMAT`` says otherwise.

    Raises:
        ConfigError: For a DuckDB folder that does not exist, credentials given to duckdb, or a destination
            dlt does not know or cannot import.

    """
    if settings.destination == "duckdb":
        if settings.destination_credentials:
            raise ConfigError("--destination-credentials does not apply to duckdb: pass the file with "
                              "--duckdb PATH (or choose another --destination).")
        path = Path(settings.duckdb_path).expanduser().absolute()  # the current folder's, not dlt's
        if path.is_dir() or (path.parent.exists() and not path.parent.is_dir()) or (
                path.parent.is_dir() and not os.access(path.parent, os.W_OK)):
            raise ConfigError(f"Cannot write DuckDB file {path}: it is a folder, or its folder is not a writable "
                              "folder; pass a --duckdb path to a file in a folder you can write.")
        if path.parent and not path.parent.exists():
            raise ConfigError(f"Cannot write DuckDB file {path}: folder {path.parent} does not exist; create it "
                              "or pass another --duckdb path.")
        if path.stem.lower() == settings.dataset.lower():
            raise ConfigError(f"DuckDB file {path.name} is named like the dataset {settings.dataset!r}, which DuckDB "
                              "cannot tell apart: rename the file (e.g. lisync.duckdb) or pass another --dataset.")
        check_duckdb_target(path)
        # bounded memory by default (run.memory); credential fields left unset still come from dlt's config
        duckdb_credentials = DuckDbCredentials(str(path), global_config=duckdb_global_config())
        return dlt.destinations.duckdb(credentials=duckdb_credentials, **_staging_layout(settings))
    secret = settings.destination_credentials
    try:
        factory = Destination.from_reference(settings.destination)
        if factory is None:  # dlt answers None only for a None reference: never for a name
            raise ConfigError(f"Unknown or unavailable destination {settings.destination!r}. Use duckdb, postgres, "
                              "filesystem or another dlt destination name.")
        if factory.destination_type == FILESYSTEM_DESTINATION_TYPE:
            if settings.shard:
                raise ConfigError("Sharded runs need a SQL destination (their Full tables replace one slice "
                                  "by a SQL delete): run the filesystem destination unsharded.")
            kwargs: dict[str, Any] = {"preferred_loader_file_format": FILESYSTEM_FILE_FORMAT}
            if secret:
                kwargs["bucket_url"] = _bucket_url(secret)
            return Destination.from_reference(settings.destination, **kwargs)
        credentials = postgres_credentials(secret) if secret and settings.destination == "postgres" else secret
        kwargs = {**({"credentials": credentials} if credentials else {}), **_staging_layout(settings)}
        return Destination.from_reference(settings.destination, **kwargs) if kwargs else factory
    except ConfigError:
        raise
    except Exception as exc:  # dlt raises several types for unknown/uninstalled destinations
        misspelt = unknown_destination(settings.destination)
        if misspelt is not None:
            raise misspelt from None
        reason = str(exc).replace(secret, "***") if secret else str(exc)
        raise ConfigError(f"Unknown or unavailable destination {settings.destination!r}: {reason}. Use "
                          "duckdb, postgres, filesystem or another dlt destination name.") from None


def _staging_layout(settings: RunSettings) -> dict[str, Any]:
    """A shard merges through its own staging dataset, so concurrent shards never share staging tables.

    Returns:
        Extra keyword arguments for a destination factory (none for an unsharded run).

    """
    layout = settings.staging_dataset_layout
    return {"staging_dataset_name_layout": layout} if layout else {}


def _bucket_url(location: str) -> str:
    """Return a filesystem bucket URL: URLs unchanged, a local folder as an absolute path."""
    if "://" in location:
        return location
    return str(Path(location).expanduser().resolve())


# Columnar or bulk formats keep the loader's memory flat: DuckDB parsing one huge INSERT of wide
# performance rows took ~2 GB where Parquet takes ~250 MB; Postgres loads CSV through COPY. (filesystem
# gets Parquet as its factory's preferred format in make_destination.) NORMALIZE__LOADER_FILE_FORMAT wins.
PREFERRED_FILE_FORMATS: dict[str, TLoaderFileFormat] = {"duckdb": "parquet", "motherduck": "parquet",
                                                        "postgres": "csv"}


def preferred_file_format(destination: str) -> TLoaderFileFormat | None:
    """Return the load file format lisync uses for ``destination`` (``None``: dlt's default or config)."""
    if os.environ.get("NORMALIZE__LOADER_FILE_FORMAT"):
        return None
    return PREFERRED_FILE_FORMATS.get(destination)


def check_destination_reachable(pipeline: dlt.Pipeline, settings: RunSettings) -> None:
    """Open (and close) a connection to a SQL server destination: an unreachable server fails before extracting.

    DuckDB (checked on the file system, and possibly locked by a concurrent shard) and destinations without a
    SQL client are not checked here.

    Raises:
        ConfigError: Naming the destination, what failed (credentials never shown) and the fix.
    """
    if settings.destination == "duckdb":
        return
    try:
        client = pipeline.sql_client()
    except Exception:  # filesystem and other non-SQL destinations
        return
    try:
        with client:
            pass
    except Exception as exc:
        secret = settings.destination_credentials
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if secret:
            detail = detail.replace(secret, "***")
        raise ConfigError(f"Cannot connect to destination {settings.destination!r} ({detail.rstrip('.')}): check "
                          "that the server runs and accepts connections, and the host, port and credentials in "
                          "--destination-credentials.") from None


def check_destination_config(pipeline: dlt.Pipeline, settings: RunSettings) -> None:
    """Resolve the destination's configuration now, so missing credentials fail before anything is extracted.

    Raises:
        ConfigError: When dlt cannot find or parse the destination's credentials (the secret is never shown).

    """
    try:
        pipeline.destination_client()
    except (ConfigurationException, ConfigFieldMissingException) as exc:
        secret = settings.destination_credentials
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if secret:
            detail = detail.replace(secret, "***")
        env = f"DESTINATION__{settings.destination.upper()}__CREDENTIALS"
        raise ConfigError(f"Destination {settings.destination!r} is not configured ({detail.rstrip('.')}): "
                          f"pass --destination-credentials, set LISYNC_DESTINATION_CREDENTIALS or {env}, or "
                          f"add [destination.{settings.destination}] to .dlt/secrets.toml.") from None
