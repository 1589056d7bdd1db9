{# CTR, CPC and CPM of every campaign-day row are the ratios of that row's sums (never averaged ratios). #}
select *
from {{ ref('lisync__campaign_report') }}
where abs(coalesce(ctr, 0) - coalesce(cast(clicks as {{ lisync_double() }}) / nullif(impressions, 0), 0)) > 1e-9
   or abs(coalesce(cpc, 0) - coalesce(spend / nullif(clicks, 0), 0)) > 1e-6
   or abs(coalesce(cpm, 0) - coalesce(1000 * spend / nullif(impressions, 0), 0)) > 1e-6
