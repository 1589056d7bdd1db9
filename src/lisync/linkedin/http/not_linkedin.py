"""Tells "this server is not LinkedIn's REST API" apart from LinkedIn's own 404 for an id.

LinkedIn answers every error, a 404 included, with its JSON error envelope (``status``, ``message``…). A
web server that is not LinkedIn (``python3 -m http.server``, a proxy's landing page, a wrong path) answers
404 with HTML or plain text. Reporting that as "Check that the id exists" sent users hunting for ids;
:func:`not_linkedin` turns it into one line naming the URL that was tried and the setting to fix.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from lisync.linkedin.http.errors import LinkedInError

__all__ = ["NotLinkedInError", "not_linkedin"]


class NotLinkedInError(LinkedInError):
    """The base URL answered like a web server that is not LinkedIn's REST API (exit code 2: a setting)."""

    exit_code = 2


def not_linkedin(status: int, body: Any, url: str) -> NotLinkedInError | None:
    """Return the error for a 404 without LinkedIn's JSON error envelope, else ``None``.

    Args:
        status: The HTTP status.
        body: The decoded JSON body (``None`` when the body was not JSON).
        url: The URL requested (its query is left out of the message).
    """
    if status != 404 or (isinstance(body, dict) and ("status" in body or "message" in body)):
        return None
    parts = urlsplit(url)
    tried = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return NotLinkedInError(f"The server behind --api-base-url does not look like LinkedIn's REST API: GET {tried} "
                            "answered 404 without LinkedIn's JSON error body. Check --api-base-url (LinkedIn's is "
                            "https://api.linkedin.com/rest; the sandbox's is the URL it prints plus /rest).")
