"""Binds a run's dlt state to its destination: the destination is the truth about savepoints and schemas.

dlt keeps a working copy of a pipeline's state (savepoints included) in a local folder named after the
pipeline, and by itself trusts that copy whenever the destination holds nothing newer. A user who deletes
the DuckDB file, points the same dataset at a second file or database, or moves from DuckDB to Postgres
would then resume from savepoints whose rows are not there. lisync therefore:

* keeps the working folder per destination: by default under dlt's pipelines folder, in a sub-folder
  named after a fingerprint of the destination (type and location, never a secret), so two destinations
  never share a working copy, even when runs into both overlap (an explicit ``--pipelines-dir`` is used
  as given);
* starts every run from the destination's state: the local working copy is dropped and dlt restores state
  and schemas from the destination (``Pipeline.drop`` then ``Pipeline.sync_destination``, both public
  dlt API). A destination without lisync state is a fresh start, whatever the local folder held, and the
  summary says so in one line. The one exception is a working folder with load packages still pending
  (a crash between extract and load): they belong to this destination and are loaded first, as dlt does.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dlt
from dlt.common.pipeline import get_dlt_pipelines_dir

from lisync.config.settings import RunSettings

__all__ = ["destination_fingerprint", "restore_state_from_destination", "working_folder"]

WORKING_FOLDER_PREFIX = "lisync_"


def _without_secret(url: str) -> str:
    """Return a connection URL without password and query string (``user@host:port/db`` identifies it)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return hashlib.sha256(url.encode()).hexdigest()
    if not parts.scheme or not parts.netloc:
        return url
    host = parts.hostname or ""
    netloc = (f"{parts.username}@" if parts.username else "") + host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def destination_identity(settings: RunSettings) -> str:
    """Return what identifies where the data goes: destination type and location, without secrets."""
    if settings.destination == "duckdb":
        return f"duckdb:{Path(settings.duckdb_path).expanduser().resolve()}"
    location = settings.destination_credentials or os.environ.get(
        f"DESTINATION__{settings.destination.upper()}__CREDENTIALS", "")
    if location and "://" not in location and settings.destination == "filesystem":
        location = str(Path(location).expanduser().resolve())
    return f"{settings.destination}:{_without_secret(location)}" if location else settings.destination


def destination_fingerprint(settings: RunSettings) -> str:
    """Return a short stable hash of the destination and dataset (the working folder's name)."""
    identity = f"{destination_identity(settings)}|{settings.dataset}"
    return hashlib.sha256(identity.encode()).hexdigest()[:12]


def working_folder(settings: RunSettings) -> str:
    """Return the folder dlt keeps this run's working state in.

    ``--pipelines-dir`` is used as given; by default it is ``<dlt's pipelines folder>/lisync_<fingerprint>``,
    one per destination and dataset.
    """
    if settings.pipelines_dir:
        return settings.pipelines_dir
    return os.path.join(get_dlt_pipelines_dir(), WORKING_FOLDER_PREFIX + destination_fingerprint(settings))


def _has_savepoints(pipeline: dlt.Pipeline) -> bool:
    sources = pipeline.state.get("sources") or {}
    return any(bool(value) for value in sources.values())


def restore_state_from_destination(pipeline: dlt.Pipeline, where: str) -> str | None:
    """Replace the local working copy of ``pipeline``'s state by the destination's (none: a fresh start).

    Args:
        pipeline: The run's dlt pipeline, its destination and dataset set.
        where: The destination as shown to the user (for the note).

    Returns:
        A one-line note when local savepoints were discarded because the destination has none, else ``None``.
    """
    if pipeline.has_pending_data:
        return None  # a crashed run's packages are this destination's: they load first, with their state
    had_local = _has_savepoints(pipeline)
    pipeline.drop()
    pipeline.sync_destination()
    if had_local and not _has_savepoints(pipeline):
        return (f"{where} holds no lisync state for pipeline {pipeline.pipeline_name}: fresh start from the read "
                "start date (local savepoints discarded).")
    return None
