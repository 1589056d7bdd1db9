"""Build one sandbox campaign (``/rest/adAccounts/{id}/adCampaigns``): type, format, objective, schedule, targeting.

Every function here is pure; the id and the status come from
:class:`~lisync.sandbox.ads.entities.AdsEntityFactory`, and every other value is a seeded draw on the id.
"""

from __future__ import annotations

import datetime as dt

from lisync.sandbox import synth
from lisync.sandbox.ads.fields import modified_after, stamps
from lisync.sandbox.ads.settings import DAY_MS, GEOS, LOCALES, SENIORITIES, TEntity


def build_campaign(
    seed: int,
    anchor_day: dt.date,
    campaign_id: int,
    account: TEntity,
    group: TEntity,
    status: str,
    upcoming_day: dt.date | None,
) -> TEntity:
    """Return a campaign of ``group``; its created time falls after the group's, or on ``upcoming_day``.

    Args:
        seed: World seed.
        anchor_day: The ``today`` the world is generated for.
        campaign_id: The campaign's id.
        account: The owning ad account.
        group: The campaign group it belongs to.
        status: Its ``status``.
        upcoming_day: For campaigns created after the anchor day, the day they are created on.

    Returns:
        The campaign entity as ``GET /rest/adAccounts/{id}/adCampaigns`` returns it.
    """
    account_id = account["id"]
    currency = account["currency"]
    group_created = group["changeAuditStamps"]["created"]["time"]
    if upcoming_day is not None:
        created = synth.instant_ms(upcoming_day, seed, "cmp-ms", campaign_id)
    else:
        room = max((synth.day_start_ms(anchor_day) - group_created) // DAY_MS - 1, 0)
        created = group_created + synth.between(0, room, seed, "cmp-day", campaign_id) * DAY_MS
        created += synth.between(0, 3_600_000, seed, "cmp-extra", campaign_id)
    modified = created if upcoming_day else modified_after(seed, anchor_day, created, "cmp", campaign_id)
    ctype = synth.weighted_pick(
        (("SPONSORED_UPDATES", 70), ("TEXT_AD", 12), ("SPONSORED_INMAILS", 10), ("DYNAMIC", 8)),
        seed,
        "cmp-type",
        campaign_id,
    )
    fmt, objective, cost_type = campaign_shape(seed, ctype, campaign_id)
    start = (
        synth.day_start_ms(synth.ms_to_date(created)) + synth.between(0, 3, seed, "cmp-start", campaign_id) * DAY_MS
    )
    run_schedule: TEntity = {"start": start}
    today_ms = synth.day_start_ms(anchor_day)
    if status == "COMPLETED":
        run_schedule["end"] = max(
            start + DAY_MS,
            min(today_ms - DAY_MS, start + synth.between(7, 60, seed, "cmp-len", campaign_id) * DAY_MS),
        )
    elif synth.chance(0.4, seed, "cmp-has-end", campaign_id):
        run_schedule["end"] = start + synth.between(14, 180, seed, "cmp-len", campaign_id) * DAY_MS
    campaign: TEntity = {
        "account": f"urn:li:sponsoredAccount:{account_id}",
        "associatedEntity": account["reference"],
        "audienceExpansionEnabled": synth.chance(0.3, seed, "cmp-ax", campaign_id),
        "campaignGroup": f"urn:li:sponsoredCampaignGroup:{group['id']}",
        "changeAuditStamps": stamps(created, modified, None),
        "connectedTelevisionOnly": False,
        "costType": cost_type,
        "creativeSelection": "OPTIMIZED" if synth.chance(0.8, seed, "cmp-sel", campaign_id) else "ROUND_ROBIN",
        "format": fmt,
        "id": campaign_id,
        "locale": dict(synth.weighted_pick(LOCALES, seed, "cmp-locale", campaign_id)),
        "name": (
            f"{synth.campaign_theme(seed, 'cmp', campaign_id)} - {synth.audience_name(seed, 'aud', campaign_id)}"
        ),
        "offsiteDeliveryEnabled": ctype == "SPONSORED_UPDATES" and synth.chance(0.4, seed, "cmp-off", campaign_id),
        "optimizationTargetType": optimization_target(seed, objective, campaign_id),
        "runSchedule": run_schedule,
        "servingStatuses": campaign_serving(status, run_schedule, today_ms),
        "status": status,
        "storyDeliveryEnabled": ctype == "SPONSORED_UPDATES" and synth.chance(0.2, seed, "cmp-story", campaign_id),
        "targetingCriteria": targeting_criteria(seed, campaign_id),
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
    budget_kind = synth.weighted_pick((("daily", 60), ("total", 20), ("both", 20)), seed, "cmp-budget", campaign_id)
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


def campaign_shape(seed: int, ctype: str, campaign_id: int) -> tuple[str, str | None, str]:
    """Return a campaign's ``(format, objectiveType, costType)`` consistent with its campaign type.

    The objective is ``None`` for legacy campaigns, which predate objectives.
    """
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


def optimization_target(seed: int, objective: str | None, campaign_id: int) -> str:
    """Return an ``optimizationTargetType`` LinkedIn allows for the campaign's objective."""
    options = {
        "BRAND_AWARENESS": ("MAX_IMPRESSION", "MAX_REACH"),
        "ENGAGEMENT": ("NONE", "MAX_CLICK"),
        "LEAD_GENERATION": ("MAX_LEAD",),
        "WEBSITE_CONVERSIONS": ("MAX_CONVERSION",),
        "WEBSITE_VISITS": ("MAX_CLICK", "NONE"),
        "VIDEO_VIEWS": ("MAX_VIDEO_VIEW",),
    }.get(objective or "", ("NONE",))
    return synth.pick(options, seed, "opt", campaign_id)


def campaign_serving(status: str, run_schedule: TEntity, today_ms: int) -> list[str]:
    """Return a campaign's ``servingStatuses`` from its status and run schedule on the anchor day."""
    if status != "ACTIVE":
        return ["STOPPED"]
    if run_schedule["start"] > today_ms:
        return ["CAMPAIGN_START_DATE_HOLD"]
    if run_schedule.get("end") is not None and run_schedule["end"] <= today_ms:
        return ["CAMPAIGN_END_DATE_HOLD"]
    return ["RUNNABLE"]


def targeting_criteria(seed: int, campaign_id: int) -> TEntity:
    """Return a campaign's ``targetingCriteria``: locations and locale, sometimes seniorities and an exclusion."""
    geos = sorted(
        {
            synth.pick(GEOS, seed, "geo", campaign_id, i)
            for i in range(synth.between(1, 3, seed, "ngeo", campaign_id))
        }
    )
    clauses: list[TEntity] = [
        {"or": {"urn:li:adTargetingFacet:locations": geos}},
        {"or": {"urn:li:adTargetingFacet:interfaceLocales": ["urn:li:locale:en_US"]}},
    ]
    if synth.chance(0.5, seed, "seniority", campaign_id):
        clauses.append(
            {"or": {"urn:li:adTargetingFacet:seniorities": [synth.pick(SENIORITIES, seed, "sen", campaign_id)]}}
        )
    criteria: TEntity = {"include": {"and": clauses}}
    if synth.chance(0.3, seed, "exclude", campaign_id):
        criteria["exclude"] = {"or": {"urn:li:adTargetingFacet:seniorities": ["urn:li:seniority:1"]}}
    return criteria
