"""Rest.li 2.0 encoding, checked against exact query strings from LinkedIn's documentation."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lisync.linkedin.http.restli import (
    date_range,
    encode_query,
    encode_value,
    restli_list,
    restli_record,
    time_range_ms,
    urn,
    urn_id,
)


def test_ad_analytics_query_from_docs() -> None:
    # learn.microsoft.com ads-reporting: single-pivot analytics finder sample
    query = encode_query([
        ("q", "analytics"),
        ("pivot", "CREATIVE"),
        ("timeGranularity", "ALL"),
        ("dateRange", date_range(dt.date(2024, 1, 1))),
        ("campaigns", restli_list([urn("sponsoredCampaign", 1234567)])),
    ])
    assert query == ("q=analytics&pivot=CREATIVE&timeGranularity=ALL&dateRange=(start:(year:2024,month:1,day:1))"
                     "&campaigns=List(urn%3Ali%3AsponsoredCampaign%3A1234567)")


def test_campaign_search_query_from_docs() -> None:
    # learn.microsoft.com create-and-manage-campaigns: search by campaign group and status
    search = restli_record(
        campaignGroup=restli_record(values=restli_list([urn("sponsoredCampaignGroup", 123)])),
        status=restli_record(values=restli_list(["ACTIVE", "PAUSED"])),
    )
    query = encode_query({"q": "search", "search": search, "sortOrder": "DESCENDING", "pageSize": 100})
    assert query == ("q=search&search=(campaignGroup:(values:List(urn%3Ali%3AsponsoredCampaignGroup%3A123)),"
                     "status:(values:List(ACTIVE,PAUSED)))&sortOrder=DESCENDING&pageSize=100")


def test_account_search_with_test_flag() -> None:
    search = restli_record(status=restli_record(values=restli_list(["ACTIVE"])), test=False)
    assert encode_value(search) == "(status:(values:List(ACTIVE)),test:false)"


def test_accounts_facet_list() -> None:
    value = restli_list([urn("sponsoredAccount", 123), urn("sponsoredAccount", 456)])
    assert encode_value(value) == "List(urn%3Ali%3AsponsoredAccount%3A123,urn%3Ali%3AsponsoredAccount%3A456)"


def test_date_range_with_end() -> None:
    assert encode_value(date_range(dt.date(2024, 1, 1), dt.date(2024, 1, 31))) == (
        "(start:(year:2024,month:1,day:1),end:(year:2024,month:1,day:31))")


def test_time_intervals_record_for_organization_statistics() -> None:
    record = restli_record(timeRange=time_range_ms(dt.date(2024, 1, 1), dt.date(2024, 1, 8)),
                           timeGranularityType="DAY")
    assert encode_value(record) == "(timeRange:(start:1704067200000,end:1704672000000),timeGranularityType:DAY)"


def test_reserved_characters_in_strings_are_escaped() -> None:
    assert encode_value("a,b:(c)'d e") == "a%2Cb%3A%28c%29%27d%20e"
    assert encode_value(restli_list([])) == "List()"


def test_none_values_are_skipped() -> None:
    assert encode_query({"q": "search", "pageToken": None}) == "q=search"
    assert encode_value(restli_record(a=1, b=None)) == "(a:1)"


def test_unencodable_values_are_rejected() -> None:
    with pytest.raises(TypeError):
        encode_value(None)
    with pytest.raises(TypeError):
        encode_value(dt.datetime(2024, 1, 1))


def test_urns() -> None:
    assert urn("llaPartnerConversion", 7) == "urn:lla:llaPartnerConversion:7"
    assert urn_id("urn:li:sponsoredCreative:99") == "99"
    assert urn_id("123") == "123"
    assert urn_id(None) is None
    assert urn_id("") is None


@given(st.recursive(
    st.text(min_size=0, max_size=12) | st.integers() | st.booleans(),
    lambda children: st.lists(children, max_size=4).map(restli_list)
    | st.dictionaries(st.text(alphabet="abcxyz", min_size=1, max_size=5), children, max_size=4).map(
        lambda d: restli_record(**d)),
    max_leaves=12,
))
def test_encoded_values_have_balanced_structure_and_no_raw_reserved_chars(value: object) -> None:
    encoded = encode_value(value)
    depth = 0
    for ch in encoded:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    assert " " not in encoded and "'" not in encoded


def test_raw_values_keep_literal_commas_for_analytics_fields() -> None:
    from lisync.linkedin.http.restli import RawValue

    assert encode_query({"fields": RawValue("impressions,clicks,pivotValues,dateRange")}) == (
        "fields=impressions,clicks,pivotValues,dateRange")
