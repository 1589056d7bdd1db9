{{ config(enabled=var('lisync__using_landing_pages', true)) }}
{# Creative × day for creatives with a landing page, with the URL split into host, path and UTM parameters. #}
with creatives as (
    select * from {{ ref('stg_lisync__creatives') }} where landing_page is not null
), perf as (
    select
        perf.*,
        creatives.landing_page,
        creatives.landing_page_type,
        creatives.creative_name,
        split_part(split_part(split_part(creatives.landing_page, '://', 2), '?', 1), '#', 1) as host_and_path
    from {{ ref('stg_lisync__ad_performance') }} as perf
    join creatives on creatives.creative_id = perf.creative_id
)
select
    date_day,
    account_id,
    campaign_id,
    creative_id,
    creative_name,
    landing_page,
    landing_page_type,
    split_part(landing_page, '?', 1) as base_url,
    split_part(host_and_path, '/', 1) as url_host,
    coalesce(nullif(substr(host_and_path, length(split_part(host_and_path, '/', 1)) + 1), ''), '/') as url_path,
    {{ lisync_url_parameter('landing_page', 'utm_source') }} as utm_source,
    {{ lisync_url_parameter('landing_page', 'utm_medium') }} as utm_medium,
    {{ lisync_url_parameter('landing_page', 'utm_campaign') }} as utm_campaign,
    {{ lisync_url_parameter('landing_page', 'utm_content') }} as utm_content,
    {{ lisync_url_parameter('landing_page', 'utm_term') }} as utm_term,
    {{ lisync_ad_sums() }},
    {{ lisync_ad_ratios() }}
from perf
group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
