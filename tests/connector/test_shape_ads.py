"""Row shaping for the ads entity tables: LinkedIn-documented element shapes → exact spec rows."""

import datetime as dt

from lisync.linkedin.ads.shape import (
    shape_ad_account,
    shape_campaign,
    shape_campaign_group,
    shape_conversion,
    shape_conversion_campaigns,
    shape_creative,
    shape_creative_landing_page,
)
from lisync.spec.loader import table_spec

UTC = dt.UTC

# Shaped after the GET examples in LinkedIn's "create and manage" docs for each entity.
ACCOUNT = {
    "changeAuditStamps": {"created": {"time": 1553107200000}, "lastModified": {"time": 1591747200000}},
    "currency": "USD",
    "id": 507404993,
    "name": "Company A",
    "notifiedOnCampaignOptimization": False,
    "notifiedOnCreativeApproval": False,
    "notifiedOnCreativeRejection": True,
    "notifiedOnEndOfCampaign": False,
    "reference": "urn:li:organization:2414183",
    "servingStatuses": ["RUNNABLE"],
    "status": "ACTIVE",
    "test": False,
    "type": "BUSINESS",
    "version": {"versionTag": "12"},
}
GROUP = {
    "account": "urn:li:sponsoredAccount:507404993",
    "backfilled": False,
    "changeAuditStamps": {"created": {"time": 1553107200000}, "lastModified": {"time": 1553107201000}},
    "id": 605094213,
    "name": "Spring campaigns",
    "runSchedule": {"start": 1553112000000},
    "servingStatuses": ["RUNNABLE"],
    "status": "ACTIVE",
    "test": False,
    "totalBudget": {"amount": "1000.0", "currencyCode": "USD"},
}
CAMPAIGN = {
    "account": "urn:li:sponsoredAccount:507404993",
    "associatedEntity": "urn:li:organization:2414183",
    "audienceExpansionEnabled": True,
    "campaignGroup": "urn:li:sponsoredCampaignGroup:605094213",
    "changeAuditStamps": {"created": {"time": 1553112005000}, "lastModified": {"time": 1553112006000}},
    "costType": "CPM",
    "creativeSelection": "OPTIMIZED",
    "dailyBudget": {"amount": "50", "currencyCode": "USD"},
    "format": "STANDARD_UPDATE",
    "id": 137355963,
    "locale": {"country": "US", "language": "en"},
    "name": "Test Campaign",
    "objectiveType": "BRAND_AWARENESS",
    "offsiteDeliveryEnabled": False,
    "optimizationTargetType": "MAX_REACH",
    "pacingStrategy": "LIFETIME",
    "runSchedule": {"start": 1553112000000, "end": 1555790400000},
    "servingStatuses": ["ACCOUNT_SERVING_HOLD", "CAMPAIGN_GROUP_STATUS_HOLD"],
    "status": "PAUSED",
    "storyDeliveryEnabled": False,
    "test": False,
    "type": "SPONSORED_UPDATES",
    "unitCost": {"amount": "8.19", "currencyCode": "USD"},
    "version": {"versionTag": "2"},
}
CREATIVE = {
    "account": "urn:li:sponsoredAccount:507404993",
    "campaign": "urn:li:sponsoredCampaign:137355963",
    "content": {"reference": "urn:li:share:7003378960938405888"},
    "createdAt": 1669999999000,
    "createdBy": "urn:li:person:abc",
    "id": "urn:li:sponsoredCreative:224478843",
    "intendedStatus": "ACTIVE",
    "isServing": True,
    "isTest": False,
    "lastModifiedAt": 1670000000000,
    "lastModifiedBy": "urn:li:person:abc",
    "name": "Winter creative",
    "review": {"status": "APPROVED"},
    "servingHoldReasons": [],
}
CONVERSION = {
    "account": "urn:li:sponsoredAccount:507404993",
    "associatedCampaigns": [
        {"associatedAt": 1600000000000, "campaign": "urn:li:sponsoredCampaign:137355963",
         "conversion": "urn:lla:llaPartnerConversion:4444"},
        {"associatedAt": 1600000000001, "campaign": "urn:li:sponsoredCampaign:137355963",
         "conversion": "urn:lla:llaPartnerConversion:4444"},
    ],
    "attributionType": "LAST_TOUCH_BY_CAMPAIGN",
    "campaigns": ["urn:li:sponsoredCampaign:137355963"],
    "created": 1599999999000,
    "enabled": True,
    "id": 4444,
    "imagePixelTag": "<img height=\"1\" width=\"1\" src=\"...\"/>",
    "lastModified": 1600000005000,
    "name": "Sign ups",
    "postClickAttributionWindowSize": 30,
    "type": "SIGN_UP",
    "value": {"amount": "12.50", "currencyCode": "USD"},
    "viewThroughAttributionWindowSize": 7,
}


def _assert_exact_columns(table: str, row: dict) -> None:
    assert list(row) == table_spec(table).column_names or set(row) == set(table_spec(table).column_names)
    assert set(row) == set(table_spec(table).column_names)


def test_ad_account_row() -> None:
    row = shape_ad_account(ACCOUNT)
    _assert_exact_columns("ad_accounts", row)
    assert row["id"] == "507404993"
    assert row["changeauditstamps__created"] == 1553107200000.0
    assert row["version__versiontag"] == 12.0
    assert row["servingstatuses"] == '["RUNNABLE"]'
    assert row["notifiedoncreativerejection"] is True


def test_campaign_group_row() -> None:
    row = shape_campaign_group(GROUP)
    _assert_exact_columns("campaign_group_metadata", row)
    assert row["account_id"] == "507404993"
    assert row["runschedule_start"] == dt.datetime(2019, 3, 20, 20, 0, tzinfo=UTC)
    assert row["runschedule_end"] is None


def test_campaign_row() -> None:
    row = shape_campaign(CAMPAIGN)
    _assert_exact_columns("campaign_metadata", row)
    assert row["campaign_group_id"] == "605094213"
    assert row["associated_entity_id"] == "2414183"
    assert row["unitcost_amount"] == 8.19
    assert row["totalbudget_amount"] is None  # omitted by LinkedIn → NULL
    assert row["version_versiontag"] == "2"
    assert row["locale_country"] == "US"


def test_creative_row_uses_numeric_id_and_keeps_reference_urn() -> None:
    row = shape_creative(CREATIVE)
    _assert_exact_columns("creative_metadata", row)
    assert row["id"] == "224478843"
    assert row["campaign_id"] == "137355963"
    assert row["reference"] == "urn:li:share:7003378960938405888"
    assert row["review_status"] == "APPROVED"


def test_text_ad_creative_has_no_reference_and_draft_has_no_review() -> None:
    creative = dict(CREATIVE, content={"textAd": {"headline": "h", "description": "d"}}, intendedStatus="DRAFT")
    creative.pop("review")
    row = shape_creative(creative)
    assert row["reference"] is None and row["review_status"] is None


def test_landing_page_comes_from_text_ad_or_spotlight_content_only() -> None:
    # text ads: content.textAd.landingPage (Text Ads API); spotlight: content.spotlight.landingPage (Dynamic
    # Spotlight Ads API); sponsored content points to a post, which the creative does not describe
    text_ad = dict(CREATIVE, content={"textAd": {"headline": "h", "description": "d",
                                                 "landingPage": "https://example.com/a?utm_source=li"}})
    row = shape_creative_landing_page(text_ad)
    assert row is not None
    _assert_exact_columns("creative_landing_pages", row)
    assert row == {"creative_id": "224478843", "account_id": "507404993", "campaign_id": "137355963",
                   "content_type": "TEXT_AD", "landing_page": "https://example.com/a?utm_source=li"}
    spotlight = dict(CREATIVE, content={"spotlight": {"headline": "h", "landingPage": "http://www.linkedin.com",
                                                      "callToAction": "Join Us Now"}})
    assert (shape_creative_landing_page(spotlight) or {}).get("content_type") == "SPOTLIGHT"
    assert shape_creative_landing_page(CREATIVE) is None  # content.reference: a sponsored post
    for content in ({"textAd": {"headline": "h"}}, {"textAd": {"landingPage": ""}}, {"spotlight": {"landingPage": 3}},
                    None, "x"):
        assert shape_creative_landing_page(dict(CREATIVE, content=content)) is None, content


def test_conversion_rows() -> None:
    row = shape_conversion(CONVERSION)
    _assert_exact_columns("conversion_details", row)
    assert row["value__amount"] == 12.5 and row["postclickattributionwindowsize"] == 30.0
    children = shape_conversion_campaigns(CONVERSION)
    assert len(children) == 1  # the duplicate association is kept once (the pair is the key)
    _assert_exact_columns("conversion_details__associated_campaigns", children[0])
    assert children[0]["conversion_id"] == "4444"


def test_conversion_without_association_objects_falls_back_to_campaign_list() -> None:
    element = dict(CONVERSION, associatedCampaigns=[])
    children = shape_conversion_campaigns(element)
    assert children == [{"conversion_id": "4444", "associatedcampaigns__associatedat": None,
                         "associatedcampaigns__conversion": "urn:lla:llaPartnerConversion:4444",
                         "associatedcampaigns__campaign": "urn:li:sponsoredCampaign:137355963"}]


def test_hostile_values_do_not_crash_or_mistype() -> None:
    weird = {"id": 1, "status": None, "notifiedOnCreativeApproval": "yes", "version": {"versionTag": "x"},
             "changeAuditStamps": "not-a-dict", "servingStatuses": "RUNNABLE", "unknownNewField": {"a": 1}}
    row = shape_ad_account(weird)
    assert row["notifiedoncreativeapproval"] is None
    assert row["version__versiontag"] is None
    assert row["changeauditstamps__created"] is None
    assert row["servingstatuses"] == "RUNNABLE"
