{# Campaign group × day, summed from creative rows; ratios from the sums. #}
with perf as (
    select * from {{ ref('stg_lisync__ad_performance') }}
)
select
    perf.date_day,
    perf.account_id,
    accounts.account_name,
    accounts.currency,
    perf.campaign_group_id,
    groups.campaign_group_name,
    groups.campaign_group_status,
    {{ lisync_ad_sums() }},
    {{ lisync_ad_ratios() }}
from perf
left join {{ ref('stg_lisync__accounts') }} as accounts on accounts.account_id = perf.account_id
left join {{ ref('stg_lisync__campaign_groups') }} as groups on groups.campaign_group_id = perf.campaign_group_id
group by 1, 2, 3, 4, 5, 6, 7
