"""Ad account discovery and the *Accounts* filter: which accounts a run covers, checked up front."""

from __future__ import annotations

from typing import Any

from lisync.errors import SelectionError
from lisync.linkedin.ads import list_ad_accounts
from lisync.linkedin.client import LinkedInClient


def select_accounts(visible: list[dict[str, Any]], wanted: list[str] | None) -> list[dict[str, Any]]:
    """Return the visible accounts that ``wanted`` names (all of them when ``wanted`` is ``None``).

    Args:
        visible: Account elements the token can see.
        wanted: Numeric account ids from the *Accounts* filter, or ``None``.

    Returns:
        The selected account elements, in the order LinkedIn listed them.

    Raises:
        SelectionError: When a wanted account is not visible; the message lists the visible ones.

    """
    if wanted is None:
        return visible
    by_id = {str(a.get("id")): a for a in visible}
    missing = [w for w in wanted if w not in by_id]
    if missing:
        seen = ", ".join(sorted(by_id, key=lambda x: (len(x), x))) or "none"
        plural = "s" if len(missing) > 1 else ""
        raise SelectionError(
            f"Unknown ad account{plural} {', '.join(missing)}: your token can see {seen}. "
            "Fix --accounts (or sources.linkedin.account_ids).")
    keep = set(wanted)
    return [a for a in visible if str(a.get("id")) in keep]


def discover_accounts(client: LinkedInClient) -> list[dict[str, Any]]:
    """Return every ad account the token can see, deduplicated by id (pages may overlap)."""
    seen: dict[str, dict[str, Any]] = {}
    for account in list_ad_accounts(client):
        if "id" in account:
            seen.setdefault(str(account["id"]), account)
    return list(seen.values())
