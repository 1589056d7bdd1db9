"""Issue 16 endpoints over real HTTP: brand pages, brandPageStatistics, videoAnalytics, statistics scopes, drift."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import requests

from lisync.sandbox.oauth.grants import ALL_SCOPES, TokenGrant
from lisync.sandbox.organic.organizations import SHOWCASE_ID
from lisync.sandbox.organic.video import is_video_post
from lisync.sandbox.server import SandboxServer

TApiGet = Callable[..., requests.Response]
TODAY = dt.date(2026, 11, 15)  # the conftest sandbox's today
BRAND = quote(f"urn:li:organizationBrand:{SHOWCASE_ID}", safe="")


def ms(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)


def test_showcase_page_is_an_organization_brand(api_get: TApiGet) -> None:
    brand = api_get(f"/organizationBrands/{SHOWCASE_ID}").json()
    assert brand["$URN"] == f"urn:li:organizationBrand:{SHOWCASE_ID}" and brand["primaryOrganizationType"] == "BRAND"
    assert api_get("/organizationBrands/100000").status_code == 404  # a company page is no brand
    batch = api_get(f"/organizationBrands?ids=List({SHOWCASE_ID},100000)").json()
    assert set(batch["results"]) == {str(SHOWCASE_ID)} and batch["statuses"]["100000"] == 404


def test_brand_page_statistics_lifetime_and_time_bound(api_get: TApiGet) -> None:
    (lifetime,) = api_get(f"/brandPageStatistics?q=brand&brand={BRAND}").json()["elements"]
    assert lifetime["brand"] == f"urn:li:organizationBrand:{SHOWCASE_ID}"
    assert lifetime["totalPageStatistics"]["views"]["allPageViews"]["pageViews"] > 0
    window = f"timeIntervals=(timeRange:(start:{ms(dt.date(2026, 10, 1))},end:{ms(dt.date(2026, 10, 8))}),"
    days = api_get(f"/brandPageStatistics?q=brand&brand={BRAND}&{window}timeGranularityType:DAY)").json()
    assert len(days["elements"]) == 7 and all("brand" in e for e in days["elements"])
    showcase = f"urn%3Ali%3Aorganization%3A{SHOWCASE_ID}"
    refused = api_get(f"/organizationPageStatistics?q=organization&organization={showcase}")
    assert refused.status_code == 400 and "brandPageStatistics" in refused.json()["message"]
    wrong = api_get("/brandPageStatistics?q=brand&brand=urn%3Ali%3Aorganization%3A100000")
    assert wrong.status_code == 400


def test_statistics_need_rw_organization_admin(sandbox_factory: Callable[..., SandboxServer],
                                               li_headers: Callable[..., dict[str, str]]) -> None:
    read_only = TokenGrant(scopes=ALL_SCOPES - {"rw_organization_admin"})
    server = sandbox_factory(tokens={"read-only-admin": read_only}, today=TODAY)
    headers = li_headers(token="read-only-admin")
    org = "urn%3Ali%3Aorganization%3A100000"
    acls = requests.get(f"{server.base_url}/rest/organizationAcls?q=roleAssignee", headers=headers, timeout=10)
    assert acls.status_code == 200  # r_organization_admin lists the pages...
    for path in (f"organizationPageStatistics?q=organization&organization={org}",
                 f"organizationalEntityFollowerStatistics?q=organizationalEntity&organizationalEntity={org}",
                 f"organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity={org}",
                 f"brandPageStatistics?q=brand&brand={BRAND}"):
        answer = requests.get(f"{server.base_url}/rest/{path}", headers=headers, timeout=10)
        assert answer.status_code == 403, path  # ...but cannot read their statistics (LinkedIn's docs)


def video_post(sandbox: SandboxServer) -> Any:
    organic = sandbox.world.organic
    return next(p for o in organic.organizations if o.id == 100000 for p in organic.content.visible_posts(o)
                if p.state == "PUBLISHED" and is_video_post(p))


def test_video_analytics_days_add_up_to_the_total(api_get: TApiGet, sandbox: SandboxServer) -> None:
    post = video_post(sandbox)
    entity = quote(post.urn, safe="")
    window = f"timeRange=(start:{ms(post.created_date)},end:{ms(TODAY)})"
    for kind in ("VIDEO_VIEW", "TIME_WATCHED"):
        daily = api_get(f"/videoAnalytics?q=entity&entity={entity}&type={kind}&aggregation=DAY&{window}").json()
        total = api_get(f"/videoAnalytics?q=entity&entity={entity}&type={kind}&aggregation=ALL&{window}").json()
        assert daily["elements"] and all(e["type"] == kind and e["entity"] == post.urn for e in daily["elements"])
        assert sum(e["value"] for e in daily["elements"]) == total["elements"][0]["value"]
        starts = [e["timeRange"]["start"] for e in daily["elements"]]
        assert starts == sorted(starts) and all(e["timeRange"]["end"] - e["timeRange"]["start"] == 86_400_000
                                                for e in daily["elements"])
    assert api_get(f"/videoAnalytics?q=entity&entity={entity}&type=LIKES").status_code == 400
    share = next(p for o in sandbox.world.organic.organizations if o.id == 100000
                 for p in sandbox.world.organic.content.visible_posts(o) if p.urn.startswith("urn:li:share:"))
    assert api_get(f"/videoAnalytics?q=entity&entity={quote(share.urn, safe='')}&type=VIEWER").status_code == 400


def test_entities_drift_weekly_over_the_clock_and_back(sandbox_factory: Callable[..., SandboxServer]) -> None:
    world = sandbox_factory(today=TODAY).world

    def state() -> dict[int, tuple[str, str, int]]:
        return {c["id"]: (c["status"], c["name"], c["changeAuditStamps"]["lastModified"]["time"])
                for c in world.campaigns}

    before = state()
    world.clock.today = TODAY + dt.timedelta(days=6)
    assert {k: v for k, v in state().items() if k in before} == before  # nothing before the first week
    world.clock.today = TODAY + dt.timedelta(days=28)
    after = state()
    changed = [k for k in before if after[k] != before[k]]
    assert changed and all(after[k][2] > before[k][2] for k in changed)  # an edit stamps lastModified
    assert any(after[k][0] != before[k][0] for k in changed)
    single = world.campaign(changed[0])
    assert single is not None and single["status"] == after[changed[0]][0]  # GET agrees with the listing
    world.clock.today = TODAY
    assert state() == before
