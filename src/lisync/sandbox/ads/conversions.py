"""Build one sandbox conversion rule (``/rest/conversions``) from its id, its account and the account's campaigns.

:func:`build_conversion` is pure: the id comes from the conversion id stream of
:class:`~lisync.sandbox.ads.entities.AdsEntityFactory`, and every other value is a seeded draw on it.
"""

from __future__ import annotations

import datetime as dt

from lisync.sandbox import synth
from lisync.sandbox.ads.fields import modified_after
from lisync.sandbox.ads.settings import CONVERSION_TYPES, DAY_MS, LONG_WINDOW_TYPES, TEntity


def build_conversion(
    seed: int,
    anchor_day: dt.date,
    conversion_id: int,
    account: TEntity,
    campaigns: list[TEntity],
    index: int,
) -> TEntity:
    """Return a conversion rule of ``account``, associated with some of its campaigns created before today.

    Args:
        seed: World seed.
        anchor_day: The ``today`` the world is generated for.
        conversion_id: The rule's id.
        account: The owning ad account.
        campaigns: The account's campaigns (upcoming ones included; they are never associated).
        index: Position of the rule within its account; the first uses LinkedIn's default windows.

    Returns:
        The conversion entity as ``GET /rest/conversions`` returns it.
    """
    account_created = account["changeAuditStamps"]["created"]["time"]
    room = max((synth.day_start_ms(anchor_day) - account_created) // DAY_MS - 1, 0)
    created = account_created + synth.between(0, room, seed, "conv-day", conversion_id) * DAY_MS
    modified = modified_after(seed, anchor_day, created, "conv", conversion_id)
    ctype = synth.pick(CONVERSION_TYPES, seed, "conv-type", conversion_id)
    method = "CONVERSIONS_API" if synth.chance(0.3, seed, "conv-method", conversion_id) else "INSIGHT_TAG"
    windows = (1, 7, 30, 90, 365) if ctype in LONG_WINDOW_TYPES else (1, 7, 30, 90)
    value_type = synth.weighted_pick((("FIXED", 50), ("DYNAMIC", 25), ("NO_VALUE", 25)), seed, "vt", conversion_id)
    anchor_ms = synth.day_start_ms(anchor_day)
    existing = [c for c in campaigns if c["changeAuditStamps"]["created"]["time"] < anchor_ms]
    picks = synth.between(0, 3, seed, "nconv", conversion_id) if existing else 0
    chosen_by_id = {}
    for k in range(picks):
        campaign = synth.pick(existing, seed, "conv-cmp", conversion_id, k)
        chosen_by_id[campaign["id"]] = campaign
    chosen = [chosen_by_id[key] for key in sorted(chosen_by_id)]
    conversion_urn = f"urn:lla:llaPartnerConversion:{conversion_id}"
    conversion: TEntity = {
        "account": f"urn:li:sponsoredAccount:{account['id']}",
        "associatedCampaigns": [
            {
                "associatedAt": max(created, c["changeAuditStamps"]["created"]["time"])
                + synth.between(0, 86_400_000, seed, "assoc", conversion_id, c["id"]),
                "campaign": f"urn:li:sponsoredCampaign:{c['id']}",
                "conversion": conversion_urn,
            }
            for c in chosen
        ],
        "attributionType": synth.pick(
            ("LAST_TOUCH_BY_CAMPAIGN", "LAST_TOUCH_BY_CONVERSION"), seed, "attr", conversion_id
        ),
        "campaigns": [f"urn:li:sponsoredCampaign:{c['id']}" for c in chosen],
        "conversionMethod": method,
        "created": created,
        "enabled": synth.chance(0.8, seed, "conv-enabled", conversion_id),
        "id": conversion_id,
        "imagePixelTag": (
            f'<img height="1" width="1" style="display:none;" alt="" '
            f'src="https://px.ads.linkedin.com/collect/?pid={account["id"] % 10_000_000}'
            f'&conversionId={conversion_id}&fmt=gif" />'
        ),
        "lastModified": modified,
        "name": f"{ctype.replace('_', ' ').title()} - {synth.campaign_theme(seed, 'cv', conversion_id)}",
        "postClickAttributionWindowSize": synth.pick(windows, seed, "pcw", conversion_id) if index else 30,
        "type": ctype,
        "valueType": value_type,
        "viewThroughAttributionWindowSize": synth.pick((1, 7, 30, 90), seed, "vtw", conversion_id)
        if index
        else 7,
    }
    if value_type != "NO_VALUE":
        conversion["value"] = {
            "amount": synth.money(synth.between(5, 500, seed, "conv-val", conversion_id)),
            "currencyCode": account["currency"],
        }
    if synth.chance(0.7, seed, "callback", conversion_id) and modified > created:
        conversion["lastCallbackAt"] = modified - synth.between(0, modified - created, seed, "cb", conversion_id)
    if method == "INSIGHT_TAG":
        path = synth.pick(
            ("/thank-you", "/signup/complete", "/checkout/success", "/demo/booked"),
            seed,
            "url",
            conversion_id,
        )
        conversion["urlMatchRuleExpression"] = [[{"matchType": "CONTAINS", "matchValue": path}]]
        conversion["urlRules"] = [{"matchValue": path, "type": "CONTAINS"}]
    return conversion
