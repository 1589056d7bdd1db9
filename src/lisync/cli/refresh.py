"""The ``lisync run`` options that change how a run behaves around it: ``--full-refresh`` and ``--verbose``."""

from __future__ import annotations

import logging
import os
import sys

import typer

from lisync.cli.common import err
from lisync.config.settings import RunSettings
from lisync.errors import ConfigError
from lisync.spec.loader import load_spec

__all__ = ["confirm_full_refresh", "enable_verbose_logging"]


def _where(settings: RunSettings) -> str:
    if settings.destination == "duckdb":
        return f"{settings.duckdb_path} (dataset {settings.dataset})"
    return f"{settings.destination} dataset {settings.dataset}"


def confirm_full_refresh(settings: RunSettings, yes: bool) -> None:
    """Say in one line what ``--full-refresh`` drops, and ask (unless ``yes``).

    Raises:
        ConfigError: Without a terminal to ask on and without ``--yes``.
        typer.Exit: When the user answers no (exit 1, nothing dropped).
    """
    contract = load_spec()
    tables = [t.name for p in settings.pipelines for t in (contract[p].tables if p in contract else ())]
    tables += [p for p in settings.pipelines if p not in contract]
    line = (f"--full-refresh drops {len(tables)} tables ({', '.join(tables)}) and the savepoints of "
            f"{', '.join(settings.pipelines)} in {_where(settings)}, then re-reads them from the start date.")
    if yes:
        err.print(line, highlight=False, soft_wrap=True)
        return
    if not sys.stdin.isatty():
        raise ConfigError(f"{line} Pass --yes to confirm (no terminal to ask on).")
    if not typer.confirm(f"{line} Continue?", default=False, err=True):
        err.print("Nothing dropped.", highlight=False)
        raise typer.Exit(1)


def enable_verbose_logging() -> None:
    """Log lisync's messages (retries and their waits, state restores, load retries) and dlt's step progress."""
    logger = logging.getLogger("lisync")
    logger.setLevel(logging.DEBUG)  # DEBUG also turns on dlt's progress log (run.pipeline.make_pipeline)
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "INFO")  # dlt's own log: each load job, step and package
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
