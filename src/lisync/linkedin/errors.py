"""Errors raised by lisync's LinkedIn client, each carrying what LinkedIn said and what to do about it.

Hierarchy::

    LinkedInError                      base of everything lisync raises about LinkedIn
    ├── LinkedInAPIError               LinkedIn answered with an error status (after any retries)
    │   ├── UnauthorizedError          401: missing, invalid, expired or revoked token
    │   ├── AccessDeniedError          403: the token lacks a scope or the member lacks a role
    │   ├── NotFoundError              404: the entity does not exist or is hidden from this member
    │   ├── VersionRetiredError        426: LinkedIn no longer serves the requested API version
    │   └── ThrottledError             429: still throttled after every retry
    └── BadResponseError               LinkedIn answered 2xx with a body lisync cannot use
"""

from __future__ import annotations

from typing import Any


class LinkedInError(Exception):
    """Base class for errors about LinkedIn's API."""


class LinkedInAPIError(LinkedInError):
    """LinkedIn answered an error status.

    Attributes:
        status: HTTP status code.
        endpoint: The endpoint key (e.g. ``adAccounts?q=search``) — never the full URL, which may hold ids.
        code: LinkedIn's symbolic error code, when given.
        service_error_code: LinkedIn's numeric service error code, when given.
        api_message: LinkedIn's message text.

    """

    hint = ""

    def __init__(self, status: int, endpoint: str, body: Any) -> None:
        self.status = status
        self.endpoint = endpoint
        body = body if isinstance(body, dict) else {}
        self.code: str | None = body.get("code") if isinstance(body.get("code"), str) else None
        sec = body.get("serviceErrorCode")
        self.service_error_code: int | None = sec if isinstance(sec, int) else None
        msg = body.get("message")
        self.api_message: str = msg if isinstance(msg, str) else ""
        super().__init__(self._compose())

    def _compose(self) -> str:
        said = f": {self.api_message}" if self.api_message else ""
        code = f" {self.code}" if self.code else ""
        hint = f" {self.hint}" if self.hint else ""
        return f"LinkedIn answered {self.status}{code} on {self.endpoint}{said}.{hint}".replace("..", ".")


class UnauthorizedError(LinkedInAPIError):
    """401: the access token is missing, invalid, expired or revoked."""

    hint = "Sign in again with `lisync auth login`, or pass a valid token with --access-token."


class AccessDeniedError(LinkedInAPIError):
    """403: the token lacks a scope, or the member lacks the role the endpoint needs."""

    hint = "Run `lisync check` to see which permission is missing and how to grant it."


class NotFoundError(LinkedInAPIError):
    """404: the entity does not exist, or LinkedIn hides it from this member."""


class VersionRetiredError(LinkedInAPIError):
    """426: LinkedIn retired the API version lisync asked for."""

    hint = "LinkedIn retired this API version: upgrade lisync or set api_version (--api-version) to an active one."


class ThrottledError(LinkedInAPIError):
    """429 after every retry: LinkedIn's rate or data-volume limit is still in force."""

    hint = "LinkedIn is throttling this app: wait and re-run; lisync resumes where it stopped."


class BadResponseError(LinkedInError):
    """LinkedIn answered 2xx with a body that is not the JSON shape the endpoint documents."""


_BY_STATUS: dict[int, type[LinkedInAPIError]] = {
    401: UnauthorizedError,
    403: AccessDeniedError,
    404: NotFoundError,
    426: VersionRetiredError,
    429: ThrottledError,
}


def api_error(status: int, endpoint: str, body: Any) -> LinkedInAPIError:
    """Return the most specific :class:`LinkedInAPIError` subclass for ``status``."""
    return _BY_STATUS.get(status, LinkedInAPIError)(status, endpoint, body)
