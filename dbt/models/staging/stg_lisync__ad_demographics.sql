{{ config(enabled=var('lisync__using_demographics', false)) }}
select
    metric_date as date_month,
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
    demographic_pivot,
    demographic_value,
    cast(impressions as {{ dbt.type_bigint() }}) as impressions,
    cast(clicks as {{ dbt.type_bigint() }}) as clicks,
    cast(costinlocalcurrency as {{ lisync_double() }}) as spend,
    cast(costinusd as {{ lisync_double() }}) as spend_usd,
    cast(externalwebsiteconversions as {{ dbt.type_bigint() }}) as conversions,
    cast(oneclickleads as {{ dbt.type_bigint() }}) as leads
from {{ source('lisync', 'ad_demographics') }}
where granularity = 'MONTHLY'
