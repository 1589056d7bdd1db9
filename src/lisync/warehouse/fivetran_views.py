"""Creates the Fivetran-compatible LinkedIn views in a DuckDB or PostgreSQL destination.

Each view of :data:`~lisync.warehouse.fivetran_catalog.FIVETRAN_VIEWS` is built from its first candidate
source whose tables and columns exist in lisync's dataset; a view without one is left out and reported
as disabled, with the Fivetran package variable to set. Views are replaced in place (``CREATE OR
REPLACE``); when PostgreSQL refuses because the columns changed, the view is dropped and created again
(which fails, with the dependent objects named by PostgreSQL, if other views depend on it).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from lisync.errors import ConfigError
from lisync.warehouse.fivetran_catalog import FIVETRAN_VIEWS, FivetranView, Source, view_select

log = logging.getLogger("lisync")

DEFAULT_VIEWS_SCHEMA = "linkedin_ads"  # where Fivetran's dbt package looks by default (var linkedin_ads_schema)
SCHEMA_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
COLUMNS_SQL = "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s"


@dataclass(frozen=True)
class ViewOutcome:
    """What happened to one view.

    Attributes:
        name: The view name (Fivetran's table name).
        created: Whether the view now exists.
        detail: The source's meaning when created; why it is disabled otherwise.
    """

    name: str
    created: bool
    detail: str


def check_schema_name(schema: str) -> str:
    """Return ``schema`` if it is a plain identifier.

    Raises:
        ConfigError: For anything else.
    """
    if not SCHEMA_PATTERN.match(schema):
        raise ConfigError(f"Invalid --schema {schema!r}: use letters, digits and underscores, starting with a "
                          "letter or underscore (at most 63).")
    return schema


def landed_columns(client: Any, dataset: str) -> dict[str, set[str]]:
    """Return lisync's tables in ``dataset`` with their columns (lower case)."""
    rows = client.execute_sql(COLUMNS_SQL, dataset) or []
    tables: dict[str, set[str]] = {}
    for table, column in rows:
        tables.setdefault(str(table).lower(), set()).add(str(column).lower())
    return tables


def choose_source(view: FivetranView, landed: dict[str, set[str]]) -> Source | None:
    """Return the first source of ``view`` whose tables and columns all exist, else ``None``."""
    for source in view.sources:
        if all(table in landed and set(columns) <= landed[table] for table, columns in source.tables.items()):
            return source
    return None


def disabled_reason(view: FivetranView, landed: dict[str, set[str]]) -> str:
    """Say why ``view`` has no source and how to disable the Fivetran models that read it."""
    wanted = []
    for source in view.sources:
        for table, columns in source.tables.items():
            lacking = sorted(set(columns) - landed.get(table, set()))
            wanted.append(table if table not in landed else f"{table} (columns {', '.join(lacking)})")
    reason = f"needs lisync table {' or '.join(wanted)}: replicate it with `lisync run`"
    if view.using_variable:
        reason += f"; in Fivetran's dbt package set var {view.using_variable}: false"
    return reason


def create_fivetran_views(client: Any, dataset: str, schema: str) -> list[ViewOutcome]:
    """Create (or replace) every Fivetran view whose source exists.

    Args:
        client: A dlt SQL client on the destination (DuckDB or PostgreSQL), opened.
        dataset: The schema holding lisync's tables.
        schema: The schema to create the views in.

    Returns:
        One outcome per Fivetran view, in Fivetran's order.

    Raises:
        ConfigError: When the dataset holds no lisync table at all (nothing was replicated there).
    """
    check_schema_name(schema)
    landed = landed_columns(client, dataset)
    if not any(table in landed for view in FIVETRAN_VIEWS for source in view.sources for table in source.tables):
        raise ConfigError(f"No lisync tables in dataset {dataset!r}: run `lisync run` into it first (or pass the "
                          "--dataset, --duckdb or --destination-credentials of that run).")
    client.execute_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    outcomes = []
    for view in FIVETRAN_VIEWS:
        source = choose_source(view, landed)
        if source is None:
            outcomes.append(ViewOutcome(view.name, False, disabled_reason(view, landed)))
            continue
        first = next(iter(source.tables))
        select = view_select(view, source, f'"{dataset}"', landed[first])
        _replace_view(client, f'"{schema}"."{view.name}"', select)
        outcomes.append(ViewOutcome(view.name, True, source.note))
    log.info("Fivetran views in %s: %s", schema, ", ".join(o.name for o in outcomes if o.created))
    return outcomes


def _replace_view(client: Any, qualified: str, select: str) -> None:
    try:
        with client.begin_transaction():
            client.execute_sql(f"CREATE OR REPLACE VIEW {qualified} AS\n{select}")
    except Exception as exc:  # PostgreSQL cannot change a view's columns in place
        log.info("Recreating %s (%s)", qualified, str(exc).strip().splitlines()[0] if str(exc).strip() else exc)
        with client.begin_transaction():
            client.execute_sql(f"DROP VIEW IF EXISTS {qualified}")
            client.execute_sql(f"CREATE VIEW {qualified} AS\n{select}")


SUPPORTED_DESTINATIONS = ("duckdb", "postgres")


def create_views_in_destination(pipeline: Any, schema: str = DEFAULT_VIEWS_SCHEMA) -> list[ViewOutcome]:
    """Create the Fivetran views in the destination of ``pipeline``, over its dataset.

    Args:
        pipeline: A dlt pipeline on the destination lisync loaded (``lisync.run.pipeline.make_pipeline``).
        schema: The schema to create the views in.

    Returns:
        One outcome per Fivetran view.

    Raises:
        ConfigError: For a destination other than DuckDB or PostgreSQL, a bad schema name or a dataset
            without lisync tables.
    """
    check_schema_name(schema)
    kind = getattr(pipeline.destination, "destination_name", None)
    if kind not in SUPPORTED_DESTINATIONS:
        raise ConfigError(f"Fivetran views need a DuckDB or PostgreSQL destination, not {kind!r}.")
    with pipeline.sql_client() as client:
        return create_fivetran_views(client, pipeline.dataset_name, schema)


def refresh_after_run(pipeline: Any, schema: str) -> list[ViewOutcome]:
    """Recreate the Fivetran views after a committed load (setting ``fivetran_views``); never fails the run.

    Args:
        pipeline: The dlt pipeline that just loaded.
        schema: The views' schema.

    Returns:
        The outcomes, or an empty list when the views could not be made (logged as a warning).
    """
    try:
        return create_views_in_destination(pipeline, schema)
    except Exception as exc:  # the data is committed: views are a convenience on top
        log.warning("Fivetran views in %s were not refreshed: %s", schema, str(exc).strip().splitlines()[0]
                    if str(exc).strip() else type(exc).__name__)
        return []
