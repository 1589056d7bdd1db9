"""The sandbox's breakdown pivots (MEMBER_*, device, placement...) and standardized-data lookups, over HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import requests

from lisync.sandbox.analytics.breakdown import DEMOGRAPHIC_TOP_VALUES
from lisync.sandbox.analytics.demographics import DEMOGRAPHIC_PIVOTS
from lisync.sandbox.server import SandboxServer

Get = Callable[[str], requests.Response]


@pytest.fixture(scope="module")
def get(sandbox: SandboxServer, li_headers: Callable[..., dict[str, str]]) -> Get:
    def send(path_query: str) -> requests.Response:
        return requests.get(f"{sandbox.base_url}/rest/{path_query}", headers=li_headers(), timeout=60)
    return send


def _dr(start: dt.date, end: dt.date) -> str:
    return (f"(start:(year:{start.year},month:{start.month},day:{start.day}),"
            f"end:(year:{end.year},month:{end.month},day:{end.day}))")


@pytest.fixture(scope="module")
def busy_campaign(sandbox: SandboxServer) -> tuple[str, dt.date, dt.date]:
    """The campaign with the most impressions over the last 60 days, and that window."""
    model, today = sandbox.world.analytics, sandbox.world.clock.today
    start = today - dt.timedelta(days=59)
    rows = model.report.aggregate(model.creatives_for(), start, today, "ALL", ["CAMPAIGN"])
    best = max(rows, key=lambda r: r.sums.get("impressions", 0))
    return best.pivot_values[0].replace(":", "%3A"), start, today


def _elements(response: requests.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return list(response.json()["elements"])


@pytest.mark.parametrize("pivot", sorted(DEMOGRAPHIC_PIVOTS))
def test_demographic_breakdown_stays_within_the_campaign_total(get: Get, busy_campaign: Any, pivot: str) -> None:
    campaign, start, end = busy_campaign
    fields = "impressions,clicks,costInLocalCurrency,approximateMemberReach,pivotValues,dateRange"
    base = f"adAnalytics?q=analytics&timeGranularity=MONTHLY&dateRange={_dr(start, end)}&campaigns=List({campaign})"
    demographic = _elements(get(f"{base}&pivot={pivot}&fields={fields}"))
    total = _elements(get(f"{base}&pivot=CAMPAIGN&fields={fields}"))
    assert demographic
    per_month: dict[tuple[int, int], int] = {}
    for element in demographic:
        assert "approximateMemberReach" not in element  # no reach with demographic pivots
        assert element["impressions"] >= 3  # privacy threshold
        month = (element["dateRange"]["start"]["year"], element["dateRange"]["start"]["month"])
        per_month[month] = per_month.get(month, 0) + element["impressions"]
    totals = {(e["dateRange"]["start"]["year"], e["dateRange"]["start"]["month"]): e["impressions"] for e in total}
    assert all("approximateMemberReach" in e for e in total)
    for month, impressions in per_month.items():
        assert impressions <= totals[month]
    counts: dict[tuple[int, int], int] = {}
    for element in demographic:
        month = (element["dateRange"]["start"]["year"], element["dateRange"]["start"]["month"])
        counts[month] = counts.get(month, 0) + 1
    assert max(counts.values()) <= DEMOGRAPHIC_TOP_VALUES


def test_demographic_data_is_delayed_and_kept_two_years(get: Get, busy_campaign: Any,
                                                      sandbox: SandboxServer) -> None:
    campaign, _, _ = busy_campaign
    today = sandbox.world.clock.today
    only_today = _elements(get(f"adAnalytics?q=analytics&pivot=MEMBER_INDUSTRY&timeGranularity=DAILY"
                               f"&dateRange={_dr(today, today)}&campaigns=List({campaign})"))
    assert only_today == []
    old = today - dt.timedelta(days=800)
    assert _elements(get(f"adAnalytics?q=analytics&pivot=MEMBER_INDUSTRY&timeGranularity=ALL"
                         f"&dateRange={_dr(old - dt.timedelta(days=30), old)}&campaigns=List({campaign})")) == []


def test_statistics_refuses_demographic_pivots(get: Get, busy_campaign: Any) -> None:
    campaign, start, end = busy_campaign
    response = get(f"adAnalytics?q=statistics&pivots=List(CAMPAIGN,MEMBER_SENIORITY)&timeGranularity=ALL"
                   f"&dateRange={_dr(start, end)}&campaigns=List({campaign})")
    assert response.status_code == 400
    assert "MEMBER_SENIORITY" in response.json()["message"]


@pytest.mark.parametrize("pivot", ["IMPRESSION_DEVICE_TYPE", "PLACEMENT_NAME", "SERVING_LOCATION", "COMPANY",
                                   "OBJECTIVE_TYPE"])
def test_other_breakdowns_add_up_to_at_most_the_total(get: Get, busy_campaign: Any, pivot: str) -> None:
    campaign, start, end = busy_campaign
    query = (f"adAnalytics?q=statistics&pivots=List(CAMPAIGN,{pivot})&timeGranularity=ALL&dateRange={_dr(start, end)}"
             f"&campaigns=List({campaign})&fields=impressions,externalWebsiteConversions,pivotValues,dateRange")
    rows = _elements(get(query))
    total = _elements(get(f"adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=ALL&dateRange={_dr(start, end)}"
                          f"&campaigns=List({campaign})&fields=impressions,pivotValues,dateRange"))
    assert rows and all(len(r["pivotValues"]) == 2 for r in rows)
    assert sum(r["impressions"] for r in rows) <= total[0]["impressions"]
    if pivot in ("COMPANY", "OBJECTIVE_TYPE"):  # one value per campaign: the whole total
        assert sum(r["impressions"] for r in rows) == total[0]["impressions"]
    if pivot == "IMPRESSION_DEVICE_TYPE":  # no conversions by device
        assert all("externalWebsiteConversions" not in r for r in rows)


def test_reach_only_with_entity_pivots(get: Get, busy_campaign: Any, sandbox: SandboxServer) -> None:
    _, start, end = busy_campaign
    accounts = ",".join(f"urn%3Ali%3AsponsoredAccount%3A{a['id']}" for a in sandbox.world.accounts)
    base = (f"adAnalytics?q=statistics&timeGranularity=ALL&dateRange={_dr(start, end)}&accounts=List({accounts})"
            "&fields=impressions,externalWebsiteConversions,approximateMemberReach,pivotValues")
    with_conversion = _elements(get(f"{base}&pivots=List(CREATIVE,CONVERSION)"))
    assert with_conversion and all("approximateMemberReach" not in e for e in with_conversion)
    by_creative = _elements(get(f"{base}&pivots=List(CREATIVE)"))
    assert by_creative and all("approximateMemberReach" in e for e in by_creative)


@pytest.mark.parametrize(("resource", "key", "name"), [
    ("functions", "8", "Engineering"), ("seniorities", "5", "Manager"), ("industries", "4", "Software Development"),
    ("geo", "103644278", "United States"), ("titles", "9", "Software Engineer")])
def test_standardized_data_lookups(get: Get, resource: str, key: str, name: str) -> None:
    single = get(f"{resource}/{key}")
    assert single.status_code == 200, single.text
    body = single.json()
    found = body.get("defaultLocalizedName", {}).get("value") or body["name"]["localized"]["en_US"]
    assert found == name
    batch = get(f"{resource}?ids=List({key},999999999)")
    assert batch.status_code == 200
    assert key in batch.json()["results"] and "999999999" in batch.json()["errors"]
    assert get(f"{resource}/999999999").status_code == 404


def test_member_companies_are_named_by_the_organization_lookup(get: Get, busy_campaign: Any) -> None:
    campaign, start, end = busy_campaign
    rows = _elements(get(f"adAnalytics?q=analytics&pivot=MEMBER_COMPANY&timeGranularity=ALL"
                         f"&dateRange={_dr(start, end)}&campaigns=List({campaign})"))
    ids = [r["pivotValues"][0].rsplit(":", 1)[1] for r in rows[:5]]
    found = get(f"organizationsLookup?ids=List({','.join(ids)})").json()["results"]
    assert set(found) == set(ids) and all(v["localizedName"] for v in found.values())
