"""Hostile or odd API responses: missing fields, nulls, new fields, unknown enums, wrong types, odd paging.

None may crash lisync or put a wrong value in a table. Shapers get property-based tests over real
sandbox elements mutated by hypothesis; the Rest.li encoder is checked against the sandbox's decoder; paging
oddities (duplicates across pages, empty pages with a next token, a repeating cursor, a short ``total``) are
served by a tiny Starlette app on loopback.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.requests import Request
from starlette.responses import JSONResponse
from tests.support import serve_on_loopback

from lisync.linkedin.ads.catalog import AccountCatalog
from lisync.linkedin.ads.shape import (
    shape_ad_account,
    shape_campaign,
    shape_campaign_group,
    shape_conversion,
    shape_conversion_campaigns,
    shape_creative,
)
from lisync.linkedin.http.bearer import StaticTokenProvider
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.restli import encode_query, restli_list, restli_record
from lisync.linkedin.http.retry import RetryPolicy
from lisync.linkedin.pages.shape_posts import CHILD_TABLES, shape_child_rows, shape_post
from lisync.sandbox.clock import Clock as SandboxClock
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.http.restli import decode_query
from lisync.sandbox.scale import SCALES
from lisync.sandbox.server import SandboxServer
from lisync.sandbox.world import World
from lisync.spec.loader import table_spec

TODAY = dt.date(2026, 11, 15)
PY_TYPES: dict[str, tuple[type, ...]] = {"text": (str,), "float": (float, int), "boolean": (bool,),
                                         "date": (dt.date,), "timestamp": (dt.datetime,)}

json_leaf = (st.none() | st.booleans() | st.integers(min_value=-2**63, max_value=2**63) |
             st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12))
json_value = st.recursive(json_leaf, lambda inner: st.lists(inner, max_size=3) |
                          st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)


@pytest.fixture(scope="module")
def world() -> World:
    return World(7, SCALES["tiny"], SandboxClock(TODAY))


def mutate(element: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """Drop, null, retype or add fields, at the top level and one level down."""
    out = copy.deepcopy(element)
    for key in list(out):
        action = data.draw(st.sampled_from(["keep", "keep", "drop", "null", "retype"]))
        if action == "drop":
            del out[key]
        elif action == "null":
            out[key] = None
        elif action == "retype":
            out[key] = data.draw(json_value)
        elif isinstance(out[key], dict) and out[key]:
            inner = data.draw(st.sampled_from(sorted(out[key])))
            out[key][inner] = data.draw(json_value)
    for _ in range(data.draw(st.integers(min_value=0, max_value=2))):
        out[data.draw(st.text(min_size=1, max_size=8))] = data.draw(json_value)
    return out


def assert_row_fits(row: dict[str, Any], table: str) -> None:
    columns = {c.name: c.type for c in table_spec(table).columns}
    extra = set(row) - set(columns) - {"_dlt_deleted"}
    assert not extra, f"{table}: unexpected columns {extra}"
    for name, value in row.items():
        if value is not None and name in columns:
            assert isinstance(value, PY_TYPES[columns[name]]), f"{table}.{name} = {value!r} ({columns[name]})"
            if isinstance(value, bool):
                assert columns[name] == "boolean", f"{table}.{name} got a boolean"


SHAPERS: list[tuple[str, str, Callable[[dict[str, Any]], Any]]] = [
    ("accounts", "ad_accounts", shape_ad_account),
    ("campaign_groups", "campaign_group_metadata", shape_campaign_group),
    ("campaigns", "campaign_metadata", shape_campaign),
    ("creatives", "creative_metadata", shape_creative),
    ("conversions", "conversion_details", shape_conversion),
]


@pytest.mark.parametrize(("kind", "table", "shaper"), SHAPERS, ids=[s[1] for s in SHAPERS])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_entity_shapers_survive_hostile_elements(world: World, kind: str, table: str,
                                                 shaper: Callable[[dict[str, Any]], Any],
                                                 data: st.DataObject) -> None:
    elements = getattr(world, kind)
    element = mutate(data.draw(st.sampled_from(elements)), data)
    assert_row_fits(shaper(element), table)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_conversion_campaign_rows_survive_hostile_elements(world: World, data: st.DataObject) -> None:
    element = mutate(data.draw(st.sampled_from(world.conversions)), data)
    for row in shape_conversion_campaigns(element):
        assert_row_fits(row, "conversion_details__associated_campaigns")


def test_unknown_enum_values_pass_through_as_text(world: World) -> None:
    campaign = dict(world.campaigns[0], status="SOMETHING_NEW", type="FUTURE_TYPE")
    row = shape_campaign(campaign)
    assert row["status"] == "SOMETHING_NEW"


def test_unknown_new_fields_are_ignored(world: World) -> None:
    plain = shape_campaign(world.campaigns[0])
    extended = shape_campaign({**world.campaigns[0], "brandNewField": {"x": [1, 2]}})
    assert plain == extended


@pytest.fixture(scope="module")
def post_elements() -> list[dict[str, Any]]:
    """Real post elements as the sandbox serves them (every content kind the organic world makes)."""
    with SandboxServer(SandboxConfig(seed=7, scale="tiny", today=TODAY)) as sandbox:
        client = LinkedInClient(StaticTokenProvider("posts"), base_url=f"{sandbox.base_url}/rest")
        org = sandbox.world.organic.organizations[0].id
        params = {"q": "author", "author": f"urn:li:organization:{org}", "viewContext": "AUTHOR"}
        return [e for page in client.paginate_offset("posts", params, 100) for e in page]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_post_shapers_survive_hostile_elements(post_elements: list[dict[str, Any]], data: st.DataObject) -> None:
    element = mutate(data.draw(st.sampled_from(post_elements)), data)
    org = "urn:li:organization:1"
    assert_row_fits(shape_post(element, org, {}, None, None), "organization_posts")
    for table in CHILD_TABLES:
        for row in shape_child_rows(table, element, org, {}):
            assert_row_fits(row, table)


def expected_decoding(value: Any) -> Any:
    """What the sandbox's decoder must return for a value lisync encodes."""
    if isinstance(value, dict):
        return {k: expected_decoding(v) for k, v in value.items()}
    if isinstance(value, list):
        return [expected_decoding(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC", min_size=1, max_size=8).filter(
    lambda n: n not in ("projection", "fields"))
restli_values = st.recursive(
    st.text(min_size=1, max_size=10) | st.integers(min_value=-10**12, max_value=10**12) | st.booleans(),
    lambda inner: st.lists(inner, min_size=1, max_size=3).map(restli_list) | st.dictionaries(
        names, inner, min_size=1, max_size=3).map(lambda d: restli_record(**d)),
    max_leaves=10)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(names, restli_values, min_size=1, max_size=4))
def test_lisync_encoding_decodes_to_the_same_values_in_the_sandbox(params: dict[str, Any]) -> None:
    assert decode_query(encode_query(params)) == {k: expected_decoding(v) for k, v in params.items()}


# ------------------------------------------------------------------------------------------- paging oddities


class HostilePages:
    """Serves pages from a script: ``pages[token or start]`` → body."""

    def __init__(self) -> None:
        self.cursor: dict[str, dict[str, Any]] = {}
        self.offset: dict[int, dict[str, Any]] = {}
        self.requests = 0

    async def handle(self, request: Request) -> JSONResponse:
        self.requests += 1
        params = request.query_params
        if "pageSize" in params:
            return JSONResponse(self.cursor.get(params.get("pageToken", ""), {"elements": []}))
        return JSONResponse(self.offset.get(int(params.get("start", "0")), {"elements": []}))


@pytest.fixture
def hostile() -> Iterator[tuple[HostilePages, LinkedInClient]]:
    pages = HostilePages()
    with serve_on_loopback(pages.handle) as base_url:
        yield pages, LinkedInClient(StaticTokenProvider("t"), base_url=base_url,
                                    retry_policy=RetryPolicy(max_attempts=2, backoff_base_s=0.01))


def test_duplicates_across_pages_are_listed_once(hostile: tuple[HostilePages, LinkedInClient]) -> None:
    pages, client = hostile
    pages.cursor = {"": {"elements": [{"id": 1}, {"id": 2}], "metadata": {"nextPageToken": "b"}},
                    "b": {"elements": [{"id": 2}, {"id": 3}]}}
    catalog = AccountCatalog(client)
    assert [e["id"] for e in catalog.campaigns("5")] == [1, 2, 3]


def test_an_empty_page_with_a_next_token_does_not_end_the_listing(hostile: tuple[HostilePages, LinkedInClient]) -> None:
    pages, client = hostile
    pages.cursor = {"": {"elements": [{"id": 1}], "metadata": {"nextPageToken": "b"}},
                    "b": {"elements": [], "metadata": {"nextPageToken": "c"}},
                    "c": {"elements": [{"id": 3}]}}
    ids = [e["id"] for page in client.paginate_cursor("adAccounts", {"q": "search"}, 2) for e in page]
    assert ids == [1, 3]


def test_a_repeating_cursor_stops_instead_of_looping(hostile: tuple[HostilePages, LinkedInClient]) -> None:
    pages, client = hostile
    pages.cursor = {"": {"elements": [{"id": 1}], "metadata": {"nextPageToken": "same"}},
                    "same": {"elements": [{"id": 2}], "metadata": {"nextPageToken": "same"}}}
    ids = [e["id"] for page in client.paginate_cursor("adAccounts", {"q": "search"}, 1) for e in page]
    assert ids == [1, 2]
    assert pages.requests == 2


def test_offset_paging_with_a_wrong_total_stops_at_an_empty_page(hostile: tuple[HostilePages, LinkedInClient]) -> None:
    pages, client = hostile
    pages.offset = {0: {"elements": [{"id": 1}, {"id": 2}], "paging": {"start": 0, "count": 2, "total": 99}},
                    2: {"elements": [], "paging": {"start": 2, "count": 2, "total": 99}}}
    ids = [e["id"] for page in client.paginate_offset("conversions", {"q": "account"}, 2) for e in page]
    assert ids == [1, 2]
    assert pages.requests == 2


def test_non_object_elements_are_dropped_not_crashed_on(hostile: tuple[HostilePages, LinkedInClient]) -> None:
    pages, client = hostile
    pages.cursor = {"": {"elements": [{"id": 1}, None, "x", 7, [1], {"id": 2}]}}
    ids = [e["id"] for page in client.paginate_cursor("adAccounts", {"q": "search"}, 10) for e in page]
    assert ids == [1, 2]


def test_elements_without_an_id_are_not_merged_into_one(hostile: tuple[HostilePages, LinkedInClient]) -> None:
    pages, client = hostile
    pages.cursor = {"": {"elements": [{"id": 1, "name": "a"}, {"name": "no id"}, {"name": "no id either"}]}}
    catalog = AccountCatalog(client)
    listed = catalog.campaigns("5")
    assert [e.get("id") for e in listed] == [1]
    assert catalog.dropped == {"campaigns": 2}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_conversion_rule_windows_and_campaign_counts_survive_hostile_rules(world: World, data: st.DataObject) -> None:
    from lisync.linkedin.analytics.sizing import MIN_UPDATE_WINDOW_DAYS, conversions_by_campaign, default_update_window

    rules = [mutate(data.draw(st.sampled_from(world.conversions)), data) for _ in range(3)]
    assert default_update_window(rules) >= MIN_UPDATE_WINDOW_DAYS
    assert all(isinstance(k, str) and v > 0 for k, v in conversions_by_campaign(rules).items())
