"""What every lisync command shares: the stdout/stderr consoles and the one-line error that ends a command."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from lisync.config.tokens import TranslatingProvider

__all__ = ["DestinationCredentialsOption", "PipelinesArg", "days_left", "err", "fail", "out", "print_warnings", "warn"]

out = Console()
err = Console(stderr=True)

PipelinesArg = Annotated[list[str] | None, typer.Argument(
    help="Pipelines to run (the spec's main table names); all available ones when omitted.",
    show_default=False)]
DestinationCredentialsOption = Annotated[str | None, typer.Option(
    help="The destination's connection string, passed to dlt as is: a Postgres DSN, a Snowflake URL…; for "
    "filesystem the folder or bucket URL (or env LISYNC_DESTINATION_CREDENTIALS; default: dlt's "
    "DESTINATION__<NAME>__CREDENTIALS / .dlt/secrets.toml).", show_default=False)]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` as a one-line error on stderr and return the Exit to raise.

    Args:
        message: The error, with the fix; printed as is (no markup).
        code: The exit code: 2 for a usage error, 1 for a failure.

    Returns:
        The :class:`typer.Exit` the caller raises.

    """
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def warn(message: str) -> None:
    """Print ``message`` as a one-line warning on stderr."""
    err.print(f"[yellow]warning:[/yellow] {escape(message)}", highlight=False, soft_wrap=True)

def print_warnings(provider: TranslatingProvider) -> None:
    """Print the provider's expiry warnings to stderr, one line each."""
    for warning in provider.warnings():
        warn(warning)


def days_left(moment: dt.datetime | None, now: dt.datetime) -> str:
    """Return how long until ``moment`` as ``"12.5 days"``, ``"expired"`` or ``"expiry unknown"``."""
    if moment is None:
        return "expiry unknown"
    days = (moment - now).total_seconds() / 86400
    return "expired" if days <= 0 else f"{days:.1f} days"
