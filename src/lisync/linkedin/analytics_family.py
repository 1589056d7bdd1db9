"""The ``analytics`` pipeline family: ad performance and conversion performance."""

from __future__ import annotations

from dlt.extract.resource import DltResource

from lisync.context import RunContext
from lisync.linkedin.ads_family import account_catalog, ensure_accounts
from lisync.linkedin.analytics import performance_resource


def build_resources(ctx: RunContext, pipelines: list[str]) -> list[DltResource]:
    """Return the performance resources for ``pipelines``."""
    ensure_accounts(ctx)
    catalog = account_catalog(ctx)
    catalog.want("campaigns", "creatives", "conversions")
    if "ad_performance" in pipelines:
        catalog.want("groups")
    return [performance_resource(ctx, catalog, table) for table in pipelines]
