"""Partial access: an ad account or organization LinkedIn refuses (403/404) is skipped, and the run goes on.

LinkedIn answers 403 ``ACCESS_DENIED`` when the member lost a role on one account or page, and some
restricted APIs answer 404 instead. One such scope must not sink a run over twenty others: the sources
call :meth:`ScopeGuard.guarded` (or :meth:`ScopeGuard.record_skip` from a generator) around each scope's
requests, the skipped scope gets a note in the run summary (``skipped account 123: 403 ACCESS_DENIED — …``),
its savepoint does not move, and the run ends ``ok``. With ``strict`` set (``lisync run --strict``) the first
skip fails the run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from lisync.errors import PartialAccessError
from lisync.linkedin.http.errors import AccessDeniedError, LinkedInAPIError, NotFoundError

__all__ = ["ACCESS_ERRORS", "ScopeGuard", "describe"]

T = TypeVar("T")
ACCESS_ERRORS = (AccessDeniedError, NotFoundError)


def describe(error: LinkedInAPIError) -> str:
    """Return ``403 ACCESS_DENIED — <LinkedIn's message> (<endpoint>)`` for a skip note."""
    code = f" {error.code}" if error.code else ""
    said = error.api_message.rstrip(".") if error.api_message else "no message"
    return f"{error.status}{code} — {said} ({error.endpoint})"


class ScopeGuard:
    """Skips the accounts and organizations LinkedIn refuses during one run, or fails the run when strict.

    Args:
        strict: Fail on the first refused scope instead of skipping it.
        add_note: Where skip notes go (the run summary's notes).

    Attributes:
        skipped: The scopes skipped so far: ``{(kind, id): reason}``.
    """

    def __init__(self, strict: bool, add_note: Callable[[str], None]) -> None:
        self.strict = strict
        self.skipped: dict[tuple[str, str], str] = {}
        self._add_note = add_note
        self._lock = threading.Lock()

    def record_skip(self, scope_kind: str, scope_id: str, error: LinkedInAPIError) -> None:
        """Record that LinkedIn refused ``scope_kind`` ``scope_id``; in strict mode, fail instead.

        Raises:
            PartialAccessError: When the run is strict.
        """
        reason = describe(error)
        if self.strict:
            raise PartialAccessError(
                f"LinkedIn refused {scope_kind} {scope_id}: {reason}. --strict makes this fail the run: grant the "
                f"member access, leave the {scope_kind} out of the filter, or run without --strict to skip it.")
        with self._lock:
            self.skipped.setdefault((scope_kind, scope_id), reason)
        self._add_note(f"skipped {scope_kind} {scope_id}: {reason}")

    def guarded(self, scope_kind: str, scope_id: str, fetch: Callable[[str], T]) -> T | None:
        """Return ``fetch(scope_id)``, or ``None`` when LinkedIn refuses the scope with a 403 or 404.

        Args:
            scope_kind: ``account`` or ``organization``.
            scope_id: The numeric id.
            fetch: Reads everything the caller needs for the scope (complete before anything is yielded, so a
                refused scope leaves no partial rows).

        Raises:
            PartialAccessError: When the run is strict and the scope is refused.
        """
        try:
            return fetch(scope_id)
        except ACCESS_ERRORS as error:
            self.record_skip(scope_kind, scope_id, error)
            return None
