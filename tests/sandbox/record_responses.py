"""Record a fixed set of ~400 sandbox requests and their responses, to prove a refactor changes no byte.

Starts two sandboxes on loopback (the tests' default world, and a strict-token tiny world for OAuth), sends
every endpoint family (ads entities, analytics, organizations, posts, media, OAuth, admin) with paging,
error cases, Rest.li 1.0 and 2.0 syntax and query tunneling, and writes one JSON line per request:
request, status, headers (minus ``Date``) and body. Values that follow the wall clock (OAuth timestamps in
seconds, token lifetimes left, authorization codes in redirects) are masked or rounded to the minute so two
runs of the same code give the same file.

Usage (compare the files of two runs with ``cmp``; ``--golden`` rewrites ``golden_responses.txt``, the
per-request digests ``test_recorded_responses.py`` checks)::

    PYTHONPATH=src python tests/sandbox/record_responses.py /tmp/sandbox-responses.jsonl
    PYTHONPATH=src python tests/sandbox/record_responses.py --golden
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

TODAY = dt.date(2026, 11, 15)
VERSION = "202610"
TOKEN = "record-token"
REDIRECT = "http://127.0.0.1:8765/callback"
DEFAULT_CLIENT_ID = "sandbox-client-id"
# Wall-clock dependent values: epoch seconds in OAuth answers and the sandbox-clock instants derived from them.
_VOLATILE = re.compile(rb'"(iat|exp|created_at|expires_at|authorized_at)": ?\d+')
# Seconds left of a token: exact to the second only when no second ticks between two requests.
_LIFETIME = re.compile(rb'"(expires_in|refresh_token_expires_in)": ?(\d+)')
GOLDEN = Path(__file__).with_name("golden_responses.txt")


def _headers(token: str | None = TOKEN, version: str | None = VERSION, protocol: str | None = "2.0.0",
             **extra: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    if protocol is not None:
        headers["X-Restli-Protocol-Version"] = protocol
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if version is not None:
        headers["LinkedIn-Version"] = version
    headers.update(extra)
    return headers


def _urn(kind: str, value: int | str) -> str:
    return quote(f"urn:li:{kind}:{value}", safe="")


def _date_range(start: dt.date, end: dt.date) -> str:
    return (f"(start:(year:{start.year},month:{start.month},day:{start.day}),"
            f"end:(year:{end.year},month:{end.month},day:{end.day}))")


def _ms(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(), dt.UTC).timestamp() * 1000)


def _intervals(start: dt.date, end: dt.date, granularity: str) -> str:
    return f"timeIntervals=(timeRange:(start:{_ms(start)},end:{_ms(end)}),timeGranularityType:{granularity})"


class Recorder:
    """Sends requests to one sandbox and collects normalized records."""

    def __init__(self, base_url: str, label: str, records: list[dict[str, Any]]) -> None:
        self.base = base_url
        self.label = label
        self.records = records

    def send(self, method: str, path: str, *, headers: dict[str, str] | None = None, data: Any = None,
             json_body: Any = None) -> requests.Response:
        response = requests.request(method, f"{self.base}{path}", headers=headers, data=data, json=json_body,
                                    allow_redirects=False, timeout=60)
        kept = {k: v for k, v in response.headers.items() if k.lower() != "date"}
        body = _VOLATILE.sub(rb'"\1": 0', response.content)
        body = _LIFETIME.sub(lambda m: b'"%s":%dmin' % (m.group(1), round(int(m.group(2)) / 60)), body)
        location = kept.get("location")
        if location is not None:
            kept["location"] = re.sub(r"code=[^&]+", "code=X", location)
        if "text/html" in kept.get("content-type", ""):
            body = re.sub(rb"value='[0-9a-f]{16,}'", b"value='X'", body)
        self.records.append({
            "sandbox": self.label, "method": method, "path": path,
            "data": data if isinstance(data, str | None) else repr(data), "json": json_body,
            "status": response.status_code, "headers": kept,
            "body": body.decode("utf-8", errors="replace"),
        })
        return response

    def get(self, path: str, **header_args: Any) -> requests.Response:
        return self.send("GET", path, headers=_headers(**header_args))

    def tunnel(self, path: str, query: str, content_type: str = "application/x-www-form-urlencoded",
               **header_args: Any) -> requests.Response:
        headers = _headers(**header_args, **{"X-HTTP-Method-Override": "GET", "Content-Type": content_type})
        return self.send("POST", path, headers=headers, data=query)


def _protocol(rec: Recorder) -> None:
    rec.send("GET", "/rest/adAccounts?q=search")  # no token, no version
    rec.get("/rest/adAccounts?q=search", version=None)
    rec.get("/rest/adAccounts?q=search", token="")
    rec.send("GET", "/rest/adAccounts?q=search", headers={"Authorization": "Basic abc", "LinkedIn-Version": VERSION})
    for version in ("202601", "202610.01", "20261001", "202511", "202512", "202701", "2026", "202613", "abc"):
        rec.get("/rest/adAccounts?q=search", version=version)
    rec.get(f"/rest/adAccounts?q=search&oauth2_access_token={TOKEN}", token=None)
    rec.get("/rest/adNothing?q=search")
    rec.get("/rest/adAccounts?q=byMagic")
    rec.get("/rest/adAccounts?q=search&search=(status:(values:List(ACTIVE))")  # malformed
    rec.get("/rest/adAccounts?q=search&search=(status:(values:List(ACTIVE,DRAFT)))")
    rec.send("DELETE", "/rest/adAccounts", headers=_headers())
    rec.get("/rest")
    rec.get("/rest/")
    rec.get("/nothing/here")
    long_query = "q=search&search=(name:(values:List(" + ",".join(f"n{i}" for i in range(900)) + ")))"
    rec.get(f"/rest/adAccounts?{long_query}")
    rec.tunnel("/rest/adAccounts", long_query)
    rec.tunnel("/rest/adAccounts", "q=search&search=(status:(values:List(ACTIVE)))")
    boundary = "xyzBOUNDARY"
    multipart = (f"--{boundary}\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n"
                 f"q=search&sortOrder=DESCENDING\r\n--{boundary}--\r\n")
    rec.tunnel("/rest/adAccounts", multipart, content_type=f"multipart/mixed; boundary={boundary}")
    rec.tunnel("/rest/" + "a" * 5000, "q=search")
    rec.send("GET", "/rest/adAccounts?q=search", headers=_headers(**{"X-Padding": "a" * 29_000}))
    rec.get("/rest/adAccounts?q=search", protocol=None)


def _ads(rec: Recorder) -> None:
    accounts = rec.get("/rest/adAccounts?q=search&pageSize=1000").json()["elements"]
    ids = [a["id"] for a in accounts]
    rec.get("/rest/adAccounts?q=search&pageSize=1")
    first = rec.get("/rest/adAccounts?q=search&pageSize=1").json()
    token = first.get("metadata", {}).get("nextPageToken")
    if token:
        rec.get(f"/rest/adAccounts?q=search&pageSize=1&pageToken={quote(token, safe='')}")
    rec.get("/rest/adAccounts?q=search&pageSize=1001")
    rec.get("/rest/adAccounts?q=search&pageToken=garbage")
    rec.get("/rest/adAccounts?q=search&sortOrder=DESCENDING")
    rec.get("/rest/adAccounts?q=search&search=(test:true)")
    rec.get("/rest/adAccounts?q=search&search=(test:false,status:(values:List(ACTIVE,CANCELED)))")
    rec.get("/rest/adAccounts?q=search&search.status.values[0]=ACTIVE", protocol=None)
    rec.get("/rest/adAccounts?q=search&start=0&count=1")
    rec.get(f"/rest/adAccounts?ids=List({','.join(str(i) for i in ids)},999)")
    rec.get(f"/rest/adAccounts?ids={ids[0]}&ids={ids[-1]}", protocol=None)
    rec.get(f"/rest/adAccounts?ids[0]={ids[0]}&ids[1]=5", protocol=None)
    rec.get("/rest/adAccountUsers?q=authenticatedUser")
    rec.get("/rest/adAccountUsers?q=authenticatedUser&start=0&count=1")
    rec.get(f"/rest/adAccountUsers?q=accounts&accounts={_urn('sponsoredAccount', ids[0])}")
    rec.get("/rest/adAccountUsers?q=accounts")
    rec.get("/rest/adAccounts/999")
    rec.get("/rest/adAccounts/abc")
    for account in ids:
        rec.get(f"/rest/adAccounts/{account}")
        groups = rec.get(f"/rest/adAccounts/{account}/adCampaignGroups?q=search&pageSize=1000").json()
        rec.get(f"/rest/adAccounts/{account}/adCampaignGroups?q=search&pageSize=1")
        rec.get(f"/rest/adAccounts/{account}/adCampaignGroups?q=search"
                "&search=(status:(values:List(ACTIVE,DRAFT,PAUSED,ARCHIVED,CANCELED,PENDING_DELETION,REMOVED)))")
        group_ids = [g["id"] for g in groups.get("elements", [])]
        for group in group_ids[:3]:
            rec.get(f"/rest/adAccounts/{account}/adCampaignGroups/{group}")
        if group_ids:
            rec.get(f"/rest/adAccounts/{account}/adCampaignGroups?ids=List({','.join(map(str, group_ids))},1)")
        rec.get(f"/rest/adAccounts/{account}/adCampaignGroups/1")
        campaigns = rec.get(f"/rest/adAccounts/{account}/adCampaigns?q=search&pageSize=1000").json()
        rec.get(f"/rest/adAccounts/{account}/adCampaigns?q=search")
        rec.get(f"/rest/adAccounts/{account}/adCampaigns?q=search&pageSize=2")
        rec.get(f"/rest/adAccounts/{account}/adCampaigns?q=search&sortOrder=DESCENDING&pageSize=3")
        rec.get(f"/rest/adAccounts/{account}/adCampaigns?q=search&search=(type:(values:List(SPONSORED_UPDATES)),"
                "status:(values:List(ACTIVE)))")
        if group_ids:
            rec.get(f"/rest/adAccounts/{account}/adCampaigns?q=search&search=(campaignGroup:(values:List("
                    f"{_urn('sponsoredCampaignGroup', group_ids[0])})))")
        campaign_ids = [c["id"] for c in campaigns.get("elements", [])]
        for campaign in campaign_ids[:3]:
            rec.get(f"/rest/adAccounts/{account}/adCampaigns/{campaign}")
        if campaign_ids:
            rec.get(f"/rest/adAccounts/{account}/adCampaigns?ids=List({','.join(map(str, campaign_ids[:4]))})")
            rec.tunnel(f"/rest/adAccounts/{account}/adCampaigns",
                       f"ids=List({','.join(map(str, campaign_ids))})")
        creatives = rec.get(f"/rest/adAccounts/{account}/creatives?q=criteria&pageSize=100").json()
        rec.get(f"/rest/adAccounts/{account}/creatives?q=criteria&pageSize=2")
        rec.get(f"/rest/adAccounts/{account}/creatives?q=criteria&pageSize=101")
        rec.get(f"/rest/adAccounts/{account}/creatives?q=criteria&intendedStatuses=List(ACTIVE,CANCELED,PAUSED)")
        rec.get(f"/rest/adAccounts/{account}/creatives?q=criteria&sortOrder=DESCENDING&isTestAccount=false")
        if campaign_ids:
            rec.get(f"/rest/adAccounts/{account}/creatives?q=criteria"
                    f"&campaigns=List({_urn('sponsoredCampaign', campaign_ids[0])})")
        creative_ids = [c["id"] for c in creatives.get("elements", [])]
        for creative in creative_ids[:2]:
            rec.get(f"/rest/adAccounts/{account}/creatives/{quote(creative, safe='')}")
        if creative_ids:
            rec.get(f"/rest/adAccounts/{account}/creatives?q=criteria"
                    f"&creatives=List({','.join(quote(c, safe='') for c in creative_ids[:3])})")
        conversions = rec.get(f"/rest/conversions?q=account&account={_urn('sponsoredAccount', account)}").json()
        rec.get(f"/rest/conversions?q=account&account={_urn('sponsoredAccount', account)}&start=1&count=1")
        for conversion in [c["id"] for c in conversions.get("elements", [])][:2]:
            rec.get(f"/rest/conversions/{conversion}")
        rec.get(f"/rest/posts?q=dscAdAccount&dscAdAccount={_urn('sponsoredAccount', account)}"
                "&dscAdTypes=List(VIDEO)&count=100")
    hidden = 1
    rec.get(f"/rest/adAccounts/{hidden}/adCampaigns?q=search")
    rec.get("/rest/conversions?q=account")
    rec.get("/rest/conversions?q=account&account=urn%3Ali%3AsponsoredAccount%3A999")
    rec.get("/rest/conversions/999999")
    rec.get("/rest/posts?q=dscAdAccount")
    rec.get(f"/rest/posts?q=dscAdAccount&dscAdAccount={_urn('sponsoredAccount', ids[0])}&dscAdTypes=List(PODCAST)")
    rec.tunnel("/rest/posts", f"q=dscAdAccount&dscAdAccount={_urn('sponsoredAccount', ids[0])}"
               "&dscAdTypes=List(STANDARD,VIDEO)")
    rec.get(f"/rest/posts?q=dscAdAccount&dscAdAccount={_urn('sponsoredAccount', ids[0])}&start=2&count=2")


def _analytics(rec: Recorder) -> None:
    accounts = [a["id"] for a in rec.get("/rest/adAccounts?q=search").json()["elements"]]
    account_list = "List(" + ",".join(_urn("sponsoredAccount", a) for a in accounts) + ")"
    windows = [(TODAY - dt.timedelta(days=89), TODAY), (dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
               (dt.date(2025, 12, 25), dt.date(2026, 1, 5))]
    fields = ("impressions,clicks,costInLocalCurrency,costInUsd,externalWebsiteConversions,approximateMemberReach,"
              "landingPageClicks,totalEngagements,oneClickLeads,pivotValues,dateRange,videoViews")
    for start, end in windows:
        window = _date_range(start, end)
        for pivot in ("ACCOUNT", "CAMPAIGN_GROUP", "CAMPAIGN", "CREATIVE", "CONVERSION", "MEMBER_COMPANY"):
            for granularity in ("DAILY", "MONTHLY", "ALL"):
                rec.get(f"/rest/adAnalytics?q=analytics&pivot={pivot}&timeGranularity={granularity}"
                        f"&dateRange={window}&accounts={account_list}&fields={fields}")
        rec.get(f"/rest/adAnalytics?q=statistics&pivots=List(CAMPAIGN,CREATIVE)&timeGranularity=ALL"
                f"&dateRange={window}&accounts={account_list}&fields={fields}")
        rec.get(f"/rest/adAnalytics?q=statistics&pivots=List(ACCOUNT,CONVERSION)&timeGranularity=DAILY"
                f"&dateRange={window}&accounts={account_list}")
    window = _date_range(*windows[0])
    rec.get(f"/rest/adAnalytics?q=analytics&pivot=(value:CAMPAIGN)&timeGranularity=(value:DAILY)"
            f"&dateRange={window}&accounts={account_list}")
    rec.get(f"/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange={window}")
    rec.get("/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY")
    rec.get(f"/rest/adAnalytics?q=analytics&pivot=NOPE&timeGranularity=DAILY&dateRange={window}"
            f"&accounts={account_list}")
    rec.get(f"/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=HOURLY&dateRange={window}"
            f"&accounts={account_list}")
    rec.get(f"/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange={window}"
            f"&accounts={account_list}&fields=nonsense")
    rec.get(f"/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY"
            f"&dateRange={_date_range(dt.date(2020, 1, 1), TODAY)}&accounts={account_list}")
    rec.get(f"/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY"
            f"&dateRange=(start:(year:2026,month:10,day:1))&accounts={account_list}")
    rec.get(f"/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange={window}"
            f"&accounts=List({_urn('sponsoredAccount', 1)})")
    rec.tunnel("/rest/adAnalytics", f"q=analytics&pivot=CAMPAIGN&timeGranularity=MONTHLY&dateRange={window}"
               f"&accounts={account_list}&fields={fields}")
    campaigns = rec.get(f"/rest/adAccounts/{accounts[0]}/adCampaigns?q=search").json()["elements"]
    if campaigns:
        rec.get(f"/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange={window}"
                f"&campaigns=List({_urn('sponsoredCampaign', campaigns[0]['id'])})")
    rec.get(f"/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange.start.year=2026"
            f"&dateRange.start.month=10&dateRange.start.day=1&accounts[0]={_urn('sponsoredAccount', accounts[0])}",
            protocol=None)


def _organizations(rec: Recorder) -> None:
    org = _urn("organization", 100000)
    rec.get("/rest/organizationAcls?q=roleAssignee&count=100")
    rec.get("/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED")
    rec.get("/rest/organizationAcls?q=roleAssignee&start=0&count=2")
    rec.get("/rest/organizationAcls?q=roleAssignee&start=2&count=2")
    rec.get("/rest/organizationAcls?q=roleAssignee&role=OWNER")
    rec.get(f"/rest/organizationAcls?q=organization&organization={org}")
    acls = rec.get("/rest/organizationAcls?q=roleAssignee&count=100").json().get("elements", [])
    org_ids = sorted({int(a["organization"].rsplit(":", 1)[1]) for a in acls if "organization" in a})
    for org_id in org_ids:
        rec.get(f"/rest/organizationAcls?q=organization&organization={_urn('organization', org_id)}")
        rec.get(f"/rest/organizations/{org_id}")
    rec.get(f"/rest/organizations?ids=List({','.join(map(str, org_ids))},999)")
    rec.get("/rest/organizations/999")
    rec.get("/rest/organizationsLookup?ids=List(100000,100001)")
    rec.get("/rest/organizationsLookup")
    rec.get(f"/rest/networkSizes/{org}?edgeType=COMPANY_FOLLOWED_BY_MEMBER")
    rec.get(f"/rest/networkSizes/{org}?edgeType=MEMBER")
    for org_id in org_ids[:3]:
        urn = _urn("organization", org_id)
        page = f"/rest/organizationPageStatistics?q=organization&organization={urn}"
        shares = f"/rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity={urn}"
        followers = (f"/rest/organizationalEntityFollowerStatistics?q=organizationalEntity"
                     f"&organizationalEntity={urn}")
        for base in (page, shares, followers):
            rec.get(base)
            rec.get(f"{base}&{_intervals(dt.date(2026, 9, 1), dt.date(2026, 10, 1), 'DAY')}")
            rec.get(f"{base}&{_intervals(dt.date(2026, 9, 1), dt.date(2026, 10, 1), 'MONTH')}")
            rec.get(f"{base}&{_intervals(dt.date(2026, 9, 7), dt.date(2026, 10, 5), 'WEEK')}")
            rec.get(f"{base}&{_intervals(TODAY - dt.timedelta(days=395), TODAY - dt.timedelta(days=365), 'DAY')}")
            rec.get(f"{base}&{_intervals(TODAY - dt.timedelta(days=5), TODAY, 'DAY')}")
        rec.get(f"{page}&timeIntervals=(timeRange:(start:abc),timeGranularityType:DAY)")
        rec.get(f"{page}&timeIntervals.timeGranularityType=MONTH&timeIntervals.timeRange.start="
                f"{_ms(dt.date(2026, 9, 1))}&timeIntervals.timeRange.end={_ms(dt.date(2026, 10, 1))}", protocol=None)
        posts = rec.get(f"/rest/posts?q=author&author={urn}&count=100").json().get("elements", [])
        share_ids = [p["id"] for p in posts if p["id"].startswith("urn:li:share:")][:3]
        ugc_ids = [p["id"] for p in posts if p["id"].startswith("urn:li:ugcPost:")][:3]
        if share_ids:
            rec.get(f"{shares}&shares=List({','.join(quote(s, safe='') for s in share_ids)})")
        if ugc_ids:
            rec.get(f"{shares}&ugcPosts=List({','.join(quote(s, safe='') for s in ugc_ids)})")
        rec.get(f"/rest/posts?q=author&author={urn}")
        rec.get(f"/rest/posts?q=author&author={urn}&start=7&count=7")
        rec.get(f"/rest/posts?q=author&author={urn}&count=100&sortBy=CREATED")
        rec.get(f"/rest/posts?q=author&author={urn}&count=100&viewContext=AUTHOR")
        rec.get(f"/rest/posts?q=author&author={urn}&count=100&isDsc=true")
        rec.get(f"/rest/posts?q=author&author={urn}&count=101")
        for post in posts[:3]:
            rec.get(f"/rest/posts/{quote(post['id'], safe='')}")
        if posts:
            listed = ",".join(quote(p["id"], safe="") for p in posts[:3])
            rec.get(f"/rest/posts?ids=List({listed},urn%3Ali%3Ashare%3A1)")
        images: list[str] = []
        videos: list[str] = []
        documents: list[str] = []
        for post in posts:
            media_id = post.get("content", {}).get("media", {}).get("id", "")
            for kind, bucket in (("image", images), ("video", videos), ("document", documents)):
                if f":{kind}:" in media_id:
                    bucket.append(media_id)
        for kind, bucket in (("images", images), ("videos", videos), ("documents", documents)):
            if bucket:
                rec.get(f"/rest/{kind}?ids=List({','.join(quote(u, safe='') for u in bucket[:5])})")
                rec.get(f"/rest/{kind}/{quote(bucket[0], safe='')}")
            rec.get(f"/rest/{kind}/urn%3Ali%3A{kind[:-1]}%3Anope")
    for other in (1, 100099):
        rec.get(f"/rest/organizationPageStatistics?q=organization&organization={_urn('organization', other)}")
        rec.get(f"/rest/posts?q=author&author={_urn('organization', other)}")


def _admin(rec: Recorder) -> None:
    rec.send("GET", "/_sandbox/stats")
    rec.send("GET", "/_sandbox/clock")
    rec.send("GET", "/_sandbox/config")
    rec.send("GET", "/_sandbox/faults")
    rec.send("POST", "/_sandbox/clock", json_body={})
    rec.send("POST", "/_sandbox/clock", json_body={"advance_days": 30})
    rec.get("/rest/adAccounts?q=search")
    rec.send("POST", "/_sandbox/clock", json_body={"today": TODAY.isoformat()})
    rec.send("POST", "/_sandbox/faults", json_body={"rate": 1.0, "mix": "429", "seed": 3})
    rec.get("/rest/adAccounts?q=search")
    rec.send("POST", "/_sandbox/faults", json_body={"rate": 1.0, "mix": "503", "seed": 3})
    rec.get("/rest/adAccounts?q=search")
    rec.send("POST", "/_sandbox/faults", json_body={"rate": 0.5, "mix": "429,503", "seed": 5})
    for _ in range(6):
        rec.get("/rest/adAccounts?q=search")
    rec.send("POST", "/_sandbox/faults", json_body={"nonsense": 1})
    rec.send("POST", "/_sandbox/faults", json_body={})
    rec.send("GET", "/_sandbox/faults")
    rec.send("GET", "/_sandbox/nothing")
    rec.send("POST", "/_sandbox/stats/reset")
    rec.send("GET", "/_sandbox/stats")


def _oauth(rec: Recorder) -> None:
    params = (f"response_type=code&client_id={DEFAULT_CLIENT_ID}&redirect_uri={quote(REDIRECT, safe='')}"
              "&scope=r_ads%20r_ads_reporting&state=csrf-1")
    page = rec.send("GET", f"/oauth/v2/authorization?{params}")
    form = dict(re.findall(r"name='([^']+)' value='([^']*)'", page.text))
    form.pop("approve", None)
    form = {k: html.unescape(v) for k, v in form.items()}
    rec.send("GET", "/oauth/v2/authorization?response_type=code&client_id=unknown")
    rec.send("GET", f"/oauth/v2/authorization?response_type=code&client_id={DEFAULT_CLIENT_ID}"
                    "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb")
    rec.send("POST", "/oauth/v2/authorization", data=form | {"approve": "false"})
    approved = rec.send("POST", "/oauth/v2/authorization", data=form | {"approve": "true"})
    code = re.search(r"code=([^&]+)", approved.headers.get("location", ""))
    rec.send("POST", "/oauth/v2/accessToken", data={"grant_type": "authorization_code", "code": "nope",
                                                    "redirect_uri": REDIRECT, "client_id": DEFAULT_CLIENT_ID,
                                                    "client_secret": "wrong"})
    if code is None:
        return
    secret = rec.send("GET", "/_sandbox/oauth").json()
    client_secret = _find_secret(secret)
    token_form = {"grant_type": "authorization_code", "code": code.group(1), "redirect_uri": REDIRECT,
                  "client_id": DEFAULT_CLIENT_ID, "client_secret": client_secret}
    issued = rec.send("POST", "/oauth/v2/accessToken", data=token_form)
    rec.send("POST", "/oauth/v2/accessToken", data=token_form)  # code reuse
    body = issued.json() if issued.status_code == 200 else {}
    access, refresh = body.get("access_token"), body.get("refresh_token")
    if access:
        rec.get("/rest/adAccounts?q=search", token=access)
        rec.get("/rest/organizationAcls?q=roleAssignee", token=access)
        rec.send("POST", "/oauth/v2/introspectToken",
                 data={"client_id": DEFAULT_CLIENT_ID, "client_secret": client_secret, "token": access})
        rec.send("POST", "/oauth/v2/introspectToken",
                 data={"client_id": DEFAULT_CLIENT_ID, "client_secret": client_secret, "token": "unknown"})
    if refresh:
        rec.send("POST", "/oauth/v2/accessToken", data={"grant_type": "refresh_token", "refresh_token": refresh,
                                                        "client_id": DEFAULT_CLIENT_ID,
                                                        "client_secret": client_secret})
        rec.send("POST", "/oauth/v2/accessToken", data={"grant_type": "refresh_token", "refresh_token": "bad",
                                                        "client_id": DEFAULT_CLIENT_ID,
                                                        "client_secret": client_secret})
    rec.send("POST", "/oauth/v2/accessToken", data={"grant_type": "password", "client_id": DEFAULT_CLIENT_ID,
                                                    "client_secret": client_secret})
    rec.get("/rest/adAccounts?q=search", token="not-registered")
    rec.send("POST", "/_sandbox/oauth", json_body={"access_token_ttl_seconds": 60})
    rec.send("POST", "/_sandbox/oauth", json_body={"nonsense": True})
    if access:
        rec.send("POST", "/oauth/v2/revoke",
                 data={"client_id": DEFAULT_CLIENT_ID, "client_secret": client_secret, "token": access})
        rec.get("/rest/adAccounts?q=search", token=access)
    rec.send("POST", "/_sandbox/oauth/revoke", json_body={"member_urn": "urn:li:person:sandboxMember1"})
    rec.send("POST", "/oauth/v2/revoke", data={"client_id": DEFAULT_CLIENT_ID, "client_secret": "x", "token": "y"})
    rec.send("GET", "/oauth/v2/unknown")


def _find_secret(admin_body: Any) -> str:
    """Return the default client's secret from the ``/_sandbox/oauth`` answer (or the documented default)."""
    text = json.dumps(admin_body)
    found = re.search(r'"client_secret": "([^"]+)"', text)
    return found.group(1) if found else "sandbox-client-secret"


def record() -> Iterator[dict[str, Any]]:
    """Run every request family against fresh sandboxes and yield the records in order."""
    records: list[dict[str, Any]] = []
    config = SandboxConfig(seed=7, scale="small", today=TODAY)
    with SandboxServer(config) as server:
        rec = Recorder(server.base_url, "small", records)
        _protocol(rec)
        _ads(rec)
        _analytics(rec)
        _organizations(rec)
        _admin(rec)
    with SandboxServer(SandboxConfig(seed=3, scale="tiny", today=TODAY, strict_tokens=True)) as server:
        _oauth(Recorder(server.base_url, "oauth", records))
    yield from records


def digest_lines(records: list[dict[str, Any]]) -> list[str]:
    """Return one line per record: index, a digest of the whole record, and the request it answers."""
    lines = []
    for n, item in enumerate(records):
        digest = hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()[:16]
        lines.append(f"{n:03d} {digest} {item['sandbox']} {item['method']} {item['path'][:100]}")
    return lines


def main(args: list[str]) -> None:
    """Write the records as JSON lines (or, with ``--golden``, the digests to :data:`GOLDEN`)."""
    records = list(record())
    if args[:1] == ["--golden"]:
        GOLDEN.write_text("\n".join(digest_lines(records)) + "\n")
        print(f"{len(records)} digests written to {GOLDEN}")
        return
    lines = [json.dumps(r, sort_keys=True) for r in records]
    blob = "\n".join(lines).encode() + b"\n"
    with open(args[0] if args else "/tmp/sandbox-responses.jsonl", "wb") as out:
        out.write(blob)
    print(f"{len(lines)} requests, sha256 {hashlib.sha256(blob).hexdigest()}")


if __name__ == "__main__":
    main(sys.argv[1:])
