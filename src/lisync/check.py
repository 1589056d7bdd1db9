"""`lisync check` as a library: can this token run the selected pipelines? Scopes, roles, one probe per family.

Two sources of truth, combined:

* token introspection (``/oauth/v2/introspectToken``, needs the app's client id and secret): whether the
  token is active, when it expires and which scopes it holds;
* one cheap API call per endpoint family, made with the token itself, which also works for a token pasted
  from the developer portal and catches what introspection cannot (member roles, a product LinkedIn
  revoked):

  ===================  ================================================================  ======================
  family               probe                                                             needs
  ===================  ================================================================  ======================
  ``ads``              ``adAccounts?q=search&pageSize=1``, then                          r_ads or rw_ads
                       ``adAccountUsers?q=authenticatedUser`` (the member's account roles)
  ``reporting``        ``adAnalytics?q=analytics`` for one account, one day, one metric   r_ads_reporting
  ``org_acls``         ``organizationAcls?q=roleAssignee`` (the member's page roles)       any organization scope
  ``page_statistics``  ``organizationPageStatistics?q=organization`` (lifetime) for one page  rw_organization_admin
  ``posts``            ``posts?q=author&count=1`` for one page                            r_organization_social
  ===================  ================================================================  ======================

A 403 on a probe means the scope is missing (the probes run on pages where the member's role is already
confirmed), a 401 that survives a refresh means the token is dead. Each finding becomes a
:class:`Problem` with the fix, attached to the pipelines it blocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from lisync.linkedin.auth import AuthError, TokenInfo
from lisync.linkedin.client import LinkedInClient
from lisync.linkedin.errors import AccessDeniedError, LinkedInAPIError, LinkedInError, UnauthorizedError
from lisync.linkedin.restli import RawValue, date_range, restli_list, urn, urn_id
from lisync.linkedin.scopes import (
    AD_ACCOUNT_ROLES,
    ORGANIZATION_ROLE,
    ORGANIZATION_ROLE_STATE,
    PIPELINE_ACCESS,
    describe_need,
)

__all__ = ["CheckReport", "PipelineCheck", "ProbeResult", "Problem", "check_access", "identify_member"]

TProbeStatus = Literal["ok", "denied", "unauthorized", "skipped", "error"]

ADS_PIPELINES = frozenset({"ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata",
                           "conversion_details", "ad_performance", "conversion_performance"})
REPORTING_PIPELINES = frozenset({"ad_performance", "conversion_performance"})
PAGE_PIPELINES = frozenset({"organization_pages", "organization_posts"})
POST_PIPELINES = frozenset({"organization_posts"})

# The scopes each probe proves (or disproves); a pipeline need is judged by the probe that covers it.
PROBE_SCOPES: dict[str, frozenset[str]] = {
    "ads": frozenset({"r_ads", "rw_ads"}),
    "reporting": frozenset({"r_ads_reporting"}),
    "page_statistics": frozenset({"rw_organization_admin", "r_organization_admin"}),
    "posts": frozenset({"r_organization_social"}),
}
# The LinkedIn developer-portal product that grants each scope (an app can only request those).
PRODUCT_FOR_SCOPE: dict[str, str] = {
    "r_ads": "Advertising API", "rw_ads": "Advertising API", "r_ads_reporting": "Advertising API",
    "rw_organization_admin": "Community Management API", "r_organization_admin": "Community Management API",
    "r_organization_social": "Community Management API",
}
ACL_PAGE_SIZE = 100
ANALYTICS_PROBE_DAYS_BACK = 7
FINDER_HEADERS = {"X-RestLi-Method": "FINDER"}


@dataclass(frozen=True)
class Problem:
    """One reason a pipeline cannot run, with what to do about it.

    Attributes:
        what: Short description, e.g. ``missing scope r_ads_reporting``.
        fix: The fix, e.g. ``re-run `lisync auth login` — it requests scope r_ads_reporting``.

    """

    what: str
    fix: str


@dataclass(frozen=True)
class ProbeResult:
    """The outcome of one endpoint-family probe.

    Attributes:
        family: ``ads``, ``reporting``, ``org_acls``, ``page_statistics`` or ``posts``.
        status: ``ok``, ``denied`` (403), ``unauthorized`` (401 after any refresh), ``skipped`` or ``error``.
        detail: Why it was skipped or what LinkedIn said (never a token).

    """

    family: str
    status: TProbeStatus
    detail: str = ""


@dataclass
class PipelineCheck:
    """The verdict for one pipeline.

    Attributes:
        pipeline: Pipeline name.
        problems: What blocks it (empty when it can run).

    """

    pipeline: str
    problems: list[Problem] = field(default_factory=list)

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
    return f"re-run `lisync auth login` — it requests scope {scope}{app_note}"


def _probe(family: str, call: Callable[[], Any]) -> tuple[ProbeResult, Any]:
    try:
        return ProbeResult(family, "ok"), call()
    except UnauthorizedError as exc:
        return ProbeResult(family, "unauthorized", exc.api_message or exc.code or "401"), None
    except AccessDeniedError as exc:
        return ProbeResult(family, "denied", exc.api_message or "403"), None
    except (LinkedInError, AuthError) as exc:
        return ProbeResult(family, "error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__), None


# --------------------------------------------------------------------------------------------- ad side


def _ad_account_roles(client: LinkedInClient) -> tuple[dict[str, str], str | None]:
    """Return ``{account id: role}`` of the member and the member URN, from ``adAccountUsers``."""
    body = client.get("adAccountUsers", {"q": "authenticatedUser"})
    roles: dict[str, str] = {}
    member = None
    for element in body.get("elements") or []:
        if not isinstance(element, dict):
            continue
        account_id = urn_id(element.get("account"))
        if account_id:
            roles[account_id] = str(element.get("role") or "")
        member = member or element.get("user")
    return roles, member


def _ads_probe(client: LinkedInClient) -> tuple[dict[str, str], str | None]:
    client.get("adAccounts", {"q": "search", "pageSize": 1})
    return _ad_account_roles(client)


def _account_problems(roles: dict[str, str], wanted: list[str] | None) -> list[Problem]:
    readable = {a for a, role in roles.items() if role in AD_ACCOUNT_ROLES}
    if wanted is None:
        if readable:
            return []
        return [Problem("no ad account role",
                        "ask an admin of your company's ad account to add you in Campaign Manager "
                        "(VIEWER is enough), or sign in as a member who has one")]
    problems = []
    for account_id in wanted:
        if account_id not in readable:
            problems.append(Problem(f"no role on ad account {account_id}",
                                    f"ask an admin of ad account {account_id} to add you in Campaign Manager "
                                    "(VIEWER is enough), or fix --accounts"))
    return problems


def _reporting_probe(client: LinkedInClient, account_id: str, today: dt.date) -> Any:
    day = today - dt.timedelta(days=ANALYTICS_PROBE_DAYS_BACK)
    params = [("q", "analytics"), ("pivot", "ACCOUNT"), ("timeGranularity", "ALL"),
              ("dateRange", date_range(day, day)),
              ("accounts", restli_list([urn("sponsoredAccount", account_id)])),
              ("fields", RawValue("impressions,dateRange,pivotValues"))]
    return client.get("adAnalytics", params)


# --------------------------------------------------------------------------------------- organic side


@dataclass(frozen=True)
class _OrgRole:
    org_id: str
    role: str
    state: str


def _organization_roles(client: LinkedInClient) -> tuple[list[_OrgRole], str | None]:
    roles: list[_OrgRole] = []
    member = None
    for page in client.paginate_offset("organizationAcls", {"q": "roleAssignee"}, ACL_PAGE_SIZE):
        for acl in page:
            target = acl.get("organization") or acl.get("organizationTarget")
            org_id = urn_id(target) if isinstance(target, str) and target.startswith("urn:li:organization:") \
                else None
            if org_id:
                roles.append(_OrgRole(org_id, str(acl.get("role") or ""), str(acl.get("state") or "")))
            member = member or acl.get("roleAssignee")
    return roles, member


def _administered(roles: list[_OrgRole]) -> list[str]:
    out: list[str] = []
    for r in roles:
        if r.role == ORGANIZATION_ROLE and r.state == ORGANIZATION_ROLE_STATE and r.org_id not in out:
            out.append(r.org_id)
    return out


def _organization_problems(roles: list[_OrgRole], wanted: list[str] | None) -> list[Problem]:
    administered = _administered(roles)
    if wanted is None:
        if administered:
            return []
        return [Problem("administers no organization page",
                        f"ask a super admin of your company page to grant you {ORGANIZATION_ROLE} on it "
                        "(Page admin tools → Manage admins)")]
    problems = []
    for org_id in wanted:
        if org_id in administered:
            continue
        held = [r for r in roles if r.org_id == org_id]
        if held:
            now = ", ".join(f"{r.role} ({r.state})" for r in held)
            what = f"not {ORGANIZATION_ROLE} on organization {org_id} (you are {now})"
        else:
            what = f"no role on organization {org_id}"
        problems.append(Problem(what, f"ask a page super admin to grant you {ORGANIZATION_ROLE} on "
                                      f"organization {org_id}, or fix --organizations"))
    return problems


def _page_statistics_probe(client: LinkedInClient, org_id: str) -> Any:
    return client.get("organizationPageStatistics", {"q": "organization", "organization": urn("organization", org_id)})


def _posts_probe(client: LinkedInClient, org_id: str) -> Any:
    params = {"q": "author", "author": urn("organization", org_id), "count": 1}
    return client.get("posts", params, headers=FINDER_HEADERS)


# ---------------------------------------------------------------------------------------------- check


def _families(pipelines: Iterable[str]) -> set[str]:
    chosen = set(pipelines)
    families = set()
    if chosen & ADS_PIPELINES:
        families.add("ads")
    if chosen & REPORTING_PIPELINES:
        families.add("reporting")
    if chosen & PAGE_PIPELINES:
        families |= {"org_acls", "page_statistics"}
    if chosen & POST_PIPELINES:
        families.add("posts")
    return families


def check_access(client: LinkedInClient, pipelines: list[str], *, account_ids: list[str] | None = None,
                 organization_ids: list[str] | None = None,
                 introspect: Callable[[], TokenInfo | None] | None = None,
                 today: dt.date | None = None) -> CheckReport:
    """Probe LinkedIn with the client's token and judge each pipeline.

    Args:
        client: A client holding the token to check (its provider may refresh on a 401).
        pipelines: Pipelines to judge.
        account_ids: The *Accounts* filter (``None``: every account with a role).
        organization_ids: The *Organizations* filter (``None``: every administered page).
        introspect: Returns the token's introspection answer, or ``None`` when it cannot; called after the
            probes, which may have renewed the token. An active answer adds scope checks and the expiry.
        today: The date the analytics probe counts back from (default: today, UTC).

    Returns:
        The report; ``report.ok`` is ``False`` when a pipeline cannot run.

    """
    today = today or dt.datetime.now(dt.UTC).date()
    report = CheckReport(pipelines=[PipelineCheck(p) for p in pipelines])
    families = _families(pipelines)
    probes = report.probes

    account_roles: dict[str, str] = {}
    if "ads" in families:
        probes["ads"], answer = _probe("ads", lambda: _ads_probe(client))
        if answer is not None:
            account_roles, report.member = answer
    if "reporting" in families:
        readable = [a for a, role in account_roles.items() if role in AD_ACCOUNT_ROLES]
        # The scope is what is probed, so any account with a role will do when the wanted ones have none.
        target = next((a for a in [*(account_ids or []), *readable] if a in readable), None)
        if probes["ads"].status != "ok":
            probes["reporting"] = ProbeResult("reporting", "skipped", "the ad account probe failed")
        elif target is None:
            probes["reporting"] = ProbeResult("reporting", "skipped", "no ad account to ask about")
        else:
            probes["reporting"], _ = _probe("reporting", lambda: _reporting_probe(client, target, today))

    org_roles: list[_OrgRole] = []
    if "org_acls" in families:
        probes["org_acls"], answer = _probe("org_acls", lambda: _organization_roles(client))
        if answer is not None:
            org_roles, member = answer
            report.member = report.member or member
        administered = _administered(org_roles)
        target_org = next((o for o in [*(organization_ids or []), *administered] if o in administered), None)
        page_families = ["page_statistics"] + (["posts"] if "posts" in families else [])
        for family in page_families:
            if probes["org_acls"].status == "denied":
                # organizationAcls accepts any organization scope: a 403 there means none of them.
                probes[family] = ProbeResult(family, "denied", "organizationAcls answered 403")
            elif probes["org_acls"].status != "ok":
                probes[family] = ProbeResult(family, "skipped", "the organization role probe failed")
            elif target_org is None:
                probes[family] = ProbeResult(family, "skipped", "no administered organization to ask about")
            elif family == "page_statistics":
                probes[family], _ = _probe(family, partial(_page_statistics_probe, client, target_org))
            else:
                probes[family], _ = _probe(family, partial(_posts_probe, client, target_org))

    report.token = introspect() if introspect is not None else None
    token_info = report.token
    granted = token_info.scopes if token_info is not None and token_info.active and token_info.scopes else None
    if token_info is not None and not token_info.active:
        report.notes.append(f"LinkedIn's introspection calls the token {token_info.status or 'inactive'} for this "
                            "app (a token of another app looks the same); judged by the probes alone.")
    for verdict in report.pipelines:
        _judge(verdict, probes, granted, account_roles, account_ids, org_roles, organization_ids)
    return report


def _judge(verdict: PipelineCheck, probes: dict[str, ProbeResult], granted: frozenset[str] | None,
           account_roles: dict[str, str], account_ids: list[str] | None, org_roles: list[_OrgRole],
           organization_ids: list[str] | None) -> None:
    name = verdict.pipeline
    relevant = [probes[f] for f in _families([name]) if f in probes]
    if any(p.status == "unauthorized" for p in relevant):
        verdict.add(Problem("token rejected (expired, revoked or invalid)",
                            "run `lisync auth login` (or pass a valid --access-token)"))
        return
    for need in PIPELINE_ACCESS[name].needs:
        scope = describe_need(need).split(" or ")[0]
        denied = any(probes.get(f, ProbeResult(f, "skipped")).status == "denied"
                     for f, covered in PROBE_SCOPES.items() if covered & need and f in _families([name]))
        if denied or (granted is not None and not need & granted):
            verdict.add(Problem(f"missing scope {describe_need(need)}", scope_fix(scope)))
    if name in ADS_PIPELINES and probes.get("ads", ProbeResult("ads", "skipped")).status == "ok":
        for problem in _account_problems(account_roles, account_ids):
            verdict.add(problem)
    if name in PAGE_PIPELINES and probes.get("org_acls", ProbeResult("org_acls", "skipped")).status == "ok":
        for problem in _organization_problems(org_roles, organization_ids):
            verdict.add(problem)
    for probe in relevant:
        if probe.status == "error":
            verdict.add(Problem(f"could not check {probe.family}: {probe.detail}",
                                "try again later; if it persists, check --api-base-url and the network"))


def identify_member(client: LinkedInClient, scopes: Iterable[str]) -> str | None:
    """Return the member URN the token acts for, using whichever read scope the token has, else ``None``.

    LinkedIn names the member in ``adAccountUsers?q=authenticatedUser`` (``user``) and in
    ``organizationAcls?q=roleAssignee`` (``roleAssignee``), so no profile scope is needed.
    """
    have = set(scopes)
    try:
        if have & PROBE_SCOPES["ads"]:
            _, member = _ad_account_roles(client)
            if member:
                return str(member)
        if have & (PROBE_SCOPES["page_statistics"] | PROBE_SCOPES["posts"]):
            body = client.get("organizationAcls", {"q": "roleAssignee", "start": 0, "count": 1})
            for acl in body.get("elements") or []:
                if isinstance(acl, dict) and acl.get("roleAssignee"):
                    return str(acl["roleAssignee"])
    except (LinkedInAPIError, LinkedInError, AuthError):
        return None
    return None
