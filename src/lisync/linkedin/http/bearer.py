"""Access tokens for the client: the token-provider protocol, a fixed token, and the bearer auth that renews on 401."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from requests import PreparedRequest, Response
from requests.auth import AuthBase

__all__ = ["LinkedInAuth", "StaticTokenProvider", "TokenProvider"]


class TokenProvider(Protocol):
    """Supplies access tokens to the client and renews them when LinkedIn says they expired."""

    def access_token(self) -> str:
        """Return the access token to send now."""
        ...

    def handle_unauthorized(self, error_code: str | None) -> bool:
        """React to a 401; return ``True`` when a new token is ready and the request should be retried.

        A provider may also accept ``used_token`` (the token the failed request carried); the client then
        passes it, so requests that raced a refresh retry with the new token instead of refreshing again.
        """
        ...


class StaticTokenProvider:
    """A fixed access token (flag, env var or dlt secret) that lisync cannot renew."""

    def __init__(self, token: str) -> None:
        self._token = token

    def access_token(self) -> str:
        """Return the fixed token."""
        return self._token

    def handle_unauthorized(self, error_code: str | None) -> bool:
        """Return ``False``: a fixed token cannot be renewed."""
        return False

    def __repr__(self) -> str:
        return "StaticTokenProvider(token=***)"


class LinkedInAuth(AuthBase):
    """Sets the bearer token and, on a 401 the provider can fix, renews the token and re-sends once."""

    def __init__(self, provider: TokenProvider) -> None:
        self.provider = provider
        parameters: Mapping[str, inspect.Parameter]
        try:
            parameters = inspect.signature(provider.handle_unauthorized).parameters
        except (TypeError, ValueError):
            parameters = {}
        self._passes_used_token = "used_token" in parameters

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        """Put the current token on ``request`` and watch its response for a 401."""
        request.headers["Authorization"] = f"Bearer {self.provider.access_token()}"
        request.register_hook("response", self._on_response)
        return request

    def _on_response(self, response: Response, **kwargs: Any) -> Response:
        if response.status_code != 401 or getattr(response.request, "_lisync_reauthed", False):
            return response
        try:
            code = response.json().get("code")
        except ValueError:
            code = None
        if self._passes_used_token:
            sent = response.request.headers.get("Authorization") or ""
            sent = sent.decode("latin-1") if isinstance(sent, bytes) else sent
            used_token = sent.removeprefix("Bearer ") if sent.startswith("Bearer ") else None
            # The protocol's method has no used_token; this provider's does (checked in __init__).
            handle: Callable[..., bool] = self.provider.handle_unauthorized
            renewed = handle(code, used_token=used_token)
        else:
            renewed = self.provider.handle_unauthorized(code)
        if not renewed:
            return response
        retry = response.request.copy()
        retry.headers["Authorization"] = f"Bearer {self.provider.access_token()}"
        retry._lisync_reauthed = True  # type: ignore[attr-defined]
        response.content  # noqa: B018 - drain the body so the connection can be reused
        response.close()
        assert response.connection is not None
        again: Response = response.connection.send(retry, **kwargs)
        again.history.append(response)
        again.request = retry
        return again
