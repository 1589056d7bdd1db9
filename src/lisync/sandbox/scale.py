"""How big the synthetic world is: the :class:`Scale` knobs, the named presets and their resolution."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Scale:
    """How big the synthetic world is. Every count is deterministic for a given seed.

    Attributes:
        accounts: Ad accounts visible to the default member.
        hidden_accounts: Extra ad accounts that exist but the default member cannot see.
        campaign_groups_per_account: Campaign groups per account (plus LinkedIn's default group).
        campaigns_per_group: Campaigns per campaign group.
        creatives_per_campaign: Creatives per campaign.
        conversions_per_account: Conversion rules per account.
        history_days: Days of history before "today" over which entities are created and run.
        organizations: Company pages the default member administers.
        posts_per_organization: Posts authored by each organization within the history.
    """

    accounts: int = 3
    hidden_accounts: int = 1
    campaign_groups_per_account: int = 2
    campaigns_per_group: int = 3
    creatives_per_campaign: int = 2
    conversions_per_account: int = 3
    history_days: int = 120
    organizations: int = 2
    posts_per_organization: int = 30

    @property
    def creatives(self) -> int:
        """Total creatives in visible accounts."""
        return self.accounts * self.campaign_groups_per_account * self.campaigns_per_group * (
            self.creatives_per_campaign
        )


SCALES: dict[str, Scale] = {
    "tiny": Scale(accounts=2, hidden_accounts=1, campaign_groups_per_account=1, campaigns_per_group=2,
                  creatives_per_campaign=2, conversions_per_account=2, history_days=60, organizations=2,
                  posts_per_organization=12),
    "small": Scale(),
    "medium": Scale(accounts=8, campaign_groups_per_account=3, campaigns_per_group=5, creatives_per_campaign=4,
                    conversions_per_account=4, history_days=365, organizations=3, posts_per_organization=120),
    "large": Scale(accounts=20, campaign_groups_per_account=5, campaigns_per_group=5, creatives_per_campaign=4,
                   conversions_per_account=5, history_days=365, organizations=5, posts_per_organization=300),
}


def resolve_scale(name: str, **overrides: int) -> Scale:
    """Return the named scale preset with any per-knob overrides applied.

    Args:
        name: One of ``tiny``, ``small``, ``medium``, ``large``.
        **overrides: Knob values that replace the preset's (e.g. ``accounts=40``).

    Returns:
        The resulting :class:`Scale`.

    Raises:
        ValueError: For an unknown preset or knob, or a negative count.
    """
    if name not in SCALES:
        raise ValueError(f"Unknown sandbox scale {name!r}: use one of {', '.join(SCALES)}.")
    known = set(Scale.__dataclass_fields__)
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(f"Unknown sandbox scale knob(s) {', '.join(unknown)}: use {', '.join(sorted(known))}.")
    if any(v < 0 for v in overrides.values()):
        raise ValueError("Sandbox scale knobs must be zero or more.")
    return replace(SCALES[name], **overrides)
