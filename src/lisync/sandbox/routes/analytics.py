"""``GET /rest/adAnalytics``: the ``analytics`` (one pivot) and ``statistics`` (up to 3 pivots) finders.

Behaviour emulated (LinkedIn ads-reporting docs, connectors' real traffic):

* ``pivot=CREATIVE`` and ``pivot=(value:CREATIVE)``; ``pivots=List(CAMPAIGN,CREATIVE)`` (max 3);
  modelled pivots: CREATIVE, CAMPAIGN, CAMPAIGN_GROUP, ACCOUNT, CONVERSION, SHARE, and the breakdown pivots
  of :mod:`lisync.sandbox.analytics.breakdown` (the eight MEMBER_* demographic pivots with LinkedIn's
  demographic limits, IMPRESSION_DEVICE_TYPE, PLACEMENT_NAME, SERVING_LOCATION, COMPANY, OBJECTIVE_TYPE).
  CONVERSATION_NODE, CONVERSATION_NODE_OPTION_INDEX, CARD_INDEX and EVENT_STAGE are accepted and answer
  with no elements. The statistics finder refuses MEMBER_* pivots (400), as production connectors observe.
* ``timeGranularity`` (DAILY, MONTHLY, YEARLY, ALL, bare or ``(value:X)``) and ``dateRange`` (start required,
  end optional = today, inclusive, UTC; 2.0 record or 1.0 dotted form) are required.
* facets ``accounts``, ``campaignGroups``, ``campaigns``, ``creatives``, ``shares``, ``companies``: at least
  one, intersected; entities the token cannot read simply contribute nothing (empty ``elements``, as the docs
  say); ``campaignType`` narrows further.
* ``fields``: without it elements carry ``impressions``, ``clicks``, ``pivotValues`` and ``dateRange``; with
  it exactly the listed fields; more than 20 or an unknown name is a 400, and so is a metric newer than the
  request's ``LinkedIn-Version`` (``averageDwellTime``/``audiencePenetration`` before 202411, the video and
  event watch-time metrics before 202601).
* rows whose requested metrics are all zero are omitted; no paging (``start``/``count`` are ignored) and at
  most 15,000 elements (silently truncated in response order); ``approximateMemberReach`` only for ranges
  of at most 92 days, ``audiencePenetration`` too and only when an ACCOUNT, CAMPAIGN_GROUP or CAMPAIGN pivot
  is among the pivots; money/BigDecimal metrics as strings.
* data-volume throttle: metric values (elements × requested metrics) per token over a rolling 5 minutes;
  beyond ``world.analytics.throttle.limit`` (45,000,000) the 429 LinkedIn sends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from lisync.sandbox import synth
from lisync.sandbox.analytics.breakdown import BREAKDOWN_PIVOTS, breakdown_rows, excluded_metrics, is_breakdown
from lisync.sandbox.analytics.catalog import (
    DECIMAL_METRICS,
    LEGACY_METRICS,
    METRIC_FIELDS,
    MICRO_METRICS,
    NEWER_METRICS,
    REACH_MAX_RANGE_DAYS,
    format_decimal,
    metrics_newer_than,
)
from lisync.sandbox.analytics.model import AnalyticsModel
from lisync.sandbox.analytics.rows import AggregateRow, approximate_reach, watch_time_metric
from lisync.sandbox.errors import RestliError
from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse

MAX_FIELDS = 20
MAX_STATISTICS_PIVOTS = 3
MAX_ELEMENTS = 15_000
DEFAULT_FIELDS = ("impressions", "clicks", "pivotValues", "dateRange")
KEY_FIELDS = frozenset({"pivotValues", "dateRange"})
# Pre-2023 responses of the single-pivot finder also carried these; still accepted there.
LEGACY_ANALYTICS_KEY_FIELDS = frozenset({"pivot", "pivotValue"})
MODELLED_PIVOTS = frozenset({"CREATIVE", "CAMPAIGN", "CAMPAIGN_GROUP", "ACCOUNT", "CONVERSION", "SHARE",
                             *BREAKDOWN_PIVOTS})
KNOWN_PIVOTS = MODELLED_PIVOTS | frozenset({
    "COMPANY", "CONVERSATION_NODE", "CONVERSATION_NODE_OPTION_INDEX", "SERVING_LOCATION", "CARD_INDEX",
    "MEMBER_COMPANY_SIZE", "MEMBER_INDUSTRY", "MEMBER_SENIORITY", "MEMBER_JOB_TITLE", "MEMBER_JOB_FUNCTION",
    "MEMBER_COUNTRY_V2", "MEMBER_REGION_V2", "MEMBER_COMPANY", "PLACEMENT_NAME", "IMPRESSION_DEVICE_TYPE",
    "EVENT_STAGE", "OBJECTIVE_TYPE"})
GRANULARITIES = frozenset({"DAILY", "MONTHLY", "YEARLY", "ALL"})
# audiencePenetration needs one of these pivots; others may come alongside (ads-reporting schema, li-lms-2026-03).
PENETRATION_PIVOTS = frozenset({"ACCOUNT", "CAMPAIGN_GROUP", "CAMPAIGN"})
CAMPAIGN_TYPES = frozenset({"TEXT_AD", "SPONSORED_UPDATES", "SPONSORED_INMAILS", "DYNAMIC"})
FACET_URN_PREFIXES: dict[str, tuple[str, ...]] = {
    "accounts": ("urn:li:sponsoredAccount:",),
    "campaignGroups": ("urn:li:sponsoredCampaignGroup:",),
    "campaigns": ("urn:li:sponsoredCampaign:",),
    "creatives": ("urn:li:sponsoredCreative:",),
    "shares": ("urn:li:share:", "urn:li:ugcPost:"),
    "companies": ("urn:li:organization:",),
}
THROTTLE_MESSAGE = ("The data request limit has been exceeded. More than 45 million metric values were "
                    "requested in a 5-minute window.")
READ_SCOPES = (frozenset({"r_ads_reporting"}),)


def _bad_request(message: str) -> RestliError:
    return RestliError(400, message)


def _enum(raw: Any, parameter: str, allowed: frozenset[str]) -> str:
    """Read ``X`` or ``(value:X)``."""
    value = raw.get("value") if isinstance(raw, dict) else raw
    if not isinstance(value, str) or value not in allowed:
        raise _bad_request(f"Invalid value {value!r} for parameter '{parameter}': use one of "
                           f"{', '.join(sorted(allowed))}.")
    return value


def _required(query: dict[str, Any], name: str) -> Any:
    if name not in query or query[name] in ("", None):
        raise _bad_request(f"Parameter '{name}' is required")
    return query[name]


def parse_pivots(query: dict[str, Any], finder: str) -> list[str]:
    """Return the requested pivots in order (one for ``analytics``, one to three for ``statistics``)."""
    if finder == "analytics":
        return [_enum(_required(query, "pivot"), "pivot", KNOWN_PIVOTS)]
    raw = _required(query, "pivots")
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise _bad_request("Parameter 'pivots' must name at least one pivot")
    if len(items) > MAX_STATISTICS_PIVOTS:
        raise _bad_request(f"Too many pivots: {len(items)} requested, the statistics finder accepts at most "
                           f"{MAX_STATISTICS_PIVOTS}.")
    pivots = [_enum(item, "pivots", KNOWN_PIVOTS) for item in items]
    demographic = [p for p in pivots if p.startswith("MEMBER_")]
    if demographic:
        raise _bad_request(f"Pivot {demographic[0]} is not supported by the statistics finder: use "
                           "q=analytics with a single professional demographic pivot.")
    return pivots


def _date(raw: Any, where: str) -> dt.date:
    try:
        return dt.date(int(raw["year"]), int(raw["month"]), int(raw["day"]))
    except (KeyError, TypeError, ValueError) as error:
        raise _bad_request(f"Invalid dateRange.{where}: expected (year:YYYY,month:M,day:D).") from error


def parse_date_range(query: dict[str, Any], today: dt.date) -> tuple[dt.date, dt.date]:
    """Return the inclusive ``(start, end)`` days; ``end`` defaults to today."""
    raw = _required(query, "dateRange")
    if not isinstance(raw, dict) or "start" not in raw:
        raise _bad_request("Parameter 'dateRange' requires a start: dateRange=(start:(year:Y,month:M,day:D))")
    start = _date(raw["start"], "start")
    end = _date(raw["end"], "end") if raw.get("end") not in (None, "") else today
    if end < start:
        raise _bad_request("Invalid dateRange: the end date is before the start date.")
    return start, end


def parse_fields(query: dict[str, Any], finder: str, version: str | None = None) -> list[str]:
    """Return the requested fields in order (the default four without ``fields``).

    A metric newer than the request's ``LinkedIn-Version`` is unknown there: the same 400 as a misspelt one.
    """
    raw = query.get("fields")
    if raw in (None, ""):
        return list(DEFAULT_FIELDS)
    parts = raw if isinstance(raw, list) else str(raw).split(",")
    fields = list(dict.fromkeys(p.strip() for p in parts if p.strip()))
    if len(fields) > MAX_FIELDS:
        raise _bad_request(f"Too many fields requested: {len(fields)}. The fields parameter accepts at most "
                           f"{MAX_FIELDS} fields, pivotValues and dateRange included.")
    legacy = LEGACY_ANALYTICS_KEY_FIELDS if finder == "analytics" else frozenset()
    allowed = (METRIC_FIELDS - metrics_newer_than(version)) | KEY_FIELDS | legacy
    unknown = [f for f in fields if f not in allowed]
    if unknown:
        raise _bad_request(f"Invalid field(s) in the fields parameter: {', '.join(unknown)}.")
    return fields


def _facet_ids(query: dict[str, Any], name: str) -> list[str] | None:
    if name not in query:
        return None
    raw = query[name]
    values = raw if isinstance(raw, list) else [raw]
    prefixes = FACET_URN_PREFIXES[name]
    for value in values:
        valid = isinstance(value, str) and value.startswith(prefixes) and value.rsplit(":", 1)[-1].isdigit()
        if not valid:
            raise _bad_request(f"Invalid value {value!r} for parameter '{name}': expected {prefixes[0]}<id>.")
    return values


def select_creatives(request: SandboxRequest, model: AnalyticsModel) -> list[str]:
    """Resolve the facets to the creatives in scope that the token may read."""
    query, world = request.query, request.world
    facets = {name: _facet_ids(query, name) for name in FACET_URN_PREFIXES}
    if all(v is None for v in facets.values()):
        raise _bad_request("At least one facet is required: accounts, campaignGroups, campaigns, creatives, "
                           "shares or companies.")

    def ids(name: str) -> list[int] | None:
        values = facets[name]
        return None if values is None else [int(v.rsplit(":", 1)[-1]) for v in values]

    visible = set(world.account_ids_for(request.grant)) if request.grant is not None else set()
    accounts = ids("accounts")
    accounts = sorted(visible if accounts is None else visible & set(accounts))
    if facets["companies"] is not None:
        wanted = set(facets["companies"])
        accounts = [a for a in accounts if (world.account(a) or {}).get("reference") in wanted]
    urns = model.creatives_for(accounts=accounts, groups=ids("campaignGroups"), campaigns=ids("campaigns"),
                               creatives=facets["creatives"])
    if facets["shares"] is not None:
        shares = set(facets["shares"])
        urns = [u for u in urns if (p := model.profile(u)) is not None and p.share in shares]
    if "campaignType" in query:
        wanted_type = _enum(query["campaignType"], "campaignType", CAMPAIGN_TYPES)
        urns = [u for u in urns if (p := model.profile(u)) is not None
                and (world.campaign(p.campaign_id) or {}).get("type") == wanted_type]
    return urns


def _date_json(day: dt.date) -> dict[str, int]:
    return {"year": day.year, "month": day.month, "day": day.day}


def _metric_value(name: str, row: AggregateRow, pivots: list[str], range_days: int, seed: int) -> Any:
    """Return one metric of a row in LinkedIn's JSON type, or ``None`` when LinkedIn leaves it out."""
    sums = row.sums
    if name in LEGACY_METRICS:
        return None
    if name == "approximateMemberReach":
        if range_days > REACH_MAX_RANGE_DAYS:
            return None
        return approximate_reach(sums.get("impressions", 0), len(row.days))
    if name == "audiencePenetration":
        primary = [i for i, pivot in enumerate(pivots) if pivot in PENETRATION_PIVOTS]
        if range_days > REACH_MAX_RANGE_DAYS or not primary:
            return None
        audience = synth.between(30_000, 2_000_000, seed, "audience", row.pivot_values[primary[0]])
        return round(approximate_reach(sums.get("impressions", 0), len(row.days)) / audience, 6)
    if name == "averageDwellTime":
        impressions = sums.get("impressions", 0)
        return round(sums.get("_dwellCentiseconds", 0) / impressions / 100, 2) if impressions else 0.0
    if name == "costPerQualifiedLead":
        leads = sums.get("qualifiedLeads", 0)
        return format_decimal(sums.get("costInLocalCurrency", 0) / 1_000_000 / leads if leads else 0)
    if name in NEWER_METRICS:
        return watch_time_metric(name, sums)
    value = sums.get(name, 0)
    if name in MICRO_METRICS:
        return format_decimal(value / 1_000_000)
    if name in DECIMAL_METRICS:
        return format_decimal(value)
    return value


def _is_zero(value: Any) -> bool:
    return value is None or value == 0 or value == "0"


def shape_elements(rows: list[AggregateRow], fields: list[str], pivots: list[str], start: dt.date,
                   end: dt.date, seed: int) -> list[dict[str, Any]]:
    """Turn rows into LinkedIn elements: requested fields only, zero rows dropped, sorted, capped."""
    range_days = (end - start).days + 1
    unavailable = excluded_metrics(pivots)
    metrics = [f for f in fields if f in METRIC_FIELDS and f not in unavailable]
    rows = sorted(rows, key=lambda r: (r.start, tuple(_urn_sort_key(v) for v in r.pivot_values)))
    elements = []
    for row in rows:
        values = {name: _metric_value(name, row, pivots, range_days, seed) for name in metrics}
        if metrics and all(_is_zero(v) for v in values.values()):
            continue
        element: dict[str, Any] = {}
        for name in fields:
            if name == "pivotValues":
                element["pivotValues"] = list(row.pivot_values)
            elif name == "dateRange":
                element["dateRange"] = {"start": _date_json(row.start), "end": _date_json(row.end)}
            elif name == "pivot":
                element["pivot"] = pivots[0]
            elif name == "pivotValue":
                element["pivotValue"] = row.pivot_values[0]
            elif values.get(name) is not None:
                element[name] = values[name]
        elements.append(element)
        if len(elements) == MAX_ELEMENTS:
            break
    return elements


def _urn_sort_key(urn: str) -> tuple[str, int]:
    head, _, tail = urn.rpartition(":")
    return (head, int(tail)) if tail.isdigit() else (urn, 0)


def _token_key(request: SandboxRequest) -> str:
    """Identify the caller's token for the throttle without keeping the token itself."""
    header = request.headers.get("authorization", "") if request.headers else ""
    token = header.split(" ", 1)[1] if header.lower().startswith("bearer ") else ""
    token = token or str(request.query.get("oauth2_access_token", ""))
    if not token and request.grant is not None:
        token = request.grant.member_urn
    return hashlib.sha256(token.encode()).hexdigest()[:24]


def answer(request: SandboxRequest, finder: str) -> SandboxResponse:
    """Validate an adAnalytics finder request and return LinkedIn's response."""
    query = request.query
    model: AnalyticsModel = request.world.analytics
    pivots = parse_pivots(query, finder)
    granularity = _enum(_required(query, "timeGranularity"), "timeGranularity", GRANULARITIES)
    start, end = parse_date_range(query, model.today)
    fields = parse_fields(query, finder, request.version)
    creatives = select_creatives(request, model)
    elements: list[dict[str, Any]] = []
    if creatives and all(p in MODELLED_PIVOTS for p in pivots):
        if any(is_breakdown(p) for p in pivots):
            rows = breakdown_rows(model, creatives, start, end, granularity, pivots)
        else:
            rows = model.report.aggregate(creatives, start, end, granularity, pivots)
        elements = shape_elements(rows, fields, pivots, start, end, model.seed)
    metric_count = sum(1 for f in fields if f in METRIC_FIELDS)
    if not model.throttle.admit(_token_key(request), len(elements) * metric_count):
        raise RestliError(429, THROTTLE_MESSAGE)
    return SandboxResponse({"elements": elements, "paging": {"start": 0, "count": 10, "links": []}})


def ad_analytics(request: SandboxRequest) -> SandboxResponse:
    """Answer ``q=analytics`` (one pivot)."""
    return answer(request, "analytics")


def ad_statistics(request: SandboxRequest) -> SandboxResponse:
    """Answer ``q=statistics`` (up to three pivots)."""
    return answer(request, "statistics")


# The endpoints this module answers, in the order of the route table.
ROUTES: tuple[Route, ...] = (
    Route("GET", "/adAnalytics", "analytics", ad_analytics, "adAnalytics", scopes=READ_SCOPES),
    Route("GET", "/adAnalytics", "statistics", ad_statistics, "adAnalytics", scopes=READ_SCOPES),
)
