"""What the pipeline families share during one run: settings, the client, resolved selections, notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from lisync.config import RunSettings
from lisync.linkedin.client import LinkedInClient
from lisync.summary import RunSummary


@dataclass
class RunContext:
    """Shared state of one run, built before any data is extracted.

    Attributes:
        settings: The validated run settings.
        client: The LinkedIn client (counts every request).
        summary: The run summary, where families record notes.
        today: The run's "today" (UTC), fixed at start so every family agrees on it.
        visible_accounts: Every ad account element the token can see (when an ads family runs).
        selected_accounts: The accounts selected by the *Accounts* filter.
        organizations: Organization records selected for the organic families (filled by them).
        cache: Lookups shared between families (e.g. entity names for analytics rows).
    """

    settings: RunSettings
    client: LinkedInClient
    summary: RunSummary
    today: dt.date = field(default_factory=lambda: dt.datetime.now(dt.UTC).date())
    visible_accounts: list[dict[str, Any]] = field(default_factory=list)
    selected_accounts: list[dict[str, Any]] = field(default_factory=list)
    organizations: list[dict[str, Any]] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)
