{{ config(enabled=var('lisync__using_video', false)) }}
{# Organization page × day over its organic video posts: videos watched, views and watch time; average watch time
   per view from the day's sums. Unique viewers do not add up across videos, so they stay in the staging model. #}
with videos as (
    select * from {{ ref('stg_lisync__organization_video_statistics') }}
)
select
    date_day,
    organization_urn,
    count(distinct case when video_views > 0 then post_id end) as videos_viewed,
    sum(video_views) as video_views,
    sum(time_watched_ms) / 1000.0 as seconds_watched,
    sum(time_watched_for_video_views_ms) / 1000.0 as seconds_watched_in_views,
    {{ lisync_safe_divide('sum(time_watched_for_video_views_ms) / 1000.0', 'sum(video_views)') }}
        as average_seconds_per_view
from videos
group by 1, 2
