"""The operations workspace at / (MapLibre GL JS vendored under static/vendor/, front end as ES modules)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from layers.registry import GROUPS

# Modules other apps may ship to extend the map (e.g. camera popups that play HLS); loaded only if present.
EXTENSION_MODULES = ("cameras/camera-popup.js",)

# The work panels each role gets (the server enforces access again on every request; this only hides tabs).
STAFF = ("admin", "leader", "planner", "department_staff", "commune_staff")
PANELS = {
    "analysis": STAFF,
    "scenarios": STAFF,
    "inbox": ("admin", "leader", "planner", "department_staff", "commune_staff"),
    "overview": STAFF,
}


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
    }
    extensions = [module for module in EXTENSION_MODULES if finders.find(module)]
    return render(request, "tiles/map.html", {"config": config, "extensions": extensions})
