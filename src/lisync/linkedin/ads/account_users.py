"""Ad account users: who holds which role on each ad account (``adAccountUsers?q=accounts``).

``GET /rest/adAccountUsers?q=accounts&accounts=urn:li:sponsoredAccount:{id}`` (start/count paging), one
listing per selected account. Each element names the member (``user``, a ``urn:li:person`` URN), the
account and the role (ACCOUNT_BILLING_ADMIN, ACCOUNT_MANAGER, CAMPAIGN_MANAGER, CREATIVE_MANAGER, VIEWER).
The member URN is personal data: lisync reads no names or e-mail addresses, and the contract marks the
column. Permission ``r_ads`` or ``rw_ads``. Docs:
https://learn.microsoft.com/en-us/linkedin/marketing/integrations/ads/account-structure/create-and-manage-account-users
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lisync.linkedin.convert import dig, ms_to_timestamp, to_text
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.restli import urn, urn_id

ACCOUNT_USERS_PAGE_SIZE = 100


def list_account_users(client: LinkedInClient, account_id: str) -> Iterator[list[dict[str, Any]]]:
    """Yield pages of the role assignments on one ad account."""
    params = {"q": "accounts", "accounts": urn("sponsoredAccount", account_id)}
    yield from client.paginate_offset("adAccountUsers", params, ACCOUNT_USERS_PAGE_SIZE)


def shape_account_user(element: dict[str, Any], account_id: str) -> dict[str, Any]:
    """Turn one ``adAccountUsers`` element into an ``ad_account_users`` row (pure)."""
    account = element.get("account")
    return {
        "account_id": urn_id(account) if isinstance(account, str) and account else account_id,
        "user_urn": to_text(element.get("user")),
        "role": to_text(element.get("role")),
        "created_time": ms_to_timestamp(dig(element, "changeAuditStamps", "created", "time")),
        "last_modified_time": ms_to_timestamp(dig(element, "changeAuditStamps", "lastModified", "time")),
        "version_tag": to_text(dig(element, "version", "versionTag")),
    }
