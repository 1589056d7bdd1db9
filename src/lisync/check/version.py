"""`lisync check`'s first probe: does LinkedIn serve the LinkedIn-Version lisync sends?

One cheap request (the authenticated member's ad account roles). Only a 426 matters here: any other answer,
even a 401 or 403, means LinkedIn accepted the version; those are judged by the scope and role probes.
"""

from __future__ import annotations

from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import LinkedInError, VersionRetiredError
from lisync.linkedin.http.not_linkedin import NotLinkedInError
from lisync.linkedin.http.version import DEFAULT_API_VERSION

__all__ = ["probe_version"]


def probe_version(client: LinkedInClient, version: str) -> str | None:
    """Return a one-line problem when LinkedIn answers 426 for ``version``, else ``None``."""
    try:
        client.get("adAccountUsers", {"q": "authenticatedUser"})
    except NotLinkedInError:
        raise  # the base URL is wrong: `lisync check` says so in one line instead of a table of 404s
    except VersionRetiredError:
        pinned = "" if version == DEFAULT_API_VERSION else f" (this lisync pins {DEFAULT_API_VERSION})"
        return (f"LinkedIn does not serve LinkedIn-Version {version} (426 NONEXISTENT_VERSION): set --api-version "
                f"or sources.linkedin.api_version to an active YYYYMM version{pinned}, or upgrade lisync.")
    except LinkedInError:
        return None
    return None
