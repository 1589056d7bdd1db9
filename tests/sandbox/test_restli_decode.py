"""The sandbox's Rest.li query decoder: exact decoding of documented URLs, malformed input, round trips."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lisync.sandbox.errors import RestliError
from lisync.sandbox.http.restli import decode_query


def test_documented_ad_account_search_url_decodes_exactly() -> None:
    query = (
        "q=search&search=(type:(values:List(BUSINESS)),status:(values:List(ACTIVE)),"
        "reference:(values:List(urn%3Ali%3Aorganization%3A2414183)),name:(values:List(Company%20A)),"
        "id:(values:List(123456)),test:false)&pageSize=100&pageToken=abc"
    )
    assert decode_query(query) == {
        "q": "search",
        "search": {
            "type": {"values": ["BUSINESS"]},
            "status": {"values": ["ACTIVE"]},
            "reference": {"values": ["urn:li:organization:2414183"]},
            "name": {"values": ["Company A"]},
            "id": {"values": ["123456"]},
            "test": "false",
        },
        "pageSize": "100",
        "pageToken": "abc",
    }


def test_documented_date_range_and_account_list_decode_exactly() -> None:
    query = (
        "dateRange=(start:(year:2024,month:1,day:1),end:(year:2024,month:1,day:31))"
        "&accounts=List(urn%3Ali%3AsponsoredAccount%3A123,urn%3Ali%3AsponsoredAccount%3A456)"
    )
    assert decode_query(query) == {
        "dateRange": {
            "start": {"year": "2024", "month": "1", "day": "1"},
            "end": {"year": "2024", "month": "1", "day": "31"},
        },
        "accounts": ["urn:li:sponsoredAccount:123", "urn:li:sponsoredAccount:456"],
    }


def test_documented_creatives_criteria_url_with_empty_list() -> None:
    query = (
        "campaigns=List(id1,id2,id3)&contentReferences=List(id1,id2,id3)&creatives=List(id1,id2,id3)"
        "&intendedStatuses=List(ARCHIVED,CANCELED)&isTestAccount=true&isTotalIncluded=false"
        "&leadgenCreativeCallToActionDestinations=List()&q=criteria&sortOrder=ASCENDING"
    )
    decoded = decode_query(query)
    assert decoded["leadgenCreativeCallToActionDestinations"] == []
    assert decoded["intendedStatuses"] == ["ARCHIVED", "CANCELED"]
    assert decoded["campaigns"] == ["id1", "id2", "id3"]
    assert decoded["isTestAccount"] == "true"


def test_tap_connectivity_check_url() -> None:
    decoded = decode_query("pageSize=1&q=search&search=(id:(values:List(urn%3Ali%3AsponsoredAccount%3A123)))")
    assert decoded["search"] == {"id": {"values": ["urn:li:sponsoredAccount:123"]}}


def test_restli_1_dotted_indexed_and_repeated_forms() -> None:
    query = (
        "q=search&search.status.values[0]=ACTIVE&search.status.values%5B1%5D=PAUSED"
        "&campaigns[0]=urn:li:sponsoredCampaign:1&campaigns[1]=urn%3Ali%3AsponsoredCampaign%3A2"
        "&dateRange.start.year=2024&ids=1&ids=2&timeIntervals.timeGranularityType=DAY"
    )
    assert decode_query(query) == {
        "q": "search",
        "search": {"status": {"values": ["ACTIVE", "PAUSED"]}},
        "campaigns": ["urn:li:sponsoredCampaign:1", "urn:li:sponsoredCampaign:2"],
        "dateRange": {"start": {"year": "2024"}},
        "ids": ["1", "2"],
        "timeIntervals": {"timeGranularityType": "DAY"},
    }


def test_mixed_dotted_and_restli_2_values_merge() -> None:
    decoded = decode_query("timeIntervals.timeRange=(start:1,end:2)&timeIntervals.timeGranularityType=DAY")
    assert decoded == {
        "timeIntervals": {"timeRange": {"start": "1", "end": "2"}, "timeGranularityType": "DAY"}
    }


def test_percent_encoded_structure_is_a_literal_string() -> None:
    assert decode_query("search=%28status%3AACTIVE%29") == {"search": "(status:ACTIVE)"}
    assert decode_query("fields=id,name&name=a+b") == {"fields": "id,name", "name": "a b"}


def test_projection_stays_a_string() -> None:
    assert decode_query("projection=(elements*(id,name))") == {"projection": "(elements*(id,name))"}


@pytest.mark.parametrize(
    "query",
    [
        "search=(status:(values:List(ACTIVE))",  # unbalanced
        "search=(status)",  # record field without a value
        "accounts=List(a)b",  # trailing characters
        "search=(a:1,a:2)",  # duplicate field
        "a..b=1",  # bad dotted name
        "a=1&a.b=2",  # scalar and record at the same path
        "x[0]=1&x.y=2",  # index and name mixed
        "search=(:1)",  # empty field name
        "=1",  # empty parameter name
    ],
)
def test_malformed_queries_are_400(query: str) -> None:
    with pytest.raises(RestliError) as raised:
        decode_query(query)
    assert raised.value.status == 400
    assert raised.value.message


# ----------------------------------------------------------------------------------- round-trip property

leaves = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=12)
names = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,8}", fullmatch=True)
values_2 = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(names, inner, max_size=4),
    max_leaves=12,
)


def encode_2(value: Any) -> str:
    """A tiny Rest.li 2.0 encoder (the test's own, independent of the decoder)."""
    if isinstance(value, list):
        return "List(" + ",".join(encode_2(v) for v in value) + ")"
    if isinstance(value, dict):
        return "(" + ",".join(f"{quote(k, safe='')}:{encode_2(v)}" for k, v in value.items()) + ")"
    return quote(value, safe="")


def encode_1(prefix: str, value: Any) -> list[str]:
    """A tiny Rest.li 1.0 encoder: dotted records and indexed lists."""
    if isinstance(value, list):
        return [part for i, v in enumerate(value) for part in encode_1(f"{prefix}[{i}]", v)]
    if isinstance(value, dict):
        return [part for k, v in value.items() for part in encode_1(f"{prefix}.{k}", v)]
    return [f"{quote(prefix, safe='')}={quote(value, safe='')}"]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(names.filter(lambda n: n != "projection"), values_2, min_size=1, max_size=4))
def test_restli_2_round_trip(params: dict[str, Any]) -> None:
    query = "&".join(f"{name}={encode_2(value)}" for name, value in params.items())
    assert decode_query(query) == params


values_1 = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, min_size=1, max_size=3) | st.dictionaries(names, inner, min_size=1, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(names.filter(lambda n: n != "projection"), values_1, min_size=1, max_size=4))
def test_restli_1_round_trip(params: dict[str, Any]) -> None:
    query = "&".join(part for name, value in params.items() for part in encode_1(name, value))
    assert decode_query(query) == params
