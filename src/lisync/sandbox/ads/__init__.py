"""The sandbox's ads entities: deterministic accounts, campaign groups, campaigns, creatives and conversion rules."""
