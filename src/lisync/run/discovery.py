"""Before any source is built: discover the ad accounts and company pages a run covers, and apply its filters.

This is the run's only I/O before extraction (one account listing; the organization ACL and one lookup),
so a bad ``--accounts``/``--organizations`` filter fails fast, before anything is read or loaded.
"""

from __future__ import annotations

from lisync.config.settings import RunSettings
from lisync.linkedin.ads.accounts import discover_account_scope
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.pages.organizations import (
    Organization,
    list_administered_ids,
    lookup_organizations,
    select_organizations,
)
from lisync.run.families import (
    ACCOUNT_FAMILIES,
    ACCOUNT_PIPELINES,
    ORGANIZATION_FAMILIES,
    ORGANIZATION_PIPELINES,
    RunScope,
    families_of,
)
from lisync.run.summary import RunSummary


def discover_scope(settings: RunSettings, client: LinkedInClient, summary: RunSummary) -> RunScope:
    """Discover what the selected pipelines cover: accounts for the ad families, pages for the organic ones.

    Raises:
        SelectionError: When a filtered account or organization is not visible to the token.
    """
    families = families_of(settings.pipelines, settings.custom_reports)
    needs_accounts = any(f in families for f in ACCOUNT_FAMILIES) or \
        any(p in ACCOUNT_PIPELINES for p in settings.pipelines)
    needs_organizations = any(f in families for f in ORGANIZATION_FAMILIES) or \
        any(p in ORGANIZATION_PIPELINES for p in settings.pipelines)
    accounts = discover_account_scope(client, settings.account_ids) if needs_accounts else None
    organizations = discover_organizations(settings, client, summary) if needs_organizations else None
    return RunScope(accounts, organizations)


def discover_organizations(settings: RunSettings, client: LinkedInClient, summary: RunSummary) -> list[Organization]:
    """Discover and select the run's pages: company pages and showcase pages (read through brand endpoints).

    Raises:
        SelectionError: For an organization the member does not administer.
    """
    administered = lookup_organizations(client, list_administered_ids(client))
    selected = select_organizations(administered, settings.organization_ids)
    if not selected:
        summary.add_note("No organization page to read: the member administers none (an approved "
                         "ADMINISTRATOR role is needed).")
    return selected
