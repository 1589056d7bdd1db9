{% set src = source('lisync', 'creative_metadata') %}
select
    cast(id as {{ dbt.type_string() }}) as creative_id,
    cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    name as creative_name,
    intended_status,
    review_status,
    is_serving,
    reference as content_reference,
    {{ lisync_optional_column(src, 'landing_page', 'landing_page') }},
    created_at,
    last_modified_at
from {{ lisync_latest_versions(src) }}
