{{ config(enabled=var('lisync__using_leads', false)) }}
{# One row per submitted lead form, without the member's answers or URN (personal data stays in the raw tables). #}
select
    cast(id as {{ dbt.type_string() }}) as response_id,
    cast(form_id as {{ dbt.type_string() }}) as form_id,
    owner_urn,
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    organization_urn,
    lead_type,
    cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
    cast(creative_id as {{ dbt.type_string() }}) as creative_id,
    cast(form_version as {{ dbt.type_bigint() }}) as form_version,
    coalesce(is_test_lead, false) as is_test_lead,
    submitted_at,
    cast(submitted_at at time zone 'UTC' as date) as date_day
from {{ source('lisync', 'lead_form_responses') }}
