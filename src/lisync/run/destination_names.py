"""Names a misspelt ``--destination`` in one line, with the nearest dlt destination name.

dlt answers an unknown destination name with its whole configuration lookup (~20 lines) and suggests
``DESTINATION__<NAME>__DESTINATION_TYPE``; a user who typed ``postgress`` needs "did you mean postgres?".
"""

from __future__ import annotations

import difflib

import dlt.destinations

from lisync.errors import ConfigError

__all__ = ["KNOWN_DESTINATIONS", "unknown_destination"]

# dlt's built-in destination factories (``dlt.destinations.__all__`` minus the custom-destination decorator).
KNOWN_DESTINATIONS: tuple[str, ...] = tuple(n for n in dlt.destinations.__all__ if n != "destination")


def unknown_destination(name: str) -> ConfigError | None:
    """Return the one-line error for a destination name dlt does not ship, else ``None``.

    Dotted references (``my_package.my_destination``) and named destinations configured in ``.dlt`` are
    dlt's to resolve: only a plain name that is close to a known one, or nothing like any, is refused here.
    """
    if "." in name or name in KNOWN_DESTINATIONS:
        return None
    close = difflib.get_close_matches(name.lower(), KNOWN_DESTINATIONS, n=1, cutoff=0.75)
    hint = f"did you mean {close[0]}? " if close else ""
    return ConfigError(f"Unknown destination {name!r}: {hint}Use duckdb, postgres, filesystem or another dlt "
                       f"destination ({', '.join(sorted(KNOWN_DESTINATIONS))}).")
