"""The run's map as a PNG (matplotlib): commune outlines, the area, and the result features."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from shapely.geometry import shape  # noqa: E402

from scenarios.exports.mapdata import area_geometry, commune_outlines, features_with_colours  # noqa: E402
from scenarios.models import ScenarioRun  # noqa: E402
from scenarios.specs import ScenarioSpec  # noqa: E402


def _draw(ax, geometry, **style) -> None:
    kind = geometry.geom_type
    if kind.startswith("Multi") or kind == "GeometryCollection":
        for part in geometry.geoms:
            _draw(ax, part, **style)
    elif kind == "Polygon":
        x, y = geometry.exterior.xy
        ax.fill(x, y, alpha=style.get("alpha", 0.35), facecolor=style["color"], edgecolor=style["color"], linewidth=0.8)
    elif kind == "LineString":
        x, y = geometry.xy
        ax.plot(x, y, color=style["color"], linewidth=1.2)
    elif kind == "Point":
        ax.plot(geometry.x, geometry.y, "o", color=style["color"], markersize=3.5, markeredgewidth=0)


def render_png(run: ScenarioRun, spec: ScenarioSpec, width_in: float = 8.0) -> bytes:
    """The map image; the axes keep lon/lat proportions at the area's latitude."""
    fig, ax = plt.subplots(figsize=(width_in, width_in * 0.8), dpi=150)
    for name, outline in commune_outlines(run):
        for part in getattr(outline, "geoms", [outline]):
            x, y = part.exterior.xy
            ax.plot(x, y, color="#555555", linewidth=0.6)
        centre = outline.representative_point()
        ax.annotate(name, (centre.x, centre.y), fontsize=5, ha="center", color="#333333")
    drawn = area_geometry(run)
    if drawn:
        _draw(ax, shape(drawn), color="#fdae61", alpha=0.15)
    for _, geometry, colour in features_with_colours(run, spec):
        _draw(ax, geometry, color=colour)
    ax.set_aspect(1 / 0.98)  # about 1/cos(11°): degrees of longitude are shorter than of latitude here
    ax.set_xlabel("Kinh độ / longitude")
    ax.set_ylabel("Vĩ độ / latitude")
    ax.set_title(spec.title, fontsize=10)
    ax.tick_params(labelsize=6)
    out = io.BytesIO()
    fig.savefig(out, format="png", bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()
