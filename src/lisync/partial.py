"""Partial access: an ad account or organization LinkedIn refuses (403/404) is skipped, and the run goes on.

LinkedIn answers 403 ``ACCESS_DENIED`` when the member lost a role on one account or page, and some
restricted APIs answer 404 instead. One such scope must not sink a run over twenty others: the families
call :func:`guarded` (or :func:`record_skip` from a generator) around each scope's requests, the skipped
scope gets a note in the run summary (``skipped account 123: 403 ACCESS_DENIED — …``), its savepoint does not
move, and the run ends ``ok``. With ``strict`` set (``lisync run --strict``) the first skip fails the run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from lisync.context import RunContext
from lisync.errors import LisyncError
from lisync.linkedin.errors import AccessDeniedError, LinkedInAPIError, NotFoundError

__all__ = ["ACCESS_ERRORS", "PartialAccessError", "guarded", "record_skip", "skipped_scopes"]

T = TypeVar("T")
ACCESS_ERRORS = (AccessDeniedError, NotFoundError)
SKIPPED_KEY = "skipped_scopes"


class PartialAccessError(LisyncError):
    """``--strict`` is set and LinkedIn refused one of the run's accounts or organizations."""


def describe(error: LinkedInAPIError) -> str:
    """Return ``403 ACCESS_DENIED — <LinkedIn's message> (<endpoint>)`` for a skip note."""
    code = f" {error.code}" if error.code else ""
    said = error.api_message.rstrip(".") if error.api_message else "no message"
    return f"{error.status}{code} — {said} ({error.endpoint})"


def skipped_scopes(ctx: RunContext) -> dict[tuple[str, str], str]:
    """Return the scopes skipped so far in this run: ``{(kind, id): reason}``."""
    skipped: dict[tuple[str, str], str] = ctx.cache.setdefault(SKIPPED_KEY, {})
    return skipped


def record_skip(ctx: RunContext, scope_kind: str, scope_id: str, error: LinkedInAPIError) -> None:
    """Record that LinkedIn refused ``scope_kind`` ``scope_id``; in strict mode, fail instead.

    Raises:
        PartialAccessError: When the run is strict.
    """
    reason = describe(error)
    if ctx.settings.strict:
        raise PartialAccessError(
            f"LinkedIn refused {scope_kind} {scope_id}: {reason}. --strict makes this fail the run: grant the "
            f"member access, leave the {scope_kind} out of the filter, or run without --strict to skip it.")
    skipped_scopes(ctx).setdefault((scope_kind, scope_id), reason)
    ctx.summary.add_note(f"skipped {scope_kind} {scope_id}: {reason}")


def guarded(ctx: RunContext, scope_kind: str, scope_id: str, fetch: Callable[[str], T]) -> T | None:
    """Return ``fetch(scope_id)``, or ``None`` when LinkedIn refuses the scope with a 403 or 404.

    Args:
        ctx: The run context (settings decide strictness; the summary gets the note).
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
        record_skip(ctx, scope_kind, scope_id, error)
        return None
