"""The Direct Sponsored Content (dark) posts that sponsored creatives point to, as ``GET /rest/posts`` returns them.

A sponsored-content creative's ``content.reference`` is a ``urn:li:share:N`` or ``urn:li:ugcPost:N`` the
organic world does not hold: it is a dark post, created for the ad (``distribution.feedDistribution: NONE``,
``adContext {dscAdAccount, dscAdType, dscName, dscStatus, isDsc}``, Posts API schema), authored by the ad
account's ``reference`` (its company page). This module derives that post from the creative, so a
``GET /rest/posts/{urn}`` or BATCH_GET ``/rest/posts?ids=List(..)`` of a creative's reference answers it.

Its landing page follows the Posts API schema: an article post links to ``content.article.source``; an image
or video post names ``contentLandingPage`` (required for website-visit campaigns) unless it is a lead-gen ad
(the form is the destination) or one of the few brand posts without one. Every value is a seeded draw on the
creative id, so the post is the same on every call.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lisync.sandbox import synth
from lisync.sandbox.ads.settings import TEntity

POST_REFERENCE_PREFIXES = ("urn:li:share:", "urn:li:ugcPost:")


def sponsored_creatives_by_post(creatives: Iterable[TEntity]) -> dict[str, TEntity]:
    """Return the sponsored-content creatives of ``creatives`` keyed by the post URN they reference."""
    out: dict[str, TEntity] = {}
    for creative in creatives:
        reference = creative.get("content", {}).get("reference")
        if isinstance(reference, str) and reference.startswith(POST_REFERENCE_PREFIXES):
            out.setdefault(reference, creative)
    return out


def dsc_post_json(seed: int, creative: TEntity, account: TEntity | None, campaign: TEntity | None) -> dict[str, Any]:
    """Return the dark post ``creative`` sponsors, in the Posts API's JSON.

    Args:
        seed: World seed.
        creative: A creative whose ``content.reference`` is a share or ugcPost URN.
        account: The creative's ad account (its ``reference`` is the post's author).
        campaign: The creative's campaign (a lead-gen campaign's post names no landing page).

    Returns:
        The post, ``author`` being the account's ``reference``.
    """
    creative_id = creative["id"]
    urn: str = creative["content"]["reference"]
    account_urn = str(creative["account"])
    author = (account or {}).get("reference") or account_urn
    created = int(creative["createdAt"]) - synth.between(60_000, 3_600_000, seed, "dsc-created", creative_id)
    theme = synth.campaign_theme(seed, "dsc", creative_id)
    page = (f"https://www.example.com/sponsored/{urn.rsplit(':', 1)[1]}?utm_source=linkedin"
            f"&utm_medium=sponsored_content&utm_campaign=c{(campaign or {}).get('id')}")
    lead_gen = (campaign or {}).get("objectiveType") == "LEAD_GENERATION"
    post: dict[str, Any] = {
        "id": urn,
        "author": author,
        "commentary": f"{theme}: see what is new this quarter.",
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "NONE", "targetEntities": [], "thirdPartyDistributionChannels": []},
        "lifecycleState": "PUBLISHED",
        "lifecycleStateInfo": {"isEditedByAuthor": False},
        "isReshareDisabledByAuthor": False,
        "createdAt": created,
        "publishedAt": created,
        "lastModifiedAt": created,
        "adContext": {"dscAdAccount": account_urn,
                      "dscAdType": "VIDEO" if urn.startswith("urn:li:ugcPost:") and synth.chance(
                          0.3, seed, "dsc-video", creative_id) else "STANDARD",
                      "dscName": creative.get("name") or f"Sponsored update {creative_id.rsplit(':', 1)[1]}",
                      "dscStatus": "ACTIVE", "isDsc": True},
    }
    if not lead_gen and synth.chance(0.45, seed, "dsc-article", creative_id):
        post["content"] = {"article": {"source": page, "title": theme[:60],
                                       "description": f"{theme}, in five minutes."}}
        return post
    kind = "video" if post["adContext"]["dscAdType"] == "VIDEO" else "image"
    token = synth.stable_hash(seed, "dsc-media", creative_id) % 10**10
    post["content"] = {"media": {"id": f"urn:li:{kind}:D4E10AQ{token:010d}", "title": theme[:60]}}
    if not lead_gen and synth.chance(0.9, seed, "dsc-landing", creative_id):
        post["contentLandingPage"] = page
        post["contentCallToActionLabel"] = synth.pick(("LEARN_MORE", "SIGN_UP", "REGISTER", "DOWNLOAD"),
                                                      seed, "dsc-cta", creative_id)
    return post
