{{ config(enabled=var('lisync__using_followers', false)) }}
{# Organization page × snapshot day: the page's follower count (LinkedIn's networkSizes total), its organic and paid
   parts from the association-type facet, and the change since the page's previous snapshot. Snapshots are taken
   when lisync runs, so days between runs have no row. #}
with followers as (
    select * from {{ ref('stg_lisync__organization_followers') }}
), totals as (
    select snapshot_date, organization_urn, sum(followers) as followers
    from followers
    where facet = 'total'
    group by 1, 2
), by_association as (
    select
        snapshot_date,
        organization_urn,
        sum(organic_followers) as organic_followers,
        sum(paid_followers) as paid_followers
    from followers
    where facet = 'association_type'
    group by 1, 2
)
select
    totals.snapshot_date,
    totals.organization_urn,
    totals.followers,
    by_association.organic_followers,
    by_association.paid_followers,
    totals.followers - lag(totals.followers) over (
        partition by totals.organization_urn order by totals.snapshot_date) as follower_change,
    lag(totals.snapshot_date) over (
        partition by totals.organization_urn order by totals.snapshot_date) as previous_snapshot_date
from totals
left join by_association
    on by_association.snapshot_date = totals.snapshot_date
    and by_association.organization_urn = totals.organization_urn
