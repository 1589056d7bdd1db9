"""Readable names of demographic values: BATCH_GET on LinkedIn's standardized-data and organization lookups.

``urn:li:title:9`` → ``/rest/titles?ids=List(9)``, industries, functions, seniorities and geo alike; member
companies (``urn:li:organization:N``) → ``/rest/organizationsLookup?ids=List(N)`` (the fields any member
may read). Company-size codes need no request (LinkedIn documents their names). A lookup LinkedIn refuses
leaves those names empty with a note rather than failing the run.
Docs: https://learn.microsoft.com/en-us/linkedin/shared/references/v2/standardized-data/titles
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lisync.linkedin.analytics.report_fields import LOOKUP_RESOURCES
from lisync.linkedin.analytics.shape_reports import localized_name
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import AccessDeniedError, NotFoundError
from lisync.linkedin.http.restli import restli_list, urn_id

BATCH_SIZE = 100  # ids per BATCH_GET: well under LinkedIn's 4 KB query-string limit


def lookup_names(client: LinkedInClient, values: Mapping[str, str],
                 add_note: Callable[[str], None]) -> dict[str, str | None]:
    """Return ``{value: name}`` for demographic values keyed by their kind (``title``, ``geo``...).

    Args:
        client: The LinkedIn client.
        values: Value (URN or code) → kind, as :func:`lisync.linkedin.shape_reports.value_type` names it.
        add_note: Where a refused lookup is reported.

    Returns:
        Names found; values without one are missing (company-size codes are named by the shaper).
    """
    by_kind: dict[str, dict[str, str]] = {}
    for value, kind in values.items():
        value_id = urn_id(value) if kind in LOOKUP_RESOURCES else None
        if value_id:
            by_kind.setdefault(kind, {})[value_id] = value
    names: dict[str, str | None] = {}
    for kind, ids in sorted(by_kind.items()):
        ordered = sorted(ids, key=lambda i: (len(i), i))
        for i in range(0, len(ordered), BATCH_SIZE):
            batch = ordered[i:i + BATCH_SIZE]
            try:
                body: Any = client.get(LOOKUP_RESOURCES[kind], [("ids", restli_list(batch))])
            except (AccessDeniedError, NotFoundError) as error:
                add_note(f"demographic_values: LinkedIn refused the {LOOKUP_RESOURCES[kind]} lookup "
                         f"({error}); {len(batch)} names left empty.")
                continue
            results = body.get("results") if isinstance(body, dict) else None
            for key, element in (results or {}).items():
                if isinstance(element, dict) and str(key) in ids:
                    names[ids[str(key)]] = localized_name(element)
    return names
