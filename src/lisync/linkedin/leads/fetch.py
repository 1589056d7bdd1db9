"""Lead Sync reads: an owner's lead forms, and its form responses within a submitted-at range.

Both finders (``leadForms?q=owner``, ``leadFormResponses?q=owner``) take one owner: an ad account
(``owner=(sponsoredAccount:urn:li:sponsoredAccount:N)``, lead type ``SPONSORED``) or an organization
(``owner=(organization:urn:li:organization:N)``, lead types ``COMPANY``, ``EVENT`` and ``ORGANIZATION_PRODUCT``;
the member needs one of :data:`LEAD_ORGANIZATION_ROLES` on it). They page with ``start``/``count``; lisync asks
for :data:`PAGE_SIZE` elements per page (Airbyte's connector asks for 500 in production). Responses are read
per lead type with ``submittedAtTimeRange=(start:ms,end:ms)`` (start inclusive, end exclusive) and without
``limitedToTestLeads``, so test leads come too (they are flagged). Nothing here retries or keeps state: the
client retries, the source keeps the savepoints.

Docs: learn.microsoft.com/en-us/linkedin/marketing/lead-sync/leadsync (scope r_marketing_leadgen_automation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.restli import restli_record, urn

__all__ = ["LEADGEN_SCOPE", "LEAD_ORGANIZATION_ROLES", "ORGANIC_LEAD_TYPES", "PAGE_SIZE", "RETENTION_DAYS", "SPONSORED",
           "LeadOwner", "day_start_ms", "read_forms", "read_responses"]

LEADGEN_SCOPE = "r_marketing_leadgen_automation"
PAGE_SIZE = 500
RETENTION_DAYS = 365  # LinkedIn keeps form responses for up to 365 days
SPONSORED = "SPONSORED"
ORGANIC_LEAD_TYPES = ("COMPANY", "EVENT", "ORGANIZATION_PRODUCT")
# Page roles that may pull an organization's leads: LinkedIn's Lead Sync Postman collection names a Page admin
# (ADMINISTRATOR) or a Lead Gen Forms manager (LEAD_GEN_FORMS_MANAGER); the sandbox enforces the same pair.
LEAD_ORGANIZATION_ROLES = frozenset({"ADMINISTRATOR", "LEAD_GEN_FORMS_MANAGER"})


@dataclass(frozen=True)
class LeadOwner:
    """Who owns forms and receives leads: an ad account (SPONSORED leads) or an organization (organic leads).

    Attributes:
        kind: ``sponsoredAccount`` or ``organization`` (the member of LinkedIn's ``owner`` union).
        id: The numeric id.
    """

    kind: Literal["sponsoredAccount", "organization"]
    id: str

    @property
    def urn(self) -> str:
        """The owner's URN."""
        return urn(self.kind, self.id)

    @property
    def scope(self) -> str:
        """What a skip note calls it: ``account`` or ``organization``."""
        return "account" if self.kind == "sponsoredAccount" else "organization"

    @property
    def lead_types(self) -> tuple[str, ...]:
        """The lead types LinkedIn serves for this owner kind."""
        return (SPONSORED,) if self.kind == "sponsoredAccount" else ORGANIC_LEAD_TYPES

    def record(self) -> Any:
        """The ``owner`` parameter: ``(sponsoredAccount:urn:li:sponsoredAccount:N)`` or ``(organization:...)``."""
        return restli_record(**{self.kind: self.urn})


def day_start_ms(day: dt.date) -> int:
    """Return midnight UTC of ``day`` as epoch milliseconds."""
    return int(dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).timestamp()) * 1000


def read_forms(client: LinkedInClient, owner: LeadOwner) -> list[dict[str, Any]]:
    """Return every ``leadForms`` element of one owner."""
    params = {"q": "owner", "owner": owner.record()}
    return [f for page in client.paginate_offset("leadForms", params, PAGE_SIZE) for f in page]


def read_responses(client: LinkedInClient, owner: LeadOwner, start: dt.date,
                   end_exclusive: dt.date) -> list[dict[str, Any]]:
    """Return the ``leadFormResponses`` one owner received in ``[start, end_exclusive)``, every lead type.

    Args:
        client: The LinkedIn client.
        owner: The ad account or organization.
        start: First UTC day to read.
        end_exclusive: First UTC day not to read.
    """
    out: list[dict[str, Any]] = []
    for lead_type in owner.lead_types:
        params = {
            "q": "owner",
            "owner": owner.record(),
            "leadType": restli_record(leadType=lead_type),
            "submittedAtTimeRange": restli_record(start=day_start_ms(start), end=day_start_ms(end_exclusive)),
        }
        out += [r for page in client.paginate_offset("leadFormResponses", params, PAGE_SIZE) for r in page]
    return out
