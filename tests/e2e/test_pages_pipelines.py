"""End to end: organization_pages against the sandbox over loopback HTTP (windows, periods, filter)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.e2e.conftest import TODAY, Runner

from lisync.errors import ConfigError, SelectionError
from lisync.linkedin.pages.statistics import earliest_start
from lisync.sandbox.config import SandboxConfig
from lisync.sandbox.server import SandboxServer

PAGE_FINDERS = ("organizationPageStatistics?q=organization", "brandPageStatistics?q=brand",
                "organizationalEntityFollowerStatistics?q=organizationalEntity",
                "organizationalEntityShareStatistics?q=organizationalEntity")


def finder_calls(pages: list[Any]) -> dict[str, int]:
    """One call per finder and page: company pages ask organizationPageStatistics, showcases the brand finder."""
    showcases = sum(1 for p in pages if p.primary_type == "BRAND")
    return {PAGE_FINDERS[0]: len(pages) - showcases, PAGE_FINDERS[1]: showcases,
            PAGE_FINDERS[2]: len(pages), PAGE_FINDERS[3]: len(pages)}


def calls_match(by_endpoint: dict[str, int], pages: list[Any]) -> bool:
    return all(by_endpoint.get(f, 0) == n for f, n in finder_calls(pages).items())


@pytest.fixture
def e2e_sandbox() -> Iterator[SandboxServer]:
    """A fresh small sandbox per test: these tests move its clock."""
    with SandboxServer(SandboxConfig(port=0, seed=7, scale="small", today=TODAY)) as server:
        yield server


def advance_clock(runner: Runner, days: int) -> None:
    """Move the sandbox's today through its admin API."""
    response = httpx.post(f"{runner.sandbox.base_url}/_sandbox/clock", json={"advance_days": days})
    response.raise_for_status()


def company_pages(runner: Runner) -> list[Any]:
    """Every page the member administers: company pages and the showcase page (read since issue 16)."""
    organic = runner.sandbox.world.organic
    administered = organic.administered_ids(None)
    return [o for o in organic.organizations if o.id in administered]


def test_pages_land_for_every_company_page_with_one_call_per_finder(runner: Runner) -> None:
    summary = runner.run("organization_pages")
    assert summary.status == "ok", summary.error
    runner.assert_matches_spec("organization_pages")
    pages = company_pages(runner)
    assert len(pages) >= 2
    days = (TODAY - dt.timedelta(days=2) - earliest_start(TODAY)).days
    assert summary.tables["organization_pages"] == len(pages) * days
    per_org = runner.query("select organization_urn, organization_name, count(*), min(metric_date), "
                           "max(metric_date) from {ds}.organization_pages group by 1, 2 order by 1")
    assert [(r[0], r[1]) for r in per_org] == [(o.urn, o.name) for o in pages]
    assert all(r[2] == days and r[3] == earliest_start(TODAY) and r[4] == TODAY - dt.timedelta(days=3)
               for r in per_org)
    # every statistics family is present, and LinkedIn's negative organic values survive
    assert runner.scalar("select count(*) from {ds}.organization_pages where allpageviews is null or "
                         "organicfollowergain is null or impressioncount is null") == 0
    assert runner.scalar("select count(*) from {ds}.organization_pages where organicfollowergain < 0") > 0
    assert runner.scalar("select sum(desktopcustombuttonclickcounts) from {ds}.organization_pages") > 0
    by_endpoint = summary.requests["by_endpoint"]
    assert calls_match(by_endpoint, pages)
    assert by_endpoint["organizationAcls?q=roleAssignee"] == 1 and by_endpoint["organizations"] == 1
    assert not any("showcase" in note for note in summary.notes)
    assert any(p.primary_type == "BRAND" for p in pages), "the showcase page is read like a company page"


def test_rerun_changes_nothing_and_a_moved_clock_adds_only_the_new_days(runner: Runner) -> None:
    assert runner.run("organization_pages").status == "ok"
    first = runner.snapshot("organization_pages")
    again = runner.run("organization_pages")
    assert runner.snapshot("organization_pages") == first
    assert calls_match(again.requests["by_endpoint"], company_pages(runner))
    advance_clock(runner, 3)
    moved = runner.run("organization_pages")
    assert moved.status == "ok", moved.error
    assert calls_match(moved.requests["by_endpoint"], company_pages(runner))
    later = runner.snapshot("organization_pages")
    assert len(later) == len(first) + 3 * len(company_pages(runner))
    # the rolling year moved too: rows before the new floor stay, every loaded day keeps its values
    assert set(first) <= set(later)
    # three days later the last whole day is again today − 3 days
    assert runner.scalar("select max(metric_date) from {ds}.organization_pages") == TODAY


SHARE_COUNTS = ("impressioncount", "clickcount", "likecount", "commentcount", "sharecount")


def test_week_share_statistics_are_the_sums_of_their_days(runner: Runner, tmp_path: Path) -> None:
    # LinkedIn serves share statistics by day or month only: a week row adds up its seven days.
    assert runner.run("organization_pages", period="week").status == "ok"
    (tmp_path / "daily").mkdir()
    daily = Runner(runner.sandbox, tmp_path / "daily")
    assert daily.run("organization_pages").status == "ok"
    columns = ", ".join(SHARE_COUNTS)
    weeks = runner.query(f"select organization_urn, metric_date, {columns}, uniqueimpressionscount, engagement "
                         "from {ds}.organization_pages")
    sums = {(r[0], r[1]): r[2:] for r in daily.query(
        f"select organization_urn, date_trunc('week', metric_date)::date, "
        f"{', '.join(f'sum({c})' for c in SHARE_COUNTS)} from {{ds}}.organization_pages group by 1, 2")}
    assert weeks and any(w[2] for w in weeks)
    for urn, monday, *counts, unique, engagement in weeks:
        assert tuple(counts) == sums[(urn, monday)]
        assert unique is None
        impressions, clicks, likes, comments, shares = counts
        assert engagement == pytest.approx((clicks + likes + comments + shares) / impressions if impressions else 0)


@pytest.mark.parametrize(("period", "weekday_or_day"), [("week", "isodow"), ("month", "day")])
def test_week_and_month_periods_are_whole_and_aligned(runner: Runner, period: str,
                                                      weekday_or_day: str) -> None:
    summary = runner.run("organization_pages", period=period)
    assert summary.status == "ok", summary.error
    runner.assert_matches_spec("organization_pages")
    starts = {r[0] for r in runner.query(f"select distinct extract({weekday_or_day} from metric_date) "
                                         "from {ds}.organization_pages")}
    assert starts == {1}
    rows = runner.scalar("select count(*) from {ds}.organization_pages")
    assert rows == len(company_pages(runner)) * (51 if period == "week" else 11)
    assert runner.run("organization_pages", period=period).status == "ok"
    assert runner.scalar("select count(*) from {ds}.organization_pages") == rows
    with pytest.raises(ConfigError, match=f"holds {period} rows"):
        runner.run("organization_pages", period="day")
    assert runner.scalar("select count(*) from {ds}.organization_pages") == rows


def test_organizations_filter_selects_and_rejects_clearly(runner: Runner) -> None:
    pages = company_pages(runner)
    summary = runner.run("organization_pages", organization_ids=[str(pages[1].id)])
    assert summary.status == "ok", summary.error
    assert {r[0] for r in runner.query("select distinct organization_urn from {ds}.organization_pages")} == {
        pages[1].urn}
    with pytest.raises(SelectionError) as unknown:
        runner.run("organization_pages", organization_ids=["300001"])
    assert "300001" in str(unknown.value) and all(str(p.id) in str(unknown.value) for p in pages)
    showcase = next(o for o in runner.sandbox.world.organic.organizations if o.primary_type == "BRAND")
    summary = runner.run("organization_pages", organization_ids=[str(showcase.id)])
    assert summary.status == "ok", summary.error
    assert summary.requests["by_endpoint"].get("brandPageStatistics?q=brand") == 1
    assert runner.scalar("select count(*) from {ds}.organization_pages where organization_urn = ? and "
                         "allpageviews > 0", [showcase.urn]) > 0
