"""User-facing errors: each one line that names the problem and the fix. The CLI prints them without a traceback."""

from __future__ import annotations


class LisyncError(Exception):
    """Base for errors lisync reports to the user as a single line."""

    exit_code = 1


class ConfigError(LisyncError):
    """A setting, flag or config value is invalid (exit code 2, like any usage error)."""

    exit_code = 2


class SelectionError(LisyncError):
    """The selected accounts or organizations are not visible to the token (exit code 2)."""

    exit_code = 2


class RunFailed(LisyncError):
    """A run stopped; the destination keeps what it had before this run's failed load."""
