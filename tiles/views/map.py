"""The operations workspace at / (MapLibre GL JS vendored under static/vendor/, front end as ES modules)."""

from __future__ import annotations

import json
from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from layers.catalogue import visible_layers
from layers.registry import GROUPS, registry
from mapserver.principal import Principal
from tiles.glyphs import MARKER_RANGES
from tiles.modulegraph import static_imports
from tiles.style_layers import FONT, LAYER_STYLES

ENTRY_MODULE = "map/map.js"
# Modules other apps may ship to extend the map (e.g. camera popups that play HLS); loaded only if present.
EXTENSION_MODULES = ("cameras/camera-popup.js",)

# The work panels each role gets (the server enforces access again on every request; this only hides tabs).
STAFF = ("admin", "leader", "planner", "department_staff", "commune_staff")
PANELS = {
    "analysis": STAFF,
    "scenarios": STAFF,
    "inbox": ("admin", "leader", "planner", "department_staff", "commune_staff"),
    "overview": STAFF,
    "indicators": STAFF,
    "cameras": STAFF,  # the camera wall (the cameras layer's own access decides which cameras, if any)
    "entry": ("admin", "department_staff", "commune_staff"),  # indicator entry by the units that own the figures
}

# Time-based layers that get a date-range control in the layer panel, with the default range in days back from
# today (None: no default range). The attribute filtered on is the layer's own datetime_field.
TIME_FILTERS = {"incidents": 90, "field_reports": 90, "land_use_changes": None}


def time_filters() -> list[dict]:
    """The date-range controls of the layer panel: layer, attribute, its kind (date or datetime), default days."""
    found = []
    for layer_id, days in TIME_FILTERS.items():
        spec = registry.get(layer_id)
        if spec is None or not spec.datetime_field:
            continue
        kind = spec.attribute(spec.datetime_field).kind
        found.append({"layer": layer_id, "field": spec.datetime_field, "kind": kind, "defaultDays": days})
    return found


@cache
def marker_layers() -> frozenset[str]:
    """The layers whose style draws glyphs of the marker ranges (tiles.style_layers.marker); read once."""
    ranges = [range(start, start + 256) for start in MARKER_RANGES]
    found = set()
    for layer_id, styles in LAYER_STYLES.items():
        text = json.dumps([body.get("layout", {}).get("text-field") for _, body in styles], ensure_ascii=False)
        if any(ord(char) in span for char in set(text) for span in ranges):
            found.add(layer_id)
    return frozenset(found)


def marker_glyphs(principal: Principal) -> list[str]:
    """The static paths of the glyph ranges the point markers are drawn with, when a layer this viewer sees on
    opening the map draws with them."""
    if any(spec.visible and spec.id in marker_layers() for spec, _ in visible_layers(principal)):
        return [f"fonts/{FONT[0]}/{start}-{start + 255}.pbf" for start in MARKER_RANGES]
    return []


def panels_for(role: str | None) -> list[str]:
    """The work panels shown to a role, in tab order."""
    return [panel for panel, roles in PANELS.items() if role in roles]


@require_GET
@ensure_csrf_cookie  # the panels' session writes send it back as X-CSRFToken
def operations_map(request: HttpRequest) -> HttpResponse:
    """The map page: layer panel, legends, popups, commune search, Vietnamese/English, the role's work panels."""
    principal = request.principal
    config = {
        "styleUrl": "/styles/operations.json",
        "layersUrl": "/api/layers",
        "communesUrl": "/api/communes.geojson",
        "itemsUrl": "/ogcapi/collections/{layer}/items/{id}",
        "user": principal.username,
        "role": principal.role,
        "groups": {gid: {"vi": vi, "en": en} for gid, (vi, en) in GROUPS.items()},
        "panels": panels_for(principal.role) if principal.username else [],
        "timeFilters": time_filters(),
    }
    extensions = [module for module in EXTENSION_MODULES if finders.find(module)]
    context = {
        "config": config,
        "extensions": extensions,
        "entry": ENTRY_MODULE,
        "preload": static_imports(ENTRY_MODULE),
        "glyphs": marker_glyphs(
            principal
        ),  # the point markers' glyphs: asked for only once the first tiles are laid out
    }
    return render(request, "tiles/map.html", context)
