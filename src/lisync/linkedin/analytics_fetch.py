"""Runs planned adAnalytics requests: chunked fields, merge by key, the 15,000 cap, density learning.

One planned request (accounts × date range) becomes one call per field chunk (plus extra calls for the
reach chunk when the range exceeds LinkedIn's 92-day reach limit). Elements are merged by
``(pivotValues, day)``; a row missing from a chunk had all of that chunk's metrics at zero, which is
exactly how LinkedIn omits rows, so those metrics are filled with zero. A response at the 15,000-element
cap may be truncated, so the request is split and asked again rather than kept.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from lisync.linkedin.analytics_fields import KEY_FIELDS, REACH_MAX_RANGE_DAYS, REACH_METRICS
from lisync.linkedin.analytics_planner import (
    DEFAULT_BUDGET,
    MAX_ELEMENTS,
    AccountLoad,
    PlannedRequest,
    pack_requests,
    reach_windows,
)
from lisync.linkedin.client import LinkedInClient
from lisync.linkedin.convert import restli_date_to_date
from lisync.linkedin.errors import BadResponseError
from lisync.linkedin.restli import RawValue, date_range, restli_list, urn

log = logging.getLogger("lisync.analytics")

TKey = tuple[tuple[str, ...], dt.date]


@dataclass(frozen=True)
class ReportSpec:
    """What to ask adAnalytics for one performance table.

    Attributes:
        table: The spec table.
        pivots: Pivots in order (``("CREATIVE",)`` uses the ``analytics`` finder, more use ``statistics``).
        chunks: Metric field chunks (each ≤ 18 fields).
    """

    table: str
    pivots: tuple[str, ...]
    chunks: tuple[tuple[str, ...], ...]


@dataclass
class FetchStats:
    """What the fetcher did, for the summary and the benchmark."""

    planned_rows: int = 0
    returned_rows: int = 0
    cap_splits: int = 0
    requests: int = 0
    density: float = 1.0
    dropped_elements: int = 0
    notes: list[str] = field(default_factory=list)


class CapReached(Exception):
    """A response came back with 15,000 elements: it may be truncated."""


def _params(report: ReportSpec, accounts: Sequence[str], start: dt.date, end: dt.date,
            chunk: Sequence[str]) -> list[tuple[str, Any]]:
    finder = "analytics" if len(report.pivots) == 1 else "statistics"
    pivot: tuple[str, Any] = ("pivot", report.pivots[0]) if finder == "analytics" else (
        "pivots", restli_list(report.pivots))
    return [
        ("q", finder),
        pivot,
        ("timeGranularity", "DAILY"),
        ("dateRange", date_range(start, end)),
        ("accounts", restli_list([urn("sponsoredAccount", a) for a in accounts])),
        ("fields", RawValue(",".join((*chunk, *KEY_FIELDS)))),
    ]


def _element_key(element: dict[str, Any], pivots: int) -> TKey | None:
    values = element.get("pivotValues")
    day = restli_date_to_date((element.get("dateRange") or {}).get("start"))
    if not isinstance(values, list) or len(values) != pivots or day is None:
        return None
    if not all(isinstance(v, str) for v in values):
        return None
    return tuple(values), day


def fetch_request(client: LinkedInClient, report: ReportSpec, request: PlannedRequest,
                  stats: FetchStats) -> dict[TKey, dict[str, Any]]:
    """Run every chunk of one planned request and merge the answers by key.

    Returns:
        ``{(pivotValues, day): {field: value}}`` with every chunk's fields present (zero-filled where
        LinkedIn omitted the row from a chunk).

    Raises:
        CapReached: A chunk's answer reached the 15,000-element cap; split and retry.
    """
    merged: dict[TKey, dict[str, Any]] = {}
    for chunk in report.chunks:
        windows = [(request.start, request.end)]
        if REACH_METRICS.intersection(chunk) and request.days > REACH_MAX_RANGE_DAYS:
            windows = reach_windows(request.start, request.end, REACH_MAX_RANGE_DAYS)
        seen_in_chunk: set[TKey] = set()
        for start, end in windows:
            body = client.get("adAnalytics", _params(report, request.account_ids, start, end, chunk))
            stats.requests += 1
            elements = body.get("elements") if isinstance(body, dict) else None
            if not isinstance(elements, list):
                raise BadResponseError("LinkedIn answered adAnalytics without an 'elements' list.")
            if len(elements) >= MAX_ELEMENTS:
                raise CapReached()
            for element in elements:
                key = _element_key(element, len(report.pivots)) if isinstance(element, dict) else None
                if key is None:
                    stats.dropped_elements += 1
                    continue
                row = merged.setdefault(key, {})
                seen_in_chunk.add(key)
                for name in chunk:
                    row[name] = element.get(name)
        for key, row in merged.items():
            if key not in seen_in_chunk:
                for name in chunk:
                    row.setdefault(name, 0)
    # rows first seen in a later chunk were omitted (all zero) from the earlier chunks
    all_fields = [name for chunk in report.chunks for name in chunk]
    for row in merged.values():
        for name in all_fields:
            row.setdefault(name, 0)
    return merged


def cut_load(load: AccountLoad, start: dt.date, end: dt.date) -> AccountLoad | None:
    """Return the part of ``load`` within ``start…end``, or ``None`` when it has no rows there."""
    lo, hi = max(start, load.start), min(end, load.end)
    if lo > hi:
        return None
    first = (lo - load.start).days
    part = AccountLoad(load.account_id, lo, hi, load.daily_rows[first:first + (hi - lo).days + 1])
    return part if part.total > 0 else None


def _queued_loads(queue: deque[PlannedRequest], loads: dict[str, AccountLoad]) -> list[AccountLoad]:
    """Return the account loads the queued requests still cover (one contiguous load per account)."""
    spans: dict[str, tuple[dt.date, dt.date]] = {}
    for request in queue:
        for account in request.account_ids:
            lo, hi = spans.get(account, (request.start, request.end))
            spans[account] = (min(lo, request.start), max(hi, request.end))
    out = []
    for account, (lo, hi) in spans.items():
        part = cut_load(loads[account], lo, hi)
        if part is not None:
            out.append(part)
    return out


def run_report(client: LinkedInClient, report: ReportSpec, loads: Sequence[AccountLoad],
               stats: FetchStats, budget: float = DEFAULT_BUDGET) -> Iterator[dict[TKey, dict[str, Any]]]:
    """Plan and run a report over ``loads``, yielding merged rows one planned request at a time.

    The first request measures how dense real data is compared with the upper-bound estimate; the rest
    is then re-packed with that density (memory stays bounded by one request's rows).

    Args:
        client: The LinkedIn client.
        report: What to ask for.
        loads: Per-account estimated loads (already trimmed to days that can have data).
        stats: Counters updated as requests run.
        budget: Row budget per request.

    Yields:
        Merged rows of one planned request at a time.
    """
    queue: deque[PlannedRequest] = deque(pack_requests(loads, budget))
    stats.planned_rows = sum(load.total for load in loads)
    by_account = {load.account_id: load for load in loads}
    repacked = False
    observed_rows = 0
    observed_estimate = 0
    while queue:
        request = queue.popleft()
        try:
            rows = fetch_request(client, report, request, stats)
        except CapReached:
            halves = request.split()
            if halves is None:
                raise BadResponseError(
                    f"adAnalytics returned {MAX_ELEMENTS:,} elements for one account and one day "
                    f"(account {request.account_ids[0]}, {request.start}); LinkedIn may have truncated it.") from None
            stats.cap_splits += 1
            queue.extendleft(reversed(halves))
            continue
        stats.returned_rows += len(rows)
        observed_rows += len(rows)
        observed_estimate += max(request.estimated_rows, 1)
        yield rows
        if not repacked:
            repacked = True
            stats.density = min(1.0, max(0.02, observed_rows / observed_estimate))
            if stats.density < 0.9 and queue:
                # 10% headroom: the density of the rest may differ from the first request's.
                queue = deque(pack_requests(_queued_loads(queue, by_account),
                                            budget / min(1.0, stats.density * 1.1)))
