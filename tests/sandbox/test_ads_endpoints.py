"""Ads entity endpoints of the sandbox over loopback HTTP: paging, filters, visibility, statuses and nulls."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
import requests

from lisync.sandbox.ads.settings import CAMPAIGN_STATUSES, CREATIVE_STATUSES, GROUP_STATUSES, REVIEW_STATUSES

ALL_CREATIVE_STATUSES = "List(" + ",".join(CREATIVE_STATUSES) + ")"


def _urn(kind: str, entity_id: Any) -> str:
    return quote(f"urn:li:{kind}:{entity_id}", safe="")


@pytest.fixture
def get(sandbox, li_headers):
    def fetch(path: str, server=None, **headers: str) -> requests.Response:
        target = server or sandbox
        return requests.get(f"{target.base_url}/rest{path}", headers=li_headers(**headers), timeout=10)

    return fetch


@pytest.fixture(scope="session")
def account_id(sandbox) -> int:
    return sandbox.world.visible_account_ids[0]


def walk(get, path: str, page_size: int, server=None) -> tuple[list[dict], int]:
    """Follow nextPageToken to the end; return every element and the number of pages."""
    elements: list[dict] = []
    token, pages = None, 0
    while True:
        url = f"{path}&pageSize={page_size}" + (f"&pageToken={token}" if token else "")
        body = get(url, server=server).json()
        pages += 1
        assert len(body["elements"]) <= page_size
        elements += body["elements"]
        token = body["metadata"].get("nextPageToken")
        if token is None:
            return elements, pages
        assert len(body["elements"]) == page_size


def every_visible(sandbox, kind: str) -> list[dict]:
    visible = set(sandbox.world.visible_account_ids)
    return [e for e in getattr(sandbox.world, kind) if sandbox.world.account_id_of(e) in visible]


# ---------------------------------------------------------------------------------------------- paging


def test_accounts_walk_all_pages(get, sandbox) -> None:
    elements, pages = walk(get, "/adAccounts?q=search", page_size=1)
    assert [a["id"] for a in elements] == sandbox.world.visible_account_ids
    assert pages == len(sandbox.world.visible_account_ids)


@pytest.mark.parametrize("page_size", [1, 2, 5, 100])
def test_campaigns_walk_all_pages_without_gaps_or_repeats(get, sandbox, account_id, page_size: int) -> None:
    elements, _ = walk(get, f"/adAccounts/{account_id}/adCampaigns?q=search", page_size)
    expected = [c["id"] for c in sandbox.world.campaigns_of(account_id)]
    assert [c["id"] for c in elements] == expected


def test_creatives_walk_all_pages(get, sandbox, account_id) -> None:
    path = f"/adAccounts/{account_id}/creatives?q=criteria&intendedStatuses={ALL_CREATIVE_STATUSES}"
    elements, pages = walk(get, path, page_size=3)
    assert [c["id"] for c in elements] == [c["id"] for c in sandbox.world.creatives_of(account_id)]
    assert pages > 1


def test_creative_content_follows_the_campaign_type(sandbox) -> None:
    # text ads: content.textAd (Text Ads API); SPOTLIGHT dynamic campaigns: content.spotlight (Dynamic Spotlight Ads
    # API); both carry their landingPage. Every other creative points to a post or an InMail content.
    kinds = set()
    for creative in sandbox.world.creatives:
        campaign = sandbox.world.campaign(int(creative["campaign"].rsplit(":", 1)[-1]))
        content = creative["content"]
        if campaign["type"] == "TEXT_AD":
            kind = "textAd"
        elif campaign["type"] == "DYNAMIC" and campaign["format"] == "SPOTLIGHT":
            kind = "spotlight"
            assert set(content[kind]) == {"callToAction", "description", "headline", "landingPage", "logo",
                                          "organizationName", "showMemberProfilePhoto"}
        else:
            assert list(content) == ["reference"], creative["id"]
            continue
        assert list(content) == [kind] and content[kind]["landingPage"].startswith("https://www.example.com/")
        kinds.add(kind)
    assert kinds == {"textAd", "spotlight"}


def test_last_page_has_no_token_and_descending_order(get, account_id) -> None:
    body = get(f"/adAccounts/{account_id}/adCampaignGroups?q=search&sortOrder=DESCENDING").json()
    ids = [g["id"] for g in body["elements"]]
    assert ids == sorted(ids, reverse=True)
    assert "nextPageToken" not in body["metadata"]
    walked, _ = walk(get, f"/adAccounts/{account_id}/adCampaignGroups?q=search&sortOrder=DESCENDING", 1)
    assert [g["id"] for g in walked] == ids


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/adAccounts?q=search", 1000),
        ("/adAccounts/{a}/adCampaigns?q=search", 1000),
        ("/adAccounts/{a}/creatives?q=criteria", 100),
    ],
)
def test_page_size_over_the_maximum_is_400(get, account_id, path: str, limit: int) -> None:
    path = path.format(a=account_id)
    assert get(f"{path}&pageSize={limit}").status_code == 200
    too_big = get(f"{path}&pageSize={limit + 1}")
    assert too_big.status_code == 400
    assert str(limit) in too_big.json()["message"]


def test_invalid_page_token_is_400(get, account_id) -> None:
    assert get("/adAccounts?q=search&pageToken=not-a-token").status_code == 400
    token = get("/adAccounts?q=search&pageSize=1").json()["metadata"]["nextPageToken"]
    other_finder = get(f"/adAccounts/{account_id}/adCampaigns?q=search&pageToken={token}")
    assert other_finder.status_code == 400


def test_campaign_search_without_paging_over_1000_is_too_many_entities(sandbox_factory, get) -> None:
    server = sandbox_factory(
        scale="tiny",
        scale_overrides={
            "accounts": 1,
            "hidden_accounts": 0,
            "campaign_groups_per_account": 11,
            "campaigns_per_group": 100,
            "creatives_per_campaign": 0,
        },
    )
    account = server.world.visible_account_ids[0]
    unpaged = get(f"/adAccounts/{account}/adCampaigns?q=search", server=server)
    assert unpaged.status_code == 400
    assert unpaged.json() == {"message": "Request would return too many entities. ", "status": 400}
    paged = get(f"/adAccounts/{account}/adCampaigns?q=search&pageSize=1000", server=server).json()
    assert len(paged["elements"]) == 1000 and paged["metadata"]["nextPageToken"]


# --------------------------------------------------------------------------------------------- filters


def test_account_search_filters(get, sandbox) -> None:
    world = sandbox.world
    first = world.account(world.visible_account_ids[0])
    by_numeric = get(f"/adAccounts?q=search&search=(id:(values:List({first['id']})))").json()["elements"]
    by_urn = get(
        f"/adAccounts?q=search&search=(id:(values:List({_urn('sponsoredAccount', first['id'])})))"
    ).json()
    assert [a["id"] for a in by_numeric] == [a["id"] for a in by_urn["elements"]] == [first["id"]]
    tests = get("/adAccounts?q=search&search=(test:true)").json()["elements"]
    assert tests and all(a["test"] for a in tests)
    reference = quote(first["reference"], safe="")
    referenced = get(f"/adAccounts?q=search&search=(reference:(values:List({reference})))").json()["elements"]
    assert first["id"] in [a["id"] for a in referenced]
    statuses = get(
        "/adAccounts?q=search&search=(status:(values:List(ACTIVE)),type:(values:List(BUSINESS,ENTERPRISE)))"
    )
    assert all(a["status"] == "ACTIVE" for a in statuses.json()["elements"])


def test_restli_1_dotted_search_gives_the_same_result(get, account_id) -> None:
    dotted = get(
        f"/adAccounts/{account_id}/adCampaigns?q=search&search.status.values[0]=ACTIVE"
        "&search.status.values[1]=PAUSED"
    ).json()
    restli2 = get(
        f"/adAccounts/{account_id}/adCampaigns?q=search&search=(status:(values:List(ACTIVE,PAUSED)))"
    ).json()
    assert dotted == restli2
    assert {c["status"] for c in restli2["elements"]} <= {"ACTIVE", "PAUSED"}


def test_campaign_search_by_group_type_and_id(get, sandbox, account_id) -> None:
    campaign = sandbox.world.campaigns_of(account_id)[0]
    group = quote(campaign["campaignGroup"], safe="")
    in_group = get(
        f"/adAccounts/{account_id}/adCampaigns?q=search&search=(campaignGroup:(values:List({group})))"
    )
    assert {c["campaignGroup"] for c in in_group.json()["elements"]} == {campaign["campaignGroup"]}
    by_id = get(
        f"/adAccounts/{account_id}/adCampaigns?q=search&search=(id:(values:List("
        f"{_urn('sponsoredCampaign', campaign['id'])})),type:(values:List({campaign['type']})))"
    )
    assert [c["id"] for c in by_id.json()["elements"]] == [campaign["id"]]


def test_unknown_search_field_is_400(get) -> None:
    assert get("/adAccounts?q=search&search=(colour:(values:List(RED)))").status_code == 400


def test_creatives_criteria_filters_and_hidden_canceled(get, sandbox, account_id) -> None:
    creatives = sandbox.world.creatives_of(account_id)
    default = get(f"/adAccounts/{account_id}/creatives?q=criteria").json()["elements"]
    assert "CANCELED" not in {c["intendedStatus"] for c in default}
    assert len(default) == len([c for c in creatives if c["intendedStatus"] != "CANCELED"])
    campaign = creatives[0]["campaign"]
    by_campaign = get(
        f"/adAccounts/{account_id}/creatives?q=criteria&campaigns=List({quote(campaign, safe='')})"
        f"&intendedStatuses={ALL_CREATIVE_STATUSES}&sortOrder=ASCENDING",
        **{"X-RestLi-Method": "FINDER"},
    ).json()["elements"]
    assert by_campaign and {c["campaign"] for c in by_campaign} == {campaign}
    one = get(
        f"/adAccounts/{account_id}/creatives?q=criteria&creatives=List({quote(creatives[0]['id'], safe='')})"
    )
    assert [c["id"] for c in one.json()["elements"]] == [creatives[0]["id"]]


# ------------------------------------------------------------------------------------ single entities


def test_single_gets(get, sandbox, account_id) -> None:
    world = sandbox.world
    assert get(f"/adAccounts/{account_id}").json() == world.account(account_id)
    group = world.groups_of(account_id)[1]
    assert get(f"/adAccounts/{account_id}/adCampaignGroups/{group['id']}").json() == group
    campaign = world.campaigns_of(account_id)[0]
    assert get(f"/adAccounts/{account_id}/adCampaigns/{campaign['id']}").json() == campaign
    creative = world.creatives_of(account_id)[0]
    assert get(f"/adAccounts/{account_id}/creatives/{quote(creative['id'], safe='')}").json() == creative
    numeric_key = creative["id"].rsplit(":", 1)[-1]
    assert get(f"/adAccounts/{account_id}/creatives/{numeric_key}").status_code == 400
    assert get(f"/adAccounts/{account_id}/adCampaigns/1").status_code == 404


def test_batch_get_campaign_groups(get, sandbox, account_id) -> None:
    groups = sandbox.world.groups_of(account_id)[:2]
    body = get(
        f"/adAccounts/{account_id}/adCampaignGroups?ids=List({groups[0]['id']},{groups[1]['id']})"
    ).json()
    assert set(body["results"]) == {str(g["id"]) for g in groups}
    assert body["errors"] == {} and body["statuses"] == {}


# -------------------------------------------------------------------------------------------- visibility


def test_hidden_account_is_invisible_to_the_default_member(get, sandbox) -> None:
    hidden = sandbox.world.hidden_account_ids[0]
    search = get(f"/adAccounts?q=search&search=(id:(values:List({hidden})))").json()
    assert search["elements"] == []
    direct = get(f"/adAccounts/{hidden}")
    assert direct.status_code == 403 and direct.json()["code"] == "ACCESS_DENIED"
    assert get(f"/adAccounts/{hidden}/adCampaigns?q=search").status_code == 403
    assert get(f"/conversions?q=account&account={_urn('sponsoredAccount', hidden)}").status_code == 403
    assert get("/adAccounts/999").status_code == 404


def test_ad_account_users_lists_roles(get, sandbox) -> None:
    body = get("/adAccountUsers?q=authenticatedUser").json()
    accounts = [e["account"] for e in body["elements"]]
    assert accounts == [f"urn:li:sponsoredAccount:{i}" for i in sandbox.world.visible_account_ids]
    assert body["elements"][0]["role"] == "ACCOUNT_BILLING_ADMIN"
    assert body["paging"]["total"] == len(accounts)


# ------------------------------------------------------------------------------------------- conversions


def test_conversions_offset_paging(get, sandbox, account_id) -> None:
    expected = sandbox.world.conversions_of(account_id)
    path = f"/conversions?q=account&account={_urn('sponsoredAccount', account_id)}"
    first = get(f"{path}&start=0&count=2").json()
    rest = get(f"{path}&start=2&count=2").json()
    assert first["paging"] == {"count": 2, "links": [], "start": 0, "total": len(expected)}
    assert [c["id"] for c in first["elements"] + rest["elements"]] == [c["id"] for c in expected]
    assert get(f"{path}").json()["paging"]["count"] == 10
    assert get("/conversions?q=account").json() == {
        "message": "Parameter 'account' is required",
        "status": 400,
    }
    single = get(f"/conversions/{expected[0]['id']}?account={_urn('sponsoredAccount', account_id)}")
    assert single.json() == expected[0]


def test_conversion_attribution_windows_follow_the_rules(sandbox) -> None:
    long_window_types = {"LEAD", "PURCHASE", "ADD_TO_CART", "QUALIFIED_LEAD", "SUBMIT_APPLICATION"}
    for conversion in sandbox.world.conversions:
        assert conversion["viewThroughAttributionWindowSize"] in (1, 7, 30, 90)
        allowed = (1, 7, 30, 90, 365) if conversion["type"] in long_window_types else (1, 7, 30, 90)
        assert conversion["postClickAttributionWindowSize"] in allowed
        for link in conversion["associatedCampaigns"]:
            assert link["conversion"] == f"urn:lla:llaPartnerConversion:{conversion['id']}"
            assert link["campaign"] in conversion["campaigns"]


# ---------------------------------------------------------------------------------- statuses and nulls


def test_every_status_is_reachable_through_the_api_at_scale_small(get, sandbox) -> None:
    groups, campaigns, creatives = set(), set(), set()
    reviews = set()
    for account in sandbox.world.visible_account_ids:
        groups |= {
            g["status"] for g in get(f"/adAccounts/{account}/adCampaignGroups?q=search").json()["elements"]
        }
        campaigns |= {
            c["status"] for c in get(f"/adAccounts/{account}/adCampaigns?q=search").json()["elements"]
        }
        found = get(
            f"/adAccounts/{account}/creatives?q=criteria&intendedStatuses={ALL_CREATIVE_STATUSES}"
        ).json()
        creatives |= {c["intendedStatus"] for c in found["elements"]}
        reviews |= {c["review"]["status"] for c in found["elements"] if "review" in c}
    assert groups == set(GROUP_STATUSES)
    assert campaigns == set(CAMPAIGN_STATUSES)
    assert creatives == set(CREATIVE_STATUSES)
    assert reviews == set(REVIEW_STATUSES)
    accounts = {a["status"] for a in get("/adAccounts?q=search").json()["elements"]}
    assert {"ACTIVE"} < accounts


def test_optional_fields_are_sometimes_omitted(sandbox) -> None:
    accounts = sandbox.world.accounts
    campaigns = every_visible(sandbox, "campaigns")
    creatives = every_visible(sandbox, "creatives")
    conversions = every_visible(sandbox, "conversions")

    def some_lack(entities: list[dict], field: str) -> bool:
        return any(field not in e for e in entities) and any(field in e for e in entities)

    assert any(len([k for k in a if k.startswith("notifiedOn")]) < 4 for a in accounts)
    assert some_lack(campaigns, "dailyBudget") or some_lack(campaigns, "totalBudget")
    assert any("end" not in c["runSchedule"] for c in campaigns)
    assert some_lack(creatives, "name") and some_lack(creatives, "review")
    assert some_lack(creatives, "servingHoldReasons")
    assert some_lack(conversions, "value") or some_lack(conversions, "lastCallbackAt")
    assert all(isinstance(c["unitCost"]["amount"], str) for c in campaigns)
    assert all(
        isinstance(c["id"], str) and c["id"].startswith("urn:li:sponsoredCreative:") for c in creatives
    )


def test_nothing_is_created_after_today(sandbox) -> None:
    cutoff = sandbox.world.end_of_today_ms()
    for kind in ("accounts", "campaign_groups", "campaigns", "creatives", "conversions"):
        assert all(sandbox.world.created_ms(e) < cutoff for e in getattr(sandbox.world, kind))
    assert len(sandbox.world.all_campaigns) > len(sandbox.world.campaigns)
