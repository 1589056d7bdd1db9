"""LinkedIn's ads entity listings: ad accounts, campaign groups, campaigns, creatives and conversion rules.

Endpoints (the tables they feed are built in :mod:`lisync.sources.ads`):

* ``ad_accounts`` — ``GET /rest/adAccounts?q=search`` (cursor paging, 1,000 per page)
* ``campaign_group_metadata`` — ``GET /rest/adAccounts/{id}/adCampaignGroups?q=search``
* ``campaign_metadata`` — ``GET /rest/adAccounts/{id}/adCampaigns?q=search``
* ``creative_metadata`` — ``GET /rest/adAccounts/{id}/creatives?q=criteria`` (cursor paging, 100 per page)
* ``conversion_details`` and its child ``conversion_details__associated_campaigns`` —
  ``GET /rest/conversions?q=account`` (start/count paging)

LinkedIn's entity finders have no "modified since" filter, so a full listing is the only way to see
deletions (REMOVED) as well as changes; every status is requested explicitly because the finders' default
search leaves some out. Docs: https://learn.microsoft.com/en-us/linkedin/marketing/integrations/ads/account-structure/
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.restli import restli_list, restli_record, urn

ACCOUNT_PAGE_SIZE = 1000
ENTITY_PAGE_SIZE = 1000
CREATIVE_PAGE_SIZE = 100
CONVERSION_PAGE_SIZE = 100

CAMPAIGN_GROUP_STATUSES = ("ACTIVE", "ARCHIVED", "CANCELED", "DRAFT", "PAUSED", "PENDING_DELETION", "REMOVED")
CAMPAIGN_STATUSES = ("ACTIVE", "PAUSED", "ARCHIVED", "COMPLETED", "CANCELED", "DRAFT", "PENDING_DELETION",
                     "REMOVED")
CREATIVE_STATUSES = ("ACTIVE", "PAUSED", "DRAFT", "ARCHIVED", "CANCELED", "PENDING_DELETION", "REMOVED")
FINDER_HEADERS = {"X-RestLi-Method": "FINDER"}


def list_ad_accounts(client: LinkedInClient) -> Iterator[dict[str, Any]]:
    """Yield every ad account the token can see (all statuses), as LinkedIn elements."""
    for page in client.paginate_cursor("adAccounts", {"q": "search"}, ACCOUNT_PAGE_SIZE):
        yield from page


def _status_search(statuses: Sequence[str]) -> dict[str, Any]:
    return {"q": "search", "search": restli_record(status=restli_record(values=restli_list(statuses)))}


def list_campaign_groups(client: LinkedInClient, account_id: str) -> Iterator[dict[str, Any]]:
    """Yield every campaign group of one ad account."""
    path = f"adAccounts/{account_id}/adCampaignGroups"
    for page in client.paginate_cursor(path, _status_search(CAMPAIGN_GROUP_STATUSES), ENTITY_PAGE_SIZE):
        yield from page


def list_campaigns(client: LinkedInClient, account_id: str) -> Iterator[dict[str, Any]]:
    """Yield every campaign of one ad account."""
    path = f"adAccounts/{account_id}/adCampaigns"
    for page in client.paginate_cursor(path, _status_search(CAMPAIGN_STATUSES), ENTITY_PAGE_SIZE):
        yield from page


def list_creatives(client: LinkedInClient, account_id: str) -> Iterator[dict[str, Any]]:
    """Yield every creative of one ad account (every intended status)."""
    params = {"q": "criteria", "intendedStatuses": restli_list(CREATIVE_STATUSES), "sortOrder": "ASCENDING"}
    path = f"adAccounts/{account_id}/creatives"
    for page in client.paginate_cursor(path, params, CREATIVE_PAGE_SIZE, headers=FINDER_HEADERS):
        yield from page


def list_conversions(client: LinkedInClient, account_id: str) -> Iterator[list[dict[str, Any]]]:
    """Yield pages of conversion rules of one ad account."""
    params = {"q": "account", "account": urn("sponsoredAccount", account_id)}
    yield from client.paginate_offset("conversions", params, CONVERSION_PAGE_SIZE)
