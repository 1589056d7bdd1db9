"""Image and video details for posts: batched lookups, and FORBIDDEN when the token may not read media.

* ``GET /rest/images?ids=List(urn%3Ali%3Aimage%3A…,…)`` and ``GET /rest/videos?ids=List(…)`` (BATCH_GET,
  ``{"results": {urn: {...}}, "errors": {urn: {...}}}``) give status, owner, an expiring ``downloadUrl``
  with ``downloadUrlExpiresAt``, and for videos duration, aspect ratio and thumbnail.
  Docs: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api
  and …/videos-api.
* A token without media permission gets 403. lisync then records status ``FORBIDDEN`` with no URL for
  every asset of that kind (the spec's documented behaviour), says so once in the run summary, and stops
  asking for that kind for the rest of the run (every further call would fail the same way).

Documents (``urn:li:document:…``) have no spec columns and are never looked up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import AccessDeniedError
from lisync.linkedin.http.restli import restli_list

FORBIDDEN = "FORBIDDEN"
# 50 encoded URNs stay under LinkedIn's 4 KB query limit, so lookups never need query tunneling.
MEDIA_BATCH_SIZE = 50
MEDIA_KINDS = {"image": "images", "video": "videos"}
MEDIA_FORBIDDEN_NOTE = ("The token may not read post images or videos (LinkedIn answered 403): their status "
                        "is FORBIDDEN and their download URLs are empty. Sign in with a member and app that "
                        "have the media permission to get them.")


def media_kind(urn: str | None) -> str | None:
    """Return ``image``, ``video``, ``document``… for a media URN (``None`` for anything else)."""
    if not isinstance(urn, str) or not urn.startswith("urn:li:"):
        return None
    return urn.split(":")[2] if urn.count(":") >= 3 else None


class MediaResolver:
    """Looks media up in batches and remembers, for the run, which kinds the token may not read.

    Args:
        client: The LinkedIn client.
        add_note: Where the one-time FORBIDDEN note goes (the run summary's notes).

    """

    def __init__(self, client: LinkedInClient, add_note: Callable[[str], None]) -> None:
        self.client = client
        self.add_note = add_note
        self.forbidden_kinds: set[str] = set()

    def resolve(self, urns: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Return details for every image/video URN in ``urns`` (each looked up once, in batches).

        Returns:
            ``{urn: element}``; an element of a forbidden kind is ``{"id": urn, "status": "FORBIDDEN"}``,
            and an asset LinkedIn did not return is left out.

        """
        found: dict[str, dict[str, Any]] = {}
        wanted = list(dict.fromkeys(u for u in urns if media_kind(u) in MEDIA_KINDS))
        for kind, path in MEDIA_KINDS.items():
            of_kind = [u for u in wanted if media_kind(u) == kind]
            for offset in range(0, len(of_kind), MEDIA_BATCH_SIZE):
                found.update(self._lookup(kind, path, of_kind[offset:offset + MEDIA_BATCH_SIZE]))
        return found

    def _lookup(self, kind: str, path: str, urns: list[str]) -> dict[str, dict[str, Any]]:
        if kind not in self.forbidden_kinds:
            try:
                body = self.client.get(path, {"ids": restli_list(urns)})
            except AccessDeniedError:
                self.forbidden_kinds.add(kind)
                self.add_note(MEDIA_FORBIDDEN_NOTE)
            else:
                return batch_results(body, urns)
        return {urn: {"id": urn, "status": FORBIDDEN} for urn in urns}


def batch_results(body: Any, urns: list[str]) -> dict[str, dict[str, Any]]:
    """Read a BATCH_GET answer: found elements, and FORBIDDEN for keys LinkedIn refused with 403."""
    results = body.get("results") if isinstance(body, dict) else None
    errors = body.get("errors") if isinstance(body, dict) else None
    out: dict[str, dict[str, Any]] = {}
    for urn in urns:
        element = (results or {}).get(urn)
        error = (errors or {}).get(urn)
        if isinstance(element, dict):
            out[urn] = element
        elif isinstance(error, dict) and error.get("status") == 403:
            out[urn] = {"id": urn, "status": FORBIDDEN}
    return out
