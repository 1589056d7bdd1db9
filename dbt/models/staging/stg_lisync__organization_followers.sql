{{ config(enabled=var('lisync__using_followers', false)) }}
{# One row per organization, snapshot day, facet and facet value: lifetime follower counts as LinkedIn reported them
   on the day lisync ran (facet 'total' holds the page's follower count). #}
select
    snapshot_date,
    organization_urn,
    facet,
    facet_value,
    cast(organic_follower_count as {{ dbt.type_bigint() }}) as organic_followers,
    cast(paid_follower_count as {{ dbt.type_bigint() }}) as paid_followers,
    cast(follower_count as {{ dbt.type_bigint() }}) as followers
from {{ source('lisync', 'organization_followers') }}
