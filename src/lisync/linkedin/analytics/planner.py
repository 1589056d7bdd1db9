"""The adAnalytics request planner: which accounts and days go into each request, with the fewest calls.

LinkedIn's adAnalytics has no paging: a response holds at most 15,000 elements and silently drops the
rest. The planner therefore estimates, from entity metadata alone, how many rows each account can
produce on each day (an upper bound: creatives whose campaign could serve that day), trims days and
accounts that cannot have data, and packs accounts sharing a read window into as few requests as fit
under a row budget. Accounts too large for one request are split into date windows. The fetcher learns
the real row density from the answers and shrinks later estimates accordingly; a response that still
comes back at the cap is split and asked again.

Everything here is pure and deterministic, so it is unit-tested without I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lisync.linkedin.convert import ms_to_timestamp

MAX_ELEMENTS = 15_000
# Plan to at most this share of the cap, so estimation error rarely costs a split.
DEFAULT_BUDGET = 13_500


@dataclass(frozen=True)
class AccountLoad:
    """Estimated rows of one account over its read window.

    Attributes:
        account_id: Numeric account id.
        start: First day that can have data (inclusive).
        end: Last day that can have data (inclusive).
        daily_rows: Upper-bound rows per day, ``daily_rows[0]`` being ``start``.
        bounded: The account has data outside ``start…end`` that other requests read (a re-planned remainder),
            so no request may ask it for days beyond them (rows summed over accounts would count them twice).
    """

    account_id: str
    start: dt.date
    end: dt.date
    daily_rows: tuple[int, ...]
    bounded: bool = False

    @property
    def total(self) -> int:
        """Upper-bound rows over the whole window."""
        return sum(self.daily_rows)


@dataclass(frozen=True)
class PlannedRequest:
    """One adAnalytics request: a set of accounts over one date range.

    Attributes:
        account_ids: Accounts in the ``accounts`` facet.
        start: First day (inclusive).
        end: Last day (inclusive).
        estimated_rows: The planner's upper-bound estimate.
    """

    account_ids: tuple[str, ...]
    start: dt.date
    end: dt.date
    estimated_rows: int

    @property
    def days(self) -> int:
        """Days in the range."""
        return (self.end - self.start).days + 1

    def split(self, months: bool = False) -> tuple[PlannedRequest, PlannedRequest] | None:
        """Halve the request (by accounts if several, else by days); ``None`` if it is one account-day.

        With ``months`` (MONTHLY reports) a range of several months is cut at the month start nearest its
        middle, so both halves answer whole months; a single month is cut by days only as a last resort.
        """
        if len(self.account_ids) > 1:
            mid = len(self.account_ids) // 2
            half = self.estimated_rows // 2
            return (PlannedRequest(self.account_ids[:mid], self.start, self.end, half),
                    PlannedRequest(self.account_ids[mid:], self.start, self.end, self.estimated_rows - half))
        if months and _month_end(self.start) < self.end:
            middle = self.start + dt.timedelta(days=self.days // 2)
            cuts = [day for day in _month_starts(self.start, self.end) if day > self.start]
            cut = min(cuts, key=lambda day: abs((day - middle).days))
            half = self.estimated_rows // 2
            return (PlannedRequest(self.account_ids, self.start, cut - dt.timedelta(days=1), half),
                    PlannedRequest(self.account_ids, cut, self.end, self.estimated_rows - half))
        if self.days > 1:
            mid_day = self.start + dt.timedelta(days=self.days // 2 - 1)
            half = self.estimated_rows // 2
            return (PlannedRequest(self.account_ids, self.start, mid_day, half),
                    PlannedRequest(self.account_ids, mid_day + dt.timedelta(days=1), self.end,
                                   self.estimated_rows - half))
        return None


def _day(ms: object) -> dt.date | None:
    stamp = ms_to_timestamp(ms)
    return stamp.date() if stamp else None


def serving_span(campaign: dict[str, object], window_start: dt.date,
                 window_end: dt.date) -> tuple[dt.date, dt.date] | None:
    """Return the days within the window on which ``campaign`` could have served, or ``None``.

    A campaign serves only between its ``runSchedule`` start and end, and never before it was created.
    A DRAFT campaign has never served. Anything else — paused, completed, archived, even removed —
    may hold data for the days it ran, so it is kept.
    """
    if campaign.get("status") == "DRAFT":
        return None
    schedule = campaign.get("runSchedule") if isinstance(campaign.get("runSchedule"), dict) else {}
    assert isinstance(schedule, dict)
    audit = campaign.get("changeAuditStamps")
    created = _day(audit.get("created", {}).get("time")) if isinstance(audit, dict) and isinstance(
        audit.get("created"), dict) else None
    starts = [d for d in (_day(schedule.get("start")), created) if d is not None]
    start = max([window_start, *starts])
    end_day = _day(schedule.get("end"))
    end = min(window_end, end_day) if end_day else window_end
    return (start, end) if start <= end else None


def estimate_account_load(account_id: str, window_start: dt.date, window_end: dt.date,
                          campaigns: Iterable[dict[str, object]],
                          rows_per_campaign_day: dict[str, int]) -> AccountLoad | None:
    """Estimate an account's rows per day from its campaigns' serving spans.

    Args:
        account_id: The account.
        window_start: First day of the read window.
        window_end: Last day of the read window.
        campaigns: The account's campaign elements.
        rows_per_campaign_day: Upper-bound rows one serving day of each campaign can produce, keyed by
            campaign id (e.g. its non-draft creatives, times its conversion rules for per-conversion
            reports). Campaigns missing here produce none.

    Returns:
        The load trimmed to the days that can have data, or ``None`` when no day can.
    """
    days = (window_end - window_start).days + 1
    if days <= 0:
        return None
    diff = [0] * (days + 1)
    for campaign in campaigns:
        per_day = rows_per_campaign_day.get(str(campaign.get("id")), 0)
        if per_day <= 0:
            continue
        span = serving_span(campaign, window_start, window_end)
        if span is None:
            continue
        diff[(span[0] - window_start).days] += per_day
        diff[(span[1] - window_start).days + 1] -= per_day
    daily, running = [], 0
    for step in diff[:-1]:
        running += step
        daily.append(running)
    first = next((i for i, v in enumerate(daily) if v > 0), None)
    if first is None:
        return None
    last = max(i for i, v in enumerate(daily) if v > 0)
    return AccountLoad(account_id, window_start + dt.timedelta(days=first),
                       window_start + dt.timedelta(days=last), tuple(daily[first:last + 1]))


def _blocks(load: AccountLoad, months: bool) -> list[tuple[int, int]]:
    """``(first day index, rows)`` of every day of ``load``, or of every calendar month with ``months``."""
    if not months:
        return list(enumerate(load.daily_rows))
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(load.daily_rows):
        stop = min(len(load.daily_rows), (_month_end(load.start + dt.timedelta(days=i)) - load.start).days + 1)
        out.append((i, sum(load.daily_rows[i:stop])))
        i = stop
    return out


def split_by_days(load: AccountLoad, budget: float, months: bool = False) -> list[PlannedRequest]:
    """Cut one account's window into consecutive date ranges whose estimates fit ``budget``.

    With ``months`` (MONTHLY reports) cuts fall on month starts only, so every range answers whole months;
    a month over the budget on its own stays one range (a capped answer is split later, by days).
    """
    out: list[PlannedRequest] = []
    start_index, acc = 0, 0
    for i, rows in _blocks(load, months):
        if acc and acc + rows > budget:
            out.append(PlannedRequest((load.account_id,), load.start + dt.timedelta(days=start_index),
                                      load.start + dt.timedelta(days=i - 1), acc))
            start_index, acc = i, 0
        acc += rows
    out.append(PlannedRequest((load.account_id,), load.start + dt.timedelta(days=start_index), load.end, acc))
    return out


def _within_bounds(members: Sequence[AccountLoad]) -> bool:
    """Whether one request spanning ``members``' windows asks no bounded member for days beyond its own."""
    start, end = min(m.start for m in members), max(m.end for m in members)
    return all(m.start <= start and end <= m.end for m in members if m.bounded)


def pack_requests(loads: Sequence[AccountLoad], budget: float = DEFAULT_BUDGET,
                  max_members: int | None = None, months: bool = False) -> list[PlannedRequest]:
    """Pack account loads into requests of at most ``budget`` estimated rows.

    Accounts are packed largest first into the first request with room (first-fit decreasing), each
    request spanning the union of its accounts' trimmed windows (never beyond a bounded load's window: those
    days were read already); an account over the budget on its own is split by days.

    Args:
        loads: Per-account estimates (any windows).
        budget: Row budget per request (already adjusted for observed density by the caller).
        max_members: At most this many accounts (facet ids) per request; ``None``: no limit.
        months: Cut an account's window at month starts only (MONTHLY reports; see :func:`split_by_days`).

    Returns:
        Requests in a deterministic order.
    """
    requests: list[PlannedRequest] = []
    bins: list[tuple[list[AccountLoad], int]] = []
    for load in sorted(loads, key=lambda x: (-x.total, x.account_id)):
        if load.total > budget:
            requests.extend(split_by_days(load, budget, months))
            continue
        for i, (members, rows) in enumerate(bins):
            if rows + load.total <= budget and (max_members is None or len(members) < max_members) and \
                    _within_bounds([*members, load]):
                members.append(load)
                bins[i] = (members, rows + load.total)
                break
        else:
            bins.append(([load], load.total))
    for members, rows in bins:
        start = min(m.start for m in members)
        end = max(m.end for m in members)
        requests.append(PlannedRequest(tuple(m.account_id for m in members), start, end, rows))
    return requests


def reach_windows(start: dt.date, end: dt.date, max_days: int) -> list[tuple[dt.date, dt.date]]:
    """Cut ``start…end`` into consecutive ranges of at most ``max_days`` days."""
    out = []
    cursor = start
    while cursor <= end:
        stop = min(end, cursor + dt.timedelta(days=max_days - 1))
        out.append((cursor, stop))
        cursor = stop + dt.timedelta(days=1)
    return out


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """Return the first day of every month that begins within ``start…end``."""
    out = []
    day = start.replace(day=1)
    while day <= end:
        if day >= start:
            out.append(day)
        day = _month_end(day) + dt.timedelta(days=1)
    return out


def month_windows(start: dt.date, end: dt.date, max_days: int) -> list[tuple[dt.date, dt.date]]:
    """Cut ``start…end`` at month ends into ranges of whole months of at most ``max_days`` days.

    Any three consecutive months span at most 92 days, so LinkedIn's 92-day reach limit always holds whole
    months, and MONTHLY buckets of every range match the buckets of one longer request.
    """
    out: list[tuple[dt.date, dt.date]] = []
    cursor = start
    while cursor <= end:
        stop = min(end, _month_end(cursor))
        while stop < end:
            following = min(end, _month_end(stop + dt.timedelta(days=1)))
            if (following - cursor).days + 1 > max_days:
                break
            stop = following
        out.append((cursor, stop))
        cursor = stop + dt.timedelta(days=1)
    return out
