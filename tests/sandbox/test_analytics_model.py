"""Unit tests of the sandbox's ad analytics model, over a small hand-built world."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lisync.sandbox import synth
from lisync.sandbox.analytics.catalog import (
    ADDITIVE_METRICS,
    DELIVERY_SETTLE_DAYS,
    METRIC_FIELDS,
    QUALIFIED_LEAD_SETTLE_DAYS,
    SOCIAL_SETTLE_DAYS,
    USD_PER_UNIT,
    VIRAL_BASES,
    arrival_share,
    format_decimal,
)
from lisync.sandbox.analytics.model import AnalyticsModel, usd_rate
from lisync.sandbox.analytics.report import AGGREGATE_CACHE_SIZE
from lisync.sandbox.analytics.rows import bucket_of
from lisync.sandbox.analytics.throttle import MetricValueThrottle
from lisync.sandbox.clock import Clock

TODAY = dt.date(2025, 6, 30)
START = dt.date(2025, 1, 6)
DAY_MS = 86_400_000
SPEC_METRICS = {  # lower-cased metric columns of the spec tables ad_performance / conversion_performance
    "conversionvalueinlocalcurrency", "reactions", "likes", "opens", "externalwebsitepostclickconversions",
    "leadgenerationmailcontactinfoshares", "externalwebsitepostviewconversions", "otherengagements",
    "follows", "oneclickleads", "sends", "impressions", "comments", "shares", "clicks",
    "externalwebsiteconversions", "totalengagements", "costinlocalcurrency", "oneclickleadformopens",
    "actionclicks", "adunitclicks", "approximatememberreach", "cardclicks", "cardimpressions", "commentlikes",
    "companypageclicks", "costinusd", "documentcompletions", "documentfirstquartilecompletions",
    "documentmidpointcompletions", "documentthirdquartilecompletions", "downloadclicks", "fullscreenplays",
    "headlineclicks", "headlineimpressions", "landingpageclicks", "leadgenerationmailinterestedclicks",
    "subscriptionclicks", "texturlclicks", "validworkemailleads", "videocompletions",
    "videofirstquartilecompletions", "videomidpointcompletions", "videostarts",
    "videothirdquartilecompletions", "videoviews", "viralexternalwebsitepostviewconversions",
    "viralexternalwebsiteconversions", "viralexternalwebsitepostclickconversions",
    *(f"viral{b.lower()}" for b in VIRAL_BASES if b not in ("oneClickLeadFormOpens", "oneClickLeads")),
}


def ms(day: dt.date) -> int:
    return synth.day_start_ms(day)


def stamps(created: dt.date, modified: dt.date) -> dict[str, Any]:
    return {"created": {"time": ms(created) + 3_600_000}, "lastModified": {"time": ms(modified) + 7_200_000}}


class FakeWorld:
    """The slice of ``World`` the analytics model reads: entity lists, lookups, seed and clock."""

    def __init__(self, seed: int = 11, today: dt.date = TODAY) -> None:
        self.seed = seed
        self.clock = Clock(today)
        self.accounts = [
            {"id": 501, "currency": "USD", "status": "ACTIVE", "reference": "urn:li:organization:1",
             "changeAuditStamps": stamps(START, START)},
            {"id": 502, "currency": "EUR", "status": "ACTIVE", "reference": "urn:li:organization:2",
             "changeAuditStamps": stamps(START, START)},
        ]
        self.campaign_groups = [{"id": 601, "account": "urn:li:sponsoredAccount:501", "status": "ACTIVE",
                                 "changeAuditStamps": stamps(START, START)},
                                {"id": 602, "account": "urn:li:sponsoredAccount:502", "status": "ACTIVE",
                                 "changeAuditStamps": stamps(START, START)}]
        shapes = [  # (type, format, objective, costType, status, end)
            ("SPONSORED_UPDATES", "STANDARD_UPDATE", "LEAD_GENERATION", "CPC", "ACTIVE", None),
            ("SPONSORED_UPDATES", "SINGLE_VIDEO", "VIDEO_VIEWS", "CPV", "ACTIVE", None),
            ("SPONSORED_UPDATES", "CAROUSEL", "WEBSITE_CONVERSIONS", "CPM", "ACTIVE", dt.date(2025, 5, 1)),
            ("SPONSORED_UPDATES", "DOCUMENT", "ENGAGEMENT", "CPM", "PAUSED", None),
            ("SPONSORED_INMAILS", "SPONSORED_INMAIL", "LEAD_GENERATION", "CPM", "ACTIVE", None),
            ("TEXT_AD", "TEXT_AD", "WEBSITE_VISITS", "CPC", "ACTIVE", None),
            ("DYNAMIC", "FOLLOW_COMPANY", "ENGAGEMENT", "CPM", "ACTIVE", None),
            ("SPONSORED_UPDATES", "STANDARD_UPDATE", "BRAND_AWARENESS", "CPM", "DRAFT", None),
        ]
        self.campaigns, self.creatives = [], []
        for i, (ctype, fmt, objective, cost, status, end) in enumerate(shapes):
            account = 501 if i % 2 == 0 else 502
            schedule: dict[str, Any] = {"start": ms(START + dt.timedelta(days=3 * i))}
            if end is not None:
                schedule["end"] = ms(end)
            modified = dt.date(2025, 6, 1) if status == "PAUSED" else START
            self.campaigns.append({
                "id": 700 + i, "account": f"urn:li:sponsoredAccount:{account}",
                "campaignGroup": f"urn:li:sponsoredCampaignGroup:{601 if account == 501 else 602}",
                "type": ctype, "format": fmt, "objectiveType": objective, "costType": cost, "status": status,
                "runSchedule": schedule, "changeAuditStamps": stamps(START, modified)})
            for k in range(3):
                created = START + dt.timedelta(days=3 * i + 10 * k)
                self.creatives.append({
                    "id": f"urn:li:sponsoredCreative:{9000 + 10 * i + k}",
                    "campaign": f"urn:li:sponsoredCampaign:{700 + i}",
                    "account": f"urn:li:sponsoredAccount:{account}", "intendedStatus": "ACTIVE",
                    "review": {"status": "REJECTED" if (i, k) == (0, 2) else "APPROVED"},
                    "createdAt": ms(created) + 5_000, "lastModifiedAt": ms(created) + 5_000,
                    "content": {"reference": f"urn:li:share:{70000 + 10 * i + k}"}})
        self.conversions = [
            {"id": 801, "account": "urn:li:sponsoredAccount:501", "created": ms(START),
             "lastModified": ms(START), "enabled": True, "postClickAttributionWindowSize": 30,
             "viewThroughAttributionWindowSize": 7,
             "valueType": "FIXED", "value": {"amount": "50", "currencyCode": "USD"},
             "campaigns": ["urn:li:sponsoredCampaign:700", "urn:li:sponsoredCampaign:702"],
             "associatedCampaigns": [
                 {"campaign": "urn:li:sponsoredCampaign:700", "associatedAt": ms(START)},
                 {"campaign": "urn:li:sponsoredCampaign:702", "associatedAt": ms(START)}]},
            {"id": 802, "account": "urn:li:sponsoredAccount:501", "created": ms(dt.date(2025, 3, 1)),
             "lastModified": ms(dt.date(2025, 5, 15)), "enabled": False, "postClickAttributionWindowSize": 90,
             "viewThroughAttributionWindowSize": 30, "valueType": "DYNAMIC",
             "value": {"amount": "20", "currencyCode": "USD"}, "campaigns": ["urn:li:sponsoredCampaign:700"],
             "associatedCampaigns": []},
        ]

    def creative(self, urn: str) -> dict[str, Any] | None:
        return next((c for c in self.creatives if c["id"] == urn), None)

    def account(self, account_id: int) -> dict[str, Any] | None:
        return next((a for a in self.accounts if a["id"] == account_id), None)

    def campaign(self, campaign_id: int) -> dict[str, Any] | None:
        return next((c for c in self.campaigns if c["id"] == campaign_id), None)


def creative_urn(campaign_index: int, k: int = 0) -> str:
    return f"urn:li:sponsoredCreative:{9000 + 10 * campaign_index + k}"


@pytest.fixture
def model() -> AnalyticsModel:
    return AnalyticsModel(FakeWorld())


def every_day(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def test_metric_catalog_covers_the_spec_tables_and_linkedins_list():
    lowered = {name.lower() for name in METRIC_FIELDS}
    assert lowered >= SPEC_METRICS
    for documented in ("averageDwellTime", "audiencePenetration", "costPerQualifiedLead", "jobApplications",
                       "viralPostViewRegistrations", "talentLeads", "approximateUniqueImpressions"):
        assert documented in METRIC_FIELDS
    assert len(ADDITIVE_METRICS) == len(set(ADDITIVE_METRICS))


def test_same_seed_gives_identical_values_and_another_seed_does_not():
    first, second = AnalyticsModel(FakeWorld()), AnalyticsModel(FakeWorld())
    other = AnalyticsModel(FakeWorld(seed=12))
    days = list(every_day(dt.date(2025, 2, 1), dt.date(2025, 2, 20)))
    urns = [c["id"] for c in FakeWorld().creatives]
    a = [first.creative_day(u, d) for u in urns for d in days]
    assert a == [second.creative_day(u, d) for u in urns for d in days]
    assert a != [other.creative_day(u, d) for u in urns for d in days]


def test_no_activity_before_creation_or_start_after_end_for_drafts_or_rejected(model):
    # the second creative of campaign 0 is created 10 days after the campaign starts
    urn = creative_urn(0, 1)
    created = START + dt.timedelta(days=10)
    assert all(model.creative_day(urn, d) is None for d in every_day(START, created - dt.timedelta(days=1)))
    assert any(model.creative_day(urn, d) for d in every_day(created, created + dt.timedelta(days=20)))
    # campaign 2 ran until its runSchedule end (exclusive instant 2025-05-01T00:00)
    assert all(model.creative_day(creative_urn(2), d) is None for d in every_day(dt.date(2025, 5, 1), TODAY))
    # campaign 3 was paused on 2025-06-01: nothing afterwards
    assert all(model.creative_day(creative_urn(3), d) is None for d in every_day(dt.date(2025, 6, 2), TODAY))
    # DRAFT campaign and REJECTED creative never serve
    days = list(every_day(START, TODAY))
    assert all(model.creative_day(creative_urn(7, k), d) is None for k in range(3) for d in days)
    assert all(model.creative_day(creative_urn(0, 2), d) is None for d in every_day(START, TODAY))


def test_no_data_after_today_and_partial_today(model):
    urn = creative_urn(0)
    assert model.creative_day(urn, TODAY + dt.timedelta(days=1)) is None
    active_days = [d for d in every_day(dt.date(2025, 6, 1), TODAY) if model.creative_day(urn, d)]
    assert active_days
    day = active_days[-1]
    reported_now = model.creative_day(urn, day)["impressions"]
    model.world.clock.today = day + dt.timedelta(days=10)
    assert model.creative_day(urn, day)["impressions"] >= reported_now
    model.world.clock.today = day
    later = AnalyticsModel(FakeWorld(today=day + dt.timedelta(days=5)))
    assert model.creative_day(urn, day)["impressions"] < later.creative_day(urn, day)["impressions"]


def test_many_creative_days_inside_the_serving_window_have_no_activity(model):
    urn = creative_urn(0)
    days = list(every_day(START + dt.timedelta(days=1), TODAY - dt.timedelta(days=1)))
    silent = sum(model.creative_day(urn, d) is None for d in days)
    assert 0 < silent < len(days)


def _check_invariants(m: dict[str, int], currency: str, day: dt.date, seed: int) -> None:
    get = m.get
    assert get("clicks", 0) <= get("impressions", 0)
    assert get("landingPageClicks", 0) + get("companyPageClicks", 0) <= get("clicks", 0)
    for prefix in ("video", "viralVideo"):
        chain = [get(f"{prefix}{s}", 0) for s in ("Starts", "FirstQuartileCompletions", "MidpointCompletions",
                                                  "ThirdQuartileCompletions", "Completions")]
        assert chain == sorted(chain, reverse=True)
        assert get(f"{prefix}Views", 0) <= get(f"{prefix}Starts", 0)
    for prefix in ("document", "viralDocument"):
        chain = [get(f"{prefix}{s}", 0) for s in ("FirstQuartileCompletions", "MidpointCompletions",
                                                  "ThirdQuartileCompletions", "Completions")]
        assert chain == sorted(chain, reverse=True)
    for name, value in m.items():
        if name.startswith("viral"):
            base = name[5].lower() + name[6:]
            assert value <= get(base, 0), name
    assert get("likes", 0) <= get("reactions", 0)
    assert get("oneClickLeads", 0) <= get("oneClickLeadFormOpens", 0)
    assert get("qualifiedLeads", 0) <= get("oneClickLeads", 0)
    assert get("validWorkEmailLeads", 0) <= get("oneClickLeads", 0)
    assert get("opens", 0) <= get("sends", 0)
    assert get("externalWebsiteConversions", 0) == (get("externalWebsitePostClickConversions", 0)
                                                    + get("externalWebsitePostViewConversions", 0))
    for base in ("JobApplications", "JobApplyClicks", "Registrations"):
        lower = base[0].lower() + base[1:]
        assert get(lower, 0) == get(f"postClick{base}", 0) + get(f"postView{base}", 0)
    assert get("totalEngagements", 0) >= get("clicks", 0)
    assert all(value > 0 for value in m.values())
    if "costInLocalCurrency" in m:
        rate = usd_rate(seed, currency, day)
        assert abs(m["costInUsd"] - m["costInLocalCurrency"] * rate) <= 1
        assert 0.98 * USD_PER_UNIT[currency] <= rate <= 1.02 * USD_PER_UNIT[currency]
    else:
        assert "costInUsd" not in m


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), campaign_index=st.integers(0, 6), day_offset=st.integers(0, 174),
       age=st.integers(0, 40))
def test_creative_day_invariants_hold_at_every_maturity(seed, campaign_index, day_offset, age):
    day = START + dt.timedelta(days=day_offset)
    world = FakeWorld(seed=seed, today=day + dt.timedelta(days=age))
    model = AnalyticsModel(world)
    for k in range(2):
        metrics = model.creative_day(creative_urn(campaign_index, k), day)
        if metrics is not None:
            currency = "USD" if campaign_index % 2 == 0 else "EUR"
            public = {k: v for k, v in metrics.items() if not k.startswith("_")}
            _check_invariants(public, currency, day, seed)


def test_conversions_only_for_associated_rules_within_their_life(model: AnalyticsModel) -> None:
    # campaign 0 has rules 801 (always) and 802 (created 2025-03-01, disabled 2025-05-15); campaign 1 none
    with_rules = creative_urn(0)
    seen: set[int] = set()
    for day in every_day(START, TODAY):
        for conversion_id, metrics in model.creative_conversion_day(with_rules, day):
            seen.add(conversion_id)
            if conversion_id == 802:
                assert dt.date(2025, 3, 1) <= day <= dt.date(2025, 5, 15)
            assert metrics["externalWebsiteConversions"] > 0
        assert model.creative_conversion_day(creative_urn(1), day) == []
        totals = model.creative_day(creative_urn(1), day) or {}
        assert "externalWebsiteConversions" not in totals
    assert seen == {801, 802}


def test_creative_totals_equal_the_sum_over_conversion_rules(model):
    urn = creative_urn(0)
    for day in every_day(dt.date(2025, 4, 1), dt.date(2025, 4, 30)):
        totals = model.creative_day(urn, day) or {}
        split = model.creative_conversion_day(urn, day)
        for name in ("externalWebsiteConversions", "externalWebsitePostViewConversions",
                     "conversionValueInLocalCurrency", "viralExternalWebsiteConversions"):
            assert totals.get(name, 0) == sum(m.get(name, 0) for _, m in split)


def test_restatement_moves_recent_days_and_keeps_settled_days(model):
    world = model.world
    days = list(every_day(dt.date(2025, 3, 1), TODAY))
    urns = [creative_urn(i, k) for i in range(7) for k in range(2)]
    before = {(u, d): model.creative_day(u, d) for u in urns for d in days}
    world.clock.today = TODAY + dt.timedelta(days=5)
    after = {(u, d): model.creative_day(u, d) for u in urns for d in days}
    # 90 days is the largest attribution window of the world's rules: older days are final
    settled = [k for k in before if (TODAY - k[1]).days >= 90]
    assert settled and all(before[k] == after[k] for k in settled)
    assert any(before[k] != after[k] for k in before if (TODAY - k[1]).days < DELIVERY_SETTLE_DAYS)
    assert any(before[k] != after[k] for k in before
               if DELIVERY_SETTLE_DAYS <= (TODAY - k[1]).days < QUALIFIED_LEAD_SETTLE_DAYS)

    def delivery(values):
        return None if values is None else values.get("impressions")

    # delivery metrics stop changing once the day is DELIVERY_SETTLE_DAYS old
    assert all(delivery(before[k]) == delivery(after[k]) for k in before
               if (TODAY - k[1]).days >= DELIVERY_SETTLE_DAYS)


def test_values_only_grow_while_maturing(model: AnalyticsModel) -> None:
    urn = creative_urn(0)
    day = next(d for d in every_day(dt.date(2025, 6, 1), TODAY) if model.creative_day(urn, d))
    previous: dict[str, int] = {}
    for age in range(0, 95, 3):
        model.world.clock.today = day + dt.timedelta(days=age)
        current = model.creative_day(urn, day)
        assert current is not None
        for name in ("impressions", "clicks", "likes", "externalWebsiteConversions", "qualifiedLeads"):
            assert current.get(name, 0) >= previous.get(name, 0)
        previous = current


def test_restatement_days_reports_each_family(model):
    assert model.restatement_days() == {"delivery": DELIVERY_SETTLE_DAYS, "social": SOCIAL_SETTLE_DAYS,
                                        "qualifiedLeads": QUALIFIED_LEAD_SETTLE_DAYS, "nativeConversions": 30,
                                        "conversions": 90}


def test_arrival_share_is_monotone_and_closes_with_the_window():
    for window in (1, 7, 30, 90, 365):
        shares = [arrival_share(age, window) for age in range(window + 2)]
        assert shares == sorted(shares)
        assert shares[window] == 1.0 and shares[window - 1] < 1.0


def test_monthly_and_all_buckets_sum_daily_rows(model):
    urns = [creative_urn(i, k) for i in range(7) for k in range(3)]
    start, end = dt.date(2025, 2, 10), dt.date(2025, 5, 20)
    daily = model.report.aggregate(urns, start, end, "DAILY", ["CAMPAIGN"])
    for granularity in ("MONTHLY", "ALL", "YEARLY"):
        coarse = model.report.aggregate(urns, start, end, granularity, ["CAMPAIGN"])
        for row in coarse:
            parts = [r for r in daily
                     if r.pivot_values == row.pivot_values and row.start <= r.start <= row.end]
            for name in ("impressions", "clicks", "costInUsd", "externalWebsiteConversions"):
                assert row.sums.get(name, 0) == sum(p.sums.get(name, 0) for p in parts)
    assert {(r.start, r.end) for r in model.report.aggregate(urns, start, end, "MONTHLY", ["ACCOUNT"])} <= {
        (dt.date(2025, 2, 10), dt.date(2025, 2, 28)), (dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
        (dt.date(2025, 4, 1), dt.date(2025, 4, 30)), (dt.date(2025, 5, 1), dt.date(2025, 5, 20))}


def test_bucket_of_clips_to_the_range():
    start, end = dt.date(2024, 12, 20), dt.date(2025, 2, 3)
    assert bucket_of(dt.date(2024, 12, 25), start, end, "MONTHLY") == (start, dt.date(2024, 12, 31))
    assert bucket_of(dt.date(2025, 2, 2), start, end, "MONTHLY") == (dt.date(2025, 2, 1), end)
    assert bucket_of(dt.date(2025, 1, 9), start, end, "YEARLY") == (dt.date(2025, 1, 1), end)
    assert bucket_of(dt.date(2025, 1, 9), start, end, "ALL") == (start, end)


def test_format_decimal_matches_linkedins_strings():
    assert format_decimal(19.918330) == "19.91833"
    assert format_decimal(0) == "0"
    assert format_decimal(12) == "12"


def test_throttle_counts_per_token_in_a_rolling_window(model):
    throttle = MetricValueThrottle(limit=100)
    assert throttle.admit("a", 60, now=0.0)
    assert not throttle.admit("a", 60, now=10.0)
    assert throttle.admit("b", 60, now=10.0)
    assert throttle.admit("a", 60, now=301.0)


def test_caches_stay_bounded_profiles_per_creative_and_a_few_answers(model):
    urns = [creative_urn(i, k) for i in range(8) for k in range(3)]
    for offset in range(AGGREGATE_CACHE_SIZE + 3):
        model.report.aggregate(urns, START + dt.timedelta(days=offset), TODAY, "DAILY", ["CREATIVE"])
    model.report.aggregate(urns, START, TODAY, "DAILY", ["CREATIVE", "CONVERSION"])
    assert len(model._profiles) <= len(urns)
    assert len(model.report.answers) == AGGREGATE_CACHE_SIZE


def sums_by_key(rows):
    return {(r.start, r.pivot_values): r.sums for r in rows}


def test_a_repeated_answer_is_reused_until_the_clock_moves(model):
    urns = [creative_urn(i, k) for i in range(7) for k in range(2)]
    start = TODAY - dt.timedelta(days=40)
    first = model.report.aggregate(urns, start, TODAY, "DAILY", ["CREATIVE"])
    assert model.report.aggregate(urns, start, TODAY, "DAILY", ["CREATIVE"]) is first
    model.world.clock.today = TODAY + dt.timedelta(days=3)
    restated = model.report.aggregate(urns, start, TODAY, "DAILY", ["CREATIVE"])
    fresh = AnalyticsModel(model.world).report.aggregate(urns, start, TODAY, "DAILY", ["CREATIVE"])
    assert sums_by_key(restated) == sums_by_key(fresh) != sums_by_key(first)
