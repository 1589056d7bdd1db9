"""Per-account entity listings, fetched once per run and shared by every pipeline that needs them.

The ads entity tables and the performance tables both need an account's campaign groups, campaigns,
creatives and conversion rules (the performance rows carry their names and parents). Listing them once
and sharing the result keeps a combined run at one listing per account and entity kind.

The catalog lives for the whole run and grows with the world (a few kB of Python objects per creative or
campaign), so a kind only the planners and performance shapers read keeps just the fields they use
(:data:`SLIM_FIELDS`); the ads entity tables ask for whole elements (``want(..., whole=True)``).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from lisync.linkedin.ads.listings import list_campaign_groups, list_campaigns, list_conversions, list_creatives
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.errors import AccessDeniedError, LinkedInAPIError, NotFoundError

TEntity = dict[str, Any]

# The fields the analytics and report planners and shapers read from each listing kind (sizing, serving spans,
# update windows, entity names and parents). Anything else is kept only for a kind wanted whole.
SLIM_FIELDS: dict[str, frozenset[str]] = {
    "groups": frozenset({"id", "name", "account"}),
    "campaigns": frozenset({"id", "name", "account", "campaignGroup", "status", "runSchedule", "changeAuditStamps"}),
    "creatives": frozenset({"id", "name", "account", "campaign", "intendedStatus"}),
    "conversions": frozenset({"id", "name", "account", "campaigns", "associatedCampaigns",
                              "postClickAttributionWindowSize", "viewThroughAttributionWindowSize"}),
}


class AccountCatalog:
    """Lazily lists and caches one run's per-account entities (thread-safe).

    Args:
        client: The LinkedIn client.
        add_note: Where to report elements dropped for lack of an ``id`` (the run summary's notes).

    Attributes:
        dropped: Elements dropped per listing kind because they had no ``id`` (a key column cannot be null).
    """

    def __init__(self, client: LinkedInClient, add_note: Callable[[str], None] | None = None) -> None:
        self.client = client
        self.dropped: Counter[str] = Counter()
        self._add_note = add_note
        self._cache: dict[tuple[str, str], list[TEntity]] = {}
        self._locks: dict[tuple[str, str], threading.Lock] = {}
        self._refused: dict[tuple[str, str], LinkedInAPIError] = {}
        self._guard = threading.Lock()
        self._wanted: set[str] = set()
        self._whole: set[str] = set()
        self._prefetched: set[str] = set()

    def note(self, message: str) -> None:
        """Add ``message`` to the run summary's notes (dropped when the catalog was built without a sink)."""
        if self._add_note is not None:
            self._add_note(message)

    def want(self, *kinds: str, whole: bool = False) -> None:
        """Declare listing kinds (``groups``, ``campaigns``, ``creatives``, ``conversions``) this run needs.

        Args:
            kinds: The listing kinds.
            whole: Keep every field of these kinds' elements (a table that lands them), not only
                :data:`SLIM_FIELDS`. Must be declared before the kind is first listed.
        """
        self._wanted.update(kinds)
        if whole:
            self._whole.update(kinds)

    def prefetch(self, account_ids: Iterable[str], workers: int) -> None:
        """List every wanted kind for ``account_ids`` concurrently (at most ``workers`` at once), once per run.

        Failures are not raised here: a refused account is remembered and raised to the table that reads
        it, and any other error is met again (and raised) when the table asks for the listing itself.
        """
        jobs: list[tuple[str, str]] = []
        with self._guard:
            for account_id in account_ids:
                if account_id not in self._prefetched:
                    self._prefetched.add(account_id)
                    jobs.extend((kind, account_id) for kind in sorted(self._wanted))
        if len(jobs) <= 1 or workers <= 1:
            return
        readers = {"groups": self.campaign_groups, "campaigns": self.campaigns, "creatives": self.creatives,
                   "conversions": self.conversions}

        def read(job: tuple[str, str]) -> None:
            try:
                readers[job[0]](job[1])
            except Exception:
                return

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lisync-list") as pool:
            list(pool.map(read, jobs))

    def _listing(self, kind: str, account_id: str, fetch: Callable[[], Iterator[TEntity]]) -> list[TEntity]:
        key = (kind, account_id)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key in self._refused:  # a refused account is not asked again by the next table
                raise self._refused[key]
            if key not in self._cache:
                seen: dict[Any, TEntity] = {}
                dropped = 0
                try:
                    for element in fetch():
                        if element.get("id") is None:
                            dropped += 1
                            continue
                        if kind not in self._whole:
                            element = {k: v for k, v in element.items() if k in SLIM_FIELDS[kind]}
                        seen.setdefault(element.get("id"), element)  # pages may repeat an element
                except (AccessDeniedError, NotFoundError) as error:
                    self._refused[key] = error
                    raise
                self._cache[key] = list(seen.values())
                self.dropped[kind] += dropped
                if dropped and self._add_note is not None:
                    self._add_note(f"{kind} of account {account_id}: {dropped} elements without an id were dropped "
                                   "(an id is the table's key).")
            return self._cache[key]

    def campaign_groups(self, account_id: str) -> list[TEntity]:
        """Every campaign group of ``account_id`` (all statuses)."""
        return self._listing("groups", account_id, lambda: list_campaign_groups(self.client, account_id))

    def campaigns(self, account_id: str) -> list[TEntity]:
        """Every campaign of ``account_id`` (all statuses)."""
        return self._listing("campaigns", account_id, lambda: list_campaigns(self.client, account_id))

    def creatives(self, account_id: str) -> list[TEntity]:
        """Every creative of ``account_id`` (all intended statuses)."""
        return self._listing("creatives", account_id, lambda: list_creatives(self.client, account_id))

    def conversions(self, account_id: str) -> list[TEntity]:
        """Every conversion rule of ``account_id``."""
        return self._listing("conversions", account_id,
                             lambda: (e for page in list_conversions(self.client, account_id) for e in page))
