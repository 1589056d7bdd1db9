{# Generic tests written in this project (no dbt hub package). #}

{# Rows are unique on a combination of columns. #}
{% test lisync_unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

{# The model's totals equal another relation's totals (column lists pair up by position). #}
{% test lisync_totals_match(model, compare_to, columns, compare_columns=none, compare_where=none,
                            tolerance=none) %}
{%- set theirs = compare_columns or columns -%}
{%- set tol = tolerance if tolerance is not none else var('lisync__reconcile_tolerance', 0.01) -%}
with ours as (
    select
    {%- for c in columns %}
        coalesce(sum(cast({{ c }} as {{ lisync_double() }})), 0) as m{{ loop.index }}{{ "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
), theirs as (
    select
    {%- for c in theirs %}
        coalesce(sum(cast({{ c }} as {{ lisync_double() }})), 0) as r{{ loop.index }}{{ "," if not loop.last }}
    {%- endfor %}
    from {{ compare_to }}
    {% if compare_where %}where {{ compare_where }}{% endif %}
)
select *
from ours cross join theirs
where
{%- for c in columns %}
    abs(m{{ loop.index }} - r{{ loop.index }}) > {{ tol }}{{ " or" if not loop.last }}
{%- endfor %}
{% endtest %}
