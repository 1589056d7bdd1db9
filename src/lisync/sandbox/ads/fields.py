"""Pure field derivations shared by the sandbox's ads entity builders: audit stamps, edit times, status plans.

These helpers hold no state, so calling them in any order gives the same values; the stateful part of
generation (id streams, status plans, the order of entities) lives in :mod:`lisync.sandbox.ads.entities`.
"""

from __future__ import annotations

import datetime as dt

from lisync.sandbox import synth
from lisync.sandbox.ads.settings import TEntity, TWeights


def stamps(created_ms: int, modified_ms: int, actor: str | None) -> TEntity:
    """Return a ``changeAuditStamps`` record.

    Args:
        created_ms: Creation instant (epoch ms).
        modified_ms: Last-modified instant (epoch ms).
        actor: Creator URN, or ``None`` to leave ``created.actor`` out as LinkedIn sometimes does.

    Returns:
        ``{"created": {"time", "actor"?}, "lastModified": {"actor", "time"}}``.
    """
    created: TEntity = {"time": created_ms}
    if actor is not None:
        created["actor"] = actor
    return {"created": created, "lastModified": {"actor": "urn:li:unknown:0", "time": modified_ms}}


def coverage_statuses(count: int, statuses: tuple[str, ...], weights: TWeights, *salt: object) -> list[str]:
    """Return ``count`` statuses in which every status appears at least once when ``count`` allows it.

    The first entity keeps ``ACTIVE`` so every world has something serving; the remaining statuses land
    on seeded-random positions and the rest are drawn by weight.

    Args:
        count: How many statuses to plan.
        statuses: Every status that should appear.
        weights: Weights for the positions not needed for coverage.
        *salt: Seed parts (the world seed first).

    Returns:
        The planned statuses, in entity order.
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


def modified_after(seed: int, anchor_day: dt.date, created_ms: int, *salt: object) -> int:
    """Return a last-modified instant between creation and the end of the anchor day's eve.

    Args:
        seed: World seed.
        anchor_day: The ``today`` the world is generated for.
        created_ms: Creation instant (epoch ms).
        *salt: Entity-specific seed parts (kind and id).

    Returns:
        An epoch-ms instant not before ``created_ms``.
    """
    latest = synth.day_start_ms(anchor_day) - 1
    if created_ms >= latest:
        return created_ms + synth.between(0, 3_600_000, seed, "mod", *salt)
    if synth.chance(0.3, seed, "never-modified", *salt):
        return created_ms
    return created_ms + synth.between(0, latest - created_ms, seed, "mod", *salt)


def account_serving(seed: int, status: str, account_id: int) -> list[str]:
    """Return an ad account's ``servingStatuses`` (a few active accounts sit on a billing hold)."""
    if status != "ACTIVE":
        return ["STOPPED"]
    return ["BILLING_HOLD"] if synth.chance(0.1, seed, "billing-hold", account_id) else ["RUNNABLE"]
