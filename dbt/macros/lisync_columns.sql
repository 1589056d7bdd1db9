{# Helpers for sources whose optional columns depend on how lisync ran (entity history, extensions). #}

{% macro lisync_has_column(relation, column) -%}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {{ return(column | lower in names) }}
{%- endmacro %}

{# The latest version of each entity. With entity history (`lisync run --history`: dlt scd2 columns valid_from and
   valid_to) the table holds every version; an entity LinkedIn no longer lists keeps its closed last version,
   so ads that ran under it still find their entity. Without history the table itself. Use in a FROM clause. #}
{% macro lisync_latest_versions(relation, key='id') -%}
    {%- if lisync_has_column(relation, 'valid_from') -%}
    (
        select versions.*
        from {{ relation }} as versions
        join (
            select {{ key }} as latest_key, max(valid_from) as latest_from
            from {{ relation }}
            group by {{ key }}
        ) as latest on latest.latest_key = versions.{{ key }} and latest.latest_from = versions.valid_from
    ) as latest_versions
    {%- else -%}
    {{ relation }}
    {%- endif -%}
{%- endmacro %}

{# Whether a relation exists in the warehouse (false while dbt parses). A model reads an optional lisync table only
   when it was replicated, so one `lisync run` without that pipeline does not break the build. #}
{% macro lisync_relation_exists(relation) -%}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {{ return(adapter.get_relation(database=relation.database, schema=relation.schema,
                                   identifier=relation.identifier) is not none) }}
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
