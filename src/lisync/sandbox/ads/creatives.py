"""Build one sandbox creative (``/rest/adAccounts/{id}/creatives``): content, review, serving state and hold reasons.

Every function here is pure; the id, the status and the review status come from
:class:`~lisync.sandbox.ads.entities.AdsEntityFactory`, and every other value is a seeded draw on the id.
"""

from __future__ import annotations

import datetime as dt

from lisync.sandbox import synth
from lisync.sandbox.ads.fields import modified_after
from lisync.sandbox.ads.settings import DAY_MS, TEntity


def build_creative(
    seed: int,
    anchor_day: dt.date,
    creative_id: int,
    account: TEntity,
    campaign: TEntity,
    status: str,
    members: list[str],
    review: str | None,
) -> TEntity:
    """Return a creative of ``campaign``, serving only when it, its review and its campaign all allow it.

    Args:
        seed: World seed.
        anchor_day: The ``today`` the world is generated for.
        creative_id: The creative's numeric id.
        account: The owning ad account.
        campaign: The campaign it runs in.
        status: Its ``intendedStatus``.
        members: Member URNs of the account (creators and editors).
        review: Its review status, or ``None`` for drafts, which are never reviewed.

    Returns:
        The creative entity as ``GET /rest/adAccounts/{id}/creatives`` returns it.
    """
    campaign_created = campaign["changeAuditStamps"]["created"]["time"]
    created = campaign_created + synth.between(60_000, 5 * DAY_MS, seed, "crt-created", creative_id)
    if campaign_created >= synth.day_start_ms(anchor_day):
        modified = created
    else:
        created = min(created, synth.day_start_ms(anchor_day) - 1)
        modified = modified_after(seed, anchor_day, created, "crt", creative_id)
    creative: TEntity = {
        "account": f"urn:li:sponsoredAccount:{account['id']}",
        "campaign": f"urn:li:sponsoredCampaign:{campaign['id']}",
        "content": creative_content(seed, campaign, creative_id),
        "createdAt": created,
        "createdBy": synth.pick(members, seed, "crt-by", creative_id),
        "id": f"urn:li:sponsoredCreative:{creative_id}",
        "intendedStatus": status,
        "isTest": account["test"],
        "lastModifiedAt": modified,
        "lastModifiedBy": synth.pick(members, seed, "crt-mod-by", creative_id),
    }
    if synth.chance(0.8, seed, "crt-named", creative_id):
        creative["name"] = f"{synth.creative_label(seed, 'crt', creative_id)} #{creative_id % 1000}"
    if review is not None:
        creative["review"] = {"status": review}
    serving = (
        status == "ACTIVE"
        and campaign["status"] == "ACTIVE"
        and creative.get("review", {}).get("status") == "APPROVED"
        and campaign["servingStatuses"] == ["RUNNABLE"]
    )
    creative["isServing"] = serving
    if not serving:
        creative["servingHoldReasons"] = hold_reasons(status, campaign, creative)
    if campaign.get("objectiveType") == "LEAD_GENERATION" and campaign["type"] == "SPONSORED_UPDATES":
        creative["leadgenCallToAction"] = {
            "destination": f"urn:li:adForm:{synth.between(10**6, 10**7 - 1, seed, 'fm', campaign['id'])}",
            "label": synth.pick(("SIGN_UP", "DOWNLOAD", "REQUEST_DEMO", "LEARN_MORE"), seed, "cta", creative_id),
        }
    return creative


def creative_content(seed: int, campaign: TEntity, creative_id: int) -> TEntity:
    """Return a creative's ``content``: a text ad, a spotlight ad, an InMail reference or a share/ugcPost reference.

    Text and spotlight ads carry their ``landingPage``; sponsored content points to its post.
    """
    if campaign["type"] == "TEXT_AD":
        theme = synth.campaign_theme(seed, "txt", creative_id)
        return {
            "textAd": {
                "headline": theme[:25],
                "description": f"{theme}: see how teams save hours each week.",
                "landingPage": f"https://www.example.com/lp/{creative_id}?utm_source=linkedin",
            }
        }
    if campaign["type"] == "DYNAMIC" and campaign.get("format") == "SPOTLIGHT":
        return {"spotlight": spotlight_content(seed, campaign, creative_id)}
    if campaign["type"] == "SPONSORED_INMAILS":
        inmail_id = synth.between(100_000_000, 999_999_999, seed, "inmail", creative_id)
        return {"reference": f"urn:li:adInMailContent:{inmail_id}"}
    post_id = 7_100_000_000_000_000_000 + synth.stable_hash(seed, "post", creative_id) % 10**17
    kind = "share" if synth.chance(0.4, seed, "share-kind", creative_id) else "ugcPost"
    return {"reference": f"urn:li:{kind}:{post_id}"}


def spotlight_content(seed: int, campaign: TEntity, creative_id: int) -> TEntity:
    """Return a dynamic spotlight ad's ``content.spotlight`` (the docs' Dynamic Spotlight Ads schema)."""
    theme = synth.campaign_theme(seed, "spot", creative_id)
    return {
        "callToAction": synth.pick(("Learn more", "Sign up", "Join us", "Get started"), seed, "spot-cta", creative_id),
        "description": f"{theme}, made for teams like yours.",
        "headline": theme[:50],
        "landingPage": (f"https://www.example.com/spotlight/{creative_id}?utm_source=linkedin"
                        f"&utm_medium=paid_social&utm_campaign=c{campaign['id']}"),
        "logo": f"urn:li:image:D4E10AQ{synth.stable_hash(seed, 'spot-logo', creative_id) % 10**10:010d}",
        "organizationName": synth.company_name(seed, "spot-org", campaign["id"]),
        "showMemberProfilePhoto": synth.chance(0.7, seed, "spot-photo", creative_id),
    }


def hold_reasons(status: str, campaign: TEntity, creative: TEntity) -> list[str]:
    """Return a non-serving creative's ``servingHoldReasons`` (never empty)."""
    reasons = []
    if status != "ACTIVE":
        reasons.append("STOPPED")
    review = creative.get("review", {}).get("status")
    if review in ("PENDING", "NEEDS_REVIEW"):
        reasons.append("UNDER_REVIEW")
    elif review == "REJECTED":
        reasons.append("REJECTED")
    if campaign["status"] != "ACTIVE":
        reasons.append("CAMPAIGN_STOPPED")
    for serving in campaign["servingStatuses"]:
        if serving in ("CAMPAIGN_START_DATE_HOLD", "CAMPAIGN_END_DATE_HOLD"):
            reasons.append(serving)
    return reasons or ["CAMPAIGN_STOPPED"]
