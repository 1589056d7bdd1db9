"""Renders `lisync report`: one self-contained HTML page with plotly charts that opens offline.

plotly.js is inlined once into the page (``include_plotlyjs=True`` on the first chart, none after), and no
chart uses a map, font or image from the network, so the page makes no request when opened. Names from the
warehouse are HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from lisync.errors import ConfigError
from lisync.warehouse.report_data import ReportData, TopEntity

PLOT_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": "hover"}
COLORS = {"spend": "#0a66c2", "impressions": "#5f9b41", "clicks": "#e16745", "conversions": "#8f5849"}

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; background: #f3f2ef;
        color: #1d2226; }}
header {{ background: #0a66c2; color: #fff; padding: 18px 32px; }}
header h1 {{ margin: 0; font-size: 22px; }} header p {{ margin: 4px 0 0; opacity: .85; }}
main {{ max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }}
section {{ background: #fff; border-radius: 8px; margin: 16px 0; padding: 12px 20px;
           box-shadow: 0 0 0 1px rgba(0,0,0,.08); }}
h2 {{ font-size: 17px; margin: 8px 0; }}
.kpis {{ display: flex; flex-wrap: wrap; gap: 12px; }}
.kpi {{ flex: 1 1 110px; background: #fff; border-radius: 8px; padding: 12px 16px;
        box-shadow: 0 0 0 1px rgba(0,0,0,.08); }}
.kpi b {{ display: block; font-size: 22px; }} .kpi span {{ color: #666; font-size: 13px; }}
table {{ border-collapse: collapse; width: 100%; font-size: 13px; }}
th, td {{ padding: 6px 8px; border-bottom: 1px solid #eee; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
.empty {{ color: #666; font-style: italic; }}
</style>
</head>
<body>
<header><h1>{title}</h1><p>{subtitle}</p></header>
<main>
{body}
</main>
</body>
</html>
"""


def _plotly() -> tuple[Any, Any, Any]:
    try:
        import plotly.graph_objects as go
        import plotly.io as pio
        from plotly.subplots import make_subplots
    except ModuleNotFoundError:
        raise ConfigError("lisync report needs plotly: pip install 'lisync[report]' (or pip install plotly).") from None
    return go, pio, make_subplots


def render_report(data: ReportData, generated: dt.datetime | None = None) -> str:
    """Return the report page for ``data`` as one HTML string.

    Raises:
        ConfigError: When plotly is not installed.
    """
    go, pio, make_subplots = _plotly()
    charts: list[Any] = []
    sections: list[str] = [_kpis(data)]

    if data.daily:
        days = [d.day for d in data.daily]
        fig = make_subplots(rows=2, cols=2, shared_xaxes=True, vertical_spacing=0.12,
                            subplot_titles=("Spend (USD)", "Impressions", "Clicks", "Conversions"))
        series = (("spend", [d.spend_usd for d in data.daily]), ("impressions", [d.impressions for d in data.daily]),
                  ("clicks", [d.clicks for d in data.daily]), ("conversions", [d.conversions for d in data.daily]))
        for i, (name, values) in enumerate(series):
            fig.add_trace(go.Scatter(x=days, y=values, name=name, mode="lines", line={"color": COLORS[name]}),
                          row=i // 2 + 1, col=i % 2 + 1)
        fig.update_layout(height=560, showlegend=False, margin={"t": 40, "l": 50, "r": 20, "b": 30})
        charts.append(("Ads over time", fig))
        charts.append(("Top campaigns by spend", _bar(go, data.top_campaigns, "campaign")))
        charts.append(("Top creatives by spend", _bar(go, data.top_creatives, "creative")))
    if data.followers:
        fig = go.Figure()
        for organization in sorted({p.organization for p in data.followers}):
            points = [p for p in data.followers if p.organization == organization]
            fig.add_trace(go.Scatter(x=[p.day for p in points], y=[p.followers for p in points], mode="lines",
                                     name=organization))
        label = "Followers gained since the first replicated day" if data.followers_are_gains else "Followers"
        fig.update_layout(height=380, yaxis_title=label, margin={"t": 20, "l": 60, "r": 20, "b": 30})
        charts.append(("Page followers over time", fig))

    inlined = False
    for title, fig in charts:
        div = pio.to_html(fig, include_plotlyjs=not inlined, full_html=False, config=PLOT_CONFIG)
        inlined = True
        sections.append(f"<section><h2>{html.escape(title)}</h2>{div}")
        if title == "Top campaigns by spend":
            sections[-1] += _table(data.top_campaigns, "Campaign")
        elif title == "Top creatives by spend":
            sections[-1] += _table(data.top_creatives, "Creative")
        sections[-1] += "</section>"
    for what, pipeline in data.missing.items():
        sections.append(f'<section><h2>{html.escape(what.title())}</h2><p class="empty">No data: replicate it '
                        f"with <code>lisync run {html.escape(pipeline)}</code>.</p></section>")

    when = (generated or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    period = f"{data.daily[0].day} to {data.daily[-1].day}" if data.daily else "no ad data"
    subtitle = f"Dataset {data.dataset} · {period} · generated {when}"
    return PAGE.format(title="LinkedIn report (lisync)", subtitle=html.escape(subtitle), body="\n".join(sections))


def write_report(data: ReportData, output: str | Path) -> Path:
    """Render the report and write it to ``output``; return the absolute path written.

    Raises:
        ConfigError: When plotly is missing or the file cannot be written.
    """
    path = Path(output).expanduser().resolve()
    text = render_report(data)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"Cannot write the report to {path}: {exc.strerror or exc}; pass another --output.") from None
    return path


def _kpis(data: ReportData) -> str:
    spend = sum(d.spend_usd for d in data.daily)
    impressions = sum(d.impressions for d in data.daily)
    clicks = sum(d.clicks for d in data.daily)
    conversions = sum(d.conversions for d in data.daily)
    items = [("Spend (USD)", f"{spend:,.2f}"), ("Impressions", f"{impressions:,}"), ("Clicks", f"{clicks:,}"),
             ("CTR", f"{clicks / impressions:.2%}" if impressions else "–"),
             ("CPC (USD)", f"{spend / clicks:,.2f}" if clicks else "–"),
             ("CPM (USD)", f"{1000 * spend / impressions:,.2f}" if impressions else "–"),
             ("Conversions", f"{conversions:,}")]
    cells = "".join(f"<div class=\"kpi\"><b>{value}</b><span>{label}</span></div>" for label, value in items)
    return f'<div class="kpis">{cells}</div>'


def _bar(go: Any, entities: list[TopEntity], kind: str) -> Any:
    ordered = list(reversed(entities))
    fig = go.Figure(go.Bar(x=[e.spend_usd for e in ordered], y=[f"{e.name} ({e.entity_id})" for e in ordered],
                           orientation="h", marker={"color": COLORS["spend"]}, name=f"spend by {kind}"))
    fig.update_layout(height=60 + 32 * max(len(ordered), 1), xaxis_title="Spend (USD)",
                      margin={"t": 10, "l": 10, "r": 20, "b": 40}, yaxis={"automargin": True})
    return fig


def _table(entities: list[TopEntity], label: str) -> str:
    head = (f"<tr><th>{label}</th><th>Spend (USD)</th><th>Impressions</th><th>Clicks</th><th>CTR</th>"
            "<th>CPC (USD)</th><th>Conversions</th></tr>")
    rows = "".join(
        f"<tr><td>{html.escape(e.name)}</td><td>{e.spend_usd:,.2f}</td><td>{e.impressions:,}</td>"
        f"<td>{e.clicks:,}</td><td>{'–' if e.ctr is None else f'{e.ctr:.2%}'}</td>"
        f"<td>{'–' if e.cpc is None else f'{e.cpc:,.2f}'}</td><td>{e.conversions:,}</td></tr>" for e in entities)
    return f"<table>{head}{rows}</table>"
