"""Entity drift: ads entities change over the sandbox clock (status, budget, name), as real accounts do.

The generated world is frozen at its anchor day. So that a replication keeping entity history
(``lisync run --history``) sees new versions after ``POST /_sandbox/clock``, every entity may change at each
weekly boundary after the anchor day: once the clock passes ``anchor_day + 7·k`` days, a seeded draw per
``(entity, k)`` decides whether it changed that week and how. A change stamps
``changeAuditStamps.lastModified`` (creatives: ``lastModifiedAt``; conversions: ``lastModified``) with the
boundary's instant, as LinkedIn does on an edit. Moving the clock back undoes the changes; the same seed and
clock day always give the same state.

What may change, per kind (LinkedIn lets an advertiser edit each of these):

* ad accounts: ``name``;
* campaign groups: ``status`` (ACTIVE ↔ PAUSED) or ``name``;
* campaigns: ``status`` (ACTIVE ↔ PAUSED), ``dailyBudget`` (±10-30%) or ``name``;
* creatives: ``intendedStatus`` (ACTIVE ↔ PAUSED);
* conversion rules: ``name``.

Delivery (ad analytics) follows the generated world, not the drifted statuses: a deviation the fidelity table
in ``docs/sandbox.md`` records.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Literal

from lisync.sandbox import synth

TEntity = dict[str, Any]
TKind = Literal["accounts", "campaign_groups", "campaigns", "creatives", "conversions"]

DRIFT_PERIOD_DAYS = 7
# Chance that one entity changes in one week.
DRIFT_CHANCE = 0.35
TOGGLED_STATUSES = {"ACTIVE": "PAUSED", "PAUSED": "ACTIVE"}
# Which change each kind draws from (a status toggle falls back to a rename when the status is final).
CHANGES: dict[str, tuple[str, ...]] = {
    "accounts": ("name",),
    "campaign_groups": ("status", "status", "name"),
    "campaigns": ("status", "status", "budget", "name"),
    "creatives": ("intendedStatus",),
    "conversions": ("name",),
}


def drift_entity(seed: int, kind: TKind, entity: TEntity, anchor_day: dt.date, today: dt.date) -> TEntity:
    """Return ``entity`` as it stands on ``today`` (the same object when nothing changed yet).

    Args:
        seed: World seed.
        kind: The entity kind (``campaigns``…), which decides what may change.
        entity: The entity as generated for ``anchor_day``.
        anchor_day: The day the world was generated for; nothing changes before the first weekly boundary.
        today: The sandbox clock's today.

    Returns:
        The drifted entity (a copy when any change applies), or ``entity`` itself.
    """
    weeks = (today - anchor_day).days // DRIFT_PERIOD_DAYS
    if weeks <= 0:
        return entity
    key = str(entity.get("id"))
    created_ms = _created_ms(entity)
    out: TEntity | None = None
    for week in range(1, weeks + 1):
        boundary = anchor_day + dt.timedelta(days=week * DRIFT_PERIOD_DAYS)
        boundary_ms = synth.day_start_ms(boundary) + synth.between(0, 3_600_000, seed, "drift-ms", key, week)
        if created_ms is not None and created_ms >= boundary_ms:
            continue  # created after this boundary: nothing to change yet
        if not synth.chance(DRIFT_CHANCE, seed, "drift", kind, key, week):
            continue
        out = out if out is not None else copy.deepcopy(entity)
        _apply_change(out, seed, kind, week, synth.pick(CHANGES[kind], seed, "drift-what", kind, key, week))
        _stamp_modified(out, boundary_ms)
    return entity if out is None else out


def _apply_change(entity: TEntity, seed: int, kind: str, week: int, what: str) -> None:
    key = str(entity.get("id"))
    field = "intendedStatus" if what == "intendedStatus" else "status"
    if what in ("status", "intendedStatus"):
        current = entity.get(field)
        if current in TOGGLED_STATUSES:
            entity[field] = TOGGLED_STATUSES[current]
            return
        what = "name"  # a final status (COMPLETED, ARCHIVED…) is not toggled back to life
    if what == "budget" and isinstance(entity.get("dailyBudget"), dict):
        budget = entity["dailyBudget"]
        factor = 1 + synth.pick((-0.3, -0.2, -0.1, 0.1, 0.2, 0.3), seed, "drift-budget", key, week)
        budget["amount"] = synth.money(max(10.0, float(budget.get("amount") or 0) * factor))
        return
    name = str(entity.get("name") or kind.rstrip("s"))
    base = name.split(" · rev ")[0]
    entity["name"] = f"{base} · rev {week}"


def _created_ms(entity: TEntity) -> int | None:
    stamps = entity.get("changeAuditStamps")
    if isinstance(stamps, dict):
        return int(stamps["created"]["time"])
    for key in ("createdAt", "created"):
        value = entity.get(key)
        if isinstance(value, int):
            return value
    return None


def _stamp_modified(entity: TEntity, when_ms: int) -> None:
    stamps = entity.get("changeAuditStamps")
    if isinstance(stamps, dict):
        stamps.setdefault("lastModified", {})["time"] = when_ms
        return
    for key in ("lastModifiedAt", "lastModified"):
        if key in entity:
            entity[key] = when_ms
            return
