"""Keeps a pending load package with the destination it was extracted for.

dlt loads every package pending in a pipeline's working folder into whatever destination the next run names.
When two destinations share one working folder (an explicit ``--pipelines-dir`` and pipeline name), a run
into ``a.duckdb`` that failed before loading left its package, and the next run into ``b.duckdb`` loaded
another sandbox's accounts there. So before extracting, a run writes the destination it extracts for into
the working folder (:func:`tag_packages`); a later run that finds packages pending for another destination
drops them (:func:`drop_foreign_packages`): nothing of theirs was committed anywhere, and their own
destination re-reads the data on its next run, because savepoints live in the destination
(:mod:`lisync.run.state`).
"""

from __future__ import annotations

import logging
from pathlib import Path

import dlt

from lisync.config.settings import RunSettings
from lisync.run.state import destination_identity

__all__ = ["TAG_FILE", "drop_foreign_packages", "tag_packages"]

log = logging.getLogger("lisync")

TAG_FILE = "lisync_destination.txt"  # in the pipeline's working folder, beside dlt's own files


def _identity(settings: RunSettings) -> str:
    return f"{destination_identity(settings)} (dataset {settings.dataset})"


def _tag_path(pipeline: dlt.Pipeline) -> Path:
    return Path(pipeline.working_dir) / TAG_FILE


def tag_packages(pipeline: dlt.Pipeline, settings: RunSettings) -> None:
    """Record that the packages this run extracts belong to its destination (call right before extracting)."""
    path = _tag_path(pipeline)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_identity(settings) + "\n")


def drop_foreign_packages(pipeline: dlt.Pipeline, settings: RunSettings) -> str | None:
    """Drop pending packages extracted for another destination (call before the state is restored).

    Args:
        pipeline: The run's pipeline.
        settings: The run settings (destination, DuckDB path, dataset).

    Returns:
        A one-line note when packages were dropped, else ``None`` (no packages, no tag, or this destination's).
    """
    if not pipeline.has_pending_data:
        return None
    path = _tag_path(pipeline)
    owner = path.read_text().strip() if path.exists() else ""
    if not owner or owner == _identity(settings):
        return None  # untagged (an older lisync) or ours: dlt loads it first, as before
    pipeline.drop_pending_packages()
    note = (f"Dropped the unloaded data of an earlier failed run into {owner}: it was extracted for that "
            "destination, which re-reads it on its next run.")
    log.warning(note)
    return note
