"""Builds and runs the dlt pipeline for a set of lisync pipelines, and produces the run summary.

A lisync *pipeline* is one of the spec's nine (named after its main table). Pipelines come in families
that share LinkedIn lookups: ``ads`` (entity tables), ``analytics`` (performance tables) and ``pages``
(organization pages and posts). Each family module exposes a ``build_resources(ctx, pipelines)`` that returns
dlt resources; this module gathers them into one source with lisync's schema, runs dlt, and reports.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dlt
from dlt.common.configuration.exceptions import ConfigFieldMissingException, ConfigurationException
from dlt.common.destination.reference import Destination
from dlt.extract.resource import DltResource
from dlt.extract.source import DltSource
from dlt.pipeline.exceptions import PipelineStepFailed

from lisync import spec
from lisync.config import RunSettings
from lisync.context import RunContext
from lisync.errors import ConfigError, LisyncError, RunFailed
from lisync.linkedin.client import LinkedInClient, RequestStats, StaticTokenProvider, TokenProvider
from lisync.linkedin.errors import LinkedInError
from lisync.linkedin.hints import with_spec
from lisync.load_guard import duckdb_write_lock, load_with_retry
from lisync.progress import RunProgress
from lisync.settings import version_sunset_warning
from lisync.summary import RunSummary

log = logging.getLogger("lisync")

# family → (module with build_source, pipelines it serves)
FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "ads": ("lisync.linkedin.ads_family",
            ("ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata",
             "conversion_details")),
    "analytics": ("lisync.linkedin.analytics_family", ("ad_performance", "conversion_performance")),
    "pages": ("lisync.linkedin.pages_family", ("organization_pages", "organization_posts")),
}
# Test seam for the crash-safety suite: SIGKILL the process right after the named stage
# (extract, normalize or load) so a test can interrupt a run at a precise point. Unset in normal use.
KILL_AT_ENV = "LISYNC_TEST_KILL_AT"
SCHEMA_NAME = "linkedin"
SCHEMA_NAMING = "lisync.naming"
FILESYSTEM_DESTINATION_TYPE = "dlt.destinations.filesystem"
FILESYSTEM_FILE_FORMAT = "parquet"  # columnar and typed: what a lake reader expects


def available_pipelines() -> list[str]:
    """Return the pipelines whose family module is installed, in spec order."""
    present: set[str] = set()
    for module, pipelines in FAMILIES.values():
        if importlib.util.find_spec(module) is not None:
            present.update(pipelines)
    return [p for p in spec.load_spec() if p in present]


def family_of(pipeline: str) -> str:
    """Return the family name serving ``pipeline``."""
    for family, (_, pipelines) in FAMILIES.items():
        if pipeline in pipelines:
            return family
    raise ConfigError(f"Unknown pipeline {pipeline!r}: choose from {', '.join(spec.load_spec())}.")


def make_destination(settings: RunSettings) -> Any:
    """Return the dlt destination for ``settings``: a DuckDB file, or any dlt destination by name.

    The destination name and ``destination_credentials`` go to dlt unchanged (a Postgres DSN, a Snowflake
    URL, a service-account JSON…); without credentials dlt resolves them from its env vars and
    ``.dlt/secrets.toml`` exactly as it documents. The one translation: a ``filesystem`` destination's
    "credentials" are where the files go (a local folder or bucket URL), and it writes Parquet unless
    ``NORMALIZE__LOADER_FILE_FORMAT`` says otherwise.

    Raises:
        ConfigError: For a DuckDB folder that does not exist, credentials given to duckdb, or a destination
            dlt does not know or cannot import.

    """
    if settings.destination == "duckdb":
        if settings.destination_credentials:
            raise ConfigError("--destination-credentials does not apply to duckdb: pass the file with "
                              "--duckdb PATH (or choose another --destination).")
        path = Path(settings.duckdb_path).expanduser()
        if path.is_dir() or (path.parent.exists() and not path.parent.is_dir()) or (
                path.parent.is_dir() and not os.access(path.parent, os.W_OK)):
            raise ConfigError(f"Cannot write DuckDB file {path}: it is a folder, or its folder is not a writable "
                              "folder; pass a --duckdb path to a file in a folder you can write.")
        if path.parent and not path.parent.exists():
            raise ConfigError(f"Cannot write DuckDB file {path}: folder {path.parent} does not exist; create it "
                              "or pass another --duckdb path.")
        if path.stem.lower() == settings.dataset.lower():
            raise ConfigError(f"DuckDB file {path.name} is named like the dataset {settings.dataset!r}, which DuckDB "
                              "cannot tell apart: rename the file (e.g. lisync.duckdb) or pass another --dataset.")
        return dlt.destinations.duckdb(credentials=str(path), **_staging_layout(settings))
    secret = settings.destination_credentials
    try:
        factory = Destination.from_reference(settings.destination)
        if factory.destination_type == FILESYSTEM_DESTINATION_TYPE:
            if settings.shard:
                raise ConfigError("Sharded runs need a SQL destination (their Full tables replace one slice "
                                  "by a SQL delete): run the filesystem destination unsharded.")
            kwargs: dict[str, Any] = {"preferred_loader_file_format": FILESYSTEM_FILE_FORMAT}
            if secret:
                kwargs["bucket_url"] = _bucket_url(secret)
            return Destination.from_reference(settings.destination, **kwargs)
        kwargs = {**({"credentials": secret} if secret else {}), **_staging_layout(settings)}
        return Destination.from_reference(settings.destination, **kwargs) if kwargs else factory
    except ConfigError:
        raise
    except Exception as exc:  # dlt raises several types for unknown/uninstalled destinations
        reason = str(exc).replace(secret, "***") if secret else str(exc)
        raise ConfigError(f"Unknown or unavailable destination {settings.destination!r}: {reason}. Use "
                          "duckdb, postgres, filesystem or another dlt destination name.") from None


def _staging_layout(settings: RunSettings) -> dict[str, str]:
    """A shard merges through its own staging dataset, so concurrent shards never share staging tables."""
    layout = settings.staging_dataset_layout
    return {"staging_dataset_name_layout": layout} if layout else {}


def _bucket_url(location: str) -> str:
    """Return a filesystem bucket URL: URLs unchanged, a local folder as an absolute path."""
    if "://" in location:
        return location
    return str(Path(location).expanduser().resolve())


# Columnar or bulk formats keep the loader's memory flat: DuckDB parsing one huge INSERT of wide
# performance rows took ~2 GB where Parquet takes ~250 MB; Postgres loads CSV through COPY. (filesystem
# gets Parquet as its factory's preferred format in make_destination.) NORMALIZE__LOADER_FILE_FORMAT wins.
PREFERRED_FILE_FORMATS: dict[str, str] = {"duckdb": "parquet", "motherduck": "parquet",
                                          "postgres": "csv"}


def preferred_file_format(destination: str) -> str | None:
    """Return the load file format lisync uses for ``destination`` (``None``: dlt's default or config)."""
    if os.environ.get("NORMALIZE__LOADER_FILE_FORMAT"):
        return None
    return PREFERRED_FILE_FORMATS.get(destination)


def make_pipeline(settings: RunSettings) -> dlt.Pipeline:
    """Return the dlt pipeline that holds this run's state and loads into the chosen destination."""
    kwargs: dict[str, Any] = {}
    if settings.pipelines_dir:
        kwargs["pipelines_dir"] = settings.pipelines_dir
    pipeline = dlt.pipeline(
        pipeline_name=settings.effective_pipeline_name,
        destination=make_destination(settings),
        dataset_name=settings.dataset,
        progress="log" if log.isEnabledFor(logging.DEBUG) else None,
        **kwargs,
    )
    check_destination_config(pipeline, settings)
    check_destination_reachable(pipeline, settings)
    return pipeline


def check_destination_reachable(pipeline: dlt.Pipeline, settings: RunSettings) -> None:
    """Open (and close) a connection to a SQL server destination: an unreachable server fails before extracting.

    DuckDB (checked on the file system, and possibly locked by a concurrent shard) and destinations without a
    SQL client are not checked here.

    Raises:
        ConfigError: Naming the destination, what failed (credentials never shown) and the fix.
    """
    if settings.destination == "duckdb":
        return
    try:
        client = pipeline.sql_client()
    except Exception:  # filesystem and other non-SQL destinations
        return
    try:
        with client:
            pass
    except Exception as exc:
        secret = settings.destination_credentials
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if secret:
            detail = detail.replace(secret, "***")
        raise ConfigError(f"Cannot connect to destination {settings.destination!r} ({detail.rstrip('.')}): check "
                          "that the server runs and accepts connections, and the host, port and credentials in "
                          "--destination-credentials.") from None


def check_destination_config(pipeline: dlt.Pipeline, settings: RunSettings) -> None:
    """Resolve the destination's configuration now, so missing credentials fail before anything is extracted.

    Raises:
        ConfigError: When dlt cannot find or parse the destination's credentials (the secret is never shown).

    """
    try:
        pipeline.destination_client()
    except (ConfigurationException, ConfigFieldMissingException) as exc:
        secret = settings.destination_credentials
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if secret:
            detail = detail.replace(secret, "***")
        env = f"DESTINATION__{settings.destination.upper()}__CREDENTIALS"
        raise ConfigError(f"Destination {settings.destination!r} is not configured ({detail.rstrip('.')}): "
                          f"pass --destination-credentials, set LISYNC_DESTINATION_CREDENTIALS or {env}, or "
                          f"add [destination.{settings.destination}] to .dlt/secrets.toml.") from None


def new_schema() -> dlt.Schema:
    """Return an empty ``linkedin`` schema using lisync's naming convention (spec names kept verbatim)."""
    return dlt.Schema(SCHEMA_NAME, normalizers={"names": SCHEMA_NAMING})


def build_source(ctx: RunContext) -> DltSource:
    """Return one dlt source holding the resources of every selected pipeline."""
    by_family: dict[str, list[str]] = {}
    for pipeline in ctx.settings.pipelines:
        by_family.setdefault(family_of(pipeline), []).append(pipeline)
    resources: list[DltResource] = []
    for family, pipelines in by_family.items():
        module_name = FAMILIES[family][0]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            raise ConfigError(f"Pipeline(s) {', '.join(pipelines)} are not available in this version of lisync; "
                              f"available: {', '.join(available_pipelines())}.") from None
        builder: Callable[[RunContext, list[str]], list[DltResource]] = module.build_resources
        resources.extend(builder(ctx, pipelines))
    source = DltSource(new_schema(), SCHEMA_NAME, resources)
    source.max_table_nesting = 0  # shapers emit flat spec rows; never let dlt invent nested tables
    return source


def _root_error(exc: BaseException) -> BaseException:
    """Find the error behind dlt's step wrappers: a LinkedIn or lisync error, else the deepest cause."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    deepest = exc
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, LinkedInError | LisyncError):
            return current
        deepest = current
        stack.extend([getattr(current, "exception", None), current.__cause__, current.__context__])
    return deepest


def count_rows(pipeline: dlt.Pipeline, tables: list[str]) -> dict[str, int]:
    """Return rows per table in the destination (tables that do not exist yet count 0).

    Falls back to the rows this run normalized when the destination cannot be queried.
    """
    counts: dict[str, int] = {}
    try:
        existing = set(pipeline.default_schema.data_table_names()) if pipeline.default_schema_name else set()
        with pipeline.sql_client() as client:
            for table in tables:
                if table not in existing:
                    counts[table] = 0
                    continue
                qualified = client.make_qualified_table_name(table)
                with client.execute_query(f"SELECT COUNT(*) FROM {qualified}") as cursor:
                    counts[table] = int(cursor.fetchone()[0])
    except Exception as exc:  # the destination may not support reading back
        log.debug("Could not count destination rows: %s", exc)
        trace = pipeline.last_trace
        info = trace.last_normalize_info if trace else None
        row_counts = info.row_counts if info else {}
        counts = {t: int(row_counts.get(t, 0)) for t in tables}
    return counts


def make_client(settings: RunSettings, token_provider: TokenProvider | None = None,
                stats: RequestStats | None = None) -> LinkedInClient:
    """Return the LinkedIn client for ``settings``.

    Raises:
        ConfigError: When there is no access token and no stored sign-in.
    """
    if token_provider is None:
        if not settings.access_token:
            raise ConfigError("No LinkedIn access token: sign in with `lisync auth login`, or pass "
                              "--access-token / set LINKEDIN_ACCESS_TOKEN.")
        token_provider = StaticTokenProvider(settings.access_token)
    return LinkedInClient(token_provider, base_url=settings.api_base_url, api_version=settings.api_version,
                          stats=stats, retry_policy=settings.retry_policy)


def run(settings: RunSettings, token_provider: TokenProvider | None = None, show_progress: bool = False) -> RunSummary:
    """Run the selected pipelines end to end and return the summary.

    Extraction happens completely before anything is loaded, so a run that fails while reading LinkedIn
    leaves the destination exactly as it was; savepoints move only with a committed load.

    Args:
        settings: Validated run settings.
        token_provider: Where access tokens come from (default: the settings' static token).
        show_progress: Show a live progress line on the terminal.

    Returns:
        The run summary (``status="failed"`` with ``error`` set when the run failed).
    """
    started = time.monotonic()
    summary = RunSummary(pipelines=list(settings.pipelines), destination=_describe_destination(settings))
    _warn_about_version(settings, summary)
    stats = RequestStats()
    tables = [t.name for p in settings.pipelines for t in spec.load_spec()[p].tables]
    progress = RunProgress(stats, enabled=show_progress)
    pipeline: dlt.Pipeline | None = None
    try:
        with progress:
            client = make_client(settings, token_provider, stats)
            ctx = RunContext(settings=settings, client=client, summary=summary)
            if settings.today is not None:
                ctx.today = settings.today
            pipeline = make_pipeline(settings)  # destination errors surface before any API call
            progress.stage("discovering accounts and organizations")
            source = build_source(ctx)
            if settings.shard and not pipeline.has_pending_data:
                # A shard may run on any orchestrator worker: take its savepoints from the destination.
                with duckdb_write_lock(_duckdb_file(settings)):
                    pipeline.sync_destination()
            progress.stage("extracting")
            pipeline.extract(source, loader_file_format=preferred_file_format(settings.destination))
            _kill_point("extract")
            progress.stage("normalizing")
            pipeline.normalize()
            _kill_point("normalize")
            progress.stage("loading")
            with duckdb_write_lock(_duckdb_file(settings)):
                load_with_retry(pipeline)
                _kill_point("load")
                progress.stage("post-load")
                materialize_missing_tables(pipeline, tables, settings)
                _after_load(pipeline, settings)
                summary.tables = count_rows(pipeline, tables)
    except (PipelineStepFailed, LinkedInError, LisyncError) as exc:
        root = _root_error(exc)
        summary.status = "failed"
        summary.error = _one_line(root)
        if isinstance(root, LisyncError) and root.exit_code == 2:
            raise root from None  # usage errors (bad settings, unknown accounts) surface as they are
        if pipeline is not None:
            with duckdb_write_lock(_duckdb_file(settings)):
                summary.tables = count_rows(pipeline, tables)
    finally:
        summary.requests = stats.as_dict()
        summary.seconds = time.monotonic() - started
    return summary


def _duckdb_file(settings: RunSettings) -> str | None:
    """The DuckDB file a shard must lock before opening it (DuckDB allows one writing process per file)."""
    return settings.duckdb_path if settings.shard and settings.destination == "duckdb" else None


def _kill_point(stage: str) -> None:
    """Kill this process without any cleanup when ``LISYNC_TEST_KILL_AT`` names ``stage`` (tests only)."""
    if os.environ.get(KILL_AT_ENV) == stage:
        os.kill(os.getpid(), signal.SIGKILL)


def _warn_about_version(settings: RunSettings, summary: RunSummary) -> None:
    """Note (and log) when the API version nears the end of LinkedIn's one-year support."""
    warning = version_sunset_warning(settings.api_version, settings.today or dt.datetime.now(dt.UTC).date())
    if warning:
        log.warning(warning)
        summary.add_note(warning)


def materialize_missing_tables(pipeline: dlt.Pipeline, tables: list[str], settings: RunSettings) -> None:
    """Create, empty, every selected table that has never received a row (dlt creates tables lazily).

    A pipeline whose LinkedIn data is empty so far (no conversions yet, a page without posts) must still
    land its tables with every spec column, so that queries and dashboards built on them work from day one.
    """
    seen = set(pipeline.default_schema.data_table_names(seen_data_only=True)) if pipeline.default_schema_name \
        else set()
    missing = [t for t in tables if t not in seen]
    if not missing:
        return

    def empty(table: str) -> DltResource:
        def items() -> Any:
            yield dlt.mark.materialize_table_schema()

        # append: nothing is written, so nothing already loaded can be replaced or merged away
        return with_spec(dlt.resource(items, name=table), "append")

    source = DltSource(new_schema(), SCHEMA_NAME, [empty(t) for t in missing])
    source.max_table_nesting = 0
    pipeline.extract(source, loader_file_format=preferred_file_format(settings.destination))
    pipeline.normalize()
    load_with_retry(pipeline)


def _after_load(pipeline: dlt.Pipeline, settings: RunSettings) -> None:
    """Hooks that run after a committed load (warehouse comments, docs); each module is optional."""
    try:
        comments = importlib.import_module("lisync.warehouse_comments")
    except ModuleNotFoundError:
        return
    comments.apply_comments(pipeline)


def _one_line(exc: BaseException) -> str:
    """Return the first meaningful line of ``exc``'s message, naming its type when it is not lisync's own."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    if not isinstance(exc, LinkedInError | LisyncError) and not text.startswith(type(exc).__name__):
        text = f"{type(exc).__name__}: {text}"
    return text


def _describe_destination(settings: RunSettings) -> str:
    where = f"dataset {settings.dataset}" + (f", shard {settings.shard}" if settings.shard else "")
    if settings.destination == "duckdb":
        return f"duckdb:{settings.duckdb_path} ({where})"
    return f"{settings.destination} ({where})"


def ensure_ok(summary: RunSummary) -> RunSummary:
    """Raise :class:`RunFailed` for a failed summary (library callers that prefer exceptions)."""
    if summary.status != "ok":
        raise RunFailed(summary.error or "The run failed.")
    return summary
