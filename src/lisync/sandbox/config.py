"""What shapes one sandbox instance: :class:`SandboxConfig` (world, tokens, version policy, faults, OAuth)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from lisync.sandbox.ads.listing_gaps import unlisted_campaigns
from lisync.sandbox.clock import Clock
from lisync.sandbox.faults import FaultConfig
from lisync.sandbox.oauth.grants import TokenGrant
from lisync.sandbox.oauth.state import new_oauth_state
from lisync.sandbox.scale import Scale, resolve_scale
from lisync.sandbox.world import World

SANDBOX_HOST = "127.0.0.1"
_VERSION_FORMS = re.compile(r"(?P<year>\d{4})(?P<month>\d{2})(?:\.\d{2}|\d{2})?")


def _utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@dataclass
class SandboxConfig:
    """Everything that shapes one sandbox instance.

    Attributes:
        port: TCP port on 127.0.0.1; ``0`` picks a free port.
        seed: World seed; the same seed and ``today`` give byte-identical responses.
        scale: Scale preset name (``tiny``, ``small``, ``medium``, ``large``).
        scale_overrides: Per-knob overrides of the preset (e.g. ``{"accounts": 40}``).
        today: The sandbox's "today" (UTC); defaults to the real UTC date.
        strict_tokens: Accept only the tokens in ``tokens`` (and tokens the sandbox's OAuth issues).
        tokens: Pre-registered access tokens and their grants.
        accept_retired_versions: Accept every past ``LinkedIn-Version`` (for benchmarking old peers);
            future versions stay inactive.
        latency_ms: Extra delay added to every API response.
        oauth_access_token_ttl_seconds: Lifetime of access tokens the sandbox's OAuth server issues
            (``None``: LinkedIn's 60 days); tests shorten it to expire tokens mid-run.
        oauth_clients: Extra registered OAuth apps, as ``routes/oauth/flow.py`` documents
            (``{"client_id", "client_secret", "redirect_uris", "allow_loopback", "scopes", ...}``).
        unlisted_campaign_accounts: Listings and analytics disagree: the campaigns search finder leaves out
            every campaign of this many accounts while adAnalytics reports their delivery
            (:mod:`lisync.sandbox.ads.listing_gaps`).

    """

    port: int = 0
    seed: int = 7
    scale: str = "small"
    scale_overrides: dict[str, int] = field(default_factory=dict)
    today: dt.date = field(default_factory=_utc_today)
    strict_tokens: bool = False
    tokens: dict[str, TokenGrant] = field(default_factory=dict)
    accept_retired_versions: bool = False
    latency_ms: int = 0
    faults: FaultConfig = field(default_factory=FaultConfig)
    oauth_access_token_ttl_seconds: int | None = None
    oauth_clients: list[dict[str, Any]] = field(default_factory=list)
    unlisted_campaign_accounts: int = 0

    @property
    def host(self) -> str:
        """The sandbox only ever listens on loopback."""
        return SANDBOX_HOST

    def resolved_scale(self) -> Scale:
        """Return the :class:`Scale` preset with the overrides applied."""
        return resolve_scale(self.scale, **self.scale_overrides)

    def version_is_active(self, version: str, today: dt.date) -> bool:
        """Return whether a ``LinkedIn-Version`` value is served on ``today``.

        ``YYYYMM``, ``YYYYMM.RR`` and ``YYYYMMDD`` are accepted forms; a version is active from its month
        through the same month one year later (LinkedIn supports each version for at least a year), or
        from its month on when ``accept_retired_versions`` is set.

        Args:
            version: The header value.
            today: The sandbox's today.

        Returns:
            ``True`` when the version is active.

        """
        found = _VERSION_FORMS.fullmatch(version.strip())
        if not found or not 1 <= int(found["month"]) <= 12:
            return False
        version_month = int(found["year"]) * 12 + int(found["month"]) - 1
        today_month = today.year * 12 + today.month - 1
        if version_month > today_month:
            return False
        return self.accept_retired_versions or today_month - version_month <= 12

    def build_world(self) -> World:
        """Build the :class:`World` this configuration describes."""
        world = World(
            self.seed,
            self.resolved_scale(),
            Clock(self.today),
            tokens=dict(self.tokens),
            strict_tokens=self.strict_tokens,
            oauth=new_oauth_state(self.seed, self.oauth_clients, self.oauth_access_token_ttl_seconds),
        )
        world.unlisted_campaign_ids = unlisted_campaigns(world.all_campaigns, self.unlisted_campaign_accounts)
        return world
