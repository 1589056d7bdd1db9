"""Lead Sync endpoints: ``leadForms`` and ``leadFormResponses`` (finder ``q=owner`` and GET by id).

Behaviour from LinkedIn's Lead Sync docs (learn.microsoft.com/linkedin/marketing/lead-sync/leadsync) and
the official Lead Sync Postman collection:

* Both need ``r_marketing_leadgen_automation`` (403 ACCESS_DENIED without it), plus a role on the owner:
  an ad account the member can read (``owner=(sponsoredAccount:urn:li:sponsoredAccount:N)``) or an
  organization it administers (``owner=(organization:urn:li:organization:N)``).
* ``leadForms?q=owner&owner=...`` pages with ``start``/``count`` (default 10, chosen maximum 1000).
* ``leadFormResponses?q=owner&owner=...&leadType=(leadType:SPONSORED)`` also takes
  ``versionedLeadGenFormUrn=urn:li:versionedLeadGenForm:(urn:li:leadGenForm:N,V)``,
  ``submittedAtTimeRange=(start:ms,end:ms)`` (start inclusive, end exclusive; either may be left out) and
  ``limitedToTestLeads=true|false``; newest first, ``start``/``count`` paging with ``paging.total``.
  ``leadType`` is required (chosen: every documented request sends it); SPONSORED goes with an ad account
  owner, the organic types (EVENT, COMPANY, ORGANIZATION_PRODUCT) with an organization owner.
* Responses are kept 365 days (the Postman collection: "LinkedIn will store form response (lead) data for
  up to 365 days"); older ones are gone.
* ``fields=a,b,c`` projects top-level fields of each element (``form:(...)`` style sub-projections keep the
  whole field).
"""

from __future__ import annotations

from typing import Any

from lisync.sandbox.errors import RestliError, access_denied
from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.http.restli import first_value
from lisync.sandbox.leads import LeadsWorld
from lisync.sandbox.routes.ads.access import visible_account
from lisync.sandbox.routes.ads.params import bad_request, parse_bool, parse_int

LEADGEN_SCOPES = (frozenset({"r_marketing_leadgen_automation"}),)
LEAD_TYPES = ("SPONSORED", "EVENT", "COMPANY", "ORGANIZATION_PRODUCT")
MAX_COUNT = 1000
DEFAULT_COUNT = 10
_FORM_ROLES = ("ADMINISTRATOR", "LEAD_GEN_FORMS_MANAGER")
_VERSIONED_PREFIX = "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:"


def _leads(req: SandboxRequest) -> LeadsWorld:
    leads: LeadsWorld = req.world.leads
    return leads


def _owner(req: SandboxRequest, resource: str) -> tuple[str, str]:
    """Return ``(owner kind, owner URN)`` after checking the member may read that owner."""
    raw = first_value(req.query.get("owner"))
    if raw is None:
        raise bad_request("Parameter 'owner' is required")
    if not isinstance(raw, dict) or len(raw) != 1:
        raise bad_request(f"Invalid value for 'owner': use (sponsoredAccount:urn:li:sponsoredAccount:N) or "
                          f"(organization:urn:li:organization:N), got {raw!r}")
    kind, urn = next(iter(raw.items()))
    prefix = {"sponsoredAccount": "urn:li:sponsoredAccount:", "organization": "urn:li:organization:"}.get(kind)
    if prefix is None or not isinstance(urn, str) or not urn.startswith(prefix) or not urn[len(prefix):].isdigit():
        raise RestliError(400, f"Invalid URN '{urn}' for 'owner.{kind}'", code="INVALID_URN_TYPE")
    owner_id = int(urn[len(prefix):])
    if kind == "sponsoredAccount":
        visible_account(req, owner_id, resource)
    else:
        organic = req.world.organic
        grant = req.grant
        org_ids = grant.organization_ids if grant is not None else None
        if organic.organization(owner_id) is None or organic.member_role(owner_id, org_ids) not in _FORM_ROLES:
            raise access_denied(resource, "FINDER", req.version)
    return kind, urn


def _paged(req: SandboxRequest, items: list[dict[str, Any]]) -> SandboxResponse:
    start = parse_int(first_value(req.query.get("start")) or "0", "start")
    raw_count = first_value(req.query.get("count"))
    count = DEFAULT_COUNT if raw_count is None else parse_int(raw_count, "count", minimum=1)
    if count > MAX_COUNT:
        raise bad_request(f"Specified count is larger than {MAX_COUNT}")
    page = [_project(req, e) for e in items[start : start + count]]
    return SandboxResponse({"elements": page,
                            "paging": {"count": count, "links": [], "start": start, "total": len(items)}})


def _project(req: SandboxRequest, element: dict[str, Any]) -> dict[str, Any]:
    raw = first_value(req.query.get("fields"))
    if not isinstance(raw, str) or not raw:
        return element
    names = set()
    depth = 0
    current = ""
    for char in raw:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            names.add(current.split(":", 1)[0])
            current = ""
            continue
        if depth == 0 and char not in "()":
            current += char
    names.add(current.split(":", 1)[0])
    return {k: v for k, v in element.items() if k in names}


def lead_forms_of_owner(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/leadForms?q=owner&owner=(sponsoredAccount:urn...)`` with start/count paging."""
    _, owner_urn = _owner(req, "leadForms")
    return _paged(req, _leads(req).forms_of(owner_urn))


def get_lead_form(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/leadForms/{id}``: the form's latest version, if the member may read its owner."""
    form_id = parse_int(req.path_params["form_id"], "id")
    form = _leads(req).form(form_id)
    if form is None:
        raise RestliError(404, f"Lead form {form_id} does not exist")
    _check_owner(req, form["owner"], "leadForms")
    return SandboxResponse(_project(req, form))


def _check_owner(req: SandboxRequest, owner: dict[str, str], resource: str) -> None:
    kind, urn = next(iter(owner.items()))
    req.query = {**req.query, "owner": {kind: urn}}
    _owner(req, resource)


def _lead_type(req: SandboxRequest, owner_kind: str) -> str:
    raw = first_value(req.query.get("leadType"))
    if raw is None:
        raise bad_request("Parameter 'leadType' is required")
    value = raw.get("leadType") if isinstance(raw, dict) else raw
    if value not in LEAD_TYPES:
        raise bad_request(f"Invalid value '{value}' for 'leadType': use one of {', '.join(LEAD_TYPES)}")
    if (value == "SPONSORED") != (owner_kind == "sponsoredAccount"):
        raise bad_request(f"leadType {value} is not supported for an owner of type {owner_kind}")
    return str(value)


def _time_range(req: SandboxRequest) -> tuple[int | None, int | None]:
    raw = first_value(req.query.get("submittedAtTimeRange"))
    if raw is None:
        return None, None
    if not isinstance(raw, dict) or not set(raw) <= {"start", "end"}:
        raise bad_request(f"Invalid value for 'submittedAtTimeRange': use (start:<epoch ms>,end:<epoch ms>), "
                          f"got {raw!r}")
    start = parse_int(raw["start"], "submittedAtTimeRange.start") if "start" in raw else None
    end = parse_int(raw["end"], "submittedAtTimeRange.end") if "end" in raw else None
    if start is not None and end is not None and start > end:
        raise bad_request("Invalid 'submittedAtTimeRange': start must not be after end")
    return start, end


def _form_version(req: SandboxRequest) -> tuple[int, int] | None:
    raw = first_value(req.query.get("versionedLeadGenFormUrn"))
    if raw is None:
        return None
    text = str(raw)
    if not text.startswith(_VERSIONED_PREFIX) or not text.endswith(")"):
        raise RestliError(400, f"Invalid URN '{text}' for 'versionedLeadGenFormUrn': expected "
                               "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:<id>,<version>)",
                          code="INVALID_URN_TYPE")
    form_text, _, version_text = text[len(_VERSIONED_PREFIX):-1].partition(",")
    return parse_int(form_text, "versionedLeadGenFormUrn"), parse_int(version_text, "versionedLeadGenFormUrn")


def lead_form_responses_of_owner(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/leadFormResponses?q=owner&owner=...&leadType=(leadType:X)`` with the documented filters."""
    kind, owner_urn = _owner(req, "leadFormResponses")
    lead_type = _lead_type(req, kind)
    start, end = _time_range(req)
    version = _form_version(req)
    test_only = parse_bool(first_value(req.query.get("limitedToTestLeads")), "limitedToTestLeads")
    wanted_urn = (f"{_VERSIONED_PREFIX}{version[0]},{version[1]})" if version else None)
    items = [
        r for r in _leads(req).responses_of(owner_urn)
        if r["leadType"] == lead_type
        and (start is None or r["submittedAt"] >= start)
        and (end is None or r["submittedAt"] < end)
        and (wanted_urn is None or r["versionedLeadGenFormUrn"] == wanted_urn)
        and (not test_only or r["testLead"])
    ]
    return _paged(req, items)


def get_lead_form_response(req: SandboxRequest) -> SandboxResponse:
    """``GET /rest/leadFormResponses/{id}``: one response, if the member may read its owner."""
    response_id = req.path_params["response_id"]
    found = _leads(req).response(response_id)
    if found is None:
        raise RestliError(404, f"Lead form response {response_id} does not exist")
    _check_owner(req, found["owner"], "leadFormResponses")
    return SandboxResponse(_project(req, found))


# The endpoints this module answers, in the order of the route table.
ROUTES: tuple[Route, ...] = (
    Route("GET", "/leadForms", "owner", lead_forms_of_owner, "leadForms", scopes=LEADGEN_SCOPES),
    Route("GET", "/leadForms/{form_id}", None, get_lead_form, "leadForms", scopes=LEADGEN_SCOPES),
    Route("GET", "/leadFormResponses", "owner", lead_form_responses_of_owner, "leadFormResponses",
          scopes=LEADGEN_SCOPES),
    Route("GET", "/leadFormResponses/{response_id}", None, get_lead_form_response, "leadFormResponses",
          scopes=LEADGEN_SCOPES),
)
