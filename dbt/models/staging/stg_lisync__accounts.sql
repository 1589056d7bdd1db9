{% set src = source('lisync', 'ad_accounts') %}
select
    cast(id as {{ dbt.type_string() }}) as account_id,
    name as account_name,
    currency,
    status as account_status,
    type as account_type,
    reference as organization_urn,
    cast(to_timestamp(changeauditstamps__created / 1000.0) as {{ dbt.type_timestamp() }}) as created_at,
    cast(to_timestamp(changeauditstamps__lastmodified / 1000.0) as {{ dbt.type_timestamp() }}) as last_modified_at
from {{ lisync_latest_versions(src) }}
