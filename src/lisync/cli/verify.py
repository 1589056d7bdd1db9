"""`lisync verify`: reconcile the destination with LinkedIn's account-month totals; exit 1 on a difference."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer
from rich.table import Table

from lisync.cli.common import DestinationCredentialsOption, PipelinesArg, fail, out, print_warnings
from lisync.config.defaults import DEFAULT_DATASET, DEFAULT_DUCKDB_PATH
from lisync.config.parse import parse_date
from lisync.config.resolve import build_settings
from lisync.config.tokens import run_token_provider
from lisync.errors import LisyncError
from lisync.linkedin.http.errors import LinkedInError
from lisync.linkedin.http.version import DEFAULT_API_VERSION
from lisync.run.verify import VerifyReport

__all__ = ["verify"]

DEFAULT_VERIFIED = ("ad_performance", "conversion_performance", "account_performance", "campaign_group_performance",
                    "campaign_performance", "organization_posts")


def verify(
    pipelines: PipelinesArg = None,
    start_date: Annotated[str | None, typer.Option(help="First day to verify, YYYY-MM-DD (default: the run's "
                                                   "default read start, 365 days ago).")] = None,
    end_date: Annotated[str | None, typer.Option(help="Last day to verify, YYYY-MM-DD, as the runs' --end-date "
                                                 "(default: today).")] = None,
    accounts: Annotated[str | None, typer.Option(help="Comma-separated ad account ids (default: all visible).")] = None,
    organizations: Annotated[str | None, typer.Option(help="Comma-separated organization ids (default: all "
                                                      "administered company pages).")] = None,
    destination: Annotated[str | None, typer.Option(help="dlt destination: duckdb (default), postgres, …")] = None,
    duckdb: Annotated[str | None, typer.Option("--duckdb",
                                               help=f"DuckDB file (default {DEFAULT_DUCKDB_PATH}).")] = None,
    destination_credentials: DestinationCredentialsOption = None,
    dataset: Annotated[str | None, typer.Option(help=f"Dataset/schema name (default {DEFAULT_DATASET}).")] = None,
    api_base_url: Annotated[str | None, typer.Option(help="LinkedIn REST base URL (default LinkedIn's).")] = None,
    api_version: Annotated[str | None, typer.Option(
        help=f"LinkedIn-Version header (default {DEFAULT_API_VERSION}).")] = None,
    access_token: Annotated[str | None, typer.Option(help="LinkedIn access token (or env LINKEDIN_ACCESS_TOKEN; "
                                                     "default: the token from `lisync auth login`).",
                                                     show_default=False)] = None,
    pipeline_name: Annotated[str | None, typer.Option(help="dlt pipeline name (default lisync_<dataset>).")] = None,
    pipelines_dir: Annotated[str | None, typer.Option(help="Folder for dlt's working state (default dlt's).")] = None,
    max_workers: Annotated[str | None, typer.Option(help="Most API requests in flight at once (1-32).")] = None,
    extract_format: Annotated[str | None, typer.Option(
        help="How repaired performance rows travel to dlt: arrow (default: Arrow tables) or dicts, as "
        "`lisync run --extract-format`.")] = None,
    repair: Annotated[bool, typer.Option("--repair", help="Re-read every differing account-month without "
                                         "metadata trimming, upsert it, and verify again.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    today: Annotated[str | None, typer.Option(hidden=True, help="Pretend today (UTC) is this date.")] = None,
) -> None:
    """Compare landed ad and conversion performance with LinkedIn's account-month totals, and posts with its listing.

    Exits 0 when everything agrees, 1 when an account-month differs or a listed post is missing (both named).
    Without pipeline names it verifies ad_performance, conversion_performance, account_performance,
    campaign_group_performance, campaign_performance and organization_posts where they have landed.

    Example: lisync verify ad_performance --accounts 5100001 --duckdb lisync.duckdb --start-date 2026-01-01
    """
    from lisync.run.verify_destination import verify_destination

    try:
        settings = build_settings(
            pipelines or list(DEFAULT_VERIFIED), start_date=start_date, end_date=end_date,
            update_window_days=None, accounts=accounts, organizations=organizations, destination=destination,
            duckdb=duckdb, dataset=dataset, api_base_url=api_base_url, api_version=api_version,
            access_token=access_token, pipeline_name=pipeline_name, pipelines_dir=pipelines_dir,
            destination_credentials=destination_credentials, max_workers=max_workers, extract_format=extract_format)
        if today:
            settings.today = parse_date(today, "--today", today=dt.date.max)
        provider = run_token_provider(settings.access_token)
        print_warnings(provider)
        report, stats = verify_destination(settings, token_provider=provider, repair=repair, landed_only=not pipelines)
    except LisyncError as exc:
        raise fail(str(exc), exc.exit_code) from None
    except LinkedInError as exc:
        raise fail(str(exc), 1) from None
    if as_json:
        typer.echo(json.dumps({**report.as_dict(), "requests_total": stats.as_dict().get("total", 0)}, indent=2))
    else:
        render(report)
    if report.status != "ok":
        raise typer.Exit(1)


def render(report: VerifyReport) -> None:
    """Print the differences (account, month, metric, LinkedIn, landed, difference) and a summary line."""
    if report.differences:
        table = Table(title="Totals that differ from LinkedIn's", show_edge=False)
        for column in ("table", "account", "month", "conversion", "metric", "LinkedIn", "landed", "difference"):
            table.add_column(column, justify="right" if column in ("LinkedIn", "landed", "difference") else "left")
        for diff in report.differences:
            table.add_row(diff.table, diff.account_id, diff.month, diff.conversion_id or "-", diff.metric,
                          f"{diff.linkedin:,.2f}", f"{diff.landed:,.2f}", f"{diff.difference:+,.2f}")
        out.print(table)
    if report.posts is not None:
        for organization, posts in report.posts.missing.items():
            out.print(f"organization {organization}: posts listed by LinkedIn but not landed: {', '.join(posts)}",
                      highlight=False, soft_wrap=True)
    out.print(report.describe(), highlight=False, soft_wrap=True)
