"""`lisync check`: probe LinkedIn with the run's token, then print the verdicts as a table or as JSON."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lisync.check.access import check_access
from lisync.check.report import CheckReport, OrganizationLeads, report_document
from lisync.check.version import probe_version
from lisync.cli.common import days_left, fail, out, print_warnings
from lisync.config.resolve import build_settings
from lisync.config.tokens import (
    TranslatingProvider,
    linkedin_secret,
    linkedin_setting,
    oauth_base_url,
    run_token_provider,
)
from lisync.errors import LisyncError
from lisync.linkedin.auth.oauth import AuthError, TokenInfo, introspect_token, utc_now
from lisync.linkedin.auth.scopes import OPT_IN_PIPELINES
from lisync.linkedin.auth.tokens import RefreshingTokenProvider
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.version import DEFAULT_API_VERSION
from lisync.linkedin.leads.fetch import LEADGEN_SCOPE

__all__ = ["TABLE_WIDTH", "check_command"]

TABLE_WIDTH = 240  # wide enough that a fix is never wrapped mid-sentence when output is not a terminal


def _introspect(provider: TranslatingProvider, token: str) -> tuple[TokenInfo | None, str | None]:
    """Return ``(TokenInfo or None, note)``: introspection needs the app's client id and secret."""
    inner = provider.inner
    client_id, client_secret = linkedin_setting("client_id"), linkedin_secret("client_secret")
    base = oauth_base_url()
    if isinstance(inner, RefreshingTokenProvider) and inner.credentials.client_secret:
        creds = inner.credentials
        client_id, client_secret, base = creds.client_id, creds.client_secret, creds.auth_base_url
    if not (client_id and client_secret):
        return None, ("Token introspection skipped (needs the app's client id and secret: sign in with "
                      "`lisync auth login` or set sources.linkedin.client_id/client_secret); probes only.")
    try:
        return introspect_token(base, client_id, client_secret, token), None
    except AuthError as exc:
        return None, f"Token introspection failed: {exc}"


def check_command(
    pipelines: Annotated[list[str] | None, typer.Argument(
        help="Pipelines to check; all when omitted.", show_default=False)] = None,
    accounts: Annotated[str | None, typer.Option(help="Comma-separated ad account ids (default: all with a "
                                                 "role).")] = None,
    organizations: Annotated[str | None, typer.Option(help="Comma-separated organization ids (default: all "
                                                      "administered).")] = None,
    api_base_url: Annotated[str | None, typer.Option(help="LinkedIn REST base URL (default LinkedIn's).")] = None,
    api_version: Annotated[str | None, typer.Option(help=f"LinkedIn-Version header (default "
                                                    f"{DEFAULT_API_VERSION}).")] = None,
    access_token: Annotated[str | None, typer.Option(help="LinkedIn access token (default: the sign-in from "
                                                     "`lisync auth login`).", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the result as one JSON document (per pipeline: status, missing scopes and roles, "
        "the fix) instead of the table; same exit codes.")] = False,
) -> None:
    """Check that the token holds every scope and role the selected pipelines need; exit 1 if one cannot run.

    Example: lisync check ad_performance organization_pages --organizations 2414183
    """
    try:
        settings = build_settings(
            pipelines, start_date=None, update_window_days=None, accounts=accounts, organizations=organizations,
            destination=None, duckdb=None, dataset=None, api_base_url=api_base_url, api_version=api_version,
            access_token=access_token)
        provider = run_token_provider(settings.access_token)
        print_warnings(provider)
        client = LinkedInClient(provider, base_url=settings.api_base_url, api_version=settings.api_version,
                                max_attempts=3, timeout=30.0)
        retired = probe_version(client, settings.api_version)
        if retired:
            raise fail(retired, 1)
        notes: list[str] = []

        def introspect() -> TokenInfo | None:
            info, note = _introspect(provider, provider.access_token())
            notes.extend([note] if note else [])
            return info

        checked = settings.pipelines if pipelines else [p for p in settings.pipelines if p not in OPT_IN_PIPELINES]
        if checked != settings.pipelines:
            notes.append(f"{' and '.join(OPT_IN_PIPELINES)} not checked: they need {LEADGEN_SCOPE} (LinkedIn's "
                         "separately approved Lead Sync API); name them to check it.")
        report = check_access(client, checked, account_ids=settings.account_ids,
                              organization_ids=settings.organization_ids, introspect=introspect,
                              today=settings.today)
    except LisyncError as exc:
        raise fail(str(exc), exc.exit_code) from None
    report.notes[:0] = notes
    if as_json:
        sys.stdout.write(json.dumps(report_document(report, utc_now()), indent=2, ensure_ascii=False) + "\n")
    else:
        _render_check(report)
    if not report.ok:
        raise typer.Exit(1)


def _organization_leads_cells(leads: OrganizationLeads) -> tuple[str, str]:
    """Return the Status and Fix cells of a lead pipeline's organization-leads row."""
    if leads.status == "ok":
        pages = ", ".join(f"{org_id} ({role})" for org_id, role in leads.organizations)
        return f"[green]reads organization leads: {escape(pages)}[/green]", ""
    return f"[yellow]no organization leads: {escape(leads.detail)}[/yellow]", escape(leads.fix)


def _render_check(report: CheckReport) -> None:
    console = out if out.is_terminal else Console(width=TABLE_WIDTH)
    now = utc_now()
    if report.member:
        console.print(f"Member: {report.member}", highlight=False)
    info = report.token
    if info is not None:
        if info.active:
            expires = f"{info.expires_at:%Y-%m-%d} (in {days_left(info.expires_at, now)})" if info.expires_at else "?"
            console.print(f"Token: active, expires {expires}; scopes: {', '.join(sorted(info.scopes)) or '(none)'}.",
                          highlight=False)
        else:
            console.print(f"Token: LinkedIn reports it {info.status or 'inactive'} for this app.", highlight=False)
    for note in report.notes:
        console.print(escape(note), highlight=False, soft_wrap=True)
    table = Table("Pipeline", "Status", "Fix", show_lines=False)
    for verdict in report.pipelines:
        if verdict.ready:
            table.add_row(verdict.pipeline, "[green]ready[/green]", "")
        for index, problem in enumerate(verdict.problems):
            table.add_row(verdict.pipeline if index == 0 else "", f"[red]{escape(problem.what)}[/red]",
                          escape(problem.fix))
        if verdict.organization_leads is not None:
            table.add_row("", *_organization_leads_cells(verdict.organization_leads))
    console.print(table)
    for probe in report.probes.values():
        if probe.status == "skipped":
            console.print(f"Not probed: {probe.family} ({probe.detail}).", highlight=False)
