"""Organic video analytics: ``GET /rest/videoAnalytics?q=entity``.

Parameters, as LinkedIn's video-analytics-api page documents them: ``entity`` (the ``urn:li:ugcPost`` that
holds the video, required), ``type`` (``VIDEO_VIEW``, ``VIEWER``, ``TIME_WATCHED``,
``TIME_WATCHED_FOR_VIDEO_VIEWS``, required), ``aggregation`` (``DAY`` or ``ALL``, default ``ALL``) and the
optional ``timeRange=(start:ms,end:ms)`` (start inclusive, end exclusive; without it, the video's lifetime).
Elements: ``{"entity", "type", "value", "timeRange": {"start", "end"}}``, one per day with data for ``DAY``
(UNCONFIRMED: the element's field names follow the docs' schema table; no verbatim sample was found).
Permission ``r_organization_social`` with an ADMINISTRATOR or DIRECT_SPONSORED_CONTENT_POSTER role on the
post's organization; other posts answer 403, a share or unknown post 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lisync.sandbox.errors import RestliError, access_denied
from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.organic.time import DAY_MS, date_to_ms, days_in
from lisync.sandbox.organic.video import VIDEO_TYPES, is_video_post, video_day
from lisync.sandbox.routes.organizations.params import (
    POST_SCOPES,
    bad_request,
    enum_param,
    organic_world,
    scalar_param,
    token_grant,
)

VIDEO_ROLES = frozenset({"ADMINISTRATOR", "DIRECT_SPONSORED_CONTENT_POSTER"})
AGGREGATIONS = ("DAY", "ALL")


def _time_range(request: SandboxRequest, first_ms: int, end_ms: int) -> tuple[int, int]:
    raw = request.query.get("timeRange")
    if raw is None:
        return first_ms, end_ms
    if not isinstance(raw, dict):
        raise bad_request("Parameter 'timeRange' is invalid: use timeRange=(start:<ms>,end:<ms>).")
    try:
        start = int(raw["start"]) if "start" in raw else first_ms
        end = int(raw["end"]) if "end" in raw else end_ms
    except (TypeError, ValueError):
        raise bad_request("Parameter 'timeRange' is invalid: start and end are epoch milliseconds.") from None
    if end <= start:
        raise bad_request("Parameter 'timeRange' is invalid: end must be after start.")
    return start, end


def find_video_analytics(request: SandboxRequest) -> SandboxResponse:
    """One video post's views, viewers or watch time, per day or summed."""
    organic = organic_world(request)
    entity = scalar_param(request, "entity", required=True) or ""
    kind = enum_param(request, "type", VIDEO_TYPES)
    if kind is None:
        raise bad_request("Required parameter 'type' is missing.")
    aggregation = enum_param(request, "aggregation", AGGREGATIONS, "ALL")
    if not entity.startswith("urn:li:ugcPost:"):
        raise RestliError(400, f"Invalid URN {entity!r} for parameter 'entity': use the urn:li:ugcPost of a video "
                               "post.", code="INVALID_URN_TYPE")
    post = organic.content.find_post(entity)
    if post is None or not is_video_post(post):
        raise RestliError(404, f"Video post {entity} does not exist.")
    if organic.member_role(post.org.id, token_grant(request).organization_ids) not in VIDEO_ROLES:
        raise access_denied("videoAnalytics", "FINDER-entity", request.version)
    today = organic.clock.today
    start, end = _time_range(request, date_to_ms(post.created_date), date_to_ms(today + dt.timedelta(days=1)))
    cutoff = organic.data_cutoff()
    daily = [(day, video_day(organic.seed, post, day, cutoff, today).get(kind)) for day in days_in(start, end)]
    present = [(day, value) for day, value in daily if value is not None]
    elements: list[dict[str, Any]]
    if aggregation == "DAY":
        elements = [{"entity": entity, "type": kind, "value": value,
                     "timeRange": {"start": date_to_ms(day), "end": date_to_ms(day) + DAY_MS}}
                    for day, value in present]
    else:
        elements = [{"entity": entity, "type": kind, "value": sum(v for _, v in present),
                     "timeRange": {"start": start, "end": end}}] if present else []
    return SandboxResponse({"paging": {"start": 0, "count": len(elements), "links": []}, "elements": elements})


# The endpoints this module answers, in the order of the route table.
ROUTES: tuple[Route, ...] = (
    Route("GET", "/videoAnalytics", "entity", find_video_analytics, "videoAnalytics", scopes=POST_SCOPES),
)
