"""The client's retry policy over real loopback HTTP: what is retried, how long it waits, when it gives up."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.responses import JSONResponse
from tenacity import RetryCallState, Retrying
from tests.support import serve_on_loopback

from lisync.linkedin.http.bearer import StaticTokenProvider
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import (
    AccessDeniedError,
    BadRequestError,
    NetworkError,
    NotFoundError,
    ServerError,
    ThrottledError,
    UnauthorizedError,
    VersionRetiredError,
)
from lisync.linkedin.http.restli import date_range, restli_list, urn
from lisync.linkedin.http.retry import RetryPolicy, _LinkedInWait
from lisync.linkedin.http.version import DEFAULT_API_VERSION, version_sunset_warning, version_support_ends
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.faults import FaultConfig
from lisync.sandbox.server import SandboxServer

TODAY = dt.date(2026, 11, 15)
FAST = RetryPolicy(backoff_base_s=0.01, backoff_max_s=0.05, data_volume_wait_s=0.2, read_timeout_s=0.5,
                   connect_timeout_s=2.0)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(seed=7, scale="tiny", today=TODAY)) as server:
        yield server


@pytest.fixture(autouse=True)
def _no_faults(sandbox: SandboxServer) -> Iterator[None]:
    yield
    sandbox.set_faults(FaultConfig())


def client_for(sandbox: SandboxServer, policy: RetryPolicy = FAST, provider: Any = None,
               version: str = DEFAULT_API_VERSION) -> LinkedInClient:
    return LinkedInClient(provider or StaticTokenProvider("retry-token"), base_url=f"{sandbox.base_url}/rest",
                          api_version=version, retry_policy=policy)


def list_accounts(client: LinkedInClient) -> list[dict[str, Any]]:
    return [e for page in client.paginate_cursor("adAccounts", {"q": "search"}, 100) for e in page]


@pytest.mark.parametrize("kind", ["429", "500", "502", "503", "504", "reset", "stall", "truncated"])
def test_each_transient_fault_is_retried_until_the_answer_comes(sandbox: SandboxServer, kind: str) -> None:
    sandbox.set_faults(FaultConfig(rate=1.0, mix={kind: 1.0}, max_consecutive=2, stall_s=2.0))
    client = client_for(sandbox)
    accounts = list_accounts(client)
    assert len(accounts) == len(sandbox.world.account_ids_for(sandbox.world.default_grant))
    assert client.stats.total == 1
    assert client.stats.attempts == 3
    assert client.stats.retries == 2
    assert sum(client.stats.retry_reasons.values()) == 2


def test_retry_reasons_name_what_happened(sandbox: SandboxServer) -> None:
    expected = {"429": "429", "503": "503", "reset": "connection error", "stall": "timeout",
                "truncated": "invalid JSON"}
    for kind, reason in expected.items():
        sandbox.set_faults(FaultConfig(rate=1.0, mix={kind: 1.0}, max_consecutive=1, stall_s=2.0))
        client = client_for(sandbox)
        list_accounts(client)
        assert dict(client.stats.retry_reasons) == {reason: 1}, kind


def test_retry_after_is_honoured(sandbox: SandboxServer) -> None:
    sandbox.set_faults(FaultConfig(rate=1.0, mix={"429-retry-after": 1.0}, max_consecutive=1, retry_after_s=1))
    client = client_for(sandbox)
    list_accounts(client)
    assert client.stats.retries == 1
    assert client.stats.retry_seconds == pytest.approx(1.0)


def analytics_params(account_id: int) -> list[tuple[str, Any]]:
    return [("q", "analytics"), ("pivot", "CREATIVE"), ("timeGranularity", "DAILY"),
            ("dateRange", date_range(TODAY - dt.timedelta(days=3), TODAY)),
            ("accounts", restli_list([urn("sponsoredAccount", account_id)]))]


def test_data_volume_throttle_waits_the_long_wait(sandbox: SandboxServer) -> None:
    sandbox.set_faults(FaultConfig(rate=1.0, mix={"429-data-volume": 1.0}, max_consecutive=2))
    client = client_for(sandbox)
    body = client.get("adAnalytics", analytics_params(sandbox.world.visible_account_ids[0]))
    assert "elements" in body
    assert dict(client.stats.retry_reasons) == {"429 data volume": 2}
    assert client.stats.retry_seconds == pytest.approx(2 * FAST.data_volume_wait_s)


def test_data_volume_fault_is_a_plain_throttle_outside_analytics(sandbox: SandboxServer) -> None:
    sandbox.set_faults(FaultConfig(rate=1.0, mix={"429-data-volume": 1.0}, max_consecutive=1))
    client = client_for(sandbox)
    list_accounts(client)
    assert dict(client.stats.retry_reasons) == {"429": 1}


@pytest.mark.parametrize(("deny", "error"), [(403, AccessDeniedError), (404, NotFoundError)])
def test_forbidden_and_missing_are_never_retried(sandbox: SandboxServer, deny: int, error: type) -> None:
    account = sandbox.world.visible_account_ids[0]
    sandbox.set_faults(FaultConfig(deny={f"/adAccounts/{account}/*": deny}))
    client = client_for(sandbox)
    with pytest.raises(error) as info:
        list(client.paginate_cursor(f"adAccounts/{account}/adCampaigns", {"q": "search"}, 100))
    assert client.stats.attempts == 1
    assert client.stats.retries == 0
    assert "lisync check" in str(info.value)


def test_bad_request_is_never_retried(sandbox: SandboxServer) -> None:
    client = client_for(sandbox)
    with pytest.raises(BadRequestError) as info:
        client.get("adAccounts", {"q": "noSuchFinder"})
    assert client.stats.attempts == 1
    assert "lisync bug" in str(info.value)


def test_retired_version_is_never_retried_and_says_what_to_do(sandbox: SandboxServer) -> None:
    client = client_for(sandbox, version="202001")
    with pytest.raises(VersionRetiredError) as info:
        list_accounts(client)
    assert client.stats.attempts == 1
    message = str(info.value)
    assert message.startswith("LinkedIn retired API version 202001; upgrade lisync or set api_version")
    assert "\n" not in message


def test_a_request_gives_up_when_its_time_budget_is_spent(sandbox: SandboxServer) -> None:
    sandbox.set_faults(FaultConfig(rate=1.0, mix={"429-retry-after": 1.0}, max_consecutive=100, retry_after_s=1))
    client = client_for(sandbox, RetryPolicy(request_budget_s=1.5, max_attempts=10))
    with pytest.raises(ThrottledError) as info:
        list_accounts(client)
    assert client.stats.attempts == 2  # the second wait would end after 2 s > 1.5 s
    assert "resumes where it stopped" in str(info.value)


def test_the_run_retry_budget_is_shared_by_every_request(sandbox: SandboxServer) -> None:
    sandbox.set_faults(FaultConfig(rate=1.0, mix={"503": 1.0}, max_consecutive=100))
    client = client_for(sandbox, RetryPolicy(backoff_base_s=0.4, backoff_max_s=0.4, run_budget_s=0.45,
                                             max_attempts=10))
    with pytest.raises(ServerError):
        list_accounts(client)
    first = client.stats.attempts
    assert 1 <= first < 10
    with pytest.raises(ServerError):
        list_accounts(client)
    # The two requests together never wait longer than the run's budget (jittered waits make the split between
    # them vary), and neither runs to its attempt limit.
    assert client.stats.retry_seconds <= 0.45
    assert client.stats.attempts - first < 10


def test_attempts_stop_at_max_attempts(sandbox: SandboxServer) -> None:
    sandbox.set_faults(FaultConfig(rate=1.0, mix={"500": 1.0}, max_consecutive=100))
    client = client_for(sandbox, RetryPolicy(backoff_base_s=0.01, backoff_max_s=0.01, max_attempts=3))
    with pytest.raises(ServerError):
        list_accounts(client)
    assert client.stats.attempts == 3
    assert client.stats.retries == 2


class RenewingProvider:
    """A token provider that can renew: each EXPIRED_ACCESS_TOKEN yields a fresh token."""

    def __init__(self) -> None:
        self.renewals = 0

    def access_token(self) -> str:
        return f"renewed-{self.renewals}"

    def handle_unauthorized(self, error_code: str | None) -> bool:
        if error_code != "EXPIRED_ACCESS_TOKEN":
            return False
        self.renewals += 1
        return True


def test_expired_token_mid_run_is_renewed_and_the_request_sent_again(sandbox: SandboxServer) -> None:
    sandbox.set_faults(FaultConfig(rate=1.0, mix={"401-expired": 1.0}, max_consecutive=1))
    provider = RenewingProvider()
    client = client_for(sandbox, provider=provider)
    assert list_accounts(client)
    assert provider.renewals == 1
    assert client.stats.retries == 0


def test_expired_fixed_token_fails_at_once_with_the_fix(sandbox: SandboxServer) -> None:
    sandbox.set_faults(FaultConfig(rate=1.0, mix={"401-expired": 1.0}, max_consecutive=1))
    client = client_for(sandbox)
    with pytest.raises(UnauthorizedError) as info:
        list_accounts(client)
    assert client.stats.attempts == 1
    assert "lisync auth login" in str(info.value)


class InFlight:
    def __init__(self) -> None:
        self.now = 0
        self.peak = 0

    async def handle(self, request: Any) -> JSONResponse:
        self.now += 1
        self.peak = max(self.peak, self.now)
        await asyncio.sleep(0.2)
        self.now -= 1
        return JSONResponse({"elements": []})


def test_concurrency_cap_bounds_requests_in_flight() -> None:
    counter = InFlight()
    with serve_on_loopback(counter.handle) as base_url:
        client = LinkedInClient(StaticTokenProvider("t"), base_url=base_url,
                                retry_policy=RetryPolicy(max_concurrency=2))
        threads = [threading.Thread(target=client.get, args=(f"thing/{i}",)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert counter.peak == 2
        assert client.stats.total == 8


def _state_after(attempt: int, response: requests.Response | None) -> RetryCallState:
    state = RetryCallState(Retrying(), None, (), {})
    state.attempt_number = attempt
    state.set_result(response)
    return state


@settings(max_examples=200, deadline=None)
@given(attempt=st.integers(min_value=1, max_value=30), seed=st.integers(min_value=0, max_value=2**32))
def test_backoff_is_full_jitter_below_the_exponential_ceiling(attempt: int, seed: int) -> None:
    policy = RetryPolicy(backoff_base_s=0.5, backoff_max_s=30.0)
    response = requests.Response()
    response.status_code = 503
    response._content = b"{}"
    wait = _LinkedInWait(policy, random.Random(seed))(_state_after(attempt, response))
    assert 0.0 <= wait <= min(30.0, 0.5 * 2 ** (attempt - 1))


def test_retry_after_longer_than_the_cap_is_cut() -> None:
    policy = RetryPolicy(max_retry_after_s=5.0)
    response = requests.Response()
    response.status_code = 429
    response.headers["Retry-After"] = "3600"
    response._content = b"{}"
    assert _LinkedInWait(policy, random.Random(1))(_state_after(1, response)) == 5.0


def test_version_sunset_warning_starts_60_days_before_a_year_is_up() -> None:
    assert version_support_ends("202610") == dt.date(2027, 10, 1)
    assert version_sunset_warning("202610", dt.date(2027, 8, 1)) is None
    near = version_sunset_warning("202610", dt.date(2027, 8, 5))
    assert near is not None and "in 57 days" in near and "--api-version" in near
    past = version_sunset_warning("202610", dt.date(2027, 11, 1))
    assert past is not None and "on 2027-10-01" in past
    assert version_sunset_warning("garbage", dt.date(2027, 11, 1)) is None


def test_default_version_is_not_near_its_sunset_in_the_sandbox_year() -> None:
    assert version_sunset_warning(DEFAULT_API_VERSION, TODAY) is None


def test_a_closed_loopback_port_fails_at_once_with_one_line() -> None:
    """Issue #19 item 7: a refusal on the first attempt to this machine is not retried (was: 3 attempts)."""
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = LinkedInClient(StaticTokenProvider("t"), base_url=f"http://127.0.0.1:{port}/rest",
                            retry_policy=RetryPolicy(max_attempts=3, backoff_base_s=0.01, backoff_max_s=0.01))
    with pytest.raises(NetworkError) as info:
        list_accounts(client)
    assert client.stats.attempts == 1
    assert dict(client.stats.retry_reasons) == {}
    message = str(info.value)
    assert message.startswith(f"Cannot reach LinkedIn at 127.0.0.1:{port}") and "--api-base-url" in message
    assert "connection refused" in message and "not retried" in message and "after every retry" not in message
    assert "\n" not in message
