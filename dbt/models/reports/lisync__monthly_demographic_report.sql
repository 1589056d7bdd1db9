{{ config(enabled=var('lisync__using_demographics', false)) }}
{# Campaign × demographic value × month, with the value's readable name. LinkedIn reports top values only, so
   a campaign's demographic rows need not add up to its totals. #}
with demo as (
    select * from {{ ref('stg_lisync__ad_demographics') }}
)
select
    demo.date_month,
    demo.account_id,
    demo.campaign_id,
    campaigns.campaign_name,
    demo.demographic_pivot,
    demo.demographic_value,
    coalesce(vals.value_name, demo.demographic_value) as value_name,
    vals.value_type,
    sum(demo.impressions) as impressions,
    sum(demo.clicks) as clicks,
    sum(demo.spend) as spend,
    sum(demo.spend_usd) as spend_usd,
    sum(demo.conversions) as conversions,
    sum(demo.leads) as leads,
    {{ lisync_safe_divide('sum(demo.clicks)', 'sum(demo.impressions)') }} as ctr,
    {{ lisync_safe_divide('sum(demo.spend)', 'sum(demo.clicks)') }} as cpc,
    {{ lisync_safe_divide('1000 * sum(demo.spend)', 'sum(demo.impressions)') }} as cpm
from demo
left join {{ ref('stg_lisync__campaigns') }} as campaigns on campaigns.campaign_id = demo.campaign_id
left join {{ ref('stg_lisync__demographic_values') }} as vals on vals.demographic_value = demo.demographic_value
group by 1, 2, 3, 4, 5, 6, 7, 8
