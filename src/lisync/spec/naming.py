"""lisync's dlt naming convention: snake_case that keeps the spec's double underscores.

dlt's default ``snake_case`` convention collapses ``__`` into ``_`` inside identifiers, which would rename
spec columns such as ``changeauditstamps__lastmodified`` and tables such as
``conversion_details__associated_campaigns``. lisync's shapers emit flat rows whose keys already are the
spec's names, so this convention normalises each ``__``-separated part on its own and joins them back.
dlt loads it by module path (``SCHEMA_NAMING``); :func:`new_schema` makes the ``linkedin`` schema that uses it.
"""

from __future__ import annotations

import dlt
from dlt.common.normalizers.naming.snake_case import NamingConvention as SnakeCaseNamingConvention

SCHEMA_NAME = "linkedin"
SCHEMA_NAMING = __name__  # "lisync.spec.naming": dlt imports the convention below by this path


def new_schema() -> dlt.Schema:
    """Return an empty ``linkedin`` schema using lisync's naming convention (spec names kept verbatim)."""
    return dlt.Schema(SCHEMA_NAME, normalizers={"names": SCHEMA_NAMING})


class NamingConvention(SnakeCaseNamingConvention):
    """snake_case per part, parts joined with ``__`` (so spec names pass through unchanged)."""

    def normalize_identifier(self, identifier: str) -> str:
        """Normalise ``identifier``, preserving ``__`` separators between non-empty parts."""
        identifier = super(SnakeCaseNamingConvention, self).normalize_identifier(identifier)
        if "__" not in identifier.strip("_"):
            return super().normalize_identifier(identifier)
        lead = "_" * (len(identifier) - len(identifier.lstrip("_")))
        parts = [p for p in identifier.lstrip("_").split("__") if p]
        normalized = "__".join(super(NamingConvention, self).normalize_identifier(p) for p in parts)
        return self.shorten_identifier(lead + normalized, identifier, self.max_length)
