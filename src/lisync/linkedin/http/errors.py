"""Errors raised by lisync's LinkedIn client, each carrying what LinkedIn said and what to do about it.

Hierarchy::

    LinkedInError                      base of everything lisync raises about LinkedIn (a LisyncError)
    ├── LinkedInAPIError               LinkedIn answered with an error status (after any retries)
    │   ├── UnauthorizedError          401: missing, invalid, expired or revoked token
    │   ├── AccessDeniedError          403: the token lacks a scope or the member lacks a role
    │   ├── NotFoundError              404: the entity does not exist or is hidden from this member
    │   ├── VersionRetiredError        426: LinkedIn no longer serves the requested API version
    │   ├── ThrottledError             429: still throttled after every retry
    │   └── ServerError                5xx: LinkedIn kept failing after every retry
    ├── NetworkError                   LinkedIn could not be reached (refused, reset, timed out) after every retry
    └── BadResponseError               LinkedIn answered 2xx with a body lisync cannot use
"""

from __future__ import annotations

import re
from typing import Any

from lisync.errors import LisyncError

_VERSION_IN_MESSAGE = re.compile(r"\b(\d{6}(?:\d{2}|\.\d{2})?)\b")


class LinkedInError(LisyncError):
    """Base class for errors about LinkedIn's API (a :class:`~lisync.errors.LisyncError`)."""


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


class BadRequestError(LinkedInAPIError):
    """400: LinkedIn rejected the request itself; asking again cannot help."""

    hint = ("Check the run's filters and dates; if they are right this is a lisync bug: report it with the "
            "output of `lisync --verbose run`.")


class NotFoundError(LinkedInAPIError):
    """404: the entity does not exist, or LinkedIn hides it from this member."""

    hint = "Check that the id exists and that the signed-in member can see it (`lisync check`)."


class VersionRetiredError(LinkedInAPIError):
    """426: LinkedIn retired the API version lisync asked for.

    Attributes:
        version: The retired ``LinkedIn-Version`` (as sent, else as LinkedIn echoed it).
    """

    def __init__(self, status: int, endpoint: str, body: Any, version: str | None = None) -> None:
        message = body.get("message") if isinstance(body, dict) else None
        echoed = _VERSION_IN_MESSAGE.search(message) if isinstance(message, str) else None
        self.version = version or (echoed.group(1) if echoed else "(unknown)")
        super().__init__(status, endpoint, body)

    def _compose(self) -> str:
        return (f"LinkedIn retired API version {self.version}; upgrade lisync or set api_version "
                f"(--api-version or sources.linkedin.api_version) to an active YYYYMM version "
                f"(LinkedIn answered 426 on {self.endpoint}).")


class ThrottledError(LinkedInAPIError):
    """429 after every retry: LinkedIn's rate or data-volume limit is still in force."""

    hint = "LinkedIn is throttling this app: wait and re-run; lisync resumes where it stopped."


class ServerError(LinkedInAPIError):
    """5xx after every retry: LinkedIn kept failing."""

    hint = "LinkedIn kept failing after every retry: re-run later; lisync resumes where it stopped."


class NetworkError(LinkedInError):
    """LinkedIn could not be reached, or kept dropping or stalling the connection, after every retry."""


class BadResponseError(LinkedInError):
    """LinkedIn answered 2xx with a body that is not the JSON shape the endpoint documents."""


_BY_STATUS: dict[int, type[LinkedInAPIError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: AccessDeniedError,
    404: NotFoundError,
    426: VersionRetiredError,
    429: ThrottledError,
}


def api_error(status: int, endpoint: str, body: Any, version: str | None = None) -> LinkedInAPIError:
    """Return the most specific :class:`LinkedInAPIError` subclass for ``status``.

    Args:
        status: HTTP status.
        endpoint: The endpoint key.
        body: The decoded error body (LinkedIn's envelope), if any.
        version: The ``LinkedIn-Version`` the request sent (named in the 426 error).
    """
    if status == 426:
        return VersionRetiredError(status, endpoint, body, version)
    if status >= 500:
        return ServerError(status, endpoint, body)
    return _BY_STATUS.get(status, LinkedInAPIError)(status, endpoint, body)
