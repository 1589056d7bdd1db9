{# Organization page × day: follower gains (and their running total from the first replicated day),
   impressions, engagement and page views; engagement rate from the day's sums. #}
with pages as (
    select * from {{ ref('stg_lisync__organization_pages') }}
), daily as (
    select
        date_day,
        organization_urn,
        max(organization_name) as organization_name,
        sum(organic_follower_gain) as organic_follower_gain,
        sum(paid_follower_gain) as paid_follower_gain,
        sum(organic_follower_gain + paid_follower_gain) as follower_gain,
        sum(impressions) as impressions,
        sum(unique_impressions) as unique_impressions,
        sum(clicks) as clicks,
        sum(likes) as likes,
        sum(comments) as comments,
        sum(shares) as shares,
        sum(page_views) as page_views,
        sum(unique_page_views) as unique_page_views
    from pages
    group by 1, 2
)
select
    daily.*,
    sum(follower_gain) over (partition by organization_urn order by date_day
                             rows between unbounded preceding and current row) as cumulative_follower_gain,
    {{ lisync_safe_divide('clicks + likes + comments + shares', 'impressions') }} as engagement_rate
from daily
