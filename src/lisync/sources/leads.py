"""The ``leads`` pipeline family: Lead Gen forms and their responses (LinkedIn's Lead Sync API).

Resources:

* ``lead_forms`` — *Full*: every form owned by the selected ad accounts and organizations
  (``leadForms?q=owner``), replaced each run (a shard replaces its accounts' forms only), with child tables
  ``lead_forms__questions``, ``lead_forms__question_options``, ``lead_forms__hidden_fields`` and
  ``lead_forms__consents`` (one shared listing feeds all five).
* ``lead_form_responses`` — *Incremental with update window* on the submission time, ``merge`` on ``id``;
  one savepoint per owner: an ad account (SPONSORED leads) or an organization (COMPANY, EVENT and
  ORGANIZATION_PRODUCT leads, one request per lead type). A run reads ``submittedAtTimeRange`` from
  ``savepoint − update window`` (first run: *Read start date*, default and floor: LinkedIn's 365-day
  retention) to the end of today, so a re-run adds only new responses and rewrites the few in the window.
  Child tables ``lead_form_responses__answers`` and ``lead_form_responses__consents`` merge on their keys.

Personal data (the contract's ``personal`` columns: free-text answers, the submitter URN) goes through the
run's :class:`~lisync.config.personal_data.PersonalDataPolicy` (``--lead-pii keep|hash|drop``) inside the
resources, before dlt writes any file.

The Lead Sync API needs ``r_marketing_leadgen_automation``, which LinkedIn grants on its own approval. When
LinkedIn answers 403 to the first lead request of a run (the accounts come from ``adAccounts?q=search``, so the
member's role is not the cause) the lead pipelines are skipped with a note saying so, or, with ``--strict``,
the run fails. A 403/404 on a later account skips that account only, as for every family; a 403 on an
organization (the member's page role does not let it read leads) skips that organization with a note saying
which roles do, or fails a ``--strict`` run. The organizations come from :mod:`lisync.run.discovery`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from lisync.config.personal_data import PersonalDataPolicy
from lisync.config.settings import RunSettings
from lisync.errors import PartialAccessError
from lisync.linkedin.ads.accounts import AccountScope
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import AccessDeniedError, NotFoundError
from lisync.linkedin.leads.fetch import (
    LEAD_ORGANIZATION_ROLES,
    LEADGEN_SCOPE,
    RETENTION_DAYS,
    LeadOwner,
    read_forms,
    read_responses,
)
from lisync.linkedin.leads.shape import shape_form, shape_form_children, shape_response, shape_response_children
from lisync.sources.incremental import get_savepoint, plan_read_window, set_savepoint
from lisync.sources.partial import ScopeGuard, describe
from lisync.spec.hints import slice_disposition, with_spec
from lisync.spec.loader import table_spec
from lisync.spec.naming import new_schema

__all__ = ["DEFAULT_UPDATE_WINDOW_DAYS", "FORMS_TABLE", "PIPELINES", "RESPONSES_TABLE", "LeadsInputs", "lead_owners",
           "leads_source"]

PIPELINES = ("lead_forms", "lead_form_responses")
FORMS_TABLE = "lead_forms"
RESPONSES_TABLE = "lead_form_responses"
FORM_CHILDREN = ("lead_forms__questions", "lead_forms__question_options", "lead_forms__hidden_fields",
                 "lead_forms__consents")
RESPONSE_CHILDREN = ("lead_form_responses__answers", "lead_form_responses__consents")
DEFAULT_UPDATE_WINDOW_DAYS = 3


@dataclass(frozen=True)
class LeadBatch:
    """The lead elements (forms or responses) one owner gave in one run."""

    owner: LeadOwner
    elements: list[dict[str, Any]]


def scope_message(owner: LeadOwner) -> str:
    """The note (or ``--strict`` error) for a token LinkedIn refuses Lead Sync to."""
    return (f"LinkedIn refused the Lead Sync API (403 for {owner.scope} {owner.id}, which the member has a role "
            f"on): the token most likely lacks {LEADGEN_SCOPE}. That scope comes with "
            "LinkedIn's separately approved Lead Sync API product: once your app has it, run "
            "`lisync auth login lead_forms lead_form_responses`, and `lisync check lead_forms lead_form_responses`")


def role_message(owner: LeadOwner, error: AccessDeniedError) -> str:
    """The note (or ``--strict`` error) for an organization whose leads LinkedIn refuses to the member."""
    roles = " or ".join(sorted(LEAD_ORGANIZATION_ROLES))
    return (f"LinkedIn refused them ({describe(error)}): reading an organization's leads needs an approved {roles} "
            f"role on the page; ask a page admin for one, or leave organization {owner.id} out of --organizations")


def _personal_columns(table: str) -> tuple[str, ...]:
    return tuple(c.name for c in table_spec(table).columns if c.personal)


def _protect(policy: PersonalDataPolicy, table: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    columns = _personal_columns(table)
    return [policy.protect_row(r, columns) for r in rows] if columns else rows


@dataclass(frozen=True)
class LeadsInputs:
    """What the lead resources read from.

    Attributes:
        settings: The run settings (start date, update window, ``lead_pii``, shard).
        today: The run's "today" (UTC).
        client: The LinkedIn client.
        owners: The ad accounts and organizations whose forms and leads are read (see :func:`lead_owners`).
        guard: Skips owners LinkedIn refuses (or fails the run when strict).
        add_note: Where notes go (the run summary).
    """

    settings: RunSettings
    today: dt.date
    client: LinkedInClient
    owners: list[LeadOwner]
    guard: ScopeGuard
    add_note: Callable[[str], None]


class LeadReader:
    """Reads one owner's lead elements; a 403 on the run's first lead read means the Lead Sync scope is missing."""

    def __init__(self, guard: ScopeGuard, add_note: Callable[[str], None]) -> None:
        self.guard = guard
        self.add_note = add_note
        self.first_read_done = False
        self.scope_missing = False
        self.refused_organizations: set[str] = set()

    def read(self, owner: LeadOwner, fetch: Callable[[LeadOwner], list[dict[str, Any]]]) -> list[dict[str, Any]] | None:
        """Return ``fetch(owner)``; ``None`` when the owner (or, on the run's first read, the scope) is refused.

        Raises:
            PartialAccessError: When the scope is missing and the run is strict.
        """
        if self.scope_missing:
            return None
        if not self.first_read_done:
            self.first_read_done = True
            try:
                return fetch(owner)
            except AccessDeniedError:
                message = scope_message(owner)
                if self.guard.strict:
                    raise PartialAccessError(message + "; --strict makes this fail the run.") from None
                self.scope_missing = True
                self.add_note(f"skipped lead_forms and lead_form_responses: {message}.")
                return None
            except NotFoundError as error:
                self.guard.record_skip(owner.scope, owner.id, error)
                return None
        if owner.kind == "organization":
            return self._read_organization(owner, fetch)
        return self.guard.guarded(owner.scope, owner.id, lambda _: fetch(owner))

    def _read_organization(self, owner: LeadOwner,
                           fetch: Callable[[LeadOwner], list[dict[str, Any]]]) -> list[dict[str, Any]] | None:
        """Read an organization's leads; a 403 means the member's page role does not allow it (skip or fail).

        A refused organization is noted once and not asked again in the run (forms and responses alike).
        """
        if owner.id in self.refused_organizations:
            return None
        try:
            return fetch(owner)
        except AccessDeniedError as error:
            message = role_message(owner, error)
            if self.guard.strict:
                raise PartialAccessError(message + "; --strict makes this fail the run.") from None
            self.refused_organizations.add(owner.id)
            self.add_note(f"skipped organization {owner.id}'s lead forms and leads: {message}.")
            return None
        except NotFoundError as error:
            self.guard.record_skip(owner.scope, owner.id, error)
            return None


def _responses_between(client: LinkedInClient, start: dt.date, end_exclusive: dt.date,
                       owner: LeadOwner) -> list[dict[str, Any]]:
    return read_responses(client, owner, start, end_exclusive)


def _full_disposition(settings: RunSettings, owners: list[LeadOwner]) -> Any:
    return slice_disposition("owner_urn", [o.urn for o in owners]) if settings.shard else "replace"


def form_resources(inputs: LeadsInputs, reader: LeadReader) -> list[DltResource]:
    """The ``lead_forms`` resource and its child-table resources, sharing one listing."""
    client, owners, policy = inputs.client, inputs.owners, inputs.settings.lead_pii

    @dlt.resource(name="lead_form_pages", selected=False)
    def form_pages() -> Iterator[LeadBatch]:
        for owner in owners:
            forms = reader.read(owner, lambda o: read_forms(client, o))
            if forms:
                yield LeadBatch(owner, forms)

    @dlt.transformer(name=FORMS_TABLE)
    def lead_forms(batch: LeadBatch) -> Iterator[list[dict[str, Any]]]:
        yield _protect(policy, FORMS_TABLE, [shape_form(f) for f in batch.elements])

    def child(table: str) -> DltResource:
        @dlt.transformer(name=table)
        def rows(batch: LeadBatch) -> Iterator[list[dict[str, Any]]]:
            yield _protect(policy, table, [r for f in batch.elements for r in shape_form_children(f)[table]])

        return rows

    raw = form_pages()
    resources = [with_spec(raw | lead_forms, _full_disposition(inputs.settings, owners))]
    for table in FORM_CHILDREN:
        if inputs.settings.shard:
            # Child rows carry no owner: a shard replaces its forms' rows by form id instead.
            resource = with_spec(raw | child(table), {"disposition": "merge", "strategy": "delete-insert"}, table)
            resource.apply_hints(merge_key="form_id")
        else:
            resource = with_spec(raw | child(table), "replace", table)
        resources.append(resource)
    return resources


def response_resources(inputs: LeadsInputs, reader: LeadReader) -> list[DltResource]:
    """The ``lead_form_responses`` resource and its two child-table resources, sharing one listing."""
    client, today, owners, policy = inputs.client, inputs.today, inputs.owners, inputs.settings.lead_pii
    window_days = inputs.settings.update_window_days
    update_window = DEFAULT_UPDATE_WINDOW_DAYS if window_days is None else window_days
    oldest = today - dt.timedelta(days=RETENTION_DAYS - 1)
    start_date = max(inputs.settings.start_date or oldest, oldest)

    @dlt.resource(name="lead_response_pages", selected=False)
    def response_pages() -> Iterator[LeadBatch]:
        state = dlt.current.resource_state()
        for owner in owners:
            window = plan_read_window(get_savepoint(state, owner.urn), start_date, update_window, today,
                                      inputs.settings.end_date)
            if window is None:
                continue
            first, end = window.start, window.end + dt.timedelta(days=1)
            responses = reader.read(owner, partial(_responses_between, client, first, end))
            if responses is None:
                continue
            if responses:
                yield LeadBatch(owner, responses)
            set_savepoint(state, owner.urn, window.end)

    @dlt.transformer(name=RESPONSES_TABLE)
    def lead_form_responses(batch: LeadBatch) -> Iterator[list[dict[str, Any]]]:
        yield _protect(policy, RESPONSES_TABLE, [shape_response(r) for r in batch.elements])

    def child(table: str) -> DltResource:
        @dlt.transformer(name=table)
        def rows(batch: LeadBatch) -> Iterator[list[dict[str, Any]]]:
            yield _protect(policy, table, [c for r in batch.elements for c in shape_response_children(r)[table]])

        return rows

    raw = response_pages()
    resources = [with_spec(raw | lead_form_responses, "merge")]
    resources += [with_spec(raw | child(table), "merge", table) for table in RESPONSE_CHILDREN]
    return resources


def lead_owners(accounts: AccountScope, organization_ids: Sequence[str], settings: RunSettings) -> list[LeadOwner]:
    """The selected ad accounts (SPONSORED leads), then the discovered organizations (organic leads).

    ``organization_ids`` come from :func:`lisync.run.discovery.discover_lead_organizations` (a shard's own
    ``--organizations`` only). A shard without ``--accounts`` reads no ad account, so no two shards read one.
    """
    account_ids = [] if settings.shard is not None and settings.account_ids is None else accounts.selected_ids
    return ([LeadOwner("sponsoredAccount", a) for a in account_ids]
            + [LeadOwner("organization", o) for o in organization_ids])


@dlt.source(schema=new_schema(), max_table_nesting=0)
def leads_source(pipelines: list[str], inputs: LeadsInputs) -> list[DltResource]:
    """The resources of the ``leads`` pipelines in ``pipelines``."""
    reader = LeadReader(inputs.guard, inputs.add_note)
    resources: list[DltResource] = []
    if FORMS_TABLE in pipelines:
        resources.extend(form_resources(inputs, reader))
    if RESPONSES_TABLE in pipelines:
        resources.extend(response_resources(inputs, reader))
    return resources
