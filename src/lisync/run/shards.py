"""Shards: split one large replication into balanced slices of accounts and organizations that run in parallel.

A shard is a name plus the ad accounts and organizations it covers. Every shard loads into the same dataset
as an ordinary run would, concurrently with the others, and together they leave the tables exactly as one
run over everything would (see docs/scaling.md): each shard keeps its own dlt state (so its own savepoints)
and staging dataset, and its Full tables replace only the shard's own slice.

:func:`plan_shards` sizes what the token can see and packs it, largest first, into N shards of about equal
weight; :func:`shard_settings` turns one shard of a plan into the
:class:`~lisync.config.settings.RunSettings` of its run.
The plan is plain JSON, so ``lisync plan-shards`` output feeds the orchestrator modules and
``lisync run --shard NAME --accounts … --organizations …`` alike.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from lisync.config.parse import parse_shard
from lisync.config.settings import RunSettings
from lisync.errors import ConfigError
from lisync.linkedin.ads.accounts import discover_accounts, select_accounts
from lisync.linkedin.ads.listings import list_campaigns
from lisync.linkedin.analytics.custom_reports import CustomReport
from lisync.linkedin.http.bearer import TokenProvider
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import AccessDeniedError, NotFoundError
from lisync.linkedin.leads.fetch import LEAD_ORGANIZATION_ROLES
from lisync.linkedin.pages.organizations import list_administered_ids, lookup_organizations, select_organizations
from lisync.run.client import make_client
from lisync.run.families import (
    ACCOUNT_FAMILIES,
    ACCOUNT_PIPELINES,
    ORGANIZATION_FAMILIES,
    ORGANIZATION_PIPELINES,
    OWNER_FAMILIES,
    families_of,
    family_of,
)
from lisync.spec.loader import load_spec

PLAN_VERSION = 1
# How much one organization weighs against one campaign of an ad account. A page costs about three
# statistics calls plus a posts page, a statistics call and media lookups per 100 changed posts per run;
# an account costs its listings plus a share of analytics requests proportional to its campaigns.
ORGANIZATION_WEIGHT = 5
ACCOUNT_BASE_WEIGHT = 1
TMeasure = Literal["campaigns", "count"]
TSlice = Literal["accounts", "organizations", "both"]
MEASURES: tuple[str, ...] = ("campaigns", "count")


@dataclass
class Shard:
    """One slice of a sharded replication.

    Attributes:
        name: Shard name (lower-case identifier); part of its dlt pipeline and staging dataset names.
        accounts: Ad account ids (numeric text) the shard covers.
        organizations: Organization ids (numeric text) the shard covers.
        weight: The planner's size estimate (campaigns, plus a fixed weight per organization).
    """

    name: str
    accounts: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    weight: int = 0

    def command(self) -> str:
        """The ``lisync run`` arguments that run this shard."""
        parts = [f"--shard {self.name}"]
        if self.accounts:
            parts.append(f"--accounts {','.join(self.accounts)}")
        if self.organizations:
            parts.append(f"--organizations {','.join(self.organizations)}")
        return "lisync run " + " ".join(parts)


@dataclass
class ShardPlan:
    """A balanced split of every account and organization into shards.

    Attributes:
        shards: The shards, heaviest first.
        measure: How accounts were weighed (``campaigns`` or ``count``).
    """

    shards: list[Shard]
    measure: str = "campaigns"

    def shard(self, name: str) -> Shard:
        """Return the shard called ``name``.

        Raises:
            ConfigError: When the plan has no such shard.
        """
        for shard in self.shards:
            if shard.name == name:
                return shard
        raise ConfigError(f"Unknown shard {name!r}: the plan has {', '.join(s.name for s in self.shards)}.")

    def to_json(self) -> str:
        """The plan as JSON (what ``lisync plan-shards --format json`` prints)."""
        body = {"version": PLAN_VERSION, "measure": self.measure,
                "shards": [dataclasses.asdict(s) for s in self.shards]}
        return json.dumps(body, indent=2) + "\n"

    def to_text(self) -> str:
        """A readable table of the shards, each with the command that runs it."""
        lines = [f"{len(self.shards)} shards (weight = {self.measure}"
                 f"{'' if self.measure == 'count' else ' + 1 per account'}, {ORGANIZATION_WEIGHT} per organization)"]
        for s in self.shards:
            lines.append(f"{s.name}: weight {s.weight}, {len(s.accounts)} accounts, "
                         f"{len(s.organizations)} organizations")
            lines.append(f"  {s.command()}")
        return "\n".join(lines) + "\n"


def pack(weights: dict[tuple[str, str], int], shard_count: int) -> list[Shard]:
    """Pack weighed items into at most ``shard_count`` shards, largest first onto the lightest shard.

    Args:
        weights: ``{(kind, id): weight}`` with kind ``account`` or ``organization``.
        shard_count: How many shards to make (fewer when there are fewer items).

    Returns:
        Non-empty shards named ``shard_01``…, heaviest first; ids keep a stable numeric order.

    Raises:
        ConfigError: For a shard count below 1.
    """
    if shard_count < 1:
        raise ConfigError(f"Invalid --shards {shard_count}: use 1 or more.")
    count = min(shard_count, max(1, len(weights)))
    width = max(2, len(str(count)))
    shards = [Shard(f"shard_{i + 1:0{width}d}") for i in range(count)]
    # Longest-processing-time-first: within 4/3 of the best split, and deterministic for equal weights.
    for (kind, item_id), weight in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0][0], _numeric(kv[0][1]))):
        lightest = min(shards, key=lambda s: (s.weight, s.name))
        (lightest.accounts if kind == "account" else lightest.organizations).append(item_id)
        lightest.weight += weight
    for shard in shards:
        shard.accounts.sort(key=_numeric)
        shard.organizations.sort(key=_numeric)
    kept = [s for s in shards if s.accounts or s.organizations]
    return sorted(kept, key=lambda s: (-s.weight, s.name))


def _numeric(item_id: str) -> tuple[int, str]:
    return (len(item_id), item_id)


def plan_shards(account_weights: dict[str, int], organization_ids: Iterable[str], shard_count: int,
                measure: str = "campaigns") -> ShardPlan:
    """Return a balanced plan for weighed accounts and organizations (see :func:`pack`)."""
    weights: dict[tuple[str, str], int] = {("account", a): w for a, w in account_weights.items()}
    weights.update({("organization", o): ORGANIZATION_WEIGHT for o in organization_ids})
    return ShardPlan(pack(weights, shard_count), measure)


def measure_accounts(accounts: list[str], campaigns_of: Callable[[str], list[Any]] | None,
                     on_refused: Callable[[str, Exception], None] | None = None) -> dict[str, int]:
    """Weigh each account: 1 + its campaigns (one cursor listing per account), or 1 each without a lister.

    An account LinkedIn refuses to list (403/404) weighs 1 and is reported to ``on_refused``.
    """
    weights: dict[str, int] = {}
    for account in accounts:
        if campaigns_of is None:
            weights[account] = ACCOUNT_BASE_WEIGHT
            continue
        try:
            weights[account] = ACCOUNT_BASE_WEIGHT + len(campaigns_of(account))
        except (AccessDeniedError, NotFoundError) as error:
            weights[account] = ACCOUNT_BASE_WEIGHT
            if on_refused:
                on_refused(account, error)
    return weights


def discover_and_plan(settings: RunSettings, shard_count: int, measure: str = "campaigns",
                      token_provider: TokenProvider | None = None) -> tuple[ShardPlan, list[str]]:
    """List what the token can see (honouring the settings' account/organization filters) and plan shards.

    Costs one account listing, the organization ACL and lookup calls, and with ``measure="campaigns"`` one
    campaign listing per account.

    Returns:
        The plan, and notes (accounts LinkedIn refused to list, declared custom reports that cannot be sharded).
    """
    if measure not in MEASURES:
        raise ConfigError(f"Invalid --measure {measure!r}: use one of {', '.join(MEASURES)}.")
    client = make_client(settings, token_provider)
    notes: list[str] = []
    accounts = [str(a["id"]) for a in select_accounts(discover_accounts(client), settings.account_ids)]
    organizations = [o.id for o in select_organizations(
        lookup_organizations(client, list_administered_ids(client)), settings.organization_ids)]
    organizations += _lead_only_organizations(client, settings, organizations)
    lister = (lambda a: list(list_campaigns(client, a))) if measure == "campaigns" else None
    weights = measure_accounts(accounts, lister, lambda a, e: notes.append(f"account {a}: {e}"))
    notes += [reason for r in settings.custom_reports.values() if (reason := unsplittable_report(r))]
    return plan_shards(weights, organizations, shard_count, measure), notes


def _lead_only_organizations(client: LinkedInClient, settings: RunSettings, administered: list[str]) -> list[str]:
    """Return the pages whose leads alone the member may read (LEAD_GEN_FORMS_MANAGER): a shard must own them too.

    Only when the lead pipelines run and no *Organizations* filter is set; a token that may not list page roles
    gets none (its runs read ad accounts' leads only, and say so).
    """
    if "leads" not in families_of(settings.pipelines, settings.custom_reports) or settings.organization_ids:
        return []
    try:
        lead_ids = list_administered_ids(client, LEAD_ORGANIZATION_ROLES)
    except AccessDeniedError:
        return []
    return [i for i in lead_ids if i not in administered]


def load_plan(source: str | Path | dict[str, Any]) -> ShardPlan:
    """Read a plan written by ``lisync plan-shards --format json`` (a path, JSON text or parsed dict).

    Raises:
        ConfigError: When the plan cannot be read or is malformed.
    """
    try:
        if isinstance(source, dict):
            body = source
        elif isinstance(source, Path) or not str(source).lstrip().startswith("{"):
            body = json.loads(Path(source).read_text())
        else:
            body = json.loads(str(source))
        shards = [Shard(name=parse_shard(s["name"]) or "", accounts=[str(a) for a in s.get("accounts", [])],
                        organizations=[str(o) for o in s.get("organizations", [])], weight=int(s.get("weight", 0)))
                  for s in body["shards"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"Cannot read the shard plan: {exc}. Write it with `lisync plan-shards --format json "
                          "--output plan.json`.") from None
    names = [s.name for s in shards]
    if len(set(names)) != len(names) or not shards:
        raise ConfigError("The shard plan needs at least one shard and unique shard names.")
    return ShardPlan(shards, str(body.get("measure", "campaigns")))


def unsplittable_report(report: CustomReport) -> str | None:
    """Why ``report`` cannot run in a shard (its rows sum over accounts), or ``None`` when it can."""
    if report.per_account:
        return None
    return (f"Custom report {report.name!r} cannot run in a shard: its pivots ({', '.join(report.pivots)}) sum "
            "over every account of a request, so each shard would load its own sums under the same keys; add "
            "the ACCOUNT or CAMPAIGN pivot, or run it unsharded.")


def pipeline_slice(pipeline: str, custom: Mapping[str, CustomReport] | None = None) -> TSlice:
    """Which ids bound ``pipeline``'s rows in a shard: its ad ``accounts``, its ``organizations``, or ``both``.

    ``both``: the lead pipelines, whose forms belong to ad accounts or to organizations; a shard reads the
    forms of its own accounts and organizations.

    Args:
        pipeline: A contract pipeline or a declared custom report.
        custom: The run's declared custom reports (``settings.custom_reports``): account-scoped like the
            ``reports`` family that serves them.

    Raises:
        ConfigError: For an unknown pipeline, a custom report whose rows sum over accounts, or a pipeline
            bound by neither (a new family that has not said which ids it reads).
    """
    reports = custom or {}
    family = family_of(pipeline, reports)
    reason = unsplittable_report(reports[pipeline]) if pipeline in reports else None
    if reason:
        raise ConfigError(reason)
    if family in OWNER_FAMILIES:
        return "both"
    if family in ACCOUNT_FAMILIES or pipeline in ACCOUNT_PIPELINES:
        return "accounts"
    if family in ORGANIZATION_FAMILIES or pipeline in ORGANIZATION_PIPELINES:
        return "organizations"
    raise ConfigError(f"Pipeline {pipeline} cannot run in a shard: lisync.run.families does not say whether it "
                      "reads ad accounts or organizations.")


def shard_pipelines(pipelines: list[str], shard: Shard, custom: Mapping[str, CustomReport] | None = None) -> list[str]:
    """The pipelines a shard runs: account-scoped ones only with accounts, organization-scoped ones only with pages.

    Args:
        pipelines: The selected pipelines (contract pipelines and declared custom reports).
        shard: The shard.
        custom: The run's declared custom reports (see :func:`pipeline_slice`).

    Raises:
        ConfigError: As :func:`pipeline_slice`.
    """
    ids: dict[TSlice, list[str]] = {"accounts": shard.accounts, "organizations": shard.organizations,
                                    "both": shard.accounts + shard.organizations}
    return [p for p in pipelines if ids[pipeline_slice(p, custom)]]


def restrict_to_shard(settings: RunSettings) -> RunSettings:
    """Limit a ``--shard`` run to its own slice: the pipelines of the families it has ids for.

    A shard is exactly its ``--accounts`` and ``--organizations``. Without organizations it must not run the
    organization pipelines, which would otherwise read every page and replace other shards' slices while they
    load; likewise without accounts for the ad pipelines.

    Raises:
        ConfigError: When the shard names neither accounts nor organizations, or none of the selected
            pipelines applies to its slice.
    """
    if not settings.shard:
        return settings
    shard = Shard(settings.shard, list(settings.account_ids or []), list(settings.organization_ids or []))
    if not shard.accounts and not shard.organizations:
        raise ConfigError(f"--shard {shard.name} needs its slice: pass its --accounts and/or --organizations "
                          "(as `lisync plan-shards` lists them).")
    pipelines = shard_pipelines(settings.pipelines or list(load_spec()), shard, settings.custom_reports)
    if not pipelines:
        raise ConfigError(f"None of the selected pipelines applies to shard {shard.name}: it has "
                          f"{'no organizations' if shard.accounts else 'no accounts'}; select pipelines of its "
                          "slice, or leave this shard out.")
    return dataclasses.replace(settings, pipelines=pipelines)


def shard_settings(base: RunSettings, shard: Shard) -> RunSettings:
    """Return ``base`` restricted to ``shard`` (its name, accounts, organizations and pipelines).

    The dlt pipeline name gets the shard name appended (see ``RunSettings.effective_pipeline_name``), so
    every shard keeps its own savepoints.
    """
    pipelines = shard_pipelines(base.pipelines or list(load_spec()), shard, base.custom_reports)
    return dataclasses.replace(base, shard=shard.name, account_ids=list(shard.accounts),
                               organization_ids=list(shard.organizations), pipelines=pipelines)
