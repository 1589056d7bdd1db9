"""Deterministic random helpers for the sandbox: hashes, seeded choices, names and epoch-millisecond dates.

Every synthetic value in the sandbox is a pure function of its inputs (the world seed, an entity id, a
field name, a date...), so the same seed always yields byte-identical worlds. Never use the ``random``
module's globals or the wall clock here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def stable_hash(*parts: object) -> int:
    """Return a 64-bit integer hash of ``parts`` that is stable across processes and Python versions."""
    text = "\x1f".join(str(part) for part in parts)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def unit(*parts: object) -> float:
    """Return a deterministic float in ``[0, 1)`` derived from ``parts``."""
    return stable_hash(*parts) / 2**64


def seeded_rng(*parts: object) -> random.Random:
    """Return a private :class:`random.Random` seeded from ``parts``."""
    return random.Random(stable_hash(*parts))


def pick(options: Sequence[T], *parts: object) -> T:
    """Pick one of ``options`` deterministically from ``parts``."""
    return options[stable_hash(*parts) % len(options)]


def weighted_pick(options: Sequence[tuple[T, float]], *parts: object) -> T:
    """Pick one ``(value, weight)`` option deterministically, proportionally to its weight."""
    total = sum(weight for _, weight in options)
    point = unit(*parts) * total
    for value, weight in options:
        point -= weight
        if point < 0:
            return value
    return options[-1][0]


def chance(probability: float, *parts: object) -> bool:
    """Return ``True`` with the given probability, deterministically from ``parts``."""
    return unit(*parts) < probability


def between(low: int, high: int, *parts: object) -> int:
    """Return a deterministic integer in ``[low, high]``."""
    if high <= low:
        return low
    return low + stable_hash(*parts) % (high - low + 1)


def day_start_ms(day: dt.date) -> int:
    """Return midnight UTC of ``day`` as epoch milliseconds."""
    return int((dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) - _EPOCH).total_seconds()) * 1000


def ms_to_date(ms: int) -> dt.date:
    """Return the UTC date of an epoch-milliseconds instant."""
    return (_EPOCH + dt.timedelta(milliseconds=ms)).date()


def instant_ms(day: dt.date, *parts: object) -> int:
    """Return a deterministic instant within ``day`` (UTC, between 06:00 and 20:00) as epoch milliseconds."""
    offset_ms = between(6 * 3600_000, 20 * 3600_000 - 1, *parts)
    return day_start_ms(day) + offset_ms


def money(amount: float) -> str:
    """Format an amount the way LinkedIn returns money: a plain decimal string without trailing zeros."""
    text = f"{amount:.2f}".rstrip("0").rstrip(".")
    return text or "0"


_COMPANY_FIRST = (
    "Northwind",
    "Bluebird",
    "Cobalt",
    "Juniper",
    "Granite",
    "Helix",
    "Lumen",
    "Meridian",
    "Orchid",
    "Pinnacle",
    "Quartz",
    "Riverstone",
    "Saffron",
    "Tidewater",
    "Umbra",
    "Vertex",
)
_COMPANY_SECOND = (
    "Analytics",
    "Robotics",
    "Foods",
    "Logistics",
    "Health",
    "Software",
    "Capital",
    "Energy",
    "Studios",
    "Labs",
    "Outfitters",
    "Systems",
)
_CAMPAIGN_THEMES = (
    "Spring Launch",
    "Brand Lift",
    "Webinar Signups",
    "Product Tour",
    "Retargeting",
    "Lead Magnet",
    "Hiring Push",
    "Event Promo",
    "Case Study",
    "Free Trial",
    "Newsletter",
    "Holiday Push",
    "Q4 Pipeline",
    "ABM Tier 1",
    "Awareness Video",
    "Demo Requests",
)
_AUDIENCES = (
    "IT Decision Makers",
    "Marketing Leaders",
    "Finance Pros",
    "HR Managers",
    "Founders",
    "Engineers",
    "Sales Ops",
    "Healthcare Admins",
    "Students",
    "Lookalike 1%",
)
_CREATIVE_WORDS = (
    "Carousel",
    "Single Image",
    "Video 15s",
    "Video 30s",
    "Document",
    "Text Ad",
    "Spotlight",
    "Message",
    "Variant A",
    "Variant B",
)


def company_name(*parts: object) -> str:
    """Return a deterministic fictional company name."""
    return f"{pick(_COMPANY_FIRST, *parts, 'first')} {pick(_COMPANY_SECOND, *parts, 'second')}"


def campaign_theme(*parts: object) -> str:
    """Return a deterministic campaign theme (e.g. ``Webinar Signups``)."""
    return pick(_CAMPAIGN_THEMES, *parts)


def audience_name(*parts: object) -> str:
    """Return a deterministic audience label (e.g. ``IT Decision Makers``)."""
    return pick(_AUDIENCES, *parts)


def creative_label(*parts: object) -> str:
    """Return a deterministic creative label (e.g. ``Video 15s``)."""
    return pick(_CREATIVE_WORDS, *parts)


def member_token(*parts: object) -> str:
    """Return a deterministic LinkedIn-style member id token (10 url-safe characters, e.g. ``fGcyYDdglZ``)."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    value = stable_hash(*parts)
    chars = []
    for _ in range(10):
        value, index = divmod(value, len(alphabet))
        chars.append(alphabet[index])
    return "".join(chars)
