{{ config(enabled=var('lisync__using_followers', false)) }}
{# Organization page × snapshot day × facet value (seniority, industry, function, staff count range, geo, association
   type): followers with that value and their share of the page's follower count on that day. #}
with followers as (
    select * from {{ ref('stg_lisync__organization_followers') }}
), totals as (
    select snapshot_date, organization_urn, sum(followers) as page_followers
    from followers
    where facet = 'total'
    group by 1, 2
)
select
    followers.snapshot_date,
    followers.organization_urn,
    followers.facet,
    followers.facet_value,
    followers.organic_followers,
    followers.paid_followers,
    followers.followers,
    totals.page_followers,
    {{ lisync_safe_divide('followers.followers', 'totals.page_followers') }} as share_of_followers
from followers
left join totals
    on totals.snapshot_date = followers.snapshot_date
    and totals.organization_urn = followers.organization_urn
where followers.facet <> 'total'
