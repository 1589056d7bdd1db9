"""Gathers the dlt resources of the selected pipelines' families into one source with lisync's schema.

A lisync *pipeline* is one of the spec's nine (named after its main table). Pipelines come in families
that share LinkedIn lookups: ``ads`` (entity tables), ``analytics`` (performance tables) and ``pages``
(organization pages and posts). Each family module exposes a ``build_resources(ctx, pipelines)`` that returns
dlt resources; a family whose module is not installed simply offers no pipelines.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable

import dlt
from dlt.extract.resource import DltResource
from dlt.extract.source import DltSource

from lisync import spec
from lisync.context import RunContext
from lisync.errors import ConfigError

__all__ = ["FAMILIES", "SCHEMA_NAME", "SCHEMA_NAMING", "available_pipelines", "build_source", "family_of",
           "new_schema"]

# family → (module with build_source, pipelines it serves)
FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "ads": ("lisync.linkedin.ads_family",
            ("ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata",
             "conversion_details")),
    "analytics": ("lisync.linkedin.analytics_family", ("ad_performance", "conversion_performance")),
    "pages": ("lisync.linkedin.pages_family", ("organization_pages", "organization_posts")),
}
SCHEMA_NAME = "linkedin"
SCHEMA_NAMING = "lisync.naming"


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
