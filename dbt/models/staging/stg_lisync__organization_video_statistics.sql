{{ config(enabled=var('lisync__using_video', false)) }}
{# Organic video post × day (LinkedIn videoAnalytics, aggregation DAY). #}
select
    metric_date as date_day,
    post_id,
    organization_urn,
    cast(video_views as {{ dbt.type_bigint() }}) as video_views,
    cast(viewers as {{ dbt.type_bigint() }}) as viewers,
    cast(time_watched_ms as {{ lisync_double() }}) as time_watched_ms,
    cast(time_watched_for_video_views_ms as {{ lisync_double() }}) as time_watched_for_video_views_ms
from {{ source('lisync', 'organization_video_statistics') }}
