"""The typed settings of one run (:class:`RunSettings`).

:mod:`lisync.config.resolve` builds them from flags, the environment and dlt config, with the value checks of
:mod:`lisync.config.parse`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from lisync.config.defaults import DEFAULT_DATASET, DEFAULT_DUCKDB_PATH
from lisync.config.personal_data import PersonalDataPolicy
from lisync.linkedin.analytics.custom_reports import CustomReport
from lisync.linkedin.http.retry import RetryPolicy
from lisync.linkedin.http.version import DEFAULT_API_BASE_URL, DEFAULT_API_VERSION
from lisync.linkedin.pages.statistics import TPeriod

TPostsReplication = Literal["incremental", "full"]
PERIODS: tuple[TPeriod, ...] = ("day", "week", "month")
POSTS_REPLICATION: tuple[TPostsReplication, ...] = ("incremental", "full")
TExtractFormat = Literal["arrow", "dicts"]
EXTRACT_FORMATS: tuple[TExtractFormat, ...] = ("arrow", "dicts")


@dataclass
class RunSettings:
    """Everything one ``lisync run`` needs.

    Attributes:
        pipelines: Pipeline ids (spec main-table names) to run, in spec order.
        access_token: A bearer token, or ``None`` to use the stored credentials.
        api_base_url: Versioned REST base URL (LinkedIn's or the sandbox's).
        api_version: ``LinkedIn-Version`` value.
        account_ids: Ad account filter (numeric ids); ``None`` means every visible account.
        organization_ids: Organization filter (numeric ids); ``None`` means every administered page.
        start_date: "Read start date" for incremental pipelines; ``None`` uses each pipeline's default.
        end_date: The last day (inclusive) time-windowed pipelines read, for a bounded backfill (``--end-date``);
            their savepoints never move past it. ``None`` (or a day after today) reads up to today. Full and
            snapshot pipelines ignore it (see :mod:`lisync.run.bounded`).
        update_window_days: Update window override; ``None`` uses each pipeline's default.
        destination: A dlt destination name (``duckdb``, ``postgres``, ``filesystem``, ``bigquery``…).
        destination_credentials: The destination's connection string as dlt accepts it (a Postgres DSN,
            a Snowflake URL…; for ``filesystem`` the bucket URL or local folder), or ``None`` to let dlt
            resolve credentials from its env vars and secrets. Never shown in ``repr``.
        duckdb_path: DuckDB file when the destination is duckdb.
        dataset: Destination dataset/schema name.
        pipeline_name: dlt pipeline name (state and savepoints live under it).
        pipelines_dir: Where dlt keeps its working state (``None``: dlt's default).
        today: The run's "today" (UTC); ``None`` means the real date. Tests pin it to the sandbox clock.
        period: ``organization_pages``' period breakdown (``day``, ``week`` or ``month``).
        keep_metrics_history: ``organization_posts`` also keeps a dated snapshot row per post and run.
        posts_replication: ``organization_posts`` replication: ``incremental`` or ``full``.
        analytics_row_budget: Rows the adAnalytics planner packs into one request (``None``: the planner's
            default); tests raise it to force one request per report.
        strict: Fail the run when LinkedIn refuses one account or organization (403/404) instead of
            skipping it with a note.
        retry_policy: Retries, backoff, time budgets, timeouts and the concurrency cap of API calls.
        shard: Name of the shard this run is (see :mod:`lisync.run.shards`), or ``None`` for an unsharded run.
            A shard keeps its own dlt state and staging dataset, and its Full tables replace only the
            shard's own accounts and organizations, so shards can load into one dataset concurrently.
        lead_pii: What the lead pipelines do with personal values (``--lead-pii keep|hash|drop``).
        fivetran_views: Schema in which to refresh the Fivetran-compatible views after each load (setting
            ``fivetran_views``; see :mod:`lisync.warehouse.fivetran_views`), or ``None`` for none.
        history: Entity tables that keep every version with ``valid_from``/``valid_to`` (dlt scd2) instead of
            being replaced (``--history``; see :mod:`lisync.sources.history`); empty: none.
        demographics_granularity: ``ad_demographics`` period, ``MONTHLY`` (default) or ``DAILY``.
        demographic_pivots: The MEMBER_* pivots ``ad_demographics`` reads; ``None``: all eight.
        extended_metrics: Add the metrics LinkedIn added since the contract (per ``api_version``) as nullable
            columns on the performance tables.
        custom_reports: Custom reports declared in ``[sources.linkedin.custom_reports.<name>]``, by name.
        extract_format: How rows travel to dlt: ``arrow`` (Arrow tables with the contract's types, no per-row
            normalization: the performance and report tables, page statistics, posts and their child tables, and
            verify's repairs; see :mod:`lisync.linkedin.analytics.columns`) or ``dicts`` (one dict per row).
        verify: After the load, reconcile performance rows with LinkedIn's account-month totals (and posts with
            its listing), repair differences, and fail when one remains (:mod:`lisync.run.verify`).
    """

    pipelines: list[str]
    access_token: str | None = None
    api_base_url: str = DEFAULT_API_BASE_URL
    api_version: str = DEFAULT_API_VERSION
    account_ids: list[str] | None = None
    organization_ids: list[str] | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    update_window_days: int | None = None
    destination: str = "duckdb"
    destination_credentials: str | None = field(default=None, repr=False)
    duckdb_path: str = DEFAULT_DUCKDB_PATH
    dataset: str = DEFAULT_DATASET
    pipeline_name: str | None = None
    pipelines_dir: str | None = None
    today: dt.date | None = None
    period: TPeriod = "day"
    keep_metrics_history: bool = False
    posts_replication: TPostsReplication = "incremental"
    analytics_row_budget: float | None = None
    strict: bool = False
    retry_policy: RetryPolicy = field(default_factory=RetryPolicy)
    shard: str | None = None
    lead_pii: PersonalDataPolicy = field(default_factory=PersonalDataPolicy)
    fivetran_views: str | None = None
    history: tuple[str, ...] = ()
    demographics_granularity: str = "MONTHLY"
    demographic_pivots: tuple[str, ...] | None = None
    extended_metrics: bool = False
    custom_reports: dict[str, CustomReport] = field(default_factory=dict)
    extract_format: TExtractFormat = "arrow"
    verify: bool = True

    def __repr__(self) -> str:
        token = "***" if self.access_token else None
        return f"RunSettings(pipelines={self.pipelines!r}, access_token={token}, destination={self.destination!r})"

    def last_day(self, today: dt.date) -> dt.date:
        """The last day time-windowed pipelines read this run: ``today``, or the end date when it is earlier."""
        return today if self.end_date is None else min(today, self.end_date)

    @property
    def effective_pipeline_name(self) -> str:
        """The dlt pipeline name: explicit, else ``lisync_<dataset>``; a shard appends ``_<shard>`` to either.

        Every shard must keep its own dlt state (its savepoints), even when shards share one explicit name.
        """
        name = self.pipeline_name or f"lisync_{self.dataset}"
        return f"{name}_{self.shard}" if self.shard else name

    @property
    def staging_dataset_layout(self) -> str | None:
        """The dlt staging dataset layout for a shard (``<dataset>_staging_<shard>``), ``None`` unsharded.

        Merges go through the staging dataset; one per shard keeps concurrent shards off each other's
        staging tables.
        """
        return f"%s_staging_{self.shard}" if self.shard else None
