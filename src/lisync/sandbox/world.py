"""The sandbox's ads world: entity lists, lookups and token grants over the generated ads entities.

A :class:`World` is built once from ``(seed, scale, clock.today)``; every entity is a LinkedIn-shaped JSON
dict exactly as the versioned REST API returns it (ids are ``int`` except creatives, whose ``id`` is the
``urn:li:sponsoredCreative:N`` string; timestamps are epoch milliseconds; money amounts are strings).
Optional fields are sometimes omitted, as LinkedIn omits nulls.

World API (read by every route module and by the analytics model):

* ``world.seed``, ``world.scale`` (:class:`~lisync.sandbox.scale.Scale`), ``world.clock``
  (:class:`~lisync.sandbox.clock.Clock`), ``world.anchor_day`` (the ``today`` the world was generated for).
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
    share/ugcPost/adInMailContent URN (a share/ugcPost is a dark post ``/rest/posts`` answers, see
    :mod:`~lisync.sandbox.ads.dsc_posts`), ``{textAd: {headline, description, landingPage}}`` or, for SPOTLIGHT
    dynamic campaigns, ``{spotlight: {callToAction, description, headline, landingPage, logo, organizationName,
    showMemberProfilePhoto}}``),
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
* Tokens: ``world.tokens`` (token -> :class:`~lisync.sandbox.oauth.grants.TokenGrant`; the OAuth module adds
  issued tokens), ``world.strict_tokens``, ``world.default_grant``, ``grant_for(token)``,
  ``account_ids_for(grant)`` (the accounts a grant can see), ``can_see_account(grant, id)``,
  ``account_roles_for(grant)``.
* ``world.organization_ids_for_ads``: organization ids (``100000 + i``) that accounts and campaigns
  reference; the organic world uses the same ids for its company pages.
* ``world.analytics``, ``world.organic`` and ``world.leads``: lazily built models owned by other modules.

Generation lives elsewhere: :mod:`~lisync.sandbox.ads.entities` draws the entities in a fixed order
(with :mod:`~lisync.sandbox.ads.campaigns`, :mod:`~lisync.sandbox.ads.creatives`,
:mod:`~lisync.sandbox.ads.conversions` and :mod:`~lisync.sandbox.ads.fields`), and
:mod:`~lisync.sandbox.ads.settings` holds the constants (``*_STATUSES``, ``ACCOUNT_ROLES``,
``TEntity``...).
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from lisync.sandbox import synth
from lisync.sandbox.ads.drift import TKind, drift_entity
from lisync.sandbox.ads.entities import generate_ads_entities
from lisync.sandbox.ads.fields import stamps
from lisync.sandbox.ads.settings import (
    ACCOUNT_ROLES,
    DAY_MS,
    FIRST_ORGANIZATION_ID,
    TEntity,
)
from lisync.sandbox.analytics.model import AnalyticsModel
from lisync.sandbox.clock import Clock
from lisync.sandbox.leads.world import LeadsWorld
from lisync.sandbox.oauth.grants import TokenGrant
from lisync.sandbox.oauth.state import OAuthState, new_oauth_state
from lisync.sandbox.organic.world import OrganicWorld
from lisync.sandbox.scale import Scale


class World:
    """Deterministic LinkedIn ads world for one sandbox; see the module docstring for its API.

    Args:
        seed: World seed; the same seed and ``clock.today`` give the same world.
        scale: Entity counts.
        clock: The sandbox clock (shared with the app; moving it reveals or hides entities).
        tokens: Pre-registered access tokens.
        strict_tokens: When ``True`` only registered tokens are accepted.
        default_grant: The grant used for unregistered tokens in non-strict mode.
        oauth: The OAuth server's state (default: the default client and LinkedIn's token lifetimes).

    """

    def __init__(
        self,
        seed: int,
        scale: Scale,
        clock: Clock,
        tokens: dict[str, TokenGrant] | None = None,
        strict_tokens: bool = False,
        default_grant: TokenGrant | None = None,
        oauth: OAuthState | None = None,
    ) -> None:
        self.seed = seed
        self.scale = scale
        self.clock = clock
        self.anchor_day: dt.date = clock.today
        self.tokens: dict[str, TokenGrant] = dict(tokens or {})
        self.strict_tokens = strict_tokens
        self.default_grant = default_grant or TokenGrant()
        self.oauth = oauth or new_oauth_state(seed)
        self.organization_ids_for_ads: list[int] = [
            FIRST_ORGANIZATION_ID + i for i in range(scale.organizations)
        ]
        generated = generate_ads_entities(seed, scale, self.anchor_day, self.organization_ids_for_ads)
        self.all_accounts: list[TEntity] = generated.accounts
        self.all_campaign_groups: list[TEntity] = generated.campaign_groups
        self.all_campaigns: list[TEntity] = generated.campaigns
        self.all_creatives: list[TEntity] = generated.creatives
        self.all_conversions: list[TEntity] = generated.conversions
        self.visible_account_ids: list[int] = generated.visible_account_ids
        self.hidden_account_ids: list[int] = generated.hidden_account_ids
        # Campaigns the campaigns finder leaves out (SandboxConfig.unlisted_campaign_accounts; ads/listing_gaps.py).
        self.unlisted_campaign_ids: frozenset[int] = frozenset()
        self._live_cache: tuple[dt.date, dict[str, list[TEntity]]] | None = None
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
                    "changeAuditStamps": stamps(
                        created, created + synth.between(0, 30, self.seed, account_id) * DAY_MS, None
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
        return synth.day_start_ms(self.clock.today) + DAY_MS

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
            kinds: dict[TKind, list[TEntity]] = {
                "accounts": self.all_accounts,
                "campaign_groups": self.all_campaign_groups,
                "campaigns": self.all_campaigns,
                "creatives": self.all_creatives,
                "conversions": self.all_conversions,
            }
            self._live_cache = (
                self.clock.today,
                {
                    name: [self._drifted(name, e) for e in entities if self.created_ms(e) < cutoff]
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

    def _exists(self, entity: TEntity | None, kind: TKind) -> TEntity | None:
        if entity is None or self.created_ms(entity) >= self.end_of_today_ms():
            return None
        return self._drifted(kind, entity)

    def _drifted(self, kind: TKind, entity: TEntity) -> TEntity:
        """The entity as it stands on the clock's today (see :mod:`lisync.sandbox.ads.drift`)."""
        return drift_entity(self.seed, kind, entity, self.anchor_day, self.clock.today)

    # ---------------------------------------------------------------------------------------- lookups

    def account(self, account_id: int) -> TEntity | None:
        """Return the account with this id, or ``None``."""
        return self._exists(self._accounts_by_id.get(account_id), "accounts")

    def campaign_group(self, group_id: int) -> TEntity | None:
        """Return the campaign group with this id, or ``None``."""
        return self._exists(self._groups_by_id.get(group_id), "campaign_groups")

    def campaign(self, campaign_id: int) -> TEntity | None:
        """Return the campaign with this id, or ``None``."""
        return self._exists(self._campaigns_by_id.get(campaign_id), "campaigns")

    def creative(self, creative_id: int | str) -> TEntity | None:
        """Return the creative with this numeric id or ``urn:li:sponsoredCreative:N`` URN, or ``None``."""
        if isinstance(creative_id, str):
            tail = creative_id.rsplit(":", 1)[-1]
            if not tail.isdigit():
                return None
            creative_id = int(tail)
        return self._exists(self._creatives_by_id.get(creative_id), "creatives")

    def conversion(self, conversion_id: int) -> TEntity | None:
        """Return the conversion rule with this id, or ``None``."""
        return self._exists(self._conversions_by_id.get(conversion_id), "conversions")

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
    def analytics(self) -> AnalyticsModel:
        """The analytics model, built on first use."""
        return AnalyticsModel(self)

    @cached_property
    def organic(self) -> OrganicWorld:
        """The organic world, built on first use."""
        return OrganicWorld(self.seed, self.scale, self.clock, anchor_day=self.anchor_day)

    @cached_property
    def leads(self) -> LeadsWorld:
        """The Lead Gen world (forms and responses), built on first use."""
        return LeadsWorld(self)

    # ---------------------------------------------------------------------------------------- indexes

    def _index(self) -> None:
        """Sort the generated entities by id and build the id lookups (the analytics model reads them too)."""
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
