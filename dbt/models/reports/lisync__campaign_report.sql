{# Campaign × day, summed from creative rows; ratios from the sums. #}
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
    perf.campaign_id,
    campaigns.campaign_name,
    campaigns.campaign_status,
    campaigns.objective_type,
    campaigns.cost_type,
    campaigns.daily_budget_amount,
    campaigns.total_budget_amount,
    campaigns.budget_currency,
    {{ lisync_ad_sums() }},
    {{ lisync_ad_ratios() }}
from perf
left join {{ ref('stg_lisync__accounts') }} as accounts on accounts.account_id = perf.account_id
left join {{ ref('stg_lisync__campaign_groups') }} as groups on groups.campaign_group_id = perf.campaign_group_id
left join {{ ref('stg_lisync__campaigns') }} as campaigns on campaigns.campaign_id = perf.campaign_id
group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14
