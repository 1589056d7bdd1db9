"""The sandbox's API error: LinkedIn's error envelope ``{status, serviceErrorCode, code, message}``."""

from __future__ import annotations

from typing import Any


class RestliError(Exception):
    """A LinkedIn-shaped API error; the app renders it as ``{status, serviceErrorCode, code, message}``.

    Args:
        status: HTTP status.
        message: LinkedIn's message text.
        code: LinkedIn's symbolic code (omitted from the body when ``None``, as LinkedIn often does).
        service_error_code: LinkedIn's numeric service error code (omitted when ``None``).
        headers: Extra response headers (e.g. ``Retry-After``).
    """

    def __init__(self, status: int, message: str, code: str | None = None,
                 service_error_code: int | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.service_error_code = service_error_code
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """Return LinkedIn's error envelope for this error."""
        out: dict[str, Any] = {"status": self.status}
        if self.service_error_code is not None:
            out["serviceErrorCode"] = self.service_error_code
        if self.code is not None:
            out["code"] = self.code
        out["message"] = self.message
        return out


def access_denied(resource: str, method: str, version: str | None) -> RestliError:
    """Return LinkedIn's 403 for a token that lacks the scope or role for ``resource``."""
    return RestliError(403, f"Not enough permissions to access: {resource}.{method}.{version or '20240101'}",
                       code="ACCESS_DENIED", service_error_code=100)
