select
    metric_date as date_day,
    organization_urn,
    organization_name,
    cast(organicfollowergain as {{ dbt.type_bigint() }}) as organic_follower_gain,
    cast(paidfollowergain as {{ dbt.type_bigint() }}) as paid_follower_gain,
    cast(impressioncount as {{ dbt.type_bigint() }}) as impressions,
    cast(uniqueimpressionscount as {{ dbt.type_bigint() }}) as unique_impressions,
    cast(clickcount as {{ dbt.type_bigint() }}) as clicks,
    cast(likecount as {{ dbt.type_bigint() }}) as likes,
    cast(commentcount as {{ dbt.type_bigint() }}) as comments,
    cast(sharecount as {{ dbt.type_bigint() }}) as shares,
    cast(allpageviews as {{ dbt.type_bigint() }}) as page_views,
    cast(alluniquepageviews as {{ dbt.type_bigint() }}) as unique_page_views
from {{ source('lisync', 'organization_pages') }}
