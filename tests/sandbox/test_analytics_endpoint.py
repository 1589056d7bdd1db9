"""End-to-end tests of the sandbox's ``GET /rest/adAnalytics`` over real HTTP on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import requests

from lisync.sandbox.oauth.grants import TokenGrant
from lisync.sandbox.server import SandboxServer

THROTTLE_MESSAGE = ("The data request limit has been exceeded. More than 45 million metric values were "
                    "requested in a 5-minute window.")


def _encode(value: str) -> str:
    return value.replace(":", "%3A")


def urn_list(*urns: str) -> str:
    return "List(" + ",".join(_encode(u) for u in urns) + ")"


def date_range(start: dt.date, end: dt.date | None = None) -> str:
    text = f"(start:(year:{start.year},month:{start.month},day:{start.day})"
    if end is not None:
        text += f",end:(year:{end.year},month:{end.month},day:{end.day})"
    return text + ")"


class Api:
    """Sends adAnalytics requests to one sandbox with the shared test headers."""

    def __init__(self, server: SandboxServer, headers: Callable[..., dict[str, str]]) -> None:
        self.server = server
        self.headers = headers
        self.today: dt.date = server.world.clock.today

    def get(self, query: str, token: str | None = None, **extra: str) -> requests.Response:
        headers = self.headers(**({"token": token} if token else {}), **extra)
        return requests.get(f"{self.server.base_url}/rest/adAnalytics?{query}", headers=headers, timeout=60)

    def window(self, days: int = 90) -> str:
        return date_range(self.today - dt.timedelta(days=days - 1), self.today)


def busiest_account(server: SandboxServer, metric: str = "impressions") -> str:
    """The visible account with the most ``metric`` over the last 90 days."""
    model = server.world.analytics
    today = server.world.clock.today

    def volume(account_id: int) -> int:
        creatives = model.creatives_for(accounts=[account_id])
        rows = model.report.aggregate(creatives, today - dt.timedelta(days=89), today, "ALL", ["ACCOUNT"])
        return sum(r.sums.get(metric, 0) for r in rows)

    return f"urn:li:sponsoredAccount:{max(server.world.visible_account_ids, key=volume)}"


@pytest.fixture(scope="module")
def api(sandbox: SandboxServer, li_headers: Callable[..., dict[str, str]]) -> Api:
    return Api(sandbox, li_headers)


@pytest.fixture(scope="module")
def account(sandbox: SandboxServer) -> str:
    return busiest_account(sandbox)


def elements(response: requests.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"elements", "paging"}
    assert body["paging"] == {"start": 0, "count": 10, "links": []}
    return body["elements"]


def totals(rows: list[dict[str, Any]], key_index: int | None, *metrics: str) -> dict[Any, dict[str, Decimal]]:
    out: dict[Any, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        key = None if key_index is None else row["pivotValues"][key_index]
        for metric in metrics:
            out[key][metric] += Decimal(str(row.get(metric, 0)))
    return {k: dict(v) for k, v in out.items()}


def test_default_fields_are_impressions_clicks_pivot_values_and_date_range(api, account):
    rows = elements(api.get(f"q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange={api.window()}"
                            f"&accounts={urn_list(account)}"))
    assert rows
    for row in rows:
        assert set(row) == {"impressions", "clicks", "pivotValues", "dateRange"}
        assert row["pivotValues"][0].startswith("urn:li:sponsoredCreative:")
        assert row["dateRange"]["start"] == row["dateRange"]["end"]
        assert isinstance(row["impressions"], int) and row["clicks"] <= row["impressions"]


def test_both_pivot_and_granularity_syntaxes_give_the_same_answer(api, account):
    common = f"dateRange={api.window()}&accounts={urn_list(account)}"
    bare = api.get(f"q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&{common}")
    record = api.get(f"q=analytics&pivot=(value:CAMPAIGN)&timeGranularity=(value:DAILY)&{common}")
    assert elements(bare) and bare.content == record.content


def test_requested_fields_only_and_money_as_strings(api, account):
    fields = "costInLocalCurrency,costInUsd,impressions,externalWebsiteConversions,pivotValues"
    rows = elements(api.get(f"q=analytics&pivot=CREATIVE&timeGranularity=MONTHLY&dateRange={api.window()}"
                            f"&accounts={urn_list(account)}&fields={fields}"))
    assert rows
    for row in rows:
        assert set(row) == set(fields.split(","))
        assert isinstance(row["costInLocalCurrency"], str) and isinstance(row["costInUsd"], str)
        assert Decimal(row["costInUsd"]) >= 0


def test_more_than_20_fields_or_an_unknown_field_is_a_400(api, account):
    many = ["impressions", "clicks", "likes", "comments", "shares", "follows", "reactions", "opens", "sends",
            "videoViews", "videoStarts", "videoCompletions", "costInUsd", "costInLocalCurrency",
            "landingPageClicks", "totalEngagements", "oneClickLeads", "otherEngagements", "pivotValues",
            "dateRange", "companyPageClicks"]
    base = (f"q=analytics&pivot=CREATIVE&timeGranularity=ALL&dateRange={api.window()}"
            f"&accounts={urn_list(account)}")
    response = api.get(f"{base}&fields={','.join(many)}")
    assert response.status_code == 400
    assert response.json()["status"] == 400 and "20" in response.json()["message"]
    assert api.get(f"{base}&fields={','.join(many[:20])}").status_code == 200
    unknown = api.get(f"{base}&fields=impressions,clickz")
    assert unknown.status_code == 400 and "clickz" in unknown.json()["message"]


def test_statistics_pivot_combinations_sum_to_single_pivot_totals(api, account):
    base = (f"timeGranularity=ALL&dateRange={api.window()}&accounts={urn_list(account)}"
            f"&fields=impressions,clicks,costInUsd,pivotValues")
    metrics = ("impressions", "clicks", "costInUsd")
    by_campaign = totals(elements(api.get(f"q=analytics&pivot=CAMPAIGN&{base}")), 0, *metrics)
    two = elements(api.get(f"q=statistics&pivots=List(CAMPAIGN,CREATIVE)&{base}"))
    assert len(two) > len(by_campaign) > 0
    assert all(len(row["pivotValues"]) == 2 for row in two)
    assert totals(two, 0, *metrics) == by_campaign
    three = elements(api.get(f"q=statistics&pivots=List(ACCOUNT,CAMPAIGN_GROUP,CREATIVE)&{base}"))
    by_creative = totals(elements(api.get(f"q=analytics&pivot=CREATIVE&{base}")), 0, *metrics)
    assert totals(three, 2, *metrics) == by_creative
    assert totals(three, None, *metrics) == totals(two, None, *metrics)
    too_many = api.get(f"q=statistics&pivots=List(ACCOUNT,CAMPAIGN_GROUP,CAMPAIGN,CREATIVE)&{base}")
    assert too_many.status_code == 400


def test_monthly_and_all_equal_the_sum_of_daily(api, account):
    start, end = api.today - dt.timedelta(days=100), api.today - dt.timedelta(days=5)
    base = (f"q=analytics&pivot=ACCOUNT&dateRange={date_range(start, end)}&accounts={urn_list(account)}"
            f"&fields=impressions,clicks,costInLocalCurrency,likes,dateRange,pivotValues")
    metrics = ("impressions", "clicks", "costInLocalCurrency", "likes")
    daily = elements(api.get(f"{base}&timeGranularity=DAILY"))
    monthly = elements(api.get(f"{base}&timeGranularity=MONTHLY"))
    everything = elements(api.get(f"{base}&timeGranularity=ALL"))
    assert daily and totals(monthly, None, *metrics) == totals(daily, None, *metrics)
    assert totals(everything, None, *metrics) == totals(daily, None, *metrics)
    assert everything[0]["dateRange"] == {
        "start": {"year": start.year, "month": start.month, "day": start.day},
        "end": {"year": end.year, "month": end.month, "day": end.day}}
    for row in monthly:
        first, last = (dt.date(**row["dateRange"][k]) for k in ("start", "end"))
        assert start <= first <= last <= end and first.month == last.month
        inside = [r for r in daily if first <= dt.date(**r["dateRange"]["start"]) <= last]
        assert row["impressions"] == sum(r["impressions"] for r in inside)


def test_conversion_pivot_splits_conversions_by_rule(api, sandbox):
    account = busiest_account(sandbox, "externalWebsiteConversions")
    base = (f"timeGranularity=ALL&dateRange={api.window()}&accounts={urn_list(account)}"
            f"&fields=externalWebsiteConversions,conversionValueInLocalCurrency,pivotValues")
    split = elements(api.get(f"q=statistics&pivots=List(CREATIVE,CONVERSION)&{base}"))
    whole = elements(api.get(f"q=analytics&pivot=CREATIVE&{base}"))
    assert split, "the busiest converting account should have attributed conversions"
    assert all(row["pivotValues"][1].startswith("urn:lla:llaPartnerConversion:") for row in split)
    metrics = ("externalWebsiteConversions", "conversionValueInLocalCurrency")
    assert totals(split, 0, *metrics) == totals(whole, 0, *metrics)
    impressions_only = api.get(f"q=analytics&pivot=CONVERSION&timeGranularity=ALL&dateRange={api.window()}"
                               f"&accounts={urn_list(account)}&fields=impressions,pivotValues")
    assert elements(impressions_only) == []


def test_rest_li_1_dotted_date_range_and_indexed_facets(api, account, li_headers):
    start, end = api.today - dt.timedelta(days=40), api.today - dt.timedelta(days=1)
    v2 = api.get(f"q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange={date_range(start, end)}"
                 f"&accounts={urn_list(account)}")
    headers = {k: v for k, v in li_headers().items() if k != "X-Restli-Protocol-Version"}
    v1 = requests.get(
        f"{api.server.base_url}/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY"
        f"&dateRange.start.day={start.day}&dateRange.start.month={start.month}&dateRange.start.year={start.year}"
        f"&dateRange.end.day={end.day}&dateRange.end.month={end.month}&dateRange.end.year={end.year}"
        f"&accounts[0]={account}", headers=headers, timeout=60)
    assert elements(v1) and v1.content == v2.content


def test_tunneled_post_answers_like_get(api, account, li_headers):
    query = (f"q=statistics&pivots=List(CAMPAIGN)&timeGranularity=DAILY&dateRange={api.window()}"
             f"&accounts={urn_list(account)}&fields=impressions,pivotValues,dateRange")
    tunneled = requests.post(f"{api.server.base_url}/rest/adAnalytics", data=query, timeout=60,
                             headers=li_headers(**{"X-HTTP-Method-Override": "GET",
                                                   "Content-Type": "application/x-www-form-urlencoded"}))
    assert elements(tunneled) and tunneled.content == api.get(query).content


def test_empty_elements_for_invisible_accounts_future_dates_and_unmodelled_pivots(api, account):
    hidden = f"urn:li:sponsoredAccount:{api.server.world.hidden_account_ids[0]}"
    assert elements(api.get(f"q=analytics&pivot=CREATIVE&timeGranularity=ALL&dateRange={api.window()}"
                            f"&accounts={urn_list(hidden)}")) == []
    future = date_range(api.today + dt.timedelta(days=1), api.today + dt.timedelta(days=20))
    assert elements(api.get(f"q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange={future}"
                            f"&accounts={urn_list(account)}")) == []
    assert elements(api.get(f"q=analytics&pivot=CONVERSATION_NODE&timeGranularity=ALL"
                            f"&dateRange={api.window()}&accounts={urn_list(account)}")) == []
    assert elements(api.get(f"q=analytics&pivot=CREATIVE&timeGranularity=ALL&dateRange={api.window()}"
                            f"&campaigns={urn_list('urn:li:sponsoredCampaign:1')}")) == []


def test_facets_are_intersected(api, account, sandbox):
    def served(campaign: dict[str, Any]) -> bool:
        urn = f"urn:li:sponsoredCampaign:{campaign['id']}"
        return bool(elements(api.get(f"q=analytics&pivot=CREATIVE&timeGranularity=ALL"
                                     f"&dateRange={api.window()}&campaigns={urn_list(urn)}")))

    campaign = next(c for c in sandbox.world.campaigns_of(int(account.rsplit(":", 1)[1])) if served(c))
    campaign_urn = f"urn:li:sponsoredCampaign:{campaign['id']}"
    both = elements(api.get(f"q=analytics&pivot=CAMPAIGN&timeGranularity=ALL&dateRange={api.window()}"
                            f"&accounts={urn_list(account)}&campaigns={urn_list(campaign_urn)}"))
    assert [row["pivotValues"] for row in both] == [[campaign_urn]]
    other = next(a for a in sandbox.world.visible_account_ids if f"urn:li:sponsoredAccount:{a}" != account)
    assert elements(api.get(f"q=analytics&pivot=CAMPAIGN&timeGranularity=ALL&dateRange={api.window()}"
                            f"&accounts={urn_list(f'urn:li:sponsoredAccount:{other}')}"
                            f"&campaigns={urn_list(campaign_urn)}")) == []


def test_missing_or_invalid_parameters_are_400s(api, account):
    facet = f"accounts={urn_list(account)}"
    window = api.window()
    cases = [f"q=analytics&pivot=CREATIVE&dateRange={window}&{facet}",
             f"q=analytics&pivot=CREATIVE&timeGranularity=DAILY&{facet}",
             f"q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange={window}",
             f"q=analytics&timeGranularity=DAILY&dateRange={window}&{facet}",
             f"q=statistics&timeGranularity=DAILY&dateRange={window}&{facet}",
             f"q=analytics&pivot=CREATIVES&timeGranularity=DAILY&dateRange={window}&{facet}",
             f"q=analytics&pivot=CREATIVE&timeGranularity=WEEKLY&dateRange={window}&{facet}",
             f"q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange={window}&accounts=List(123)"]
    for query in cases:
        response = api.get(query)
        assert response.status_code == 400, query
        assert response.json()["status"] == 400


def test_token_without_reporting_scope_gets_403(sandbox_factory, li_headers):
    server = sandbox_factory(tokens={"ads-only": TokenGrant(scopes=frozenset({"r_ads"}))})
    api = Api(server, li_headers)
    account = f"urn:li:sponsoredAccount:{server.world.visible_account_ids[0]}"
    query = (f"q=analytics&pivot=CREATIVE&timeGranularity=ALL&dateRange={api.window()}"
             f"&accounts={urn_list(account)}")
    response = api.get(query, token="ads-only")
    assert response.status_code == 403 and response.json()["code"] == "ACCESS_DENIED"
    assert api.get(query).status_code == 200


def test_approximate_member_reach_only_for_ranges_up_to_92_days(api, account):
    facet = f"accounts={urn_list(account)}&fields=approximateMemberReach,impressions"
    base = f"q=analytics&pivot=ACCOUNT&timeGranularity=ALL&{facet}"
    short = elements(api.get(f"{base}&dateRange={api.window(92)}"))
    long = elements(api.get(f"{base}&dateRange={api.window(93)}"))
    assert 0 < short[0]["approximateMemberReach"] <= short[0]["impressions"]
    assert "approximateMemberReach" not in long[0]


def test_moving_today_restates_recent_days_only(sandbox_factory, li_headers):
    server = sandbox_factory()
    api = Api(server, li_headers)
    account = busiest_account(server)
    today = api.today
    query = (f"q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange={api.window()}"
             f"&accounts={urn_list(account)}&fields=impressions,likes,externalWebsiteConversions,pivotValues,dateRange")

    def by_key(rows):
        return {(r["pivotValues"][0], dt.date(**r["dateRange"]["start"])): r for r in rows}

    before = by_key(elements(api.get(query)))
    assert requests.post(f"{server.base_url}/_sandbox/clock", json={"advance_days": 3}, timeout=10).ok
    after = by_key(elements(api.get(query)))
    recent = [k for k in before if (today - k[1]).days < 3]
    assert recent and any(before[k] != after.get(k) for k in recent)
    # delivery settles after 3 days, social engagement after 7; conversions may trickle in for a year
    delivered = [k for k in before if (today - k[1]).days >= 3]
    assert delivered and all(after[k]["impressions"] == before[k]["impressions"] for k in delivered)
    engaged = [k for k in before if (today - k[1]).days >= 7]
    assert engaged and all(after[k].get("likes") == before[k].get("likes") for k in engaged)
    limits = server.world.analytics.restatement_days(int(account.rsplit(":", 1)[1]))
    assert limits["delivery"] == 3 and limits["conversions"] >= 30


def test_data_volume_throttle_returns_linkedins_429(sandbox_factory, li_headers):
    server = sandbox_factory()
    api = Api(server, li_headers)
    query = (f"q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange={api.window()}"
             f"&accounts={urn_list(busiest_account(server))}&fields=impressions,clicks")
    served = len(elements(api.get(query, token="measuring-token")))
    assert served > 0
    server.world.analytics.throttle.limit = served * 2 * 2  # two answers of `served` rows x 2 metrics
    assert api.get(query, token="throttled-token").status_code == 200
    assert api.get(query, token="throttled-token").status_code == 200
    refused = api.get(query, token="throttled-token")
    assert refused.status_code == 429
    assert refused.json() == {"status": 429, "message": THROTTLE_MESSAGE}
    assert api.get(query, token="another-token").status_code == 200


def test_responses_are_byte_identical_for_the_same_seed_and_today(api, account, sandbox_factory, li_headers):
    query = (f"q=statistics&pivots=List(CAMPAIGN,CREATIVE)&timeGranularity=DAILY&dateRange={api.window()}"
             f"&accounts={urn_list(account)}&fields=impressions,costInUsd,videoViews,likes,pivotValues,dateRange")
    twin = Api(sandbox_factory(), li_headers)
    first = api.get(query)
    assert elements(first) and twin.get(query).content == first.content


def test_response_is_truncated_at_15000_elements_in_response_order(sandbox_factory, li_headers):
    server = sandbox_factory(scale="tiny", scale_overrides={
        "accounts": 1, "campaign_groups_per_account": 2, "campaigns_per_group": 20,
        "creatives_per_campaign": 20, "conversions_per_account": 0, "history_days": 365})
    api = Api(server, li_headers)
    account = f"urn:li:sponsoredAccount:{server.world.visible_account_ids[0]}"
    start = api.today - dt.timedelta(days=364)
    base = (f"q=analytics&pivot=CREATIVE&timeGranularity=DAILY&accounts={urn_list(account)}"
            f"&fields=impressions,pivotValues,dateRange")
    capped = elements(api.get(f"{base}&dateRange={date_range(start, api.today)}"))
    assert len(capped) == 15_000
    last_day = dt.date(**capped[-1]["dateRange"]["start"])
    earlier = elements(api.get(f"{base}&dateRange={date_range(start, last_day - dt.timedelta(days=1))}"))
    assert 0 < len(earlier) < 15_000
    assert capped[:len(earlier)] == earlier


@pytest.mark.parametrize(("metric", "before", "since"), [
    ("averageDwellTime", "202410", "202411"),
    ("audiencePenetration", "202410", "202411"),
    ("videoWatchTime", "202512", "202601"),
    ("costPerEventView", "20251201", "20260101"),
])
def test_a_metric_newer_than_the_requested_version_is_an_unknown_field(sandbox_factory, li_headers, metric, before,
                                                                       since):
    server = sandbox_factory(accept_retired_versions=True)
    account = busiest_account(server)
    today = server.world.clock.today
    query = (f"q=analytics&pivot=CAMPAIGN&timeGranularity=ALL&dateRange={date_range(today - dt.timedelta(days=30))}"
             f"&accounts={urn_list(account)}")

    def get(fields: str, version: str) -> requests.Response:
        return requests.get(f"{server.base_url}/rest/adAnalytics?{query}&fields={fields}",
                            headers=li_headers(version=version), timeout=60)

    refused = get(f"impressions,{metric},pivotValues", before)
    misspelt = get("impressions,clickz,pivotValues", before)
    assert refused.status_code == misspelt.status_code == 400
    assert set(refused.json()) == set(misspelt.json())  # LinkedIn's shape for an unknown field
    assert refused.json()["message"] == misspelt.json()["message"].replace("clickz", metric)
    served = get(f"impressions,{metric},pivotValues", since)
    assert served.status_code == 200, served.text
    assert any(metric in element for element in served.json()["elements"])


@pytest.mark.parametrize(("finder", "pivots", "served"), [
    ("analytics", "pivot=ACCOUNT", True), ("analytics", "pivot=CAMPAIGN_GROUP", True),
    ("analytics", "pivot=CAMPAIGN", True), ("statistics", "pivots=List(CAMPAIGN,CREATIVE)", True),
    ("analytics", "pivot=CREATIVE", False), ("statistics", "pivots=List(CREATIVE,SHARE)", False),
])
def test_audience_penetration_needs_an_account_group_or_campaign_pivot(api, account, finder, pivots, served):
    query = (f"q={finder}&{pivots}&timeGranularity=ALL&dateRange={api.window(30)}&accounts={urn_list(account)}"
             "&fields=impressions,audiencePenetration,pivotValues")
    rows = elements(api.get(query))
    assert rows
    assert all(("audiencePenetration" in row) is served for row in rows)
    assert all(0 < row["audiencePenetration"] < 1 for row in rows if served)
