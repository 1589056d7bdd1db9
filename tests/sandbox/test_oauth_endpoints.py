"""The sandbox OAuth server over loopback HTTP: consent, code and refresh grants, introspection, revoke."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from lisync.sandbox.oauth.state import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from lisync.sandbox.server import SandboxServer

REDIRECT = "http://127.0.0.1:8765/callback"
DAY = 86400
VERSION = "202610"
OTHER_CLIENT = {"client_id": "other-app", "client_secret": "other-secret",
                "redirect_uris": ["https://example.com/cb"]}


@pytest.fixture
def oauth_sandbox(sandbox_factory: Callable[..., SandboxServer]) -> Iterator[SandboxServer]:
    """A fresh tiny sandbox that accepts only registered (i.e. OAuth-issued) tokens."""
    yield sandbox_factory(scale="tiny", strict_tokens=True)


def authorize_params(scopes: str = "r_ads r_ads_reporting", state: str | None = "csrf-1",
                     client_id: str = DEFAULT_CLIENT_ID, redirect_uri: str = REDIRECT) -> dict[str, str]:
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "scope": scopes}
    if state is not None:
        params["state"] = state
    return params


def consent_form(page: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in re.findall(r"name='([^']+)' value='([^']*)'", page)
            if name != "approve"}


def authorize(base: str, approve: bool = True, **kwargs: Any) -> requests.Response:
    """Drive the consent step like a browser would; return the final 302 (or the error page)."""
    page = requests.get(f"{base}/oauth/v2/authorization", params=authorize_params(**kwargs),
                        allow_redirects=False, timeout=10)
    if page.status_code != 200:
        return page
    form = consent_form(page.text) | {"approve": "true" if approve else "false"}
    return requests.post(f"{base}/oauth/v2/authorization", data=form, allow_redirects=False, timeout=10)


def redirect_params(response: requests.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["Location"]).query).items()}


def token_request(base: str, **form: str) -> requests.Response:
    return requests.post(f"{base}/oauth/v2/accessToken", data=form, timeout=10)


def exchange(base: str, code: str, redirect_uri: str = REDIRECT, client_id: str = DEFAULT_CLIENT_ID,
             client_secret: str = DEFAULT_CLIENT_SECRET) -> requests.Response:
    return token_request(base, grant_type="authorization_code", code=code, redirect_uri=redirect_uri,
                         client_id=client_id, client_secret=client_secret)


def login(base: str, scopes: str = "r_ads r_ads_reporting") -> dict[str, Any]:
    code = redirect_params(authorize(base, scopes=scopes))["code"]
    response = exchange(base, code)
    assert response.status_code == 200, response.text
    return response.json()


def refresh(base: str, refresh_token: str) -> requests.Response:
    return token_request(base, grant_type="refresh_token", refresh_token=refresh_token,
                         client_id=DEFAULT_CLIENT_ID, client_secret=DEFAULT_CLIENT_SECRET)


def api(base: str, token: str, path: str = "/adAccounts?q=search") -> requests.Response:
    return requests.get(f"{base}/rest{path}", timeout=10, headers={
        "Authorization": f"Bearer {token}", "LinkedIn-Version": VERSION,
        "X-Restli-Protocol-Version": "2.0.0"})


def introspect(base: str, token: str, client_id: str = DEFAULT_CLIENT_ID,
               client_secret: str = DEFAULT_CLIENT_SECRET) -> requests.Response:
    return requests.post(f"{base}/oauth/v2/introspectToken", timeout=10,
                         data={"client_id": client_id, "client_secret": client_secret, "token": token})


def advance_days(base: str, days: int) -> None:
    requests.post(f"{base}/_sandbox/clock", json={"advance_days": days}, timeout=10).raise_for_status()


def set_oauth(base: str, **settings: Any) -> dict[str, Any]:
    response = requests.post(f"{base}/_sandbox/oauth", json=settings, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


# ------------------------------------------------------------------------------------------ authorize


def test_consent_page_is_a_form_that_redirects_with_code_and_state(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    page = requests.get(f"{base}/oauth/v2/authorization", params=authorize_params(state="a&b=(c)"),
                        allow_redirects=False, timeout=10)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<form method='post' action='/oauth/v2/authorization'>" in page.text
    assert "<li>r_ads</li><li>r_ads_reporting</li>" in page.text
    form = consent_form(page.text)
    assert form["state"] == "a&b=(c)" and form["redirect_uri"] == REDIRECT

    approved = requests.post(f"{base}/oauth/v2/authorization", data=form | {"approve": "true"},
                             allow_redirects=False, timeout=10)
    location = urlsplit(approved.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    params = redirect_params(approved)
    assert params["state"] == "a&b=(c)"
    assert params["code"].startswith("AQ")


def test_cancel_redirects_with_user_cancelled_authorize(oauth_sandbox: SandboxServer) -> None:
    params = redirect_params(authorize(oauth_sandbox.base_url, approve=False))
    assert params["error"] == "user_cancelled_authorize"
    assert params["error_description"]
    assert params["state"] == "csrf-1"
    assert "code" not in params


def test_unknown_client_and_unregistered_redirect_get_an_error_page(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    unknown = authorize(base, client_id="nobody")
    assert unknown.status_code == 400 and "client_id" in unknown.text
    foreign = authorize(base, redirect_uri="https://evil.example.com/cb")
    assert foreign.status_code == 400
    assert "redirect_uri does not match the registered value" in foreign.text


def test_scope_the_app_lacks_is_refused_like_linkedin(oauth_sandbox: SandboxServer) -> None:
    params = redirect_params(authorize(oauth_sandbox.base_url, scopes="r_ads r_emailaddress"))
    assert params["error"] == "unauthorized_scope_error"
    assert params["error_description"] == (
        "Scope &quot;r_emailaddress&quot; is not authorized for your application")
    assert params["state"] == "csrf-1"


def test_member_who_already_approved_is_redirected_without_consent(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    login(base, scopes="r_ads r_ads_reporting")
    again = requests.get(f"{base}/oauth/v2/authorization",
                         params=authorize_params(scopes="r_ads", state="s2"),
                         allow_redirects=False, timeout=10)
    assert again.status_code == 302
    assert redirect_params(again)["state"] == "s2"
    wider = requests.get(f"{base}/oauth/v2/authorization", params=authorize_params(scopes="r_ads rw_ads"),
                         allow_redirects=False, timeout=10)
    assert wider.status_code == 200  # a new scope needs consent again


# ------------------------------------------------------------------------------------------ code grant


def test_code_exchange_returns_linkedin_token_response_and_registers_the_token(
        oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    body = login(base)
    assert set(body) == {"access_token", "expires_in", "refresh_token", "refresh_token_expires_in", "scope"}
    assert body["expires_in"] == 60 * DAY
    assert body["refresh_token_expires_in"] == 365 * DAY
    assert body["scope"] == "r_ads,r_ads_reporting"
    assert len(body["access_token"]) >= 400  # LinkedIn tokens are ~500 characters
    grant = oauth_sandbox.world.tokens[body["access_token"]]
    assert grant.scopes == frozenset({"r_ads", "r_ads_reporting"})
    assert grant.client_id == DEFAULT_CLIENT_ID
    assert api(base, body["access_token"]).status_code == 200
    assert api(base, "made-up-token").status_code == 401  # strict mode: only issued tokens work


def test_code_is_single_use(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    code = redirect_params(authorize(base))["code"]
    assert exchange(base, code).status_code == 200
    reused = exchange(base, code)
    assert reused.status_code == 401
    assert reused.json() == {
        "error": "invalid_request",
        "error_description": "Unable to retrieve access token: authorization code not found"}


def test_code_needs_the_same_redirect_uri_and_client(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    set_oauth(base, clients=[OTHER_CLIENT])
    code = redirect_params(authorize(base))["code"]
    wrong_redirect = exchange(base, code, redirect_uri="http://127.0.0.1:9999/other")
    assert wrong_redirect.status_code == 400
    assert wrong_redirect.json()["error"] == "invalid_request"
    assert "does not match authorization code" in wrong_redirect.json()["error_description"]
    other_client = exchange(base, code, client_id="other-app", client_secret="other-secret")
    assert other_client.status_code == 400


def test_code_expires_after_thirty_minutes_of_sandbox_time(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    code = redirect_params(authorize(base))["code"]
    advance_days(base, 1)
    expired = exchange(base, code)
    assert expired.status_code == 400
    assert "authorization code expired" in expired.json()["error_description"]


def test_token_endpoint_errors(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    code = redirect_params(authorize(base))["code"]
    bad_secret = exchange(base, code, client_secret="wrong")
    assert bad_secret.status_code == 401 and bad_secret.json()["error"] == "invalid_client"
    missing = token_request(base, grant_type="authorization_code", code=code, client_id=DEFAULT_CLIENT_ID,
                            client_secret=DEFAULT_CLIENT_SECRET)
    assert missing.status_code == 400
    assert missing.json() == {"error": "invalid_request",
                              "error_description": 'A required parameter "redirect_uri" is missing'}
    unsupported = token_request(base, grant_type="password")
    assert unsupported.status_code == 400 and unsupported.json()["error"] == "unsupported_grant_type"
    assert exchange(base, code).status_code == 200  # failed attempts did not burn the code


# ---------------------------------------------------------------------------------------- refresh grant


def test_expired_token_gets_401_and_refresh_issues_a_working_one(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    set_oauth(base, access_token_ttl_seconds=3600)
    body = login(base)
    assert body["expires_in"] == 3600
    advance_days(base, 1)
    expired = api(base, body["access_token"])
    assert expired.status_code == 401
    assert expired.json()["code"] == "EXPIRED_ACCESS_TOKEN"

    renewed = refresh(base, body["refresh_token"])
    assert renewed.status_code == 200, renewed.text
    fresh = renewed.json()
    assert fresh["access_token"] != body["access_token"]
    assert fresh["refresh_token"] == body["refresh_token"]
    assert fresh["expires_in"] == 3600
    # Refreshing never extends the refresh token: one sandbox day of its year is gone (give or take the
    # seconds of wall-clock time-of-day that passed between the two calls).
    assert 364 * DAY - 60 <= fresh["refresh_token_expires_in"] <= 364 * DAY
    assert fresh["scope"] == "r_ads,r_ads_reporting"
    assert api(base, fresh["access_token"]).status_code == 200


def test_old_access_token_stays_valid_after_refresh(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    body = login(base)
    fresh = refresh(base, body["refresh_token"]).json()
    assert api(base, body["access_token"]).status_code == 200
    assert api(base, fresh["access_token"]).status_code == 200


def test_refresh_token_expires_after_its_year_and_caps_the_last_access_tokens(
        oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    body = login(base)
    advance_days(base, 360)
    late = refresh(base, body["refresh_token"]).json()
    assert 4 * DAY <= late["expires_in"] <= 5 * DAY  # LinkedIn: both expire together near day 365
    assert late["expires_in"] == late["refresh_token_expires_in"]
    advance_days(base, 6)
    dead = refresh(base, body["refresh_token"])
    assert dead.status_code == 400
    assert dead.json() == {"error": "invalid_request", "error_description":
                           "The provided authorization grant or refresh token is invalid, expired or revoked"}


def test_refresh_with_unknown_token_or_other_client_is_refused(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    set_oauth(base, clients=[OTHER_CLIENT])
    body = login(base)
    assert refresh(base, "not-a-refresh-token").status_code == 400
    stolen = token_request(base, grant_type="refresh_token", refresh_token=body["refresh_token"],
                           client_id="other-app", client_secret="other-secret")
    assert stolen.status_code == 400


def test_client_without_programmatic_refresh_gets_no_refresh_token(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    set_oauth(base, clients=[{"client_id": "basic-app", "client_secret": "basic-secret",
                              "allow_loopback": True, "refresh_tokens": False}])
    code = redirect_params(authorize(base, client_id="basic-app"))["code"]
    body = exchange(base, code, client_id="basic-app", client_secret="basic-secret").json()
    assert set(body) == {"access_token", "expires_in", "scope"}


# ------------------------------------------------------------------------------ introspection, revoke


def test_introspection_reports_status_in_seconds(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    set_oauth(base, access_token_ttl_seconds=3600, clients=[OTHER_CLIENT])
    token = login(base)["access_token"]
    info = introspect(base, token).json()
    assert info["active"] is True and info["status"] == "active"
    assert info["client_id"] == DEFAULT_CLIENT_ID and info["auth_type"] == "3L"
    assert info["scope"] == "r_ads,r_ads_reporting"
    assert info["expires_at"] - info["created_at"] == 3600
    assert info["authorized_at"] == info["created_at"]
    assert info["created_at"] < 10**11  # seconds, not milliseconds

    assert introspect(base, token, "other-app", "other-secret").json() == {"active": False}
    assert introspect(base, "unknown").json() == {"active": False}
    assert introspect(base, token, client_secret="wrong").status_code == 401
    advance_days(base, 1)
    expired = introspect(base, token).json()
    assert expired["active"] is False and expired["status"] == "expired"


def test_revoke_endpoint_kills_one_access_token(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    body = login(base)
    revoked = requests.post(f"{base}/oauth/v2/revoke", timeout=10, data={
        "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET,
        "token": body["access_token"]})
    assert revoked.status_code == 200
    answer = api(base, body["access_token"])
    assert answer.status_code == 401 and answer.json()["code"] == "REVOKED_ACCESS_TOKEN"
    assert introspect(base, body["access_token"]).json()["status"] == "revoked"
    assert refresh(base, body["refresh_token"]).status_code == 200  # the refresh token survives


def test_admin_revoke_removes_the_whole_authorization(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    body = login(base)
    second = refresh(base, body["refresh_token"]).json()
    result = requests.post(f"{base}/_sandbox/oauth/revoke", json={"token": body["refresh_token"]}, timeout=10)
    assert result.json() == {"revoked_access_tokens": 2}
    for token in (body["access_token"], second["access_token"]):
        assert api(base, token).json()["code"] == "REVOKED_ACCESS_TOKEN"
    assert refresh(base, body["refresh_token"]).status_code == 400
    page = requests.get(f"{base}/oauth/v2/authorization", params=authorize_params(), allow_redirects=False,
                        timeout=10)
    assert page.status_code == 200  # consent is asked again


def test_scopes_are_enforced_per_endpoint(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    token = login(base, scopes="r_ads")["access_token"]
    assert api(base, token).status_code == 200
    denied = api(base, token, "/organizationAcls?q=roleAssignee")
    assert denied.status_code == 403
    assert denied.json()["code"] == "ACCESS_DENIED"


def test_admin_settings_validate_input(oauth_sandbox: SandboxServer) -> None:
    base = oauth_sandbox.base_url
    current = requests.get(f"{base}/_sandbox/oauth", timeout=10).json()
    assert current["access_token_ttl_seconds"] == 60 * DAY
    assert current["refresh_token_ttl_seconds"] == 365 * DAY
    bad = requests.post(f"{base}/_sandbox/oauth", json={"access_token_ttl_seconds": 0}, timeout=10)
    assert bad.status_code == 400


def test_same_seed_and_calls_give_the_same_tokens(sandbox_factory: Callable[..., SandboxServer]) -> None:
    first = login(sandbox_factory(scale="tiny", seed=11).base_url)
    second = login(sandbox_factory(scale="tiny", seed=11).base_url)
    other = login(sandbox_factory(scale="tiny", seed=12).base_url)
    assert first == second
    assert first["access_token"] != other["access_token"]
