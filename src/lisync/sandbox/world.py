"""The sandbox world: deterministic ad accounts, campaign groups, campaigns, creatives and conversions.

A :class:`World` is built once from ``(seed, scale, clock.today)``; every entity is a LinkedIn-shaped JSON
dict exactly as the versioned REST API returns it (ids are ``int`` except creatives, whose ``id`` is the
``urn:li:sponsoredCreative:N`` string; timestamps are epoch milliseconds; money amounts are strings).
Optional fields are sometimes omitted, as LinkedIn omits nulls.

World API (read by every route module and by the analytics model):

* ``world.seed``, ``world.scale`` (:class:`~lisync.sandbox.core.Scale`), ``world.clock``
  (:class:`~lisync.sandbox.core.Clock`), ``world.anchor_day`` (the ``today`` the world was generated for).
* Entity lists (only entities already created on the sandbox clock's today, hidden accounts included,
  sorted by id): ``world.accounts``, ``world.campaign_groups``, ``world.campaigns``, ``world.creatives``,
  ``world.conversions``. The ``all_*`` twins (``world.all_campaigns``...) also hold entities created after
  today, which appear when the clock moves forward (one upcoming campaign per visible account).
* Entity shapes (keys always present unless marked "sometimes absent"):

  - account: ``id``, ``name``, ``currency``, ``reference`` (``urn:li:organization:N``), ``status``,
    ``type``, ``test``, ``servingStatuses``, ``notifiedOnCreativeApproval``/``...Rejection``/
    ``...EndOfCampaign``/``...CampaignOptimization`` (sometimes absent), ``changeAuditStamps``
    ``{created, lastModified: {time, actor?}}``, ``version.versionTag``.
  - campaign group: ``id``, ``account`` (URN), ``name``, ``status``, ``test``, ``backfilled``,
    ``runSchedule {start, end?}``, ``totalBudget {amount, currencyCode}`` (sometimes absent),
    ``servingStatuses``, ``allowedCampaignTypes``, ``changeAuditStamps``. The first group of each account
    is LinkedIn's default group (``backfilled: true``).
  - campaign: ``id``, ``account``, ``campaignGroup`` (URN), ``associatedEntity``, ``name``, ``status``,
    ``type``, ``costType``, ``unitCost``, ``dailyBudget``/``totalBudget`` (either may be absent),
    ``runSchedule {start, end?}``, ``locale``, ``targetingCriteria``, ``creativeSelection``,
    ``offsiteDeliveryEnabled``, ``audienceExpansionEnabled``, ``objectiveType`` (sometimes absent),
    ``optimizationTargetType``, ``format``, ``pacingStrategy`` (sometimes absent), ``servingStatuses``,
    ``test``, ``version``, ``changeAuditStamps``, ``storyDeliveryEnabled``, ``connectedTelevisionOnly``.
  - creative: ``id`` (URN string), ``account``, ``campaign`` (URNs), ``name`` (sometimes absent),
    ``intendedStatus``, ``isServing``, ``servingHoldReasons`` (absent while serving), ``isTest``,
    ``createdAt``, ``createdBy``, ``lastModifiedAt``, ``lastModifiedBy``, ``content`` (``{reference}`` to a
    share/ugcPost/adInMailContent URN, or ``{textAd: {headline, description, landingPage}}``),
    ``review {status}`` (absent for drafts), ``leadgenCallToAction`` (lead-gen campaigns only).
  - conversion: ``id``, ``name``, ``account``, ``type``, ``attributionType``, ``conversionMethod``,
    ``enabled``, ``created``, ``lastModified``, ``lastCallbackAt`` (sometimes absent),
    ``postClickAttributionWindowSize``, ``viewThroughAttributionWindowSize``, ``value`` (absent for
    ``NO_VALUE``), ``valueType``, ``campaigns`` (URNs), ``associatedCampaigns``
    (``[{campaign, conversion: urn:lla:llaPartnerConversion:N, associatedAt}]``), ``imagePixelTag``,
    ``urlMatchRuleExpression``/``urlRules`` (INSIGHT_TAG only).

* Lookups (``None`` when unknown or not created yet): ``account(id)``, ``campaign_group(id)``,
  ``campaign(id)``, ``creative(id_or_urn)``, ``conversion(id)``; children of one account:
  ``groups_of(account_id)``, ``campaigns_of(account_id)``, ``creatives_of(account_id)``,
  ``conversions_of(account_id)``; ``account_id_of(entity)`` for any entity.
* Tokens: ``world.tokens`` (token -> :class:`~lisync.sandbox.core.TokenGrant`; the OAuth module adds
  issued tokens), ``world.strict_tokens``, ``world.default_grant``, ``grant_for(token)``,
  ``account_ids_for(grant)`` (the accounts a grant can see), ``can_see_account(grant, id)``,
  ``account_roles_for(grant)``.
* ``world.organization_ids_for_ads``: organization ids (``100000 + i``) that accounts and campaigns
  reference; the organic world uses the same ids for its company pages.
* ``world.analytics`` and ``world.organic``: lazily built models owned by other modules.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

from lisync.sandbox import synth
from lisync.sandbox.core import Clock, Scale, TokenGrant

TEntity = dict[str, Any]

ACCOUNT_STATUSES = ("ACTIVE", "CANCELED", "DRAFT", "PENDING_DELETION", "REMOVED")
GROUP_STATUSES = ("ACTIVE", "ARCHIVED", "CANCELED", "DRAFT", "PAUSED", "PENDING_DELETION", "REMOVED")
CAMPAIGN_STATUSES = (
    "ACTIVE",
    "PAUSED",
    "ARCHIVED",
    "COMPLETED",
    "CANCELED",
    "DRAFT",
    "PENDING_DELETION",
    "REMOVED",
)
CREATIVE_STATUSES = ("ACTIVE", "PAUSED", "DRAFT", "ARCHIVED", "CANCELED", "PENDING_DELETION", "REMOVED")
REVIEW_STATUSES = ("APPROVED", "PENDING", "REJECTED", "NEEDS_REVIEW")
ACCOUNT_ROLES = ("ACCOUNT_BILLING_ADMIN", "ACCOUNT_MANAGER", "CAMPAIGN_MANAGER", "CREATIVE_MANAGER", "VIEWER")
FIRST_ORGANIZATION_ID = 100000
UPCOMING_CAMPAIGNS_PER_ACCOUNT = 1

_DAY_MS = 86_400_000
# Cycle used for the statuses of visible accounts after the first (which is always ACTIVE, for the demo).
_ACCOUNT_STATUS_CYCLE = (
    "ACTIVE",
    "CANCELED",
    "ACTIVE",
    "DRAFT",
    "ACTIVE",
    "PENDING_DELETION",
    "ACTIVE",
    "REMOVED",
)
_CAMPAIGN_STATUS_WEIGHTS = (
    ("ACTIVE", 45),
    ("PAUSED", 15),
    ("ARCHIVED", 10),
    ("COMPLETED", 18),
    ("CANCELED", 4),
    ("DRAFT", 5),
    ("PENDING_DELETION", 1),
    ("REMOVED", 2),
)
_GROUP_STATUS_WEIGHTS = (
    ("ACTIVE", 55),
    ("ARCHIVED", 12),
    ("CANCELED", 5),
    ("DRAFT", 8),
    ("PAUSED", 15),
    ("PENDING_DELETION", 2),
    ("REMOVED", 3),
)
_CREATIVE_STATUS_WEIGHTS = (
    ("ACTIVE", 55),
    ("PAUSED", 15),
    ("DRAFT", 8),
    ("ARCHIVED", 10),
    ("CANCELED", 5),
    ("PENDING_DELETION", 2),
    ("REMOVED", 5),
)
_CURRENCIES = (("USD", 70), ("EUR", 14), ("GBP", 10), ("BRL", 6))
_LOCALES = (
    ({"country": "US", "language": "en"}, 60),
    ({"country": "GB", "language": "en"}, 12),
    ({"country": "DE", "language": "de"}, 10),
    ({"country": "FR", "language": "fr"}, 10),
    ({"country": "BR", "language": "pt"}, 8),
)
_GEOS = (
    "urn:li:geo:103644278",
    "urn:li:geo:101165590",
    "urn:li:geo:101282230",
    "urn:li:geo:105015875",
    "urn:li:geo:106057199",
)
_SENIORITIES = ("urn:li:seniority:4", "urn:li:seniority:5", "urn:li:seniority:6", "urn:li:seniority:7")
_CONVERSION_TYPES = (
    "LEAD",
    "PURCHASE",
    "ADD_TO_CART",
    "SIGN_UP",
    "KEY_PAGE_VIEW",
    "DOWNLOAD",
    "INSTALL",
    "OTHER",
    "QUALIFIED_LEAD",
    "SUBMIT_APPLICATION",
    "REQUEST_QUOTE",
    "BOOK_APPOINTMENT",
)
_LONG_WINDOW_TYPES = frozenset({"LEAD", "PURCHASE", "ADD_TO_CART", "QUALIFIED_LEAD", "SUBMIT_APPLICATION"})


def _stamps(created_ms: int, modified_ms: int, actor: str | None) -> TEntity:
    created: TEntity = {"time": created_ms}
    if actor is not None:
        created["actor"] = actor
    return {"created": created, "lastModified": {"actor": "urn:li:unknown:0", "time": modified_ms}}


def _coverage_statuses(
    count: int, statuses: tuple[str, ...], weights: tuple[tuple[str, float], ...], *salt: object
) -> list[str]:
    """Return ``count`` statuses in which every status appears at least once when ``count`` allows it.

    The first entity keeps ``ACTIVE`` so every world has something serving; the remaining statuses land
    on seeded-random positions and the rest are drawn by weight.
    """
    out = [synth.weighted_pick(weights, *salt, i) for i in range(count)]
    if count == 0:
        return out
    out[0] = "ACTIVE"
    positions = list(range(1, count))
    synth.seeded_rng(*salt, "positions").shuffle(positions)
    for status, position in zip([s for s in statuses if s != "ACTIVE"], positions, strict=False):
        out[position] = status
    return out


class World:
    """Deterministic LinkedIn ads world for one sandbox; see the module docstring for its API.

    Args:
        seed: World seed; the same seed and ``clock.today`` give the same world.
        scale: Entity counts.
        clock: The sandbox clock (shared with the app; moving it reveals or hides entities).
        tokens: Pre-registered access tokens.
        strict_tokens: When ``True`` only registered tokens are accepted.
        default_grant: The grant used for unregistered tokens in non-strict mode.

    """

    def __init__(
        self,
        seed: int,
        scale: Scale,
        clock: Clock,
        tokens: dict[str, TokenGrant] | None = None,
        strict_tokens: bool = False,
        default_grant: TokenGrant | None = None,
    ) -> None:
        self.seed = seed
        self.scale = scale
        self.clock = clock
        self.anchor_day: dt.date = clock.today
        self.tokens: dict[str, TokenGrant] = dict(tokens or {})
        self.strict_tokens = strict_tokens
        self.default_grant = default_grant or TokenGrant()
        self.organization_ids_for_ads: list[int] = [
            FIRST_ORGANIZATION_ID + i for i in range(scale.organizations)
        ]
        self.all_accounts: list[TEntity] = []
        self.all_campaign_groups: list[TEntity] = []
        self.all_campaigns: list[TEntity] = []
        self.all_creatives: list[TEntity] = []
        self.all_conversions: list[TEntity] = []
        self.visible_account_ids: list[int] = []
        self.hidden_account_ids: list[int] = []
        self._members: dict[int, list[str]] = {}
        self._draws = 0
        self._live_cache: tuple[dt.date, dict[str, list[TEntity]]] | None = None
        self._generate()
        self._index()

    # ----------------------------------------------------------------------------------------- tokens

    def grant_for(self, token: str | None) -> TokenGrant | None:
        """Return the grant of ``token``; other non-empty tokens get the default grant unless strict."""
        if not token:
            return None
        if token in self.tokens:
            return self.tokens[token]
        return None if self.strict_tokens else self.default_grant

    def account_ids_for(self, grant: TokenGrant) -> list[int]:
        """Return the ids of the (already created) accounts ``grant`` can see, ascending."""
        allowed = set(self.visible_account_ids) if grant.account_ids is None else set(grant.account_ids)
        return [a["id"] for a in self.accounts if a["id"] in allowed]

    def can_see_account(self, grant: TokenGrant, account_id: int) -> bool:
        """Return whether ``grant`` has a role on the account ``account_id``."""
        return account_id in self.account_ids_for(grant)

    def account_roles_for(self, grant: TokenGrant) -> list[TEntity]:
        """Return ``adAccountUsers`` elements: the member's role on every account the grant can see."""
        out = []
        for account_id in self.account_ids_for(grant):
            account = self._accounts_by_id[account_id]
            created = account["changeAuditStamps"]["created"]["time"]
            position = (
                self.visible_account_ids.index(account_id) if account_id in self.visible_account_ids else 1
            )
            role = (
                "ACCOUNT_BILLING_ADMIN"
                if position == 0
                else synth.pick(ACCOUNT_ROLES, self.seed, "role", account_id)
            )
            out.append(
                {
                    "account": f"urn:li:sponsoredAccount:{account_id}",
                    "changeAuditStamps": _stamps(
                        created, created + synth.between(0, 30, self.seed, account_id) * _DAY_MS, None
                    ),
                    "role": role,
                    "user": grant.member_urn,
                    "version": {
                        "versionTag": str(synth.between(1, 40, self.seed, "roleversion", account_id))
                    },
                }
            )
        return out

    # ------------------------------------------------------------------------------------- visibility

    def end_of_today_ms(self) -> int:
        """Return the first millisecond after the sandbox's today (entities created before it exist)."""
        return synth.day_start_ms(self.clock.today) + _DAY_MS

    @staticmethod
    def created_ms(entity: TEntity) -> int:
        """Return an entity's creation time (epoch ms), whatever its kind."""
        if "changeAuditStamps" in entity:
            return int(entity["changeAuditStamps"]["created"]["time"])
        if "createdAt" in entity:
            return int(entity["createdAt"])
        return int(entity["created"])

    def _live(self) -> dict[str, list[TEntity]]:
        if self._live_cache is None or self._live_cache[0] != self.clock.today:
            cutoff = self.end_of_today_ms()
            kinds = {
                "accounts": self.all_accounts,
                "campaign_groups": self.all_campaign_groups,
                "campaigns": self.all_campaigns,
                "creatives": self.all_creatives,
                "conversions": self.all_conversions,
            }
            self._live_cache = (
                self.clock.today,
                {
                    name: [e for e in entities if self.created_ms(e) < cutoff]
                    for name, entities in kinds.items()
                },
            )
        return self._live_cache[1]

    @property
    def accounts(self) -> list[TEntity]:
        """Ad accounts created by today (visible and hidden), sorted by id."""
        return self._live()["accounts"]

    @property
    def campaign_groups(self) -> list[TEntity]:
        """Campaign groups created by today, sorted by id."""
        return self._live()["campaign_groups"]

    @property
    def campaigns(self) -> list[TEntity]:
        """Campaigns created by today, sorted by id."""
        return self._live()["campaigns"]

    @property
    def creatives(self) -> list[TEntity]:
        """Creatives created by today, sorted by numeric id."""
        return self._live()["creatives"]

    @property
    def conversions(self) -> list[TEntity]:
        """Conversion rules created by today, sorted by id."""
        return self._live()["conversions"]

    def _exists(self, entity: TEntity | None) -> TEntity | None:
        return entity if entity is not None and self.created_ms(entity) < self.end_of_today_ms() else None

    # ---------------------------------------------------------------------------------------- lookups

    def account(self, account_id: int) -> TEntity | None:
        """Return the account with this id, or ``None``."""
        return self._exists(self._accounts_by_id.get(account_id))

    def campaign_group(self, group_id: int) -> TEntity | None:
        """Return the campaign group with this id, or ``None``."""
        return self._exists(self._groups_by_id.get(group_id))

    def campaign(self, campaign_id: int) -> TEntity | None:
        """Return the campaign with this id, or ``None``."""
        return self._exists(self._campaigns_by_id.get(campaign_id))

    def creative(self, creative_id: int | str) -> TEntity | None:
        """Return the creative with this numeric id or ``urn:li:sponsoredCreative:N`` URN, or ``None``."""
        if isinstance(creative_id, str):
            tail = creative_id.rsplit(":", 1)[-1]
            if not tail.isdigit():
                return None
            creative_id = int(tail)
        return self._exists(self._creatives_by_id.get(creative_id))

    def conversion(self, conversion_id: int) -> TEntity | None:
        """Return the conversion rule with this id, or ``None``."""
        return self._exists(self._conversions_by_id.get(conversion_id))

    @staticmethod
    def account_id_of(entity: TEntity) -> int:
        """Return the numeric ad account id an entity belongs to (for accounts, their own id)."""
        if "account" in entity:
            return int(str(entity["account"]).rsplit(":", 1)[-1])
        return int(entity["id"])

    def groups_of(self, account_id: int) -> list[TEntity]:
        """Return the campaign groups of one account (created by today)."""
        return [g for g in self.campaign_groups if self.account_id_of(g) == account_id]

    def campaigns_of(self, account_id: int) -> list[TEntity]:
        """Return the campaigns of one account (created by today)."""
        return [c for c in self.campaigns if self.account_id_of(c) == account_id]

    def creatives_of(self, account_id: int) -> list[TEntity]:
        """Return the creatives of one account (created by today)."""
        return [c for c in self.creatives if self.account_id_of(c) == account_id]

    def conversions_of(self, account_id: int) -> list[TEntity]:
        """Return the conversion rules of one account (created by today)."""
        return [c for c in self.conversions if self.account_id_of(c) == account_id]

    # ---------------------------------------------------------------------------------- lazy sub-models

    @cached_property
    def analytics(self) -> Any:
        """The analytics model (``lisync.sandbox.analytics_model.AnalyticsModel``), built on first use."""
        from lisync.sandbox.analytics_model import AnalyticsModel

        return AnalyticsModel(self)

    @cached_property
    def organic(self) -> Any:
        """The organic world (``lisync.sandbox.organic_world.OrganicWorld``), built on first use."""
        from lisync.sandbox.organic_world import OrganicWorld

        return OrganicWorld(self.seed, self.scale, self.clock, anchor_day=self.anchor_day)

    # ------------------------------------------------------------------------------------- generation

    def _index(self) -> None:
        for entities in (
            self.all_accounts,
            self.all_campaign_groups,
            self.all_campaigns,
            self.all_conversions,
        ):
            entities.sort(key=lambda e: e["id"])
        self.all_creatives.sort(key=lambda e: int(e["id"].rsplit(":", 1)[-1]))
        self._accounts_by_id = {a["id"]: a for a in self.all_accounts}
        self._groups_by_id = {g["id"]: g for g in self.all_campaign_groups}
        self._campaigns_by_id = {c["id"]: c for c in self.all_campaigns}
        self._creatives_by_id = {int(c["id"].rsplit(":", 1)[-1]): c for c in self.all_creatives}
        self._conversions_by_id = {c["id"]: c for c in self.all_conversions}

    def _ids(self, kind: str, base: int, spacing: int) -> Any:
        """Yield increasing ids for one entity kind; the start depends on the seed so worlds differ."""
        next_id = base + synth.between(0, 899_999, self.seed, "idbase", kind) * 10
        while True:
            next_id += synth.between(1, spacing, self.seed, "idstep", kind, next_id)
            yield next_id

    def _generate(self) -> None:
        scale = self.scale
        self._history_start = self.anchor_day - dt.timedelta(days=max(scale.history_days, 1))
        self._account_ids = self._ids("account", 500_000_000, 97)
        self._group_ids = self._ids("group", 600_000_000, 53)
        self._campaign_ids = self._ids("campaign", 300_000_000, 41)
        self._creative_ids = self._ids("creative", 120_000_000, 29)
        self._conversion_ids = self._ids("conversion", 10_000_000, 31)
        total_accounts = scale.accounts + scale.hidden_accounts
        # Status coverage is planned over the default member's accounts only, so every status is reachable
        # through the API; hidden accounts draw statuses by weight.
        groups_visible = scale.accounts * (scale.campaign_groups_per_account + 1)
        self._group_statuses = _coverage_statuses(
            groups_visible, GROUP_STATUSES, _GROUP_STATUS_WEIGHTS, self.seed, "group-status"
        )
        campaigns_visible = scale.accounts * scale.campaign_groups_per_account * scale.campaigns_per_group
        self._campaign_statuses = _coverage_statuses(
            campaigns_visible, CAMPAIGN_STATUSES, _CAMPAIGN_STATUS_WEIGHTS, self.seed, "campaign-status"
        )
        creatives_visible = campaigns_visible * scale.creatives_per_campaign
        self._creative_statuses = _coverage_statuses(
            creatives_visible, CREATIVE_STATUSES, _CREATIVE_STATUS_WEIGHTS, self.seed, "creative-status"
        )
        self._review_cycle = list(REVIEW_STATUSES)
        for index in range(total_accounts):
            hidden = index >= scale.accounts
            account = self._make_account(index, hidden)
            (self.hidden_account_ids if hidden else self.visible_account_ids).append(account["id"])
            self.all_accounts.append(account)
            self._make_children(account, hidden)

    def _day(self, offset: int) -> dt.date:
        return self._history_start + dt.timedelta(days=offset)

    def _span_days(self) -> int:
        return (self.anchor_day - self._history_start).days

    def _members_of(self, account_id: int) -> list[str]:
        if account_id not in self._members:
            self._members[account_id] = [
                f"urn:li:person:{synth.member_token(self.seed, 'member', account_id, i)}" for i in range(3)
            ]
        return self._members[account_id]

    def _make_account(self, index: int, hidden: bool) -> TEntity:
        seed = self.seed
        account_id = next(self._account_ids)
        if hidden:
            status = "ACTIVE"
        else:
            status = (
                "ACTIVE" if index == 0 else _ACCOUNT_STATUS_CYCLE[(index - 1) % len(_ACCOUNT_STATUS_CYCLE)]
            )
        created_day = self._day(
            synth.between(0, max(self._span_days() // 12, 0), seed, "acct-created", index)
        )
        created = synth.instant_ms(created_day, seed, "acct-created-ms", account_id)
        modified = self._modified_after(created, "acct", account_id)
        currency = synth.weighted_pick(_CURRENCIES, seed, "currency", account_id) if index else "USD"
        account: TEntity = {
            "changeAuditStamps": _stamps(created, modified, self._members_of(account_id)[0]),
            "currency": currency,
            "id": account_id,
            "name": f"{synth.company_name(seed, 'acct', account_id)} {'Ads' if index % 2 else 'Marketing'}",
            "reference": self._organization_urn(index),
            "servingStatuses": self._account_serving(status, account_id),
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
        if not self.organization_ids_for_ads:
            return None
        return (
            f"urn:li:organization:{self.organization_ids_for_ads[index % len(self.organization_ids_for_ads)]}"
        )

    def _account_serving(self, status: str, account_id: int) -> list[str]:
        if status != "ACTIVE":
            return ["STOPPED"]
        return ["BILLING_HOLD"] if synth.chance(0.1, self.seed, "billing-hold", account_id) else ["RUNNABLE"]

    def _modified_after(self, created_ms: int, *salt: object) -> int:
        """Return a last-modified instant between creation and the end of the anchor day's eve."""
        latest = synth.day_start_ms(self.anchor_day) - 1
        if created_ms >= latest:
            return created_ms + synth.between(0, 3_600_000, self.seed, "mod", *salt)
        if synth.chance(0.3, self.seed, "never-modified", *salt):
            return created_ms
        return created_ms + synth.between(0, latest - created_ms, self.seed, "mod", *salt)

    def _make_children(self, account: TEntity, hidden: bool) -> None:
        scale = self.scale
        groups = [self._make_group(account, g) for g in range(scale.campaign_groups_per_account + 1)]
        self.all_campaign_groups.extend(groups)
        campaigns: list[TEntity] = []
        for group in groups[1:]:
            for _ in range(scale.campaigns_per_group):
                status = self._next_status(
                    self._campaign_statuses, _CAMPAIGN_STATUS_WEIGHTS, "cmp", group["id"]
                )
                campaign = self._make_campaign(account, group, status, None)
                campaigns.append(campaign)
        if not hidden and scale.campaign_groups_per_account and scale.campaigns_per_group:
            for k in range(UPCOMING_CAMPAIGNS_PER_ACCOUNT):
                upcoming_day = self.anchor_day + dt.timedelta(
                    days=synth.between(2, 10, self.seed, "up", account["id"], k)
                )
                campaigns.append(self._make_campaign(account, groups[1], "ACTIVE", upcoming_day))
        self.all_campaigns.extend(campaigns)
        for campaign in campaigns:
            upcoming = campaign["changeAuditStamps"]["created"]["time"] >= synth.day_start_ms(self.anchor_day)
            for _ in range(scale.creatives_per_campaign if not upcoming else 1):
                status = (
                    "ACTIVE"
                    if upcoming
                    else self._next_status(
                        self._creative_statuses, _CREATIVE_STATUS_WEIGHTS, "crt", campaign["id"]
                    )
                )
                self.all_creatives.append(self._make_creative(account, campaign, status))
        for c in range(scale.conversions_per_account):
            self.all_conversions.append(self._make_conversion(account, campaigns, c))

    def _next_status(self, planned: list[str], weights: tuple[tuple[str, float], ...], *salt: object) -> str:
        """Take the next planned status, or draw one by weight once the plan is used up."""
        self._draws += 1
        return (
            planned.pop(0)
            if planned
            else synth.weighted_pick(weights, self.seed, "status", *salt, self._draws)
        )

    def _make_group(self, account: TEntity, index: int) -> TEntity:
        seed = self.seed
        group_id = next(self._group_ids)
        default = index == 0
        status = self._next_status(self._group_statuses, _GROUP_STATUS_WEIGHTS, "grp", group_id)
        account_created = account["changeAuditStamps"]["created"]["time"]
        if default:
            created = account_created + synth.between(1_000, 60_000, seed, "grp-default", group_id)
        else:
            room = max((synth.day_start_ms(self.anchor_day) - account_created) // _DAY_MS - 2, 0)
            created = account_created + synth.between(0, int(room * 0.6), seed, "grp-day", group_id) * _DAY_MS
            created += synth.between(0, 3_600_000, seed, "grp-ms", group_id)
        currency = account["currency"]
        start = synth.day_start_ms(synth.ms_to_date(created))
        group: TEntity = {
            "account": f"urn:li:sponsoredAccount:{account['id']}",
            "allowedCampaignTypes": ["SPONSORED_UPDATES", "TEXT_AD", "SPONSORED_INMAILS", "DYNAMIC"],
            "backfilled": default,
            "changeAuditStamps": _stamps(
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
            end = start + length * _DAY_MS
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

    def _make_campaign(
        self, account: TEntity, group: TEntity, status: str, upcoming_day: dt.date | None
    ) -> TEntity:
        seed = self.seed
        campaign_id = next(self._campaign_ids)
        account_id = account["id"]
        currency = account["currency"]
        group_created = group["changeAuditStamps"]["created"]["time"]
        if upcoming_day is not None:
            created = synth.instant_ms(upcoming_day, seed, "cmp-ms", campaign_id)
        else:
            room = max((synth.day_start_ms(self.anchor_day) - group_created) // _DAY_MS - 1, 0)
            created = group_created + synth.between(0, room, seed, "cmp-day", campaign_id) * _DAY_MS
            created += synth.between(0, 3_600_000, seed, "cmp-extra", campaign_id)
        modified = created if upcoming_day else self._modified_after(created, "cmp", campaign_id)
        ctype = synth.weighted_pick(
            (("SPONSORED_UPDATES", 70), ("TEXT_AD", 12), ("SPONSORED_INMAILS", 10), ("DYNAMIC", 8)),
            seed,
            "cmp-type",
            campaign_id,
        )
        fmt, objective, cost_type = self._campaign_shape(ctype, campaign_id)
        start = (
            synth.day_start_ms(synth.ms_to_date(created))
            + synth.between(0, 3, seed, "cmp-start", campaign_id) * _DAY_MS
        )
        run_schedule: TEntity = {"start": start}
        today_ms = synth.day_start_ms(self.anchor_day)
        if status == "COMPLETED":
            run_schedule["end"] = max(
                start + _DAY_MS,
                min(today_ms - _DAY_MS, start + synth.between(7, 60, seed, "cmp-len", campaign_id) * _DAY_MS),
            )
        elif synth.chance(0.4, seed, "cmp-has-end", campaign_id):
            run_schedule["end"] = start + synth.between(14, 180, seed, "cmp-len", campaign_id) * _DAY_MS
        campaign: TEntity = {
            "account": f"urn:li:sponsoredAccount:{account_id}",
            "associatedEntity": account["reference"],
            "audienceExpansionEnabled": synth.chance(0.3, seed, "cmp-ax", campaign_id),
            "campaignGroup": f"urn:li:sponsoredCampaignGroup:{group['id']}",
            "changeAuditStamps": _stamps(created, modified, None),
            "connectedTelevisionOnly": False,
            "costType": cost_type,
            "creativeSelection": "OPTIMIZED"
            if synth.chance(0.8, seed, "cmp-sel", campaign_id)
            else "ROUND_ROBIN",
            "format": fmt,
            "id": campaign_id,
            "locale": dict(synth.weighted_pick(_LOCALES, seed, "cmp-locale", campaign_id)),
            "name": (
                f"{synth.campaign_theme(seed, 'cmp', campaign_id)} - "
                f"{synth.audience_name(seed, 'aud', campaign_id)}"
            ),
            "offsiteDeliveryEnabled": ctype == "SPONSORED_UPDATES"
            and synth.chance(0.4, seed, "cmp-off", campaign_id),
            "optimizationTargetType": self._optimization_target(objective, campaign_id),
            "runSchedule": run_schedule,
            "servingStatuses": self._campaign_serving(status, run_schedule, today_ms),
            "status": status,
            "storyDeliveryEnabled": ctype == "SPONSORED_UPDATES"
            and synth.chance(0.2, seed, "cmp-story", campaign_id),
            "targetingCriteria": self._targeting(campaign_id),
            "test": account["test"],
            "type": ctype,
            "unitCost": {
                "amount": synth.money(synth.between(150, 1500, seed, "cmp-bid", campaign_id) / 100),
                "currencyCode": currency,
            },
            "version": {"versionTag": str(synth.between(1, 25, seed, "cmp-version", campaign_id))},
        }
        if objective is not None:
            campaign["objectiveType"] = objective
        budget_kind = synth.weighted_pick(
            (("daily", 60), ("total", 20), ("both", 20)), seed, "cmp-budget", campaign_id
        )
        if budget_kind in ("daily", "both"):
            campaign["dailyBudget"] = {
                "amount": synth.money(synth.between(2, 40, seed, "cmp-daily", campaign_id) * 25),
                "currencyCode": currency,
            }
        if budget_kind in ("total", "both"):
            campaign["totalBudget"] = {
                "amount": synth.money(synth.between(10, 200, seed, "cmp-tot", campaign_id) * 100),
                "currencyCode": currency,
            }
        if synth.chance(0.85, seed, "cmp-pacing", campaign_id):
            campaign["pacingStrategy"] = "LIFETIME" if budget_kind == "total" else "DAILY"
        return campaign

    def _campaign_shape(self, ctype: str, campaign_id: int) -> tuple[str, str | None, str]:
        seed = self.seed
        if ctype == "TEXT_AD":
            return "TEXT_AD", "WEBSITE_VISITS", synth.pick(("CPC", "CPM"), seed, "cost", campaign_id)
        if ctype == "SPONSORED_INMAILS":
            return "SPONSORED_INMAIL", "LEAD_GENERATION", "CPM"
        if ctype == "DYNAMIC":
            fmt = synth.pick(("FOLLOW_COMPANY", "SPOTLIGHT"), seed, "fmt", campaign_id)
            return fmt, "ENGAGEMENT" if fmt == "FOLLOW_COMPANY" else "WEBSITE_VISITS", "CPM"
        fmt = synth.weighted_pick(
            (("STANDARD_UPDATE", 50), ("SINGLE_VIDEO", 25), ("CAROUSEL", 15), ("DOCUMENT", 10)),
            seed,
            "fmt",
            campaign_id,
        )
        if fmt == "SINGLE_VIDEO":
            return fmt, "VIDEO_VIEWS", synth.pick(("CPV", "CPM"), seed, "cost", campaign_id)
        objective: str | None = synth.pick(
            ("BRAND_AWARENESS", "ENGAGEMENT", "LEAD_GENERATION", "WEBSITE_CONVERSIONS", "WEBSITE_VISITS"),
            seed,
            "obj",
            campaign_id,
        )
        if synth.chance(0.1, seed, "legacy-objective", campaign_id):
            objective = None  # legacy campaigns predate objectives
        return fmt, objective, synth.pick(("CPC", "CPM"), seed, "cost", campaign_id)

    def _optimization_target(self, objective: str | None, campaign_id: int) -> str:
        options = {
            "BRAND_AWARENESS": ("MAX_IMPRESSION", "MAX_REACH"),
            "ENGAGEMENT": ("NONE", "MAX_CLICK"),
            "LEAD_GENERATION": ("MAX_LEAD",),
            "WEBSITE_CONVERSIONS": ("MAX_CONVERSION",),
            "WEBSITE_VISITS": ("MAX_CLICK", "NONE"),
            "VIDEO_VIEWS": ("MAX_VIDEO_VIEW",),
        }.get(objective or "", ("NONE",))
        return synth.pick(options, self.seed, "opt", campaign_id)

    @staticmethod
    def _campaign_serving(status: str, run_schedule: TEntity, today_ms: int) -> list[str]:
        if status != "ACTIVE":
            return ["STOPPED"]
        if run_schedule["start"] > today_ms:
            return ["CAMPAIGN_START_DATE_HOLD"]
        if run_schedule.get("end") is not None and run_schedule["end"] <= today_ms:
            return ["CAMPAIGN_END_DATE_HOLD"]
        return ["RUNNABLE"]

    def _targeting(self, campaign_id: int) -> TEntity:
        seed = self.seed
        geos = sorted(
            {
                synth.pick(_GEOS, seed, "geo", campaign_id, i)
                for i in range(synth.between(1, 3, seed, "ngeo", campaign_id))
            }
        )
        clauses: list[TEntity] = [
            {"or": {"urn:li:adTargetingFacet:locations": geos}},
            {"or": {"urn:li:adTargetingFacet:interfaceLocales": ["urn:li:locale:en_US"]}},
        ]
        if synth.chance(0.5, seed, "seniority", campaign_id):
            clauses.append(
                {
                    "or": {
                        "urn:li:adTargetingFacet:seniorities": [
                            synth.pick(_SENIORITIES, seed, "sen", campaign_id)
                        ]
                    }
                }
            )
        criteria: TEntity = {"include": {"and": clauses}}
        if synth.chance(0.3, seed, "exclude", campaign_id):
            criteria["exclude"] = {"or": {"urn:li:adTargetingFacet:seniorities": ["urn:li:seniority:1"]}}
        return criteria

    def _make_creative(self, account: TEntity, campaign: TEntity, status: str) -> TEntity:
        seed = self.seed
        creative_id = next(self._creative_ids)
        members = self._members_of(account["id"])
        campaign_created = campaign["changeAuditStamps"]["created"]["time"]
        created = campaign_created + synth.between(60_000, 5 * _DAY_MS, seed, "crt-created", creative_id)
        if campaign_created >= synth.day_start_ms(self.anchor_day):
            modified = created
        else:
            created = min(created, synth.day_start_ms(self.anchor_day) - 1)
            modified = self._modified_after(created, "crt", creative_id)
        creative: TEntity = {
            "account": f"urn:li:sponsoredAccount:{account['id']}",
            "campaign": f"urn:li:sponsoredCampaign:{campaign['id']}",
            "content": self._creative_content(campaign, creative_id),
            "createdAt": created,
            "createdBy": synth.pick(members, seed, "crt-by", creative_id),
            "id": f"urn:li:sponsoredCreative:{creative_id}",
            "intendedStatus": status,
            "isTest": account["test"],
            "lastModifiedAt": modified,
            "lastModifiedBy": synth.pick(members, seed, "crt-mod-by", creative_id),
        }
        if synth.chance(0.8, seed, "crt-named", creative_id):
            creative["name"] = f"{synth.creative_label(seed, 'crt', creative_id)} #{creative_id % 1000}"
        if status != "DRAFT":
            review = (
                self._review_cycle.pop(0)
                if self._review_cycle
                else synth.weighted_pick(
                    (("APPROVED", 85), ("PENDING", 5), ("REJECTED", 5), ("NEEDS_REVIEW", 5)),
                    seed,
                    "review",
                    creative_id,
                )
            )
            creative["review"] = {"status": review}
        serving = (
            status == "ACTIVE"
            and campaign["status"] == "ACTIVE"
            and creative.get("review", {}).get("status") == "APPROVED"
            and campaign["servingStatuses"] == ["RUNNABLE"]
        )
        creative["isServing"] = serving
        if not serving:
            creative["servingHoldReasons"] = self._hold_reasons(status, campaign, creative)
        if campaign.get("objectiveType") == "LEAD_GENERATION" and campaign["type"] == "SPONSORED_UPDATES":
            creative["leadgenCallToAction"] = {
                "destination": f"urn:li:adForm:{synth.between(10**6, 10**7 - 1, seed, 'fm', campaign['id'])}",
                "label": synth.pick(
                    ("SIGN_UP", "DOWNLOAD", "REQUEST_DEMO", "LEARN_MORE"), seed, "cta", creative_id
                ),
            }
        return creative

    @staticmethod
    def _hold_reasons(status: str, campaign: TEntity, creative: TEntity) -> list[str]:
        reasons = []
        if status != "ACTIVE":
            reasons.append("STOPPED")
        review = creative.get("review", {}).get("status")
        if review in ("PENDING", "NEEDS_REVIEW"):
            reasons.append("UNDER_REVIEW")
        elif review == "REJECTED":
            reasons.append("REJECTED")
        if campaign["status"] != "ACTIVE":
            reasons.append("CAMPAIGN_STOPPED")
        for serving in campaign["servingStatuses"]:
            if serving in ("CAMPAIGN_START_DATE_HOLD", "CAMPAIGN_END_DATE_HOLD"):
                reasons.append(serving)
        return reasons or ["CAMPAIGN_STOPPED"]

    def _creative_content(self, campaign: TEntity, creative_id: int) -> TEntity:
        seed = self.seed
        if campaign["type"] == "TEXT_AD":
            theme = synth.campaign_theme(seed, "txt", creative_id)
            return {
                "textAd": {
                    "headline": theme[:25],
                    "description": f"{theme}: see how teams save hours each week.",
                    "landingPage": f"https://www.example.com/lp/{creative_id}?utm_source=linkedin",
                }
            }
        if campaign["type"] == "SPONSORED_INMAILS":
            inmail_id = synth.between(100_000_000, 999_999_999, seed, "inmail", creative_id)
            return {"reference": f"urn:li:adInMailContent:{inmail_id}"}
        post_id = 7_100_000_000_000_000_000 + synth.stable_hash(seed, "post", creative_id) % 10**17
        kind = "share" if synth.chance(0.4, seed, "share-kind", creative_id) else "ugcPost"
        return {"reference": f"urn:li:{kind}:{post_id}"}

    def _make_conversion(self, account: TEntity, campaigns: list[TEntity], index: int) -> TEntity:
        seed = self.seed
        conversion_id = next(self._conversion_ids)
        account_created = account["changeAuditStamps"]["created"]["time"]
        room = max((synth.day_start_ms(self.anchor_day) - account_created) // _DAY_MS - 1, 0)
        created = account_created + synth.between(0, room, seed, "conv-day", conversion_id) * _DAY_MS
        modified = self._modified_after(created, "conv", conversion_id)
        ctype = synth.pick(_CONVERSION_TYPES, seed, "conv-type", conversion_id)
        method = "CONVERSIONS_API" if synth.chance(0.3, seed, "conv-method", conversion_id) else "INSIGHT_TAG"
        windows = (1, 7, 30, 90, 365) if ctype in _LONG_WINDOW_TYPES else (1, 7, 30, 90)
        value_type = synth.weighted_pick(
            (("FIXED", 50), ("DYNAMIC", 25), ("NO_VALUE", 25)), seed, "vt", conversion_id
        )
        anchor_ms = synth.day_start_ms(self.anchor_day)
        existing = [c for c in campaigns if c["changeAuditStamps"]["created"]["time"] < anchor_ms]
        picks = synth.between(0, 3, seed, "nconv", conversion_id) if existing else 0
        chosen_by_id = {}
        for k in range(picks):
            campaign = synth.pick(existing, seed, "conv-cmp", conversion_id, k)
            chosen_by_id[campaign["id"]] = campaign
        chosen = [chosen_by_id[key] for key in sorted(chosen_by_id)]
        conversion_urn = f"urn:lla:llaPartnerConversion:{conversion_id}"
        conversion: TEntity = {
            "account": f"urn:li:sponsoredAccount:{account['id']}",
            "associatedCampaigns": [
                {
                    "associatedAt": max(created, c["changeAuditStamps"]["created"]["time"])
                    + synth.between(0, 86_400_000, seed, "assoc", conversion_id, c["id"]),
                    "campaign": f"urn:li:sponsoredCampaign:{c['id']}",
                    "conversion": conversion_urn,
                }
                for c in chosen
            ],
            "attributionType": synth.pick(
                ("LAST_TOUCH_BY_CAMPAIGN", "LAST_TOUCH_BY_CONVERSION"), seed, "attr", conversion_id
            ),
            "campaigns": [f"urn:li:sponsoredCampaign:{c['id']}" for c in chosen],
            "conversionMethod": method,
            "created": created,
            "enabled": synth.chance(0.8, seed, "conv-enabled", conversion_id),
            "id": conversion_id,
            "imagePixelTag": (
                f'<img height="1" width="1" style="display:none;" alt="" '
                f'src="https://px.ads.linkedin.com/collect/?pid={account["id"] % 10_000_000}'
                f'&conversionId={conversion_id}&fmt=gif" />'
            ),
            "lastModified": modified,
            "name": f"{ctype.replace('_', ' ').title()} - {synth.campaign_theme(seed, 'cv', conversion_id)}",
            "postClickAttributionWindowSize": synth.pick(windows, seed, "pcw", conversion_id)
            if index
            else 30,
            "type": ctype,
            "valueType": value_type,
            "viewThroughAttributionWindowSize": synth.pick((1, 7, 30, 90), seed, "vtw", conversion_id)
            if index
            else 7,
        }
        if value_type != "NO_VALUE":
            conversion["value"] = {
                "amount": synth.money(synth.between(5, 500, seed, "conv-val", conversion_id)),
                "currencyCode": account["currency"],
            }
        if synth.chance(0.7, seed, "callback", conversion_id) and modified > created:
            conversion["lastCallbackAt"] = modified - synth.between(
                0, modified - created, seed, "cb", conversion_id
            )
        if method == "INSIGHT_TAG":
            path = synth.pick(
                ("/thank-you", "/signup/complete", "/checkout/success", "/demo/booked"),
                seed,
                "url",
                conversion_id,
            )
            conversion["urlMatchRuleExpression"] = [[{"matchType": "CONTAINS", "matchValue": path}]]
            conversion["urlRules"] = [{"matchValue": path, "type": "CONTAINS"}]
        return conversion
