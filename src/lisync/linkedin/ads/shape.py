"""Row shapers for the ads entity tables: one pure function per table, LinkedIn element → spec row.

Each shaper returns exactly the spec's columns for its table (missing LinkedIn fields become ``None``).
Ids are text: numeric ids for accounts, groups, campaigns and conversions, and the numeric part of the
creative URN for creatives, while the ``*_reference`` columns keep full URNs. Array-valued fields that
the spec types as ``text`` (``servingstatuses``) are stored as compact JSON arrays.
"""

from __future__ import annotations

from typing import Any

from lisync.linkedin.convert import dig, ms_to_timestamp, to_bool, to_float, to_text
from lisync.linkedin.http.restli import urn, urn_id


def _id_text(value: Any) -> str | None:
    return urn_id(value) if value is not None else None


def shape_ad_account(element: dict[str, Any]) -> dict[str, Any]:
    """Shape an ``adAccounts`` element into an ``ad_accounts`` row."""
    return {
        "id": _id_text(element.get("id")),
        "status": to_text(element.get("status")),
        "reference": to_text(element.get("reference")),
        "notifiedoncreativerejection": to_bool(element.get("notifiedOnCreativeRejection")),
        "currency": to_text(element.get("currency")),
        "changeauditstamps__lastmodified": to_float(dig(element, "changeAuditStamps", "lastModified", "time")),
        "changeauditstamps__created": to_float(dig(element, "changeAuditStamps", "created", "time")),
        "name": to_text(element.get("name")),
        "notifiedonendofcampaign": to_bool(element.get("notifiedOnEndOfCampaign")),
        "version__versiontag": to_float(dig(element, "version", "versionTag")),
        "notifiedoncampaignoptimization": to_bool(element.get("notifiedOnCampaignOptimization")),
        "servingstatuses": to_text(element.get("servingStatuses")),
        "notifiedoncreativeapproval": to_bool(element.get("notifiedOnCreativeApproval")),
        "type": to_text(element.get("type")),
    }


def shape_campaign_group(element: dict[str, Any]) -> dict[str, Any]:
    """Shape an ``adCampaignGroups`` element into a ``campaign_group_metadata`` row."""
    account_ref = to_text(element.get("account"))
    return {
        "id": _id_text(element.get("id")),
        "account_reference": account_ref,
        "account_id": urn_id(account_ref),
        "backfilled": to_bool(element.get("backfilled")),
        "changeauditstamps_created_time": ms_to_timestamp(dig(element, "changeAuditStamps", "created", "time")),
        "changeauditstamps_lastmodified_time": ms_to_timestamp(
            dig(element, "changeAuditStamps", "lastModified", "time")),
        "name": to_text(element.get("name")),
        "runschedule_start": ms_to_timestamp(dig(element, "runSchedule", "start")),
        "runschedule_end": ms_to_timestamp(dig(element, "runSchedule", "end")),
        "servingstatuses": to_text(element.get("servingStatuses")),
        "status": to_text(element.get("status")),
        "test": to_bool(element.get("test")),
    }


def shape_campaign(element: dict[str, Any]) -> dict[str, Any]:
    """Shape an ``adCampaigns`` element into a ``campaign_metadata`` row."""
    account_ref = to_text(element.get("account"))
    entity_ref = to_text(element.get("associatedEntity"))
    group_ref = to_text(element.get("campaignGroup"))
    return {
        "id": _id_text(element.get("id")),
        "name": to_text(element.get("name")),
        "account_id": urn_id(account_ref),
        "associated_entity_reference": entity_ref,
        "associated_entity_id": urn_id(entity_ref),
        "campaign_group_reference": group_ref,
        "campaign_group_id": urn_id(group_ref),
        "audienceexpansionenabled": to_bool(element.get("audienceExpansionEnabled")),
        "changeauditstamps_created_time": ms_to_timestamp(dig(element, "changeAuditStamps", "created", "time")),
        "changeauditstamps_lastmodified_time": ms_to_timestamp(
            dig(element, "changeAuditStamps", "lastModified", "time")),
        "costtype": to_text(element.get("costType")),
        "creativeselection": to_text(element.get("creativeSelection")),
        "format": to_text(element.get("format")),
        "locale_country": to_text(dig(element, "locale", "country")),
        "locale_language": to_text(dig(element, "locale", "language")),
        "objectivetype": to_text(element.get("objectiveType")),
        "offsitedeliveryenabled": to_bool(element.get("offsiteDeliveryEnabled")),
        "optimizationtargettype": to_text(element.get("optimizationTargetType")),
        "pacingstrategy": to_text(element.get("pacingStrategy")),
        "runschedule_end": ms_to_timestamp(dig(element, "runSchedule", "end")),
        "runschedule_start": ms_to_timestamp(dig(element, "runSchedule", "start")),
        "servingstatuses": to_text(element.get("servingStatuses")),
        "status": to_text(element.get("status")),
        "storydeliveryenabled": to_bool(element.get("storyDeliveryEnabled")),
        "test": to_bool(element.get("test")),
        "totalbudget_amount": to_float(dig(element, "totalBudget", "amount")),
        "totalbudget_currencycode": to_text(dig(element, "totalBudget", "currencyCode")),
        "dailybudget_amount": to_float(dig(element, "dailyBudget", "amount")),
        "dailybudget_currencycode": to_text(dig(element, "dailyBudget", "currencyCode")),
        "type": to_text(element.get("type")),
        "unitcost_amount": to_float(dig(element, "unitCost", "amount")),
        "unitcost_currencycode": to_text(dig(element, "unitCost", "currencyCode")),
        "version_versiontag": to_text(dig(element, "version", "versionTag")),
    }


def creative_reference(element: dict[str, Any]) -> str | None:
    """Return the URN a creative's content points to (a share/post for sponsored content), if any."""
    content = element.get("content")
    if not isinstance(content, dict):
        return None
    ref = content.get("reference")
    if isinstance(ref, str):
        return ref
    for value in content.values():
        if isinstance(value, dict) and isinstance(value.get("reference"), str):
            return str(value["reference"])
    return None


def shape_creative(element: dict[str, Any]) -> dict[str, Any]:
    """Shape a ``creatives`` element into a ``creative_metadata`` row."""
    account_ref = to_text(element.get("account"))
    campaign_ref = to_text(element.get("campaign"))
    return {
        "id": urn_id(to_text(element.get("id"))),
        "name": to_text(element.get("name")),
        "account_id": urn_id(account_ref),
        "account_reference": account_ref,
        "campaign_reference": campaign_ref,
        "campaign_id": urn_id(campaign_ref),
        "created_at": ms_to_timestamp(element.get("createdAt")),
        "last_modified_at": ms_to_timestamp(element.get("lastModifiedAt")),
        "reference": creative_reference(element),
        "review_status": to_text(dig(element, "review", "status")),
        "is_serving": to_bool(element.get("isServing")),
        "intended_status": to_text(element.get("intendedStatus")),
        "is_test": to_bool(element.get("isTest")),
    }


# Creative content members that carry a landing page, and the content_type each is stored as.
LANDING_PAGE_CONTENT = (("textAd", "TEXT_AD"), ("spotlight", "SPOTLIGHT"))


def shape_creative_landing_page(element: dict[str, Any]) -> dict[str, Any] | None:
    """Shape a ``creatives`` element into a ``creative_landing_pages`` row, or ``None`` when it names no page.

    Text ads keep the URL in ``content.textAd.landingPage``, dynamic spotlight ads in
    ``content.spotlight.landingPage``; sponsored content points to a post (``content.reference``), whose
    landing page the creative does not carry (see :func:`shape_sponsored_landing_page`).
    """
    content = element.get("content")
    if not isinstance(content, dict):
        return None
    for member, content_type in LANDING_PAGE_CONTENT:
        page = dig(content, member, "landingPage")
        if isinstance(page, str) and page.strip():
            return _landing_page_row(element, content_type, page)
    return None


def shape_sponsored_landing_page(element: dict[str, Any], landing_page: str) -> dict[str, Any] | None:
    """Shape a sponsored-content creative and its post's landing page into a ``creative_landing_pages`` row.

    Args:
        element: The ``creatives`` element (its ``content.reference`` is the post).
        landing_page: The post's landing page (:func:`lisync.linkedin.ads.sponsored_posts.post_landing_page`).

    Returns:
        The row (``content_type`` ``SPONSORED``), or ``None`` for an element without an id.
    """
    return _landing_page_row(element, "SPONSORED", landing_page)


def _landing_page_row(element: dict[str, Any], content_type: str, landing_page: str) -> dict[str, Any] | None:
    """One ``creative_landing_pages`` row for a ``creatives`` element, or ``None`` for an element without an id."""
    creative_id = _id_text(element.get("id"))
    if creative_id is None:
        return None
    return {"creative_id": creative_id, "account_id": _id_text(element.get("account")),
            "campaign_id": _id_text(element.get("campaign")), "content_type": content_type,
            "landing_page": landing_page}


def shape_conversion(element: dict[str, Any]) -> dict[str, Any]:
    """Shape a ``conversions`` element into a ``conversion_details`` row."""
    account_ref = to_text(element.get("account"))
    return {
        "lastcallbackat": to_float(element.get("lastCallbackAt")),
        "account_id": urn_id(account_ref),
        "account_reference": account_ref,
        "attributiontype": to_text(element.get("attributionType")),
        "imagepixeltag": to_text(element.get("imagePixelTag")),
        "id": _id_text(element.get("id")),
        "name": to_text(element.get("name")),
        "created": to_float(element.get("created")),
        "lastmodified": to_float(element.get("lastModified")),
        "enabled": to_bool(element.get("enabled")),
        "value__currencycode": to_text(dig(element, "value", "currencyCode")),
        "value__amount": to_float(dig(element, "value", "amount")),
        "postclickattributionwindowsize": to_float(element.get("postClickAttributionWindowSize")),
        "viewthroughattributionwindowsize": to_float(element.get("viewThroughAttributionWindowSize")),
        "type": to_text(element.get("type")),
    }


def shape_conversion_campaigns(element: dict[str, Any]) -> list[dict[str, Any]]:
    """Shape a conversion's campaign associations into ``conversion_details__associated_campaigns`` rows.

    Uses ``associatedCampaigns`` objects when present; otherwise falls back to the plain ``campaigns``
    URN list (no association time). Duplicate campaigns are kept once, since the pair is the key.
    """
    conversion_id = _id_text(element.get("id"))
    if conversion_id is None:
        return []
    conversion_urn = urn("llaPartnerConversion", conversion_id)
    rows: dict[str, dict[str, Any]] = {}
    associated = element.get("associatedCampaigns")
    if isinstance(associated, list) and associated:
        for item in associated:
            if not isinstance(item, dict) or not isinstance(item.get("campaign"), str):
                continue
            rows.setdefault(item["campaign"], {
                "conversion_id": conversion_id,
                "associatedcampaigns__associatedat": to_float(item.get("associatedAt")),
                "associatedcampaigns__conversion": to_text(item.get("conversion")) or conversion_urn,
                "associatedcampaigns__campaign": item["campaign"],
            })
    else:
        campaigns = element.get("campaigns")
        for campaign in campaigns if isinstance(campaigns, list) else []:
            if isinstance(campaign, str):
                rows.setdefault(campaign, {
                    "conversion_id": conversion_id,
                    "associatedcampaigns__associatedat": None,
                    "associatedcampaigns__conversion": conversion_urn,
                    "associatedcampaigns__campaign": campaign,
                })
    return list(rows.values())
