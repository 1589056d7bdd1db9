"""``GET /rest/posts?q=dscAdAccount``: an ad account's Direct Sponsored Content posts (Posts API, Find by Account)."""

from __future__ import annotations

from collections.abc import Callable

import requests

from lisync.sandbox.server import SandboxServer

TApiGet = Callable[..., requests.Response]


def account_urn(account_id: int) -> str:
    return f"urn%3Ali%3AsponsoredAccount%3A{account_id}"


def _sponsored_posts_of(sandbox: SandboxServer, account: int) -> set[str]:
    """The post URNs the account's creatives reference (share or ugcPost)."""
    return {str(c["content"]["reference"]) for c in sandbox.world.creatives
            if c["account"] == f"urn:li:sponsoredAccount:{account}"
            and str(c["content"].get("reference", "")).startswith(("urn:li:share:", "urn:li:ugcPost:"))}


def test_finder_lists_the_accounts_dark_posts_in_offset_pages(sandbox: SandboxServer, api_get: TApiGet) -> None:
    account = max(sandbox.world.visible_account_ids, key=lambda a: len(_sponsored_posts_of(sandbox, a)))
    expected = _sponsored_posts_of(sandbox, account)
    assert len(expected) > 3
    everything = api_get(f"/posts?q=dscAdAccount&dscAdAccount={account_urn(account)}&count=100")
    assert everything.status_code == 200, everything.text
    body = everything.json()
    assert {p["id"] for p in body["elements"]} == expected
    assert body["paging"]["total"] == len(expected)
    for post in body["elements"]:
        assert post["adContext"]["isDsc"] is True and post["adContext"]["dscAdAccount"] == \
            f"urn:li:sponsoredAccount:{account}"
        assert post["distribution"]["feedDistribution"] == "NONE"
    modified = [p["lastModifiedAt"] for p in body["elements"]]
    assert modified == sorted(modified, reverse=True)
    paged: list[str] = []
    for start in range(0, len(expected), 2):
        page = api_get(f"/posts?q=dscAdAccount&dscAdAccount={account_urn(account)}&start={start}&count=2").json()
        assert page["paging"]["start"] == start and page["paging"]["total"] == len(expected)
        paged.extend(p["id"] for p in page["elements"])
    assert paged == [p["id"] for p in body["elements"]]
    default = api_get(f"/posts?q=dscAdAccount&dscAdAccount={account_urn(account)}").json()
    assert default["paging"]["count"] == 10 and len(default["elements"]) == min(10, len(expected))
    videos = api_get(f"/posts?q=dscAdAccount&dscAdAccount={account_urn(account)}&dscAdTypes=List(VIDEO)&count=100")
    assert videos.status_code == 200, videos.text
    assert {p["id"] for p in videos.json()["elements"]} == {
        p["id"] for p in body["elements"] if p["adContext"]["dscAdType"] == "VIDEO"}
    both = api_get(f"/posts?q=dscAdAccount&dscAdAccount={account_urn(account)}"
                   f"&dscAdTypes=List(STANDARD,VIDEO)&count=100").json()
    assert {p["id"] for p in both["elements"]} == expected


def test_author_finder_lists_dark_posts_only_with_is_dsc_true(sandbox: SandboxServer, api_get: TApiGet) -> None:
    world = sandbox.world
    account = world.account(world.visible_account_ids[0])
    assert account is not None
    author = str(account["reference"]).replace(":", "%3A")
    organic = api_get(f"/posts?q=author&author={author}&count=100")
    explicit = api_get(f"/posts?q=author&author={author}&count=100&isDsc=false")
    dark = api_get(f"/posts?q=author&author={author}&count=100&isDsc=true")
    assert organic.status_code == explicit.status_code == dark.status_code == 200, dark.text
    assert organic.json() == explicit.json()
    assert organic.json()["elements"] and dark.json()["elements"]
    assert all(p["distribution"]["feedDistribution"] != "NONE" and "adContext" not in p
               for p in organic.json()["elements"])
    assert all(p["adContext"]["isDsc"] is True for p in dark.json()["elements"])
    sponsored = {p["id"] for p in dark.json()["elements"]} - {p["id"] for p in organic.json()["elements"]}
    assert sponsored == {p["id"] for p in dark.json()["elements"]}
    assert _sponsored_posts_of(sandbox, int(account["id"])) <= sponsored
    assert api_get(f"/posts?q=author&author={author}&isDsc=maybe").status_code == 400


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
