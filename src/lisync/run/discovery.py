"""Before any source is built: discover the ad accounts and company pages a run covers, and apply its filters.

This is the run's only I/O before extraction (one account listing; the organization ACL and one lookup; for
the lead pipelines, one more ACL listing of the pages whose lead forms the member may read), so a bad
``--accounts``/``--organizations`` filter fails fast, before anything is read or loaded.
"""

from __future__ import annotations

from lisync.config.settings import RunSettings
from lisync.errors import PartialAccessError, SelectionError
from lisync.linkedin.ads.accounts import discover_account_scope
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import AccessDeniedError
from lisync.linkedin.leads.fetch import LEAD_ORGANIZATION_ROLES
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
from lisync.sources.partial import describe


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
    lead_organizations = discover_lead_organizations(settings, client, summary) if "leads" in families else ()
    return RunScope(accounts, organizations, lead_organizations)


def discover_organizations(settings: RunSettings, client: LinkedInClient, summary: RunSummary) -> list[Organization]:
    """Discover and select the run's pages: company pages and showcase pages (read through brand endpoints).

    Raises:
        SelectionError: For an organization the member does not administer.
    """
    administered = lookup_organizations(client, list_administered_ids(client))
    wanted = settings.organization_ids
    if settings.shard is not None and wanted and "leads" in families_of(settings.pipelines, settings.custom_reports):
        # A planned shard also owns the pages it reads for their leads only (LEAD_GEN_FORMS_MANAGER): the page
        # pipelines read its administered ones; discover_lead_organizations checks the rest.
        wanted = [w for w in wanted if w in {o.id for o in administered}]
    selected = select_organizations(administered, wanted)
    if not selected and not settings.organization_ids:
        summary.add_note("No organization page to read: the member administers none (an approved "
                         "ADMINISTRATOR role is needed).")
    return selected


def discover_lead_organizations(settings: RunSettings, client: LinkedInClient, summary: RunSummary) -> tuple[str, ...]:
    """Discover the organizations whose lead forms the lead pipelines read, after the *Organizations* filter.

    They are the pages on which the member holds an approved ADMINISTRATOR or LEAD_GEN_FORMS_MANAGER role (the
    roles LinkedIn lets pull a page's leads). A token that may not list the member's page roles (no
    ``r_organization_admin``) reads ad accounts' forms only, with a note; a shard reads its own
    ``--organizations`` only (none without them).

    Raises:
        SelectionError: For a filtered organization on which the member holds neither role.
        PartialAccessError: When the token may not list the roles and the run is strict.
    """
    if settings.shard is not None and not settings.organization_ids:
        return ()
    try:
        ids = list_administered_ids(client, LEAD_ORGANIZATION_ROLES)
    except AccessDeniedError as error:
        message = (f"read no organization's lead forms: LinkedIn refused the member's page roles ({describe(error)}),"
                   " so the token most likely lacks r_organization_admin (or rw_organization_admin); only ad "
                   "accounts' lead forms and leads were read")
        if settings.strict:
            raise PartialAccessError(message + ". --strict makes this fail the run.") from None
        summary.add_note(message + ".")
        return ()
    wanted = settings.organization_ids
    if wanted is None:
        return tuple(ids)
    missing = [w for w in wanted if w not in ids]
    if missing:
        raise SelectionError(
            f"Unknown organization{'s' if len(missing) > 1 else ''} {', '.join(missing)} for the lead pipelines: "
            f"you hold ADMINISTRATOR or LEAD_GEN_FORMS_MANAGER on {', '.join(ids) or 'none'}. Fix --organizations "
            "(or sources.linkedin.organization_ids).")
    return tuple(i for i in ids if i in wanted)
