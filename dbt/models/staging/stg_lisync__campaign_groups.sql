{% set src = source('lisync', 'campaign_group_metadata') %}
select
    cast(id as {{ dbt.type_string() }}) as campaign_group_id,
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    name as campaign_group_name,
    status as campaign_group_status,
    runschedule_start as run_schedule_start,
    runschedule_end as run_schedule_end,
    changeauditstamps_created_time as created_at,
    changeauditstamps_lastmodified_time as last_modified_at
from {{ lisync_latest_versions(src) }}
