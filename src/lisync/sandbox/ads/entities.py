"""Generate the sandbox's ads entities: accounts, campaign groups, campaigns, creatives and conversions, in order.

:func:`generate_ads_entities` is the entry point :class:`~lisync.sandbox.world.World` calls once. Values
are seeded draws (:mod:`lisync.sandbox.synth`), but a few pieces of state make the *order* of generation
part of the output: the per-kind id streams, the planned status lists consumed front to back, the shared
weighted-status draw counter and the review-status cycle. Keep the order of calls in
:meth:`AdsEntityFactory.generate` and :meth:`AdsEntityFactory._make_children` unchanged, or every seed's
world changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from lisync.sandbox import synth
from lisync.sandbox.ads.campaigns import build_campaign
from lisync.sandbox.ads.conversions import build_conversion
from lisync.sandbox.ads.creatives import build_creative
from lisync.sandbox.ads.fields import account_serving, coverage_statuses, modified_after, stamps
from lisync.sandbox.ads.settings import (
    ACCOUNT_STATUS_CYCLE,
    CAMPAIGN_STATUS_WEIGHTS,
    CAMPAIGN_STATUSES,
    CREATIVE_STATUS_WEIGHTS,
    CREATIVE_STATUSES,
    CURRENCIES,
    DAY_MS,
    GROUP_STATUS_WEIGHTS,
    GROUP_STATUSES,
    REVIEW_STATUSES,
    UPCOMING_CAMPAIGNS_PER_ACCOUNT,
    TEntity,
    TWeights,
)
from lisync.sandbox.scale import Scale


@dataclass
class AdsEntities:
    """Everything one world generates, in generation order (not yet sorted by id).

    Attributes:
        accounts: Ad accounts, visible then hidden.
        campaign_groups: Campaign groups; each account's first is its default group.
        campaigns: Campaigns, upcoming ones (created after the anchor day) included.
        creatives: Creatives.
        conversions: Conversion rules.
        visible_account_ids: Ids of the accounts the default grant sees.
        hidden_account_ids: Ids of the accounts only explicit grants see.
    """

    accounts: list[TEntity] = field(default_factory=list)
    campaign_groups: list[TEntity] = field(default_factory=list)
    campaigns: list[TEntity] = field(default_factory=list)
    creatives: list[TEntity] = field(default_factory=list)
    conversions: list[TEntity] = field(default_factory=list)
    visible_account_ids: list[int] = field(default_factory=list)
    hidden_account_ids: list[int] = field(default_factory=list)


def generate_ads_entities(
    seed: int, scale: Scale, anchor_day: dt.date, organization_ids: list[int]
) -> AdsEntities:
    """Generate one world's ads entities.

    Args:
        seed: World seed.
        scale: Entity counts.
        anchor_day: The ``today`` the world is generated for.
        organization_ids: Organization ids accounts reference, cycled over the accounts.

    Returns:
        The generated entities.
    """
    return AdsEntityFactory(seed, scale, anchor_day, organization_ids).generate()


class AdsEntityFactory:
    """Stateful, single-use generator behind :func:`generate_ads_entities`.

    Args:
        seed: World seed.
        scale: Entity counts.
        anchor_day: The ``today`` the world is generated for.
        organization_ids: Organization ids accounts reference.
    """

    def __init__(self, seed: int, scale: Scale, anchor_day: dt.date, organization_ids: list[int]) -> None:
        self.seed = seed
        self.scale = scale
        self.anchor_day = anchor_day
        self.organization_ids = organization_ids
        self.out = AdsEntities()
        self._members: dict[int, list[str]] = {}
        self._draws = 0
        self._history_start = anchor_day - dt.timedelta(days=max(scale.history_days, 1))
        self._account_ids = self._ids("account", 500_000_000, 97)
        self._group_ids = self._ids("group", 600_000_000, 53)
        self._campaign_ids = self._ids("campaign", 300_000_000, 41)
        self._creative_ids = self._ids("creative", 120_000_000, 29)
        self._conversion_ids = self._ids("conversion", 10_000_000, 31)
        # Status coverage is planned over the default member's accounts only, so every status is reachable
        # through the API; hidden accounts draw statuses by weight.
        groups_visible = scale.accounts * (scale.campaign_groups_per_account + 1)
        self._group_statuses = coverage_statuses(
            groups_visible, GROUP_STATUSES, GROUP_STATUS_WEIGHTS, seed, "group-status"
        )
        campaigns_visible = scale.accounts * scale.campaign_groups_per_account * scale.campaigns_per_group
        self._campaign_statuses = coverage_statuses(
            campaigns_visible, CAMPAIGN_STATUSES, CAMPAIGN_STATUS_WEIGHTS, seed, "campaign-status"
        )
        creatives_visible = campaigns_visible * scale.creatives_per_campaign
        self._creative_statuses = coverage_statuses(
            creatives_visible, CREATIVE_STATUSES, CREATIVE_STATUS_WEIGHTS, seed, "creative-status"
        )
        self._review_cycle = list(REVIEW_STATUSES)

    def generate(self) -> AdsEntities:
        """Generate every account and, right after each, its children; call once."""
        scale = self.scale
        for index in range(scale.accounts + scale.hidden_accounts):
            hidden = index >= scale.accounts
            account = self._make_account(index, hidden)
            (self.out.hidden_account_ids if hidden else self.out.visible_account_ids).append(account["id"])
            self.out.accounts.append(account)
            self._make_children(account, hidden)
        return self.out

    # -------------------------------------------------------------------------------------- shared state

    def _ids(self, kind: str, base: int, spacing: int) -> Iterator[int]:
        """Yield increasing ids for one entity kind; the start depends on the seed so worlds differ."""
        next_id = base + synth.between(0, 899_999, self.seed, "idbase", kind) * 10
        while True:
            next_id += synth.between(1, spacing, self.seed, "idstep", kind, next_id)
            yield next_id

    def _next_status(self, planned: list[str], weights: TWeights, *salt: object) -> str:
        """Take the next planned status, or draw one by weight once the plan is used up."""
        self._draws += 1
        return planned.pop(0) if planned else synth.weighted_pick(weights, self.seed, "status", *salt, self._draws)

    def _members_of(self, account_id: int) -> list[str]:
        if account_id not in self._members:
            self._members[account_id] = [
                f"urn:li:person:{synth.member_token(self.seed, 'member', account_id, i)}" for i in range(3)
            ]
        return self._members[account_id]

    def _modified_after(self, created_ms: int, *salt: object) -> int:
        return modified_after(self.seed, self.anchor_day, created_ms, *salt)

    def _day(self, offset: int) -> dt.date:
        return self._history_start + dt.timedelta(days=offset)

    def _span_days(self) -> int:
        return (self.anchor_day - self._history_start).days

    # ------------------------------------------------------------------------------------------ entities

    def _make_children(self, account: TEntity, hidden: bool) -> None:
        scale = self.scale
        groups = [self._make_group(account, g) for g in range(scale.campaign_groups_per_account + 1)]
        self.out.campaign_groups.extend(groups)
        campaigns: list[TEntity] = []
        for group in groups[1:]:
            for _ in range(scale.campaigns_per_group):
                status = self._next_status(self._campaign_statuses, CAMPAIGN_STATUS_WEIGHTS, "cmp", group["id"])
                campaign = self._make_campaign(account, group, status, None)
                campaigns.append(campaign)
        if not hidden and scale.campaign_groups_per_account and scale.campaigns_per_group:
            for k in range(UPCOMING_CAMPAIGNS_PER_ACCOUNT):
                upcoming_day = self.anchor_day + dt.timedelta(
                    days=synth.between(2, 10, self.seed, "up", account["id"], k)
                )
                campaigns.append(self._make_campaign(account, groups[1], "ACTIVE", upcoming_day))
        self.out.campaigns.extend(campaigns)
        for campaign in campaigns:
            upcoming = campaign["changeAuditStamps"]["created"]["time"] >= synth.day_start_ms(self.anchor_day)
            for _ in range(scale.creatives_per_campaign if not upcoming else 1):
                status = (
                    "ACTIVE"
                    if upcoming
                    else self._next_status(self._creative_statuses, CREATIVE_STATUS_WEIGHTS, "crt", campaign["id"])
                )
                self.out.creatives.append(self._make_creative(account, campaign, status))
        for c in range(scale.conversions_per_account):
            conversion_id = next(self._conversion_ids)
            self.out.conversions.append(
                build_conversion(self.seed, self.anchor_day, conversion_id, account, campaigns, c)
            )

    def _make_account(self, index: int, hidden: bool) -> TEntity:
        seed = self.seed
        account_id = next(self._account_ids)
        if hidden:
            status = "ACTIVE"
        else:
            status = "ACTIVE" if index == 0 else ACCOUNT_STATUS_CYCLE[(index - 1) % len(ACCOUNT_STATUS_CYCLE)]
        created_day = self._day(synth.between(0, max(self._span_days() // 12, 0), seed, "acct-created", index))
        created = synth.instant_ms(created_day, seed, "acct-created-ms", account_id)
        modified = self._modified_after(created, "acct", account_id)
        currency = synth.weighted_pick(CURRENCIES, seed, "currency", account_id) if index else "USD"
        account: TEntity = {
            "changeAuditStamps": stamps(created, modified, self._members_of(account_id)[0]),
            "currency": currency,
            "id": account_id,
            "name": f"{synth.company_name(seed, 'acct', account_id)} {'Ads' if index % 2 else 'Marketing'}",
            "reference": self._organization_urn(index),
            "servingStatuses": account_serving(seed, status, account_id),
            "status": status,
            "test": (not hidden) and index == 1,
            "type": "ENTERPRISE" if synth.chance(0.25, seed, "acct-type", account_id) else "BUSINESS",
            "version": {"versionTag": str(synth.between(1, 60, seed, "acct-version", account_id))},
        }
        if account["reference"] is None:
            account["reference"] = f"urn:li:person:{synth.member_token(seed, 'owner', account_id)}"
        for flag in (
            "notifiedOnCampaignOptimization",
            "notifiedOnCreativeApproval",
            "notifiedOnCreativeRejection",
            "notifiedOnEndOfCampaign",
        ):
            # LinkedIn drops unset booleans from the payload; some accounts never set these.
            if synth.chance(0.8, seed, flag, account_id):
                account[flag] = synth.chance(0.6, seed, flag, "value", account_id)
        return account

    def _organization_urn(self, index: int) -> str | None:
        if not self.organization_ids:
            return None
        return f"urn:li:organization:{self.organization_ids[index % len(self.organization_ids)]}"

    def _make_group(self, account: TEntity, index: int) -> TEntity:
        seed = self.seed
        group_id = next(self._group_ids)
        default = index == 0
        status = self._next_status(self._group_statuses, GROUP_STATUS_WEIGHTS, "grp", group_id)
        account_created = account["changeAuditStamps"]["created"]["time"]
        if default:
            created = account_created + synth.between(1_000, 60_000, seed, "grp-default", group_id)
        else:
            room = max((synth.day_start_ms(self.anchor_day) - account_created) // DAY_MS - 2, 0)
            created = account_created + synth.between(0, int(room * 0.6), seed, "grp-day", group_id) * DAY_MS
            created += synth.between(0, 3_600_000, seed, "grp-ms", group_id)
        currency = account["currency"]
        start = synth.day_start_ms(synth.ms_to_date(created))
        group: TEntity = {
            "account": f"urn:li:sponsoredAccount:{account['id']}",
            "allowedCampaignTypes": ["SPONSORED_UPDATES", "TEXT_AD", "SPONSORED_INMAILS", "DYNAMIC"],
            "backfilled": default,
            "changeAuditStamps": stamps(
                created,
                self._modified_after(created, "grp", group_id),
                None if default else self._members_of(account["id"])[1],
            ),
            "id": group_id,
            "name": "Default Campaign Group"
            if default
            else (f"{synth.campaign_theme(seed, 'grp', group_id)} {synth.ms_to_date(created).year}"),
            "runSchedule": {"start": start},
            "status": status,
            "test": account["test"],
        }
        ended = False
        if not default and synth.chance(0.5, seed, "grp-budget", group_id):
            length = synth.between(30, 240, seed, "grp-len", group_id)
            end = start + length * DAY_MS
            group["runSchedule"]["end"] = end
            ended = end < synth.day_start_ms(self.anchor_day)
            group["totalBudget"] = {
                "amount": synth.money(synth.between(20, 400, seed, "grp-amt", group_id) * 250),
                "currencyCode": currency,
            }
        if status == "ACTIVE":
            group["servingStatuses"] = ["CAMPAIGN_GROUP_END_DATE_HOLD"] if ended else ["RUNNABLE"]
        else:
            group["servingStatuses"] = ["STOPPED"]
        return group

    def _make_campaign(self, account: TEntity, group: TEntity, status: str, upcoming_day: dt.date | None) -> TEntity:
        campaign_id = next(self._campaign_ids)
        return build_campaign(self.seed, self.anchor_day, campaign_id, account, group, status, upcoming_day)

    def _make_creative(self, account: TEntity, campaign: TEntity, status: str) -> TEntity:
        creative_id = next(self._creative_ids)
        members = self._members_of(account["id"])
        review = self._review(status, creative_id)
        return build_creative(self.seed, self.anchor_day, creative_id, account, campaign, status, members, review)

    def _review(self, status: str, creative_id: int) -> str | None:
        """Return a creative's review status: none for drafts; the first reviewed ones walk every status."""
        if status == "DRAFT":
            return None
        if self._review_cycle:
            return self._review_cycle.pop(0)
        return synth.weighted_pick(
            (("APPROVED", 85), ("PENDING", 5), ("REJECTED", 5), ("NEEDS_REVIEW", 5)), self.seed, "review", creative_id
        )
