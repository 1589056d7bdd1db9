"""The scopes each pipeline needs: login requests, blocked-pipeline checks, and agreement with the sandbox."""

from __future__ import annotations

import re

import pytest

from lisync.linkedin.auth.scopes import (
    AD_ACCOUNT_ROLES,
    ORGANIZATION_ROLE,
    PIPELINE_ACCESS,
    PIPELINES,
    blocked_pipelines,
    describe_need,
    parse_scopes,
    scopes_for,
)
from lisync.sandbox.routes.table import ROUTES
from lisync.spec.loader import load_spec


def test_every_spec_pipeline_has_an_access_entry() -> None:
    assert set(load_spec()) == set(PIPELINES)


def test_login_scopes_for_all_pipelines_are_the_four_read_scopes() -> None:
    assert scopes_for() == ["r_ads", "r_ads_reporting", "r_organization_social", "rw_organization_admin"]


def test_login_scopes_follow_the_selected_pipelines() -> None:
    assert scopes_for(["ad_accounts", "campaign_metadata"]) == ["r_ads"]
    assert scopes_for(["ad_performance"]) == ["r_ads", "r_ads_reporting"]
    assert scopes_for(["organization_pages"]) == ["rw_organization_admin"]
    assert "r_emailaddress" not in scopes_for()  # removed by LinkedIn; asking for it breaks login
    with pytest.raises(ValueError, match="Unknown pipeline 'ads'"):
        scopes_for(["ads"])


def test_blocked_pipelines_name_what_is_missing() -> None:
    blocked = blocked_pipelines({"r_ads"})
    assert blocked["ad_performance"] == ["r_ads_reporting"]
    assert blocked["organization_posts"] == ["r_organization_social",
                                             "rw_organization_admin"]
    assert "ad_accounts" not in blocked
    assert blocked_pipelines(scopes_for()) == {}
    assert blocked_pipelines({"rw_ads", "r_ads_reporting"}, ["conversion_performance"]) == {}
    assert describe_need(frozenset({"rw_ads", "r_ads"})) == "r_ads or rw_ads"


def test_parse_scopes_reads_linkedins_comma_form_and_space_form() -> None:
    assert parse_scopes("r_ads,r_ads_reporting") == {"r_ads", "r_ads_reporting"}
    assert parse_scopes("r_ads r_ads_reporting") == {"r_ads", "r_ads_reporting"}
    assert parse_scopes(["r_ads", " "]) == {"r_ads"}
    assert parse_scopes(None) == frozenset()


def test_roles() -> None:
    assert ORGANIZATION_ROLE == "ADMINISTRATOR"
    assert "VIEWER" in AD_ACCOUNT_ROLES


def _normalise(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path.removeprefix("/rest"))


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_pipeline_scopes_open_every_sandbox_route_it_reads(pipeline: str) -> None:
    granted = set(scopes_for([pipeline]))
    for endpoint in PIPELINE_ACCESS[pipeline].endpoints:
        path, _, query = endpoint.partition("?")
        finders = query.removeprefix("q=").split("|") if query else [None]
        for finder in finders:
            routes = [r for r in ROUTES if r.versioned and r.method == "GET"
                      and _normalise(r.pattern) == _normalise(path) and r.finder == finder]
            assert routes, f"{pipeline}: the sandbox has no route for {endpoint}"
            for route in routes:
                assert not route.scopes or any(need <= granted for need in route.scopes), (
                    f"{pipeline}: scopes {sorted(granted)} do not open {route.pattern} q={finder}")
