"""The pipeline families and the dlt sources of one run: which family serves a pipeline, and building its source.

A lisync *pipeline* is one of the contract's pipelines (named after its main table). Pipelines come in
families that share LinkedIn lookups, each one ``@dlt.source`` in :mod:`lisync.sources`: ``ads`` (entity
tables), ``analytics`` (performance tables), ``pages`` (organization pages and posts), ``leads`` (Lead
Gen forms and responses). The ``ads`` and
``analytics`` sources share one per-account listing catalog. A new family adds its source module, a member of
:data:`TFamily`, its entry in :data:`FAMILY_PIPELINES` and a branch in :func:`build_sources`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from dlt.extract.source import DltSource

from lisync.config.settings import RunSettings
from lisync.errors import ConfigError
from lisync.linkedin.ads.accounts import AccountScope
from lisync.linkedin.ads.catalog import AccountCatalog
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.pages.organizations import Organization
from lisync.run.destinations import preferred_file_format
from lisync.run.summary import RunSummary
from lisync.sources import ads, analytics, leads, organic, pages, reports
from lisync.sources.partial import ScopeGuard
from lisync.spec.loader import load_spec

__all__ = [
    "FAMILY_PIPELINES",
    "RunScope",
    "TFamily",
    "available_pipelines",
    "build_sources",
    "families_of",
    "family_of",
]

TFamily = Literal["ads", "analytics", "pages", "organic", "reports", "leads"]
FAMILY_PIPELINES: dict[TFamily, tuple[str, ...]] = {
    "ads": ads.PIPELINES,
    "analytics": analytics.PIPELINES,
    "pages": pages.PIPELINES,
    "leads": leads.PIPELINES,
    "organic": organic.PIPELINES,
    "reports": reports.PIPELINES,  # plus the custom reports a run declares (settings.custom_reports)
}
ACCOUNT_FAMILIES: tuple[TFamily, ...] = ("ads", "analytics", "reports", "leads")
ORGANIZATION_FAMILIES: tuple[TFamily, ...] = ("pages",)
# Families whose rows belong to ad accounts or to organizations (lead forms): a shard reads both of its slices.
OWNER_FAMILIES: tuple[TFamily, ...] = ("leads",)
# Pipelines of the mixed ``organic`` family that need the run's ad accounts, or its organizations.
ACCOUNT_PIPELINES = organic.ACCOUNT_PIPELINES
ORGANIZATION_PIPELINES = organic.ORGANIZATION_PIPELINES


@dataclass(frozen=True)
class RunScope:
    """What one run covers, discovered before its sources are built (see :mod:`lisync.run.discovery`).

    Attributes:
        accounts: The visible and selected ad accounts (``None`` when no account family runs).
        organizations: The selected company pages (``None`` when no organization family runs).
        lead_organizations: The selected organizations whose lead forms the lead pipelines read (ids; empty
            when no lead pipeline runs or the token cannot list them).
    """

    accounts: AccountScope | None
    organizations: list[Organization] | None
    lead_organizations: tuple[str, ...] = ()


def available_pipelines() -> list[str]:
    """Return the contract's pipelines that a family serves, in contract order."""
    present = {p for pipelines in FAMILY_PIPELINES.values() for p in pipelines}
    return [p for p in load_spec() if p in present]


def family_of(pipeline: str, custom: Collection[str] = ()) -> TFamily:
    """Return the family serving ``pipeline`` (``custom``: the run's declared custom reports, served by reports).

    Raises:
        ConfigError: For a pipeline no family serves (unknown, or in the contract but not built yet).
    """
    if pipeline in custom:
        return "reports"
    for family, pipelines in FAMILY_PIPELINES.items():
        if pipeline in pipelines:
            return family
    if pipeline in load_spec():
        raise ConfigError(f"Pipeline {pipeline} is not available in this version of lisync; "
                          f"available: {', '.join(available_pipelines())}.")
    raise ConfigError(f"Unknown pipeline {pipeline!r}: choose from {', '.join(load_spec())}.")


def families_of(pipelines: list[str], custom: Collection[str] = ()) -> dict[TFamily, list[str]]:
    """Group ``pipelines`` by family, keeping their order (``custom``: the run's declared custom reports)."""
    by_family: dict[TFamily, list[str]] = {}
    for pipeline in pipelines:
        by_family.setdefault(family_of(pipeline, custom), []).append(pipeline)
    return by_family


def build_sources(settings: RunSettings, today: dt.date, client: LinkedInClient, scope: RunScope,
                  summary: RunSummary) -> list[DltSource]:
    """Return the dlt source of every family with a selected pipeline (no request is made here).

    Raises:
        ConfigError: For a pipeline no family serves.
    """
    guard = ScopeGuard(settings.strict, summary.add_note)
    catalog = AccountCatalog(client, add_note=summary.add_note)
    workers = client.retry_policy.max_concurrency
    sources: list[DltSource] = []
    for family, pipelines in families_of(settings.pipelines, settings.custom_reports).items():
        if family == "ads" and scope.accounts is not None:
            sources.append(ads.ads_source(pipelines, scope.accounts, catalog, guard, workers,
                                          settings.shard is not None, settings.history))
        elif family == "analytics" and scope.accounts is not None:
            sources.append(analytics.analytics_source(pipelines, analytics.AnalyticsInputs(
                settings, today, client, scope.accounts, catalog, guard, summary.add_note, summary.details)))
        elif family == "pages" and scope.organizations is not None:
            sources.append(pages.pages_source(pipelines, pages.PagesInputs(
                settings, today, client, scope.organizations, guard, summary.add_note)))
        elif family == "leads" and scope.accounts is not None:
            sources.append(leads.leads_source(pipelines, leads.LeadsInputs(
                settings, today, client, leads.lead_owners(scope.accounts, scope.lead_organizations, settings), guard,
                summary.add_note)))
        elif family == "reports" and scope.accounts is not None:
            sources.append(reports.reports_source(pipelines, analytics.AnalyticsInputs(
                settings, today, client, scope.accounts, catalog, guard, summary.add_note, summary.details,
                preferred_file_format(settings.destination))))
        elif family == "organic":
            sources.append(organic.organic_source(pipelines, organic.OrganicInputs(
                settings, today, client, scope.organizations, scope.accounts, guard)))
    return sources
