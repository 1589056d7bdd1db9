{# Helpers for sources whose optional columns depend on how lisync ran (entity history, extensions). #}

{% macro lisync_has_column(relation, column) -%}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {{ return(column | lower in names) }}
{%- endmacro %}

{# The current version of each entity: with entity history (dlt's scd2 columns) the open version only. #}
{% macro lisync_current_versions(relation) -%}
    {%- if lisync_has_column(relation, '_dlt_valid_to') -%} where _dlt_valid_to is null {%- endif -%}
{%- endmacro %}

{# A column if the table has it, else a typed NULL. #}
{% macro lisync_optional_column(relation, column, alias, type=none) -%}
    {%- if lisync_has_column(relation, column) -%}
        cast({{ column }} as {{ type or dbt.type_string() }}) as {{ alias }}
    {%- else -%}
        cast(null as {{ type or dbt.type_string() }}) as {{ alias }}
    {%- endif -%}
{%- endmacro %}

{# One query-string parameter of a URL (NULL when absent). #}
{% macro lisync_url_parameter(url, name) -%}
    {{ return(adapter.dispatch('lisync_url_parameter', 'lisync')(url, name)) }}
{%- endmacro %}

{% macro default__lisync_url_parameter(url, name) -%}
    nullif(substring({{ url }} from '[?&]{{ name }}=([^&#]*)'), '')
{%- endmacro %}

{% macro duckdb__lisync_url_parameter(url, name) -%}
    nullif(regexp_extract({{ url }}, '[?&]{{ name }}=([^&#]*)', 1), '')
{%- endmacro %}

{# Double precision on every warehouse (dbt's type_float is a 4-byte REAL on DuckDB). #}
{% macro lisync_double() -%}double precision{%- endmacro %}
