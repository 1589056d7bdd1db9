"""A world knob that makes LinkedIn's listings and its analytics disagree, as the real API can.

LinkedIn's finders do not always list everything its reports count: statuses a finder hides, entities
moved or edited after they served. With ``SandboxConfig.unlisted_campaign_accounts = N`` the campaigns
search finder leaves out every campaign of N ad accounts (those with the most campaigns that ever served),
while adAnalytics keeps reporting their delivery. A connector that plans its analytics requests from the
listings alone never asks for those rows; reconciling with account-level totals finds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["unlisted_campaigns"]


def unlisted_campaigns(campaigns: Iterable[dict[str, Any]], accounts: int) -> frozenset[int]:
    """Return the ids of the campaigns the campaigns search finder must not list (empty when ``accounts`` is 0).

    Args:
        campaigns: Every campaign of the world.
        accounts: How many accounts lose all their campaigns from the listing.
    """
    if accounts <= 0:
        return frozenset()
    served: dict[int, list[int]] = {}
    for campaign in campaigns:
        if campaign.get("status") != "DRAFT":
            account = int(str(campaign["account"]).rsplit(":", 1)[-1])
            served.setdefault(account, []).append(int(campaign["id"]))
    chosen = sorted(served, key=lambda account: (-len(served[account]), account))[:accounts]
    return frozenset(cid for account in chosen for cid in served[account])
