"""`lisync check` for creative_landing_pages: what sponsored-content landing pages need beyond the ads scopes.

A sponsored-content creative's landing page lives on the dark post it references, which the pipeline reads with
a posts BATCH_GET (:mod:`lisync.linkedin.ads.sponsored_posts`). LinkedIn answers it only with
``r_organization_social`` and a post-reading role on the advertised page (ADMINISTRATOR,
DIRECT_SPONSORED_CONTENT_POSTER or CONTENT_ADMINISTRATOR). Without them ``lisync run`` leaves the sponsored rows
out with a note and loads the text ad and spotlight rows, so this is an optional need: a note, never a problem.
"""

from __future__ import annotations

from lisync.check.report import scope_fix

__all__ = ["LANDING_PAGES_PIPELINE", "POST_READER_ROLES", "SPONSORED_SCOPE", "sponsored_landing_note"]

LANDING_PAGES_PIPELINE = "creative_landing_pages"
SPONSORED_SCOPE = "r_organization_social"
POST_READER_ROLES = ("ADMINISTRATOR", "DIRECT_SPONSORED_CONTENT_POSTER", "CONTENT_ADMINISTRATOR")


def sponsored_landing_note(granted: frozenset[str] | None) -> str:
    """Return the note on sponsored-content landing pages for the token's ``granted`` scopes (``None``: unknown)."""
    need = (f"{LANDING_PAGES_PIPELINE}: sponsored-content landing pages need {SPONSORED_SCOPE} and a post-reading "
            f"role ({' or '.join(POST_READER_ROLES)}) on each advertised page; without them the run leaves the "
            "sponsored rows out (with a note)")
    if granted is None:
        return f"{need}. The token's scopes could not be read, so {SPONSORED_SCOPE} was not checked."
    if SPONSORED_SCOPE in granted:
        return f"{need}. The token has {SPONSORED_SCOPE}; the page roles are checked per post at run time."
    return f"{need}. The token lacks {SPONSORED_SCOPE}: {scope_fix(SPONSORED_SCOPE)}."
