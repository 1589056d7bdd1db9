"""What `lisync check` finds, as data: problems with their fix, probe outcomes, per-pipeline verdicts, the report.

:func:`report_document` turns a :class:`CheckReport` into the JSON document ``lisync check --json`` prints.
It carries who the token acts for and when it expires, never the token or a client secret.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from lisync.linkedin.auth.oauth import TokenInfo

__all__ = ["PRODUCT_FOR_SCOPE", "CheckReport", "OrganizationLeads", "PipelineCheck", "ProbeResult", "Problem",
           "report_document", "scope_fix"]

TProbeStatus = Literal["ok", "denied", "unauthorized", "skipped", "error"]
TProblemKind = Literal["scope", "role", "token", "error", "other"]
TOrganizationLeadsStatus = Literal["ok", "none", "unknown", "denied"]

# The LinkedIn developer-portal product that grants each scope (an app can only request those).
PRODUCT_FOR_SCOPE: dict[str, str] = {
    "r_ads": "Advertising API", "rw_ads": "Advertising API", "r_ads_reporting": "Advertising API",
    "rw_organization_admin": "Community Management API", "r_organization_admin": "Community Management API",
    "r_organization_social": "Community Management API",
    "r_marketing_leadgen_automation": "Lead Sync API",
}

# Scopes of products LinkedIn approves one by one: the fix names the pipelines to sign in for (the default sign-in
# leaves them out, see lisync.linkedin.auth.scopes.OPT_IN_PIPELINES).
SEPARATELY_APPROVED: dict[str, tuple[str, ...]] = {
    "r_marketing_leadgen_automation": ("lead_forms", "lead_form_responses"),
}


@dataclass(frozen=True)
class Problem:
    """One reason a pipeline cannot run, with what to do about it.

    Attributes:
        what: Short description, e.g. ``missing scope r_ads_reporting``.
        fix: The fix, e.g. ``re-run `lisync auth login` — it requests scope r_ads_reporting``.
        kind: ``scope`` (the token lacks a scope), ``role`` (the member lacks a role), ``token`` (the token
            is rejected), ``error`` (a probe could not tell) or ``other``.
        scopes: For ``scope``: the scopes any one of which satisfies the need, the one to request first.
        role: For ``role``: the member role that is needed (``VIEWER`` on an ad account is the least).
        target: For ``role``: ``ad_account`` or ``organization``.
        target_id: For ``role``: the account or organization id; empty when the member has none at all.

    """

    what: str
    fix: str
    kind: TProblemKind = "other"
    scopes: tuple[str, ...] = ()
    role: str = ""
    target: str = ""
    target_id: str = ""


@dataclass(frozen=True)
class ProbeResult:
    """The outcome of one endpoint-family probe.

    Attributes:
        family: ``ads``, ``reporting``, ``org_acls``, ``page_statistics``, ``posts``, ``leads`` or ``lead_orgs``.
        status: ``ok``, ``denied`` (403), ``unauthorized`` (401 after any refresh), ``skipped`` or ``error``.
        detail: Why it was skipped or what LinkedIn said (never a token).

    """

    family: str
    status: TProbeStatus
    detail: str = ""


@dataclass(frozen=True)
class OrganizationLeads:
    """Which organizations' leads the lead pipelines can read; they read the ad accounts' leads either way.

    Attributes:
        status: ``ok`` (pages with a lead role; one answered its lead forms), ``none`` (no page with an approved
            ADMINISTRATOR or LEAD_GEN_FORMS_MANAGER role), ``unknown`` (the member's page roles could not be
            listed) or ``denied`` (LinkedIn refused a page's lead forms despite the role).
        organizations: ``(id, role)`` of the pages whose leads are read, in order.
        detail: What was found, in one sentence (empty when ``ok``).
        fix: How to read organizations' leads (empty when ``ok``).

    """

    status: TOrganizationLeadsStatus
    organizations: tuple[tuple[str, str], ...] = ()
    detail: str = ""
    fix: str = ""


@dataclass
class PipelineCheck:
    """The verdict for one pipeline.

    Attributes:
        pipeline: Pipeline name.
        problems: What blocks it (empty when it can run).
        organization_leads: For the lead pipelines: whose organization leads they read (blocks nothing).

    """

    pipeline: str
    problems: list[Problem] = field(default_factory=list)
    organization_leads: OrganizationLeads | None = None

    @property
    def ready(self) -> bool:
        """Whether nothing blocks the pipeline."""
        return not self.problems

    def add(self, problem: Problem) -> None:
        """Record ``problem`` once."""
        if problem not in self.problems:
            self.problems.append(problem)


@dataclass
class CheckReport:
    """Everything ``lisync check`` found.

    Attributes:
        pipelines: One verdict per selected pipeline, in the order given.
        probes: The probes that ran (or were skipped), by family.
        member: The member the token acts for, when a probe revealed it.
        token: The introspection answer, when the client credentials were available.
        notes: Things worth knowing that block nothing (e.g. introspection skipped).

    """

    pipelines: list[PipelineCheck]
    probes: dict[str, ProbeResult] = field(default_factory=dict)
    member: str | None = None
    token: TokenInfo | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every selected pipeline can run."""
        return all(p.ready for p in self.pipelines)


def scope_fix(scope: str) -> str:
    """Return the fix for a missing scope."""
    product = PRODUCT_FOR_SCOPE.get(scope)
    app_note = f" (your LinkedIn app needs the {product} product for it)" if product else ""
    if scope in SEPARATELY_APPROVED:
        return (f"apply for the {product} product for your LinkedIn app (LinkedIn approves it separately), then "
                f"run `lisync auth login {' '.join(SEPARATELY_APPROVED[scope])}` — it requests scope {scope}")
    return f"re-run `lisync auth login` — it requests scope {scope}{app_note}"


def report_document(report: CheckReport, now: dt.datetime) -> dict[str, Any]:
    """Return the report as a JSON-ready dict: the verdicts, the probes, who the token acts for and its expiry.

    Args:
        report: What :func:`lisync.check.access.check_access` found (plus the CLI's notes).
        now: The moment ``expires_in_days`` counts from (UTC).

    Returns:
        ``{"ok", "member", "token", "notes", "pipelines", "probes"}``; ``token`` is ``None`` when the token was
        not introspected. No token or client secret is part of it.

    """
    return {
        "ok": report.ok,
        "member": report.member,
        "token": _token_document(report.token, now),
        "notes": list(report.notes),
        "pipelines": [_pipeline_document(verdict) for verdict in report.pipelines],
        "probes": [{"family": p.family, "status": p.status, "detail": p.detail} for p in report.probes.values()],
    }


def _token_document(info: TokenInfo | None, now: dt.datetime) -> dict[str, Any] | None:
    if info is None:
        return None
    expires = info.expires_at
    return {
        "active": info.active,
        "status": info.status,
        "expires_at": expires.isoformat() if expires else None,
        "expires_in_days": round((expires - now).total_seconds() / 86400, 1) if expires else None,
        "scopes": sorted(info.scopes),
    }


def _pipeline_document(verdict: PipelineCheck) -> dict[str, Any]:
    missing_scopes: list[str] = []
    missing_roles: list[dict[str, str | None]] = []
    for problem in verdict.problems:
        if problem.kind == "scope" and problem.scopes and problem.scopes[0] not in missing_scopes:
            missing_scopes.append(problem.scopes[0])
        elif problem.kind == "role":
            missing_roles.append({"role": problem.role, "target": problem.target, "id": problem.target_id or None})
    document: dict[str, Any] = {
        "name": verdict.pipeline,
        "status": "ok" if verdict.ready else "blocked",
        "missing_scopes": missing_scopes,
        "missing_roles": missing_roles,
        "problems": [_problem_document(problem) for problem in verdict.problems],
    }
    leads = verdict.organization_leads
    if leads is not None:
        document["organization_leads"] = {
            "status": leads.status,
            "organizations": [{"id": org_id, "role": role} for org_id, role in leads.organizations],
            "detail": leads.detail or None,
            "fix": leads.fix or None,
        }
    return document


def _problem_document(problem: Problem) -> dict[str, Any]:
    document: dict[str, Any] = {"kind": problem.kind, "what": problem.what, "fix": problem.fix}
    if problem.kind == "scope":
        document["any_of"] = list(problem.scopes)
    return document
