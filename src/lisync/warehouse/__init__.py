"""What lisync builds in the destination after loading: Fivetran-compatible views, dbt sources, the HTML report.

Modules:
    fivetran_catalog: the Fivetran LinkedIn Ad Analytics views as data (columns, types, SQL over lisync tables).
    fivetran_views: create those views in DuckDB or PostgreSQL, disabling the ones whose source is missing.
    dbt_sources: render the dbt project's sources file from the table contract.
    report_data / report_html / report: read the report's numbers, render the self-contained page, write it.

Nothing here opens a destination by itself: callers pass a dlt pipeline (or its SQL client) on it.
"""
