"""LinkedIn protocol behaviour of the sandbox over loopback HTTP: auth, versions, tunneling, limits, admin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import requests

from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.oauth.grants import TokenGrant
from lisync.sandbox.routes.table import ROUTES
from lisync.sandbox.server import SandboxServer

SEARCH = "/rest/adAccounts?q=search"
SANDBOX_TODAY = dt.date(2026, 11, 15)


def api_headers(
    token: str | None = "sandbox-test-token", version: str | None = "202610", **extra: str
) -> dict:
    headers = {"X-Restli-Protocol-Version": "2.0.0", **extra}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if version is not None:
        headers["LinkedIn-Version"] = version
    return headers


def _get(server, path: str, **kwargs) -> requests.Response:
    headers = kwargs.pop("headers", api_headers())
    return requests.get(f"{server.base_url}{path}", headers=headers, timeout=10, **kwargs)


# ------------------------------------------------------------------------------------------------ auth


def test_missing_token_is_401_empty_token(sandbox) -> None:
    response = _get(sandbox, SEARCH, headers=api_headers(token=None))
    assert response.status_code == 401
    assert response.json() == {"message": "Empty oauth2_access_token", "serviceErrorCode": 401, "status": 401}


def test_empty_bearer_is_401_empty_token(sandbox) -> None:
    response = _get(sandbox, SEARCH, headers={**api_headers(), "Authorization": "Bearer "})
    assert response.json()["message"] == "Empty oauth2_access_token"


def test_token_in_query_parameter_is_accepted(sandbox) -> None:
    response = _get(sandbox, f"{SEARCH}&oauth2_access_token=anything", headers=api_headers(token=None))
    assert response.status_code == 200
    assert response.json()["elements"]


def test_strict_mode_rejects_unknown_and_honours_registered_grants(sandbox_factory) -> None:
    past = 1_000
    server = sandbox_factory(
        strict_tokens=True,
        tokens={
            "good": TokenGrant(),
            "expired": TokenGrant(expires_at_ms=past),
            "revoked": TokenGrant(revoked=True),
        },
    )
    assert _get(server, SEARCH, headers=api_headers("good")).status_code == 200
    unknown = _get(server, SEARCH, headers=api_headers("nope"))
    assert unknown.status_code == 401
    assert unknown.json() == {"serviceErrorCode": 65600, "message": "Invalid access token", "status": 401}
    expired = _get(server, SEARCH, headers=api_headers("expired")).json()
    assert (expired["serviceErrorCode"], expired["code"]) == (65602, "EXPIRED_ACCESS_TOKEN")
    revoked = _get(server, SEARCH, headers=api_headers("revoked")).json()
    assert (revoked["serviceErrorCode"], revoked["code"]) == (65601, "REVOKED_ACCESS_TOKEN")


def test_missing_scope_is_403_access_denied(sandbox_factory) -> None:
    server = sandbox_factory(tokens={"pages-only": TokenGrant(scopes=frozenset({"r_organization_social"}))})
    response = _get(server, SEARCH, headers=api_headers("pages-only"))
    assert response.status_code == 403
    assert response.json() == {
        "status": 403,
        "serviceErrorCode": 100,
        "code": "ACCESS_DENIED",
        "message": "Not enough permissions to access: adAccounts.GET.20261001",
    }
    assert _get(server, SEARCH, headers=api_headers("someone-else")).status_code == 200


# -------------------------------------------------------------------------------------------- versions


def test_missing_version_is_400_version_missing(sandbox) -> None:
    response = _get(sandbox, SEARCH, headers=api_headers(version=None))
    assert response.status_code == 400
    assert response.json()["code"] == "VERSION_MISSING"


@pytest.mark.parametrize("version", ["202510", "20240901", "202701", "abc", "202613"])
def test_inactive_version_is_426_echoing_the_value(sandbox, version: str) -> None:
    response = _get(sandbox, SEARCH, headers=api_headers(version=version))
    assert response.status_code == 426
    assert response.json() == {
        "status": 426,
        "code": "NONEXISTENT_VERSION",
        "message": f"Requested version {version} is not active",
    }


@pytest.mark.parametrize("version", ["202511", "202611", "202606.01", "20260301"])
def test_active_version_forms_are_accepted(sandbox, version: str) -> None:
    assert _get(sandbox, SEARCH, headers=api_headers(version=version)).status_code == 200


def test_version_policy_and_retired_option() -> None:
    today = dt.date(2026, 11, 15)
    policy = SandboxConfig(today=today)
    assert policy.version_is_active("202511", today) and policy.version_is_active("202611", today)
    assert not policy.version_is_active("202510", today) and not policy.version_is_active("202612", today)
    lenient = SandboxConfig(today=today, accept_retired_versions=True)
    assert lenient.version_is_active("202301", today) and not lenient.version_is_active("202612", today)


def test_accept_retired_versions_over_http(sandbox_factory) -> None:
    server = sandbox_factory(accept_retired_versions=True)
    assert _get(server, SEARCH, headers=api_headers(version="202401")).status_code == 200


# ---------------------------------------------------------------------------------- tunneling and 414


def test_tunneled_post_equals_get(sandbox) -> None:
    query = "q=search&search=(status:(values:List(ACTIVE)))&pageSize=2"
    direct = _get(sandbox, f"/rest/adAccounts?{query}")
    tunneled = requests.post(
        f"{sandbox.base_url}/rest/adAccounts",
        data=query,
        timeout=10,
        headers=api_headers(
            **{"X-HTTP-Method-Override": "GET", "Content-Type": "application/x-www-form-urlencoded"}
        ),
    )
    assert tunneled.status_code == 200
    assert tunneled.content == direct.content


def test_tunneled_multipart_mixed(sandbox) -> None:
    query = "q=search&pageSize=1"
    body = (
        "--xyz\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n"
        + query
        + "\r\n--xyz\r\nContent-Type: application/json\r\n\r\n{}\r\n--xyz--\r\n"
    )
    response = requests.post(
        f"{sandbox.base_url}/rest/adAccounts",
        data=body.encode(),
        timeout=10,
        headers=api_headers(
            **{"X-HTTP-Method-Override": "GET", "Content-Type": "multipart/mixed; boundary=xyz"}
        ),
    )
    assert response.status_code == 200
    assert len(response.json()["elements"]) == 1


def test_long_query_string_is_414_and_tunneling_fixes_it(sandbox) -> None:
    names = ",".join(f"Name{i:05d}" for i in range(500))
    query = f"q=search&search=(name:(values:List({names})))"
    assert len(query) > 4096
    assert _get(sandbox, f"/rest/adAccounts?{query}").status_code == 414
    tunneled = requests.post(
        f"{sandbox.base_url}/rest/adAccounts",
        data=query,
        timeout=10,
        headers=api_headers(
            **{"X-HTTP-Method-Override": "GET", "Content-Type": "application/x-www-form-urlencoded"}
        ),
    )
    assert tunneled.status_code == 200


def test_a_path_segment_over_4_kb_is_414_even_when_tunneled(sandbox) -> None:
    ids = ",".join(f"urn%3Ali%3AsponsoredCampaign%3A{n}" for n in range(100_000, 100_200))
    path = f"/rest/adCampaigns/List({ids})"
    assert len(path.split("/")[-1]) > 4096
    tunneled = requests.post(f"{sandbox.base_url}{path}", data="", timeout=10, headers=api_headers(
        **{"X-HTTP-Method-Override": "GET", "Content-Type": "application/x-www-form-urlencoded"}))
    assert tunneled.status_code == 414
    assert "path segment" in tunneled.json()["message"]


def test_url_and_headers_over_28_kb_are_414(sandbox) -> None:
    url = f"{sandbox.base_url}/rest/adAccounts?q=search"
    assert requests.get(url, timeout=10, headers=api_headers(**{"X-Padding": "a" * 20_000})).status_code == 200
    huge = requests.get(url, timeout=10, headers=api_headers(**{"X-Padding": "a" * 29_000}))
    assert huge.status_code == 414 and "28 KB" in huge.json()["message"]


def test_query_just_under_the_limit_is_served(sandbox) -> None:
    base = "q=search&pageSize=5&x="
    query = base + "a" * (4096 - len(base))
    assert _get(sandbox, f"/rest/adAccounts?{query}").status_code == 200


# ------------------------------------------------------------------------------------ routing, headers


def test_unknown_path_is_404_and_unknown_finder_is_400(sandbox) -> None:
    missing = _get(sandbox, "/rest/adNothing?q=search")
    assert missing.status_code == 404 and missing.json()["status"] == 404
    unknown_q = _get(sandbox, "/rest/adAccounts?q=byMagic")
    assert unknown_q.status_code == 400
    assert unknown_q.json()["message"] == "Resource method could not be resolved from request parameters."


def test_malformed_restli_is_400_envelope(sandbox) -> None:
    response = _get(sandbox, "/rest/adAccounts?q=search&search=(status:(values:List(ACTIVE))")
    assert response.status_code == 400
    assert set(response.json()) >= {"status", "message"}


def test_response_headers(sandbox) -> None:
    first = _get(sandbox, SEARCH)
    second = _get(sandbox, SEARCH)
    assert first.headers["X-RestLi-Protocol-Version"] == "2.0.0"
    assert first.headers["Content-Type"] == "application/json"
    assert first.headers["X-LI-UUID"] != second.headers["X-LI-UUID"]
    error = _get(sandbox, SEARCH, headers=api_headers(token=None))
    assert error.headers["X-RestLi-Protocol-Version"] == "2.0.0"


# -------------------------------------------------------------------------------------- determinism


def _bodies(server) -> list[bytes]:
    account = server.world.visible_account_ids[0]
    paths = [
        SEARCH,
        f"/rest/adAccounts/{account}/adCampaignGroups?q=search",
        f"/rest/adAccounts/{account}/adCampaigns?q=search",
        f"/rest/adAccounts/{account}/creatives?q=criteria",
        f"/rest/conversions?q=account&account=urn%3Ali%3AsponsoredAccount%3A{account}",
        "/rest/adAccountUsers?q=authenticatedUser",
    ]
    return [_get(server, path).content for path in paths]


def test_same_seed_gives_byte_identical_bodies_and_another_seed_differs(sandbox_factory) -> None:
    first, second, other = sandbox_factory(), sandbox_factory(), sandbox_factory(seed=8)
    assert _bodies(first) == _bodies(second)
    assert all(a != b for a, b in zip(_bodies(first), _bodies(other), strict=True))


# -------------------------------------------------------------------------------------- admin and stats


def test_stats_count_every_request_by_endpoint(sandbox_factory) -> None:
    server = sandbox_factory()
    _get(server, SEARCH)
    _get(server, SEARCH, headers=api_headers(token=None))
    _get(server, f"/rest/adAccounts/{server.world.visible_account_ids[0]}")
    stats = requests.get(f"{server.base_url}/_sandbox/stats", timeout=10).json()
    assert stats["by_endpoint"] == {"GET adAccounts?q=search": 2, "GET adAccounts/{account_id}": 1}
    assert stats["by_status"] == {"200": 2, "401": 1}
    assert stats == server.stats()
    assert requests.post(f"{server.base_url}/_sandbox/stats/reset", timeout=10).json()["total"] == 0
    assert server.stats()["total"] == 0


def test_clock_admin_moves_today_and_reveals_upcoming_campaigns(sandbox_factory) -> None:
    server = sandbox_factory()
    clock_url = f"{server.base_url}/_sandbox/clock"
    assert requests.get(clock_url, timeout=10).json() == {"today": SANDBOX_TODAY.isoformat()}
    account = server.world.visible_account_ids[0]
    path = f"/rest/adAccounts/{account}/adCampaigns?q=search"
    before = {c["id"] for c in _get(server, path).json()["elements"]}
    assert requests.post(clock_url, json={"advance_days": 30}, timeout=10).json() == {"today": "2026-12-15"}
    after = {c["id"] for c in _get(server, path).json()["elements"]}
    assert before < after
    assert requests.post(clock_url, json={"today": "2026-11-15"}, timeout=10).json()["today"] == "2026-11-15"
    assert {c["id"] for c in _get(server, path).json()["elements"]} == before
    assert requests.post(clock_url, json={}, timeout=10).status_code == 400


def test_config_admin_shows_no_tokens(sandbox_factory) -> None:
    server = sandbox_factory(tokens={"secret-token-value": TokenGrant()})
    response = requests.get(f"{server.base_url}/_sandbox/config", timeout=10)
    assert response.status_code == 200
    assert response.json()["seed"] == 7
    assert "secret-token-value" not in response.text


def test_shared_fixtures_reach_the_session_sandbox(api_get, li_headers) -> None:
    assert api_get("/adAccounts?q=search").status_code == 200
    assert api_get("/adAccounts?q=search", token=None).status_code == 401
    assert li_headers(version="202601")["LinkedIn-Version"] == "202601"


def _echo(req: SandboxRequest) -> SandboxResponse:
    return SandboxResponse(
        {
            "method": req.method,
            "query": req.query,
            "body": req.body.decode(),
            "grant": req.grant is not None,
            "version": req.version,
        }
    )


@pytest.fixture
def echo_sandbox() -> Iterator[SandboxServer]:
    """A sandbox serving the real route table plus a non-versioned echo route (GET and POST)."""
    routes = (*ROUTES, Route("GET", "/oauth/v2/echoTest", None, _echo, "echo", versioned=False),
              Route("POST", "/oauth/v2/echoTest", None, _echo, "echo", versioned=False))
    with SandboxServer(SandboxConfig(seed=7, scale="small", today=SANDBOX_TODAY), routes=routes) as server:
        yield server


def test_non_versioned_routes_skip_token_and_version_checks(echo_sandbox: SandboxServer) -> None:
    sandbox = echo_sandbox
    got = requests.get(f"{sandbox.base_url}/oauth/v2/echoTest?response_type=code&state=x", timeout=10)
    assert got.status_code == 200
    assert got.json() == {
        "method": "GET",
        "query": {"response_type": "code", "state": "x"},
        "body": "",
        "grant": False,
        "version": None,
    }
    posted = requests.post(
        f"{sandbox.base_url}/oauth/v2/echoTest", data={"grant_type": "authorization_code"}, timeout=10
    )
    assert posted.json()["body"] == "grant_type=authorization_code"
    assert requests.get(f"{sandbox.base_url}/oauth/v2/unknown", timeout=10).status_code == 404
