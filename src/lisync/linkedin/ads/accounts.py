"""Ad account discovery and the *Accounts* filter: which accounts a run covers, checked up front."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lisync.errors import SelectionError
from lisync.linkedin.ads.listings import list_ad_accounts
from lisync.linkedin.http.client import LinkedInClient


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


@dataclass(frozen=True)
class AccountScope:
    """The ad accounts one run covers.

    Attributes:
        visible: Every ad account element the token can see (``ad_accounts`` lists them all).
        selected: The accounts the *Accounts* filter selects, in LinkedIn's order.
    """

    visible: list[dict[str, Any]]
    selected: list[dict[str, Any]]

    @property
    def selected_ids(self) -> list[str]:
        """The selected accounts' numeric ids (text)."""
        return [str(a["id"]) for a in self.selected]


def discover_account_scope(client: LinkedInClient, wanted: list[str] | None) -> AccountScope:
    """List the visible accounts and apply the *Accounts* filter (fails fast on an unknown id).

    Raises:
        SelectionError: When a wanted account is not visible.
    """
    visible = discover_accounts(client)
    return AccountScope(visible, select_accounts(visible, wanted))
