{{ config(enabled=var('lisync__using_demographics', false)) }}
select
    demographic_value,
    value_type,
    nullif(name, '') as value_name
from {{ source('lisync', 'demographic_values') }}
