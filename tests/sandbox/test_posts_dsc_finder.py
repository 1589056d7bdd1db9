"""``GET /rest/posts?q=dscAdAccount``: an ad account's Direct Sponsored Content posts (Posts API, Find by Account)."""

from __future__ import annotations

from collections.abc import Callable

import requests

from lisync.sandbox.server import SandboxServer

TApiGet = Callable[..., requests.Response]


def account_urn(account_id: int) -> str:
    return f"urn%3Ali%3AsponsoredAccount%3A{account_id}"


def test_finder_answers_an_offset_page_for_a_visible_account(sandbox: SandboxServer, api_get: TApiGet) -> None:
    account = sandbox.world.visible_account_ids[0]
    response = api_get(f"/posts?q=dscAdAccount&dscAdAccount={account_urn(account)}&dscAdTypes=List(VIDEO)&count=100")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["elements"] == []
    assert body["paging"] == {"start": 0, "count": 100, "links": [], "total": 0}


def test_finder_is_reachable_through_query_tunneling(sandbox: SandboxServer, li_headers: Callable[..., dict]) -> None:
    account = sandbox.world.visible_account_ids[0]
    response = requests.post(
        f"{sandbox.base_url}/rest/posts",
        data=f"q=dscAdAccount&dscAdAccount={account_urn(account)}&dscAdTypes=List(STANDARD,VIDEO)",
        headers=li_headers(**{"X-HTTP-Method-Override": "GET",
                              "Content-Type": "application/x-www-form-urlencoded"}),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert sandbox.stats()["by_endpoint"].get("GET posts?q=dscAdAccount", 0) >= 1


def test_finder_rejects_bad_parameters_and_foreign_accounts(sandbox: SandboxServer, api_get: TApiGet) -> None:
    visible = sandbox.world.visible_account_ids[0]
    hidden = sandbox.world.hidden_account_ids[0]
    assert api_get("/posts?q=dscAdAccount").status_code == 400
    assert api_get("/posts?q=dscAdAccount&dscAdAccount=urn%3Ali%3Aorganization%3A100000").status_code == 400
    bad_type = api_get(f"/posts?q=dscAdAccount&dscAdAccount={account_urn(visible)}&dscAdTypes=List(PODCAST)")
    assert bad_type.status_code == 400 and "PODCAST" in bad_type.json()["message"]
    assert api_get(f"/posts?q=dscAdAccount&dscAdAccount={account_urn(hidden)}").status_code == 403
    assert api_get(f"/posts?q=dscAdAccount&dscAdAccount={account_urn(999)}").status_code == 404


def test_batch_get_answers_the_dark_posts_sponsored_creatives_reference(
        sandbox: SandboxServer, api_get: TApiGet) -> None:
    world = sandbox.world
    creatives = [c for c in world.creatives if str(c["content"].get("reference", "")).startswith(
        ("urn:li:share:", "urn:li:ugcPost:"))]
    assert creatives
    urns = [c["content"]["reference"] for c in creatives[:20]]
    encoded = ",".join(u.replace(":", "%3A") for u in urns)
    response = api_get(f"/posts?ids=List({encoded})")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body["results"]) | set(body["errors"]) == set(urns)
    assert body["results"], body["errors"]
    for urn, post in body["results"].items():
        creative = next(c for c in creatives if c["content"]["reference"] == urn)
        account = world.account(world.account_id_of(creative))
        assert account is not None and post["id"] == urn and post["author"] == account["reference"]
        assert post["distribution"]["feedDistribution"] == "NONE" and post["lifecycleState"] == "PUBLISHED"
        assert post["adContext"]["isDsc"] is True
        assert post["adContext"]["dscAdAccount"] == creative["account"]
        assert "article" in post["content"] or "media" in post["content"]
    for error in body["errors"].values():
        assert error["status"] == 403  # the member has no post-reading role on that account's page
    again = api_get(f"/posts/{urns[0].replace(':', '%3A')}")
    assert again.status_code == (200 if urns[0] in body["results"] else 403)
    if again.status_code == 200:
        assert again.json() == body["results"][urns[0]]
    assert api_get("/posts?ids=List(urn%3Ali%3Ashare%3A1)").json()["errors"]["urn:li:share:1"]["status"] == 404
