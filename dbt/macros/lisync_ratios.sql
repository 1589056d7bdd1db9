{# Ratios computed from sums at the report's grain (never an average of per-row ratios). #}

{% macro lisync_safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as {{ lisync_double() }}) / nullif(cast({{ denominator }} as {{ lisync_double() }}), 0)
{%- endmacro %}

{% macro lisync_ad_ratios() -%}
    {{ lisync_safe_divide('sum(clicks)', 'sum(impressions)') }} as ctr,
    {{ lisync_safe_divide('sum(spend)', 'sum(clicks)') }} as cpc,
    {{ lisync_safe_divide('1000 * sum(spend)', 'sum(impressions)') }} as cpm,
    {{ lisync_safe_divide('sum(conversions)', 'sum(clicks)') }} as conversion_rate
{%- endmacro %}

{% macro lisync_ad_sums() -%}
    sum(impressions) as impressions,
    sum(clicks) as clicks,
    sum(spend) as spend,
    sum(spend_usd) as spend_usd,
    sum(conversions) as conversions,
    sum(conversion_value) as conversion_value,
    sum(leads) as leads,
    sum(landing_page_clicks) as landing_page_clicks,
    sum(total_engagements) as total_engagements,
    sum(video_views) as video_views
{%- endmacro %}
