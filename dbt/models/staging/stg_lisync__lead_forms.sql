{{ config(enabled=var('lisync__using_leads', false)) }}
{# Lead Gen Forms (latest version of each), owned by an ad account or an organization. #}
select
    cast(id as {{ dbt.type_string() }}) as form_id,
    name as form_name,
    owner_urn,
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    organization_urn,
    state as form_state,
    locale,
    headline,
    cast(version_id as {{ dbt.type_bigint() }}) as form_version,
    created_at,
    last_modified_at
from {{ source('lisync', 'lead_forms') }}
