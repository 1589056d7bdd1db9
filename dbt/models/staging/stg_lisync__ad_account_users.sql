{{ config(enabled=var('lisync__using_account_users', false)) }}
{# Who holds which role on each ad account. user_urn is a member URN (personal data; no name or email is read). #}
select
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    user_urn,
    role,
    created_time as created_at,
    last_modified_time as last_modified_at
from {{ source('lisync', 'ad_account_users') }}
