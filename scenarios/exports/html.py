"""Offline HTML export: a folium map with Leaflet inlined from scenarios/vendor (no CDN), and the figures."""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path

import folium

from scenarios.exports import ALERT_COLUMNS, INDICATOR_COLUMNS, alert_rows, step_tables
from scenarios.exports.mapdata import area_geometry, commune_outlines, features_with_colours
from scenarios.models import ScenarioRun
from scenarios.specs import ScenarioSpec

VENDOR = Path(__file__).resolve().parent.parent / "vendor" / "leaflet"
PAGE_CSS = (
    "body{font-family:sans-serif;margin:0;display:flex;flex-direction:column}"
    ".folium-map{height:70vh!important;min-height:70vh;position:relative!important;order:0}.figures{order:1}"
    ".figures{padding:12px 20px;font-size:13px}table{border-collapse:collapse;margin:6px 0 14px}"
    "td,th{border:1px solid #bbb;padding:2px 6px}th{background:#e8eef7}"
)
MAX_ROWS = 200


@cache
def _leaflet() -> tuple[str, str]:
    return (VENDOR / "leaflet.js").read_text(encoding="utf-8"), (VENDOR / "leaflet.css").read_text(encoding="utf-8")


def tooltip_text(text: object) -> str:
    """Text for a folium tooltip: folium pastes it unescaped into a JavaScript template literal (`...`) that
    Leaflet then reads as HTML, so HTML specials and the characters that end or interpolate the literal
    (` $ \\) become character references, which the tooltip shows as typed."""
    escaped = escape(str(text))
    return escaped.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def _table(columns, rows) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in rows[:MAX_ROWS]
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def figures_html(run: ScenarioRun, spec: ScenarioSpec) -> str:
    """The figures, alerts and indicator misses as HTML tables."""
    parts = [
        f"<h1>{escape(spec.title)} <small>({escape(spec.title_en)})</small></h1>",
        f"<p>Lượt chạy {run.id} · {escape(run.level)} · {run.created_at:%d/%m/%Y %H:%M} · "
        f"vùng: {escape(str(run.area.get('type')))} · tham số: {escape(str(run.params))}</p>",
    ]
    for table in step_tables(run, spec):
        totals = "; ".join(f"{k}: {v}" for k, v in table["totals"].items())
        parts.append(f"<h2>{escape(table['title'])}</h2><p class='totals'>{escape(totals)}</p>")
        if table["rows"]:
            parts.append(_table(table["headers"], table["rows"]))
    alerts, misses = alert_rows(run)
    parts.append(f"<h2>Cảnh báo ({len(alerts)})</h2>" + _table(ALERT_COLUMNS, alerts))
    parts.append(f"<h2>Chỉ tiêu chưa đạt ({len(misses)})</h2>" + _table(INDICATOR_COLUMNS, misses))
    return "<div class='figures'>" + "".join(parts) + "</div>"


def build_map(run: ScenarioRun, spec: ScenarioSpec) -> folium.Map:
    """A folium map without base tiles (offline): commune outlines, the drawn area, result features."""
    fmap = folium.Map(tiles=None, control_scale=True, prefer_canvas=True)
    fmap.default_js, fmap.default_css = [], []  # Leaflet is inlined below instead of loaded from CDNs
    bounds = []
    for name, outline in commune_outlines(run):
        folium.GeoJson(
            outline.__geo_interface__,
            tooltip=tooltip_text(name),
            style_function=lambda _: {"color": "#555", "weight": 1, "fillOpacity": 0.03},
        ).add_to(fmap)
        minx, miny, maxx, maxy = outline.bounds
        bounds += [[miny, minx], [maxy, maxx]]
    if area_geometry(run):
        folium.GeoJson(area_geometry(run), style_function=lambda _: {"color": "#f46d43", "fillOpacity": 0.08}).add_to(
            fmap
        )
    for feature, geometry, colour in features_with_colours(run, spec):
        label = tooltip_text(", ".join(f"{k}: {v}" for k, v in feature["properties"].items() if k != "step"))
        if geometry.geom_type == "Point":
            folium.CircleMarker(
                [geometry.y, geometry.x], radius=4, color=colour, fill=True, fill_opacity=0.9, weight=1, tooltip=label
            ).add_to(fmap)
        else:
            folium.GeoJson(
                feature["geometry"],
                tooltip=label,
                style_function=lambda _, c=colour: {"color": c, "weight": 2, "fillOpacity": 0.4},
            ).add_to(fmap)
        minx, miny, maxx, maxy = geometry.bounds
        bounds += [[miny, minx], [maxy, maxx]]
    if bounds:
        fmap.fit_bounds(
            [
                [min(b[0] for b in bounds), min(b[1] for b in bounds)],
                [max(b[0] for b in bounds), max(b[1] for b in bounds)],
            ]
        )
    return fmap


def render(run: ScenarioRun, spec: ScenarioSpec) -> bytes:
    """One self-contained HTML page: inlined Leaflet, the map, and the figures below it."""
    fmap = build_map(run, spec)
    js, css = _leaflet()
    root = fmap.get_root()
    root.header.add_child(
        folium.Element(f"<style>{css}\n{PAGE_CSS}</style>\n<script>{js}</script>"), name="leaflet_inline"
    )
    root.html.add_child(folium.Element(figures_html(run, spec)), name="figures")
    return root.render().encode("utf-8")
