"""Settings precedence in one place: a flag, else the environment, else dlt config → validated :class:`RunSettings`."""

from __future__ import annotations

import os

import dlt

from lisync.config.defaults import DEFAULT_DATASET, DEFAULT_DUCKDB_PATH
from lisync.config.endpoint import check_api_version_released, check_base_url
from lisync.config.parse import (
    check_config_keys,
    check_date_range,
    config_value,
    parse_bool,
    parse_choice,
    parse_date,
    parse_end_date,
    parse_history,
    parse_ids,
    parse_pipelines,
    parse_shard,
    parse_window,
    parse_workers,
    resolve_access_token,
    secret_value,
)
from lisync.config.personal_data import parse_lead_pii
from lisync.config.reports import custom_reports, parse_demographic_pivots, parse_demographics_granularity
from lisync.config.settings import (
    EXTRACT_FORMATS,
    PERIODS,
    POSTS_REPLICATION,
    RunSettings,
    TExtractFormat,
    TPostsReplication,
)
from lisync.errors import ConfigError
from lisync.linkedin.analytics.custom_reports import check_report_versions
from lisync.linkedin.http.retry import RetryPolicy
from lisync.linkedin.http.version import DEFAULT_API_BASE_URL, DEFAULT_API_VERSION
from lisync.linkedin.pages.statistics import TPeriod

__all__ = ["build_settings"]


def build_settings(
    pipelines: list[str] | None = None,
    *,
    start_date: str | None = None,
    end_date: str | None = None,
    update_window_days: str | None = None,
    accounts: str | None = None,
    organizations: str | None = None,
    destination: str | None = None,
    duckdb: str | None = None,
    dataset: str | None = None,
    api_base_url: str | None = None,
    api_version: str | None = None,
    access_token: str | None = None,
    pipeline_name: str | None = None,
    pipelines_dir: str | None = None,
    period: str | None = None,
    keep_metrics_history: bool | None = None,
    posts_replication: str | None = None,
    destination_credentials: str | None = None,
    strict: bool | None = None,
    max_workers: str | None = None,
    shard: str | None = None,
    lead_pii: str | None = None,
    history: bool | None = None,
    demographics_granularity: str | None = None,
    demographic_pivots: str | None = None,
    extended_metrics: bool | None = None,
    extract_format: str | None = None,
) -> RunSettings:
    """Return validated :class:`RunSettings`: each value from its flag, else the environment, else dlt config.

    The one place settings precedence lives. A flag given here wins; ``sources.linkedin`` values come from dlt's
    config providers (``SOURCES__LINKEDIN__<KEY>`` environment variables, then ``.dlt/secrets.toml`` and
    ``.dlt/config.toml``); destination choices also read ``LISYNC_DESTINATION``, ``LISYNC_DESTINATION_CREDENTIALS``,
    ``LISYNC_DUCKDB_PATH`` and ``LISYNC_DATASET``; the access token also ``LINKEDIN_ACCESS_TOKEN``. The CLI passes
    its flags; an orchestrator or library caller passes only what it wants to fix, e.g.
    ``build_settings(destination="postgres", dataset="linkedin")``.

    Raises:
        ConfigError: For any invalid value, naming it and the fix.
    """
    check_config_keys(_config_section())
    _refuse_empty_flags(accounts=accounts, organizations=organizations, duckdb=duckdb)

    def pick(flag_value: object, key: str) -> object:
        return flag_value if flag_value not in (None, "") else config_value(key)

    workers = parse_workers(pick(max_workers, "max_workers"))
    reports = custom_reports(config_value)
    settings = RunSettings(
        pipelines=parse_pipelines(pipelines or [], reports),
        access_token=resolve_access_token(access_token),
        api_base_url=check_base_url(str(pick(api_base_url, "api_base_url") or DEFAULT_API_BASE_URL).rstrip("/")),
        api_version=check_api_version_released(
            _check_version(str(pick(api_version, "api_version") or DEFAULT_API_VERSION))),
        account_ids=parse_ids(pick(accounts, "account_ids"), "account", "sponsoredAccount"),
        organization_ids=parse_ids(pick(organizations, "organization_ids"), "organization", "organization"),
        start_date=parse_date(pick(start_date, "start_date")),
        end_date=parse_end_date(pick(end_date, "end_date")),
        update_window_days=parse_window(pick(update_window_days, "update_window_days")),
        destination=destination or os.environ.get("LISYNC_DESTINATION") or "duckdb",
        destination_credentials=(destination_credentials or os.environ.get("LISYNC_DESTINATION_CREDENTIALS")
                                 or None),
        duckdb_path=duckdb or os.environ.get("LISYNC_DUCKDB_PATH") or DEFAULT_DUCKDB_PATH,
        dataset=_check_dataset(dataset or os.environ.get("LISYNC_DATASET") or DEFAULT_DATASET),
        pipeline_name=pipeline_name,
        pipelines_dir=pipelines_dir,
        period=_period(pick(period, "period") or "day"),
        keep_metrics_history=parse_bool(keep_metrics_history if keep_metrics_history is not None
                                        else config_value("keep_metrics_history"), "--keep-metrics-history"),
        posts_replication=_posts_replication(pick(posts_replication, "posts_replication") or "incremental"),
        strict=parse_bool(strict if strict is not None else config_value("strict"), "--strict"),
        retry_policy=RetryPolicy(max_concurrency=workers) if workers else RetryPolicy(),
        shard=parse_shard(shard),
        lead_pii=parse_lead_pii(pick(lead_pii, "lead_pii"), secret_value("lead_pii_secret")),
        fivetran_views=_fivetran_views(config_value("fivetran_views")),
        history=parse_history(history if history is not None else config_value("history")),
        demographics_granularity=parse_demographics_granularity(
            pick(demographics_granularity, "demographics_granularity")),
        demographic_pivots=parse_demographic_pivots(pick(demographic_pivots, "demographic_pivots")),
        extended_metrics=parse_bool(extended_metrics if extended_metrics is not None
                                    else config_value("extended_metrics"), "--extended-metrics"),
        custom_reports=reports,
        extract_format=_extract_format(pick(extract_format, "extract_format") or "arrow"),
    )
    check_date_range(settings.start_date, settings.end_date)
    check_report_versions(settings.custom_reports, settings.api_version)
    return settings


def _period(value: object) -> TPeriod:
    choice = parse_choice(value, "--period", PERIODS)
    return next(p for p in PERIODS if p == choice)


def _extract_format(value: object) -> TExtractFormat:
    choice = parse_choice(value, "--extract-format", EXTRACT_FORMATS)
    return next(f for f in EXTRACT_FORMATS if f == choice)


def _posts_replication(value: object) -> TPostsReplication:
    choice = parse_choice(value, "--posts-replication", POSTS_REPLICATION)
    return next(p for p in POSTS_REPLICATION if p == choice)


def _fivetran_views(value: object) -> str | None:
    """The ``fivetran_views`` setting: a schema name, ``true`` for ``linkedin_ads``, or off."""
    text = "" if value is None else str(value).strip()
    if text.lower() in ("", "false", "no", "0", "off"):
        return None
    if text.lower() in ("true", "yes", "1", "on"):
        return "linkedin_ads"
    if not text.replace("_", "").isalnum() or text[0].isdigit():
        raise ConfigError(f"Invalid fivetran_views {value!r} in [sources.linkedin]: name a schema (letters, digits "
                          "and underscores) or true for linkedin_ads.")
    return text


def _config_section() -> dict[str, object] | None:
    try:
        section: object = dlt.config.get("sources.linkedin")
    except Exception:
        return None
    return section if isinstance(section, dict) else None


def _refuse_empty_flags(**flags: str | None) -> None:
    """Refuse a flag given but empty (``--accounts ""``, ``--accounts ","``, ``--duckdb ""``): never "all"/default."""
    for name, value in flags.items():
        if value is None or value.replace(",", "").strip():
            continue
        flag = f"--{name}"
        if name == "duckdb":
            raise ConfigError(f"{flag} is empty: pass a DuckDB file path, or leave {flag} out for "
                              f"{DEFAULT_DUCKDB_PATH} in the current folder.")
        raise ConfigError(f"{flag} {value!r} lists no id: pass ids such as 123456,789012, or leave {flag} out to "
                          "select every one the token can see.")


def _check_version(value: str) -> str:
    if not (len(value) == 6 and value.isdigit()) and not (len(value) == 9 and value[6] == "." and
                                                            value.replace(".", "").isdigit()):
        raise ConfigError(f"Invalid --api-version {value!r}: use LinkedIn's YYYYMM form, e.g. {DEFAULT_API_VERSION}.")
    return value


def _check_dataset(value: str) -> str:
    if not value.replace("_", "").isalnum() or value[0].isdigit():
        raise ConfigError(f"Invalid --dataset {value!r}: use letters, digits and underscores, starting with a letter.")
    return value
