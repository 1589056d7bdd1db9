"""Turn the CLI's flags (falling back to dlt config and the environment) into validated :class:`RunSettings`."""

from __future__ import annotations

import os

from lisync import config
from lisync.config import RunSettings
from lisync.errors import ConfigError
from lisync.linkedin.retry import RetryPolicy
from lisync.settings import DEFAULT_API_BASE_URL, DEFAULT_API_VERSION, DEFAULT_DATASET, DEFAULT_DUCKDB_PATH
from lisync.shards import restrict_to_shard

__all__ = ["build_settings"]


def build_settings(
    pipelines: list[str] | None,
    *,
    start_date: str | None,
    update_window_days: str | None,
    accounts: str | None,
    organizations: str | None,
    destination: str | None,
    duckdb: str | None,
    dataset: str | None,
    api_base_url: str | None,
    api_version: str | None,
    access_token: str | None,
    pipeline_name: str | None = None,
    pipelines_dir: str | None = None,
    period: str | None = None,
    keep_metrics_history: bool | None = None,
    posts_replication: str | None = None,
    destination_credentials: str | None = None,
    strict: bool | None = None,
    max_workers: str | None = None,
    shard: str | None = None,
) -> RunSettings:
    """Turn CLI flags (falling back to dlt config and env) into validated :class:`RunSettings`.

    Raises:
        ConfigError: For any invalid value, naming it and the fix.
    """
    config.check_config_keys(_config_section())

    def pick(flag_value: object, key: str) -> object:
        return flag_value if flag_value not in (None, "") else config.config_value(key)

    workers = config.parse_workers(pick(max_workers, "max_workers"))
    return restrict_to_shard(RunSettings(
        pipelines=config.parse_pipelines(pipelines or []),
        access_token=config.resolve_access_token(access_token),
        api_base_url=str(pick(api_base_url, "api_base_url") or DEFAULT_API_BASE_URL).rstrip("/"),
        api_version=_check_version(str(pick(api_version, "api_version") or DEFAULT_API_VERSION)),
        account_ids=config.parse_ids(pick(accounts, "account_ids"), "account", "sponsoredAccount"),
        organization_ids=config.parse_ids(pick(organizations, "organization_ids"), "organization", "organization"),
        start_date=config.parse_date(pick(start_date, "start_date")),
        update_window_days=config.parse_window(pick(update_window_days, "update_window_days")),
        destination=destination or os.environ.get("LISYNC_DESTINATION") or "duckdb",
        destination_credentials=(destination_credentials or os.environ.get("LISYNC_DESTINATION_CREDENTIALS")
                                 or None),
        duckdb_path=duckdb or os.environ.get("LISYNC_DUCKDB_PATH") or DEFAULT_DUCKDB_PATH,
        dataset=_check_dataset(dataset or os.environ.get("LISYNC_DATASET") or DEFAULT_DATASET),
        pipeline_name=pipeline_name,
        pipelines_dir=pipelines_dir,
        extras={
            "period": config.parse_choice(pick(period, "period") or "day", "--period", config.PERIODS),
            "keep_metrics_history": config.parse_bool(
                keep_metrics_history if keep_metrics_history is not None else config.config_value(
                    "keep_metrics_history"), "--keep-metrics-history"),
            "posts_replication": config.parse_choice(pick(posts_replication, "posts_replication") or "incremental",
                                                     "--posts-replication", config.POSTS_REPLICATION),
        },
        strict=config.parse_bool(strict if strict is not None else config.config_value("strict"), "--strict"),
        retry_policy=RetryPolicy(max_concurrency=workers) if workers else RetryPolicy(),
        shard=config.parse_shard(shard),
    ))


def _config_section() -> dict[str, object] | None:
    try:
        import dlt

        section: object = dlt.config.get("sources.linkedin")
    except Exception:
        return None
    return section if isinstance(section, dict) else None


def _check_version(value: str) -> str:
    if not (len(value) == 6 and value.isdigit()) and not (len(value) == 9 and value[6] == "." and
                                                            value.replace(".", "").isdigit()):
        raise ConfigError(f"Invalid --api-version {value!r}: use LinkedIn's YYYYMM form, e.g. {DEFAULT_API_VERSION}.")
    return value


def _check_dataset(value: str) -> str:
    if not value.replace("_", "").isalnum() or value[0].isdigit():
        raise ConfigError(f"Invalid --dataset {value!r}: use letters, digits and underscores, starting with a letter.")
    return value
