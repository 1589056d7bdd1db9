{% set src = source('lisync', 'creative_metadata') %}
{# The landing page comes from creative_landing_pages (text ads, spotlight ads, and sponsored content from the post it
   sponsors). Without that table (not replicated, or var lisync__using_landing_pages false) it is NULL. #}
{% if var('lisync__using_landing_pages', true) %}
    {% set pages = source('lisync', 'creative_landing_pages') %}
    {% set with_pages = lisync_relation_exists(pages) %}
{% else %}
    {% set with_pages = false %}
{% endif %}
with creatives as (
    select * from {{ lisync_latest_versions(src) }}
)
select
    cast(creatives.id as {{ dbt.type_string() }}) as creative_id,
    cast(creatives.campaign_id as {{ dbt.type_string() }}) as campaign_id,
    cast(creatives.account_id as {{ dbt.type_string() }}) as account_id,
    creatives.name as creative_name,
    creatives.intended_status,
    creatives.review_status,
    creatives.is_serving,
    creatives.reference as content_reference,
    {% if with_pages -%}
    cast(pages.landing_page as {{ dbt.type_string() }}) as landing_page,
    cast(pages.content_type as {{ dbt.type_string() }}) as landing_page_type,
    {%- else -%}
    cast(null as {{ dbt.type_string() }}) as landing_page,
    cast(null as {{ dbt.type_string() }}) as landing_page_type,
    {%- endif %}
    creatives.created_at,
    creatives.last_modified_at
from creatives
{% if with_pages -%}
left join {{ pages }} as pages on pages.creative_id = cast(creatives.id as {{ dbt.type_string() }})
{%- endif %}
