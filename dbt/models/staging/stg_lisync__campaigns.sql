{% set src = source('lisync', 'campaign_metadata') %}
select
    cast(id as {{ dbt.type_string() }}) as campaign_id,
    cast(campaign_group_id as {{ dbt.type_string() }}) as campaign_group_id,
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    name as campaign_name,
    status as campaign_status,
    type as campaign_type,
    objectivetype as objective_type,
    costtype as cost_type,
    format as campaign_format,
    dailybudget_amount as daily_budget_amount,
    totalbudget_amount as total_budget_amount,
    coalesce(totalbudget_currencycode, dailybudget_currencycode) as budget_currency,
    unitcost_amount as unit_cost_amount,
    runschedule_start as run_schedule_start,
    runschedule_end as run_schedule_end,
    changeauditstamps_created_time as created_at,
    changeauditstamps_lastmodified_time as last_modified_at
from {{ lisync_latest_versions(src) }}
