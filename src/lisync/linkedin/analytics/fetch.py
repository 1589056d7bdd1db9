"""Runs planned adAnalytics requests: chunked fields, merge by key, the 15,000 cap, density learning.

One planned request (accounts × date range) becomes one call per field chunk (plus extra calls for the
reach chunk when the range exceeds LinkedIn's 92-day reach limit). Elements are merged by
``(pivotValues, day)``; a row missing from a chunk had all of that chunk's metrics at zero, which is
exactly how LinkedIn omits rows, so those metrics are filled with zero. A response at the 15,000-element
cap may be truncated, so the request is split and asked again rather than kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal, overload

import pyarrow as pa

from lisync.allocator import trim_freed_memory
from lisync.linkedin.analytics.columns import ColumnarRows, text_metric_fields
from lisync.linkedin.analytics.fields import KEY_FIELDS, REACH_MAX_RANGE_DAYS, REACH_METRICS
from lisync.linkedin.analytics.planner import (
    DEFAULT_BUDGET,
    MAX_ELEMENTS,
    AccountLoad,
    PlannedRequest,
    month_windows,
    pack_requests,
    reach_windows,
)
from lisync.linkedin.convert import restli_date_to_date
from lisync.linkedin.http.arrow import parse_elements
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import BadResponseError
from lisync.linkedin.http.restli import RawValue, date_range, restli_list, urn

log = logging.getLogger("lisync.analytics")

TKey = tuple[tuple[str, ...], dt.date]


@dataclass(frozen=True)
class ReportSpec:
    """What to ask adAnalytics for one performance table.

    Attributes:
        table: The spec table.
        pivots: Pivots in order (``("CREATIVE",)`` uses the ``analytics`` finder, more use ``statistics``).
        chunks: Metric field chunks (each ≤ 18 fields).
        granularity: ``DAILY``, ``MONTHLY`` or ``ALL`` (MONTHLY requests must start on a month's first day).
        facet: The facet the planned ids go into: ``accounts`` or ``campaigns``.
        max_facet_ids: At most this many ids per request (``1`` when the pivots cannot tell the ids apart,
            e.g. a demographic pivot); ``None`` packs as many as fit.
        text_fields: The fields that land in text columns on the Arrow path; ``None`` takes them from the spec
            table (custom reports, which have none, name theirs).
    """

    table: str
    pivots: tuple[str, ...]
    chunks: tuple[tuple[str, ...], ...]
    granularity: str = "DAILY"
    facet: str = "accounts"
    max_facet_ids: int | None = None
    text_fields: frozenset[str] | None = None


@dataclass
class FetchStats:
    """What the fetcher did, for the summary and the benchmark."""

    planned_rows: int = 0
    returned_rows: int = 0
    cap_splits: int = 0
    requests: int = 0
    density: float = 1.0
    dropped_elements: int = 0


# Density assumed before the first answer. LinkedIn omits creative-days without activity, which is most of
# them for a typical account, so the upper-bound estimate is far above the truth. Starting optimistic is
# cheap: an over-full request meets the cap on its first chunk and costs one call before it is split.
PRIOR_DENSITY = 0.1


FACET_URN_KINDS = {"accounts": "sponsoredAccount", "campaigns": "sponsoredCampaign"}


class CapReached(Exception):
    """A response came back with 15,000 elements: it may be truncated."""


def _params(report: ReportSpec, accounts: Sequence[str], start: dt.date, end: dt.date,
            chunk: Sequence[str]) -> list[tuple[str, Any]]:
    finder = "analytics" if len(report.pivots) == 1 else "statistics"
    pivot: tuple[str, Any] = ("pivot", report.pivots[0]) if finder == "analytics" else (
        "pivots", restli_list(report.pivots))
    kind = FACET_URN_KINDS[report.facet]
    return [
        ("q", finder),
        pivot,
        ("timeGranularity", report.granularity),
        ("dateRange", date_range(start, end)),
        (report.facet, restli_list([urn(kind, a) for a in accounts])),
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


class MergedRows:
    """Rows of one planned request, merged across chunks, stored compactly (a value list per key).

    A 15,000-row answer with ~75 metrics costs ~10 MB as lists instead of ~70 MB as dicts, which keeps the
    run's peak memory flat however large the world is.
    """

    def __init__(self, fields: Sequence[str], facet_ids: Sequence[str] = (), start: dt.date | None = None,
                 end: dt.date | None = None) -> None:
        self.fields = tuple(fields)
        # The planned request's facet ids and date range (reports that cannot tell ids apart ask for one).
        self.facet_ids = tuple(facet_ids)
        self.start, self.end = start, end
        self._index = {name: i for i, name in enumerate(self.fields)}
        self._rows: dict[TKey, list[Any]] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __getitem__(self, key: TKey) -> dict[str, Any]:
        return dict(zip(self.fields, self._rows[key], strict=True))

    def __iter__(self) -> Iterator[TKey]:
        return iter(self._rows)

    def items(self) -> Iterator[tuple[TKey, dict[str, Any]]]:
        """Yield ``(key, {field: value})`` pairs, building each dict only when asked for."""
        for key, values in self._rows.items():
            yield key, dict(zip(self.fields, values, strict=True))

    def row(self, key: TKey) -> list[Any]:
        """Return the value list for ``key``, creating it zero-filled (LinkedIn omits all-zero rows)."""
        values = self._rows.get(key)
        if values is None:
            values = self._rows[key] = [0] * len(self.fields)
        return values

    def position(self, name: str) -> int:
        """Return the list position of field ``name``."""
        return self._index[name]


def _chunk_calls(report: ReportSpec, request: PlannedRequest) -> list[tuple[tuple[str, ...], dt.date, dt.date]]:
    """Every call one planned request needs: one per chunk, the reach chunk cut into ≤ 92-day windows."""
    calls: list[tuple[tuple[str, ...], dt.date, dt.date]] = []
    for chunk in report.chunks:
        windows = [(request.start, request.end)]
        if REACH_METRICS.intersection(chunk) and request.days > REACH_MAX_RANGE_DAYS:
            if report.granularity == "MONTHLY":  # whole months, so buckets match the other chunks' keys
                windows = month_windows(request.start, request.end, REACH_MAX_RANGE_DAYS)
            else:
                windows = reach_windows(request.start, request.end, REACH_MAX_RANGE_DAYS)
        calls.extend((chunk, start, end) for start, end in windows)
    return calls


def fetch_request(client: LinkedInClient, report: ReportSpec, request: PlannedRequest,
                  stats: FetchStats, workers: int = 1, arrow: bool = False) -> MergedRows | ColumnarRows:
    """Run every chunk of one planned request and merge the answers by key.

    The first call goes alone: it carries the densest chunk, so it is the one that meets the 15,000 cap,
    and a cap costs that single call. The other calls then run up to ``workers`` at a time. With ``arrow``
    each answer is parsed straight into Arrow columns and merged there (:class:`ColumnarRows`).

    Returns:
        The merged rows, every chunk's fields present; a row LinkedIn omitted from a chunk keeps zeros for
        that chunk's fields, which is exactly what the omission means.

    Raises:
        CapReached: A chunk's answer reached the 15,000-element cap; split and retry.
    """
    merged = MergedRows([name for chunk in report.chunks for name in chunk], request.account_ids,
                        request.start, request.end)
    text_fields = report.text_fields if report.text_fields is not None else (
        text_metric_fields(report.table) if arrow else frozenset())
    columnar = ColumnarRows(merged.fields, len(report.pivots), text_fields, request.account_ids, request.start,
                            request.end) if arrow else None
    parse = functools.partial(parse_elements, text_fields=columnar.text_fields) if columnar is not None else None
    lock = threading.Lock()

    def call(order: int, item: tuple[tuple[str, ...], dt.date, dt.date]) -> None:
        chunk, start, end = item
        params = _params(report, request.account_ids, start, end, chunk)
        body = client.get("adAnalytics", params, parse=parse) if parse else client.get("adAnalytics", params)
        with lock:
            stats.requests += 1
        elements = body if isinstance(body, pa.StructArray) else (
            body.get("elements") if isinstance(body, dict) else None)
        if not isinstance(elements, list | pa.StructArray):
            raise BadResponseError("LinkedIn answered adAnalytics without an 'elements' list.")
        if len(elements) >= MAX_ELEMENTS:
            raise CapReached()
        if columnar is not None:  # the answer becomes typed columns now and is dropped
            dropped = columnar.add(order, chunk, elements)
            with lock:
                stats.dropped_elements += dropped
            return
        assert isinstance(elements, list)
        positions = [(name, merged.position(name)) for name in chunk]
        with lock:
            for element in elements:
                key = _element_key(element, len(report.pivots)) if isinstance(element, dict) else None
                if key is None:
                    stats.dropped_elements += 1
                    continue
                values = merged.row(key)
                for name, position in positions:
                    values[position] = element.get(name)

    calls = _chunk_calls(report, request)
    call(0, calls[0])
    if workers <= 1 or len(calls) <= 2:
        for order, item in enumerate(calls[1:], start=1):
            call(order, item)
        return columnar if columnar is not None else merged
    with ThreadPoolExecutor(max_workers=min(workers, len(calls) - 1), thread_name_prefix="lisync-ads") as pool:
        for future in [pool.submit(call, order, item) for order, item in enumerate(calls[1:], start=1)]:
            future.result()
    return columnar if columnar is not None else merged


def cut_load(load: AccountLoad, start: dt.date, end: dt.date) -> AccountLoad | None:
    """Return the part of ``load`` within ``start…end``, or ``None`` when it has no rows there."""
    lo, hi = max(start, load.start), min(end, load.end)
    if lo > hi:
        return None
    first = (lo - load.start).days
    part = AccountLoad(load.account_id, lo, hi, load.daily_rows[first:first + (hi - lo).days + 1],
                       bounded=load.bounded or (lo, hi) != (load.start, load.end))
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


@overload
def run_report(client: LinkedInClient, report: ReportSpec, loads: Sequence[AccountLoad], stats: FetchStats,
               budget: float = ..., prior_density: float = ..., workers: int = ...,
               arrow: Literal[False] = ...) -> Iterator[MergedRows]: ...


@overload
def run_report(client: LinkedInClient, report: ReportSpec, loads: Sequence[AccountLoad], stats: FetchStats,
               budget: float = ..., prior_density: float = ..., workers: int = ...,
               *, arrow: Literal[True]) -> Iterator[ColumnarRows]: ...


@overload
def run_report(client: LinkedInClient, report: ReportSpec, loads: Sequence[AccountLoad], stats: FetchStats,
               budget: float = ..., prior_density: float = ..., workers: int = ...,
               *, arrow: bool) -> Iterator[MergedRows | ColumnarRows]: ...


def run_report(client: LinkedInClient, report: ReportSpec, loads: Sequence[AccountLoad],
               stats: FetchStats, budget: float = DEFAULT_BUDGET,
               prior_density: float = PRIOR_DENSITY, workers: int = 1,
               arrow: bool = False) -> Iterator[MergedRows | ColumnarRows]:
    """Plan and run a report over ``loads``, yielding merged rows one planned request at a time.

    Estimates are upper bounds (every creative serving every day it could); real data is sparser. The
    planner starts from ``prior_density`` and re-packs what is still queued whenever the observed
    density (rows returned / rows estimated) moves by more than 10%. Overshooting is cheap: the first
    chunk of a request is the one that meets the cap, so a split wastes one call, not one per chunk.
    Memory stays bounded by one request's rows.

    Args:
        client: The LinkedIn client.
        report: What to ask for.
        loads: Per-account estimated loads (one per account, trimmed to days that can have data).
        stats: Counters updated as requests run.
        budget: Row budget per request (actual rows, after density).
        prior_density: Density assumed before any answer has been seen.
        workers: Calls of one planned request that may run at once.
        arrow: Parse and merge answers as Arrow columns (:class:`ColumnarRows`) instead of Python values.

    Yields:
        Merged rows of one planned request at a time.
    """
    by_account = {load.account_id: load for load in loads}
    stats.planned_rows = sum(load.total for load in loads)
    density = prior_density
    months = report.granularity == "MONTHLY"  # date cuts at month starts, so MONTHLY rows stay whole months
    queue: deque[PlannedRequest] = deque(pack_requests(loads, budget / density, report.max_facet_ids, months))
    observed_rows = 0
    observed_estimate = 0
    while queue:
        request = queue.popleft()
        try:
            rows = fetch_request(client, report, request, stats, workers, arrow)
        except CapReached:
            halves = request.split(months)
            if halves is None:
                raise BadResponseError(
                    f"adAnalytics returned {MAX_ELEMENTS:,} elements for one account and one day "
                    f"(account {request.account_ids[0]}, {request.start}); LinkedIn may have truncated it.") from None
            stats.cap_splits += 1
            queue.extendleft(reversed(halves))
            # A full answer proves the density is at least cap / estimate: re-pack everything queued with it.
            floor = min(1.0, MAX_ELEMENTS / max(request.estimated_rows, 1))
            # A MONTHLY month cut by days (the last resort) is not re-packed: packing cuts only at month starts
            # and would put the month back together, asking the capped range again.
            day_cut = months and len(request.account_ids) == 1 and (
                (request.start.year, request.start.month) == (request.end.year, request.end.month))
            if floor > density:
                density = floor
                if not day_cut:
                    queue = deque(pack_requests(_queued_loads(queue, by_account), budget / density,
                                                report.max_facet_ids, months))
            continue
        stats.returned_rows += len(rows)
        observed_rows += len(rows)
        observed_estimate += max(request.estimated_rows, 1)
        yield rows
        del rows
        trim_freed_memory()  # what the request's answers and columns left in the heaps goes back: lisync.allocator
        measured = min(1.0, max(0.01, observed_rows / observed_estimate))
        stats.density = measured
        if queue and abs(measured - density) > 0.1 * density:
            density = measured
            # 10% headroom: the density of what is left may differ from what was seen.
            queue = deque(pack_requests(_queued_loads(queue, by_account), budget / min(1.0, density * 1.1),
                                        report.max_facet_ids, months))
