"""The probes behind `lisync check`: one cheap LinkedIn call per endpoint family, and the member's roles they show.

Each probe runs with the token under check. The ad side reads the member's ad account roles
(``adAccountUsers``) and asks ``adAnalytics`` about one account; the organic side reads the member's page
roles (``organizationAcls``) and asks ``organizationPageStatistics`` and ``posts`` about one administered page.
The role findings become :class:`~lisync.check.report.Problem` values with the fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lisync.check.report import ProbeResult, Problem
from lisync.linkedin.auth.oauth import AuthError
from lisync.linkedin.auth.scopes import AD_ACCOUNT_ROLES, ORGANIZATION_ROLE, ORGANIZATION_ROLE_STATE
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import AccessDeniedError, LinkedInError, UnauthorizedError
from lisync.linkedin.http.restli import RawValue, date_range, restli_list, restli_record, urn, urn_id

__all__ = ["ACL_PAGE_SIZE", "ANALYTICS_PROBE_DAYS_BACK", "FINDER_HEADERS", "LEAST_AD_ACCOUNT_ROLE", "OrgRole",
           "account_problems", "ad_account_roles", "administered", "ads_probe", "organization_problems",
           "organization_roles", "page_statistics_probe", "posts_probe", "probe", "reporting_probe"]

ACL_PAGE_SIZE = 100
ANALYTICS_PROBE_DAYS_BACK = 7
FINDER_HEADERS = {"X-RestLi-Method": "FINDER"}
LEAST_AD_ACCOUNT_ROLE = "VIEWER"  # any role in AD_ACCOUNT_ROLES can read; this is the least of them


def probe(family: str, call: Callable[[], Any]) -> tuple[ProbeResult, Any]:
    """Run one probe call and classify how it went.

    Args:
        family: The endpoint family the call probes.
        call: The call; its answer is returned when it succeeds.

    Returns:
        ``(result, answer)``; ``answer`` is ``None`` unless ``result.status`` is ``ok``.

    """
    try:
        return ProbeResult(family, "ok"), call()
    except UnauthorizedError as exc:
        return ProbeResult(family, "unauthorized", exc.api_message or exc.code or "401"), None
    except AccessDeniedError as exc:
        return ProbeResult(family, "denied", exc.api_message or "403"), None
    except (LinkedInError, AuthError) as exc:
        return ProbeResult(family, "error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__), None


# --------------------------------------------------------------------------------------------- ad side


def ad_account_roles(client: LinkedInClient) -> tuple[dict[str, str], str | None]:
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


def ads_probe(client: LinkedInClient) -> tuple[dict[str, str], str | None]:
    """Probe the ads family (one ``adAccounts`` search), then return :func:`ad_account_roles`."""
    client.get("adAccounts", {"q": "search", "pageSize": 1})
    return ad_account_roles(client)


def account_problems(roles: dict[str, str], wanted: list[str] | None) -> list[Problem]:
    """Return what the member's ad account ``roles`` lack for the ``wanted`` accounts (``None``: any account)."""
    readable = {a for a, role in roles.items() if role in AD_ACCOUNT_ROLES}
    if wanted is None:
        if readable:
            return []
        return [Problem("no ad account role",
                        "ask an admin of your company's ad account to add you in Campaign Manager "
                        "(VIEWER is enough), or sign in as a member who has one",
                        kind="role", role=LEAST_AD_ACCOUNT_ROLE, target="ad_account")]
    problems = []
    for account_id in wanted:
        if account_id not in readable:
            problems.append(Problem(f"no role on ad account {account_id}",
                                    f"ask an admin of ad account {account_id} to add you in Campaign Manager "
                                    "(VIEWER is enough), or fix --accounts",
                                    kind="role", role=LEAST_AD_ACCOUNT_ROLE, target="ad_account",
                                    target_id=account_id))
    return problems


def reporting_probe(client: LinkedInClient, account_id: str, today: dt.date) -> Any:
    """Probe the reporting family: ``adAnalytics`` for one account, one day, one metric."""
    day = today - dt.timedelta(days=ANALYTICS_PROBE_DAYS_BACK)
    params = [("q", "analytics"), ("pivot", "ACCOUNT"), ("timeGranularity", "ALL"),
              ("dateRange", date_range(day, day)),
              ("accounts", restli_list([urn("sponsoredAccount", account_id)])),
              ("fields", RawValue("impressions,dateRange,pivotValues"))]
    return client.get("adAnalytics", params)


# --------------------------------------------------------------------------------------- organic side


@dataclass(frozen=True)
class OrgRole:
    """One of the member's organization roles, as ``organizationAcls`` lists it."""

    org_id: str
    role: str
    state: str


def organization_roles(client: LinkedInClient) -> tuple[list[OrgRole], str | None]:
    """Return the member's organization roles and the member URN, from ``organizationAcls?q=roleAssignee``."""
    roles: list[OrgRole] = []
    member = None
    for page in client.paginate_offset("organizationAcls", {"q": "roleAssignee"}, ACL_PAGE_SIZE):
        for acl in page:
            target = acl.get("organization") or acl.get("organizationTarget")
            org_id = urn_id(target) if isinstance(target, str) and target.startswith("urn:li:organization:") \
                else None
            if org_id:
                roles.append(OrgRole(org_id, str(acl.get("role") or ""), str(acl.get("state") or "")))
            member = member or acl.get("roleAssignee")
    return roles, member


def administered(roles: list[OrgRole]) -> list[str]:
    """Return the ids of the organizations the member is an approved administrator of, in order."""
    out: list[str] = []
    for r in roles:
        if r.role == ORGANIZATION_ROLE and r.state == ORGANIZATION_ROLE_STATE and r.org_id not in out:
            out.append(r.org_id)
    return out


def lacking_role_text(roles: list[OrgRole], org_id: str, lacking: str) -> str:
    """Say what the member lacks on a page and which roles it holds there instead.

    Args:
        roles: The member's organization roles.
        org_id: The page.
        lacking: What is missing, e.g. ``"not ADMINISTRATOR"`` or ``"no lead role"``.

    Returns:
        ``"<lacking> on organization N (you are ROLE (STATE), …)"``, or ``"no role on organization N"``.
    """
    held = [r for r in roles if r.org_id == org_id]
    if not held:
        return f"no role on organization {org_id}"
    now = ", ".join(f"{r.role} ({r.state})" for r in held)
    return f"{lacking} on organization {org_id} (you are {now})"


def organization_problems(roles: list[OrgRole], wanted: list[str] | None) -> list[Problem]:
    """Return what the member's organization ``roles`` lack for the ``wanted`` pages (``None``: any page)."""
    pages = administered(roles)
    if wanted is None:
        if pages:
            return []
        return [Problem("administers no organization page",
                        f"ask a super admin of your company page to grant you {ORGANIZATION_ROLE} on it "
                        "(Page admin tools → Manage admins)",
                        kind="role", role=ORGANIZATION_ROLE, target="organization")]
    problems = []
    for org_id in wanted:
        if org_id in pages:
            continue
        what = lacking_role_text(roles, org_id, f"not {ORGANIZATION_ROLE}")
        problems.append(Problem(what, f"ask a page super admin to grant you {ORGANIZATION_ROLE} on "
                                      f"organization {org_id}, or fix --organizations",
                                kind="role", role=ORGANIZATION_ROLE, target="organization", target_id=org_id))
    return problems


def page_statistics_probe(client: LinkedInClient, org_id: str) -> Any:
    """Probe the page_statistics family: lifetime ``organizationPageStatistics`` of one page."""
    return client.get("organizationPageStatistics", {"q": "organization", "organization": urn("organization", org_id)})


def leads_probe(client: LinkedInClient, account_id: str) -> Any:
    """Probe the Lead Sync family: one lead form of one ad account (``leadForms?q=owner``)."""
    owner = restli_record(sponsoredAccount=urn("sponsoredAccount", account_id))
    return client.get("leadForms", {"q": "owner", "owner": owner, "count": 1})


def posts_probe(client: LinkedInClient, org_id: str) -> Any:
    """Probe the posts family: one post of one page (``posts?q=author``)."""
    params = {"q": "author", "author": urn("organization", org_id), "count": 1}
    return client.get("posts", params, headers=FINDER_HEADERS)
