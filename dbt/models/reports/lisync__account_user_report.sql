{{ config(enabled=var('lisync__using_account_users', false)) }}
{# Ad account × role: how many members hold the role (no member is named here). #}
with users as (
    select * from {{ ref('stg_lisync__ad_account_users') }}
)
select
    users.account_id,
    accounts.account_name,
    users.role,
    count(*) as users,
    max(users.last_modified_at) as last_role_change_at
from users
left join {{ ref('stg_lisync__accounts') }} as accounts on accounts.account_id = users.account_id
group by 1, 2, 3
