{{ config(enabled=var('lisync__using_leads', false)) }}
{# Lead form × day (UTC, by submission time): leads received, split into ad leads (with the campaign that collected
   them), organic leads and Campaign Manager test leads. #}
with responses as (
    select * from {{ ref('stg_lisync__lead_form_responses') }}
)
select
    responses.date_day,
    responses.form_id,
    forms.form_name,
    forms.form_state,
    responses.owner_urn,
    responses.account_id,
    responses.organization_urn,
    responses.campaign_id,
    campaigns.campaign_name,
    responses.lead_type,
    sum(case when responses.is_test_lead then 0 else 1 end) as leads,
    sum(case when responses.is_test_lead then 1 else 0 end) as test_leads
from responses
left join {{ ref('stg_lisync__lead_forms') }} as forms on forms.form_id = responses.form_id
left join {{ ref('stg_lisync__campaigns') }} as campaigns on campaigns.campaign_id = responses.campaign_id
group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
