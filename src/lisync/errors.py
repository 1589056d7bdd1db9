"""lisync's errors: one root, each error one line that names the problem and the fix (printed without a traceback).

Hierarchy::

    LisyncError                        root of everything lisync raises on purpose (exit code 1 unless noted)
    ├── ConfigError                    a setting, flag or config value is invalid (exit 2)
    ├── SelectionError                 selected accounts/organizations are not visible to the token (exit 2)
    ├── PartialAccessError             --strict and LinkedIn refused one account or organization
    ├── NotSignedIn                    no credentials anywhere (exit 2)
    ├── SignInFailed                   signing in, or renewing the token during a run, failed
    ├── RunFailed                      a run stopped (library callers that prefer exceptions)
    ├── lisync.linkedin.http.errors.LinkedInError       LinkedIn's API failed (API error status, network, bad body)
    ├── lisync.linkedin.auth.oauth.AuthError            an OAuth step failed (denied, state mismatch, token endpoint)
    └── lisync.linkedin.auth.credentials.CredentialStoreError   the stored sign-in cannot be read or written

The LinkedIn errors live beside the code that knows LinkedIn's answers; they all hang under :class:`LisyncError`.
"""

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


class PartialAccessError(LisyncError):
    """``--strict`` is set and LinkedIn refused one of the run's accounts or organizations."""


class NotSignedIn(LisyncError):
    """No credentials anywhere: the user has to sign in (a usage error, exit 2)."""

    exit_code = 2


class SignInFailed(LisyncError):
    """Signing in, or renewing the token during a run, failed; the message carries the fix."""


class RunFailed(LisyncError):
    """A run stopped; the destination keeps what it had before this run's failed load."""
