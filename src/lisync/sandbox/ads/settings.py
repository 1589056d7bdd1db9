"""Typed constants of the sandbox's ads world: statuses, status weights, currencies, locales and targeting facets.

The public tuples (``*_STATUSES``, ``REVIEW_STATUSES``, ``ACCOUNT_ROLES``) are the values LinkedIn's
versioned REST API documents; the world, routes and tests import them from here. The ``*_WEIGHTS``
and the other pools feed the seeded draws of :mod:`lisync.sandbox.ads.entities`: changing any of them
changes every generated world.
"""

from __future__ import annotations

from typing import Any

TEntity = dict[str, Any]
"""A LinkedIn-shaped JSON entity (account, group, campaign, creative or conversion)."""

TWeights = tuple[tuple[str, float], ...]
"""``(value, weight)`` options for :func:`lisync.sandbox.synth.weighted_pick`."""

DAY_MS = 86_400_000

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

# Cycle used for the statuses of visible accounts after the first (which is always ACTIVE, for the demo).
ACCOUNT_STATUS_CYCLE = (
    "ACTIVE",
    "CANCELED",
    "ACTIVE",
    "DRAFT",
    "ACTIVE",
    "PENDING_DELETION",
    "ACTIVE",
    "REMOVED",
)
CAMPAIGN_STATUS_WEIGHTS: TWeights = (
    ("ACTIVE", 45),
    ("PAUSED", 15),
    ("ARCHIVED", 10),
    ("COMPLETED", 18),
    ("CANCELED", 4),
    ("DRAFT", 5),
    ("PENDING_DELETION", 1),
    ("REMOVED", 2),
)
GROUP_STATUS_WEIGHTS: TWeights = (
    ("ACTIVE", 55),
    ("ARCHIVED", 12),
    ("CANCELED", 5),
    ("DRAFT", 8),
    ("PAUSED", 15),
    ("PENDING_DELETION", 2),
    ("REMOVED", 3),
)
CREATIVE_STATUS_WEIGHTS: TWeights = (
    ("ACTIVE", 55),
    ("PAUSED", 15),
    ("DRAFT", 8),
    ("ARCHIVED", 10),
    ("CANCELED", 5),
    ("PENDING_DELETION", 2),
    ("REMOVED", 5),
)
CURRENCIES: TWeights = (("USD", 70), ("EUR", 14), ("GBP", 10), ("BRL", 6))
LOCALES = (
    ({"country": "US", "language": "en"}, 60),
    ({"country": "GB", "language": "en"}, 12),
    ({"country": "DE", "language": "de"}, 10),
    ({"country": "FR", "language": "fr"}, 10),
    ({"country": "BR", "language": "pt"}, 8),
)
GEOS = (
    "urn:li:geo:103644278",
    "urn:li:geo:101165590",
    "urn:li:geo:101282230",
    "urn:li:geo:105015875",
    "urn:li:geo:106057199",
)
SENIORITIES = ("urn:li:seniority:4", "urn:li:seniority:5", "urn:li:seniority:6", "urn:li:seniority:7")
CONVERSION_TYPES = (
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
# Conversion types that may use a 365-day post-click attribution window.
LONG_WINDOW_TYPES = frozenset({"LEAD", "PURCHASE", "ADD_TO_CART", "QUALIFIED_LEAD", "SUBMIT_APPLICATION"})
