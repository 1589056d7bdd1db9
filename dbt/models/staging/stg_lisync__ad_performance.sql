{# Creative × day, the finest grain LinkedIn reports; every ad report sums these rows. #}
select
    metric_date as date_day,
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    cast(campaign_group_id as {{ dbt.type_string() }}) as campaign_group_id,
    cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
    cast(creative_id as {{ dbt.type_string() }}) as creative_id,
    cast(impressions as {{ dbt.type_bigint() }}) as impressions,
    cast(clicks as {{ dbt.type_bigint() }}) as clicks,
    cast(costinlocalcurrency as {{ lisync_double() }}) as spend,
    cast(costinusd as {{ lisync_double() }}) as spend_usd,
    cast(externalwebsiteconversions as {{ dbt.type_bigint() }}) as conversions,
    cast(conversionvalueinlocalcurrency as {{ lisync_double() }}) as conversion_value,
    cast(oneclickleads as {{ dbt.type_bigint() }}) as leads,
    cast(landingpageclicks as {{ dbt.type_bigint() }}) as landing_page_clicks,
    cast(totalengagements as {{ dbt.type_bigint() }}) as total_engagements,
    cast(videoviews as {{ dbt.type_bigint() }}) as video_views
from {{ source('lisync', 'ad_performance') }}
