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
from lisync.run.families import ACCOUNT_FAMILIES, ORGANIZATION_FAMILIES, RunScope, families_of
from lisync.run.summary import RunSummary


def discover_scope(settings: RunSettings, client: LinkedInClient, summary: RunSummary) -> RunScope:
    """Discover what the selected pipelines cover: accounts for the ad families, pages for the organic ones.

    Raises:
        SelectionError: When a filtered account or organization is not visible to the token.
    """
    families = families_of(settings.pipelines)
    accounts = discover_account_scope(client, settings.account_ids) \
        if any(f in families for f in ACCOUNT_FAMILIES) else None
    organizations = discover_organizations(settings, client, summary) \
        if any(f in families for f in ORGANIZATION_FAMILIES) else None
    return RunScope(accounts, organizations)


def discover_organizations(settings: RunSettings, client: LinkedInClient, summary: RunSummary) -> list[Organization]:
    """Discover and select the run's company pages; showcase pages found by discovery are noted and skipped.

    Raises:
        SelectionError: For an organization the member does not administer, or a showcase page in the filter.
    """
    administered = lookup_organizations(client, list_administered_ids(client))
    selected = select_organizations(administered, settings.organization_ids)
    skipped = [o for o in administered if o.showcase]
    if skipped and settings.organization_ids is None:
        names = ", ".join(f"{o.name or o.id} ({o.id})" for o in skipped)
        summary.add_note(f"Skipped showcase page(s) {names}: only company pages are supported.")
    if not selected:
        summary.add_note("No company page to read: the member administers none (an approved "
                         "ADMINISTRATOR role is needed).")
    return selected
