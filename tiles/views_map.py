"""The operations map page at / (MapLibre GL JS vendored under static/vendor/)."""
from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from layers.registry import GROUPS

# Scripts other apps may ship to extend the map (e.g. camera popups that play HLS); loaded only if present.
EXTENSION_SCRIPTS = ("cameras/camera-popup.js",)


@require_GET
def operations_map(request: HttpRequest) -> HttpResponse:
    """The map page: layer panel, legends, popups, commune search, Vietnamese/English."""
    principal = request.principal
    config = {
        "styleUrl": "/styles/operations.json", "layersUrl": "/api/layers", "communesUrl": "/api/communes.geojson",
        "itemsUrl": "/ogcapi/collections/{layer}/items/{id}",
        "user": principal.username, "role": principal.role,
        "groups": {gid: {"vi": vi, "en": en} for gid, (vi, en) in GROUPS.items()},
    }
    extensions = [script for script in EXTENSION_SCRIPTS if finders.find(script)]
    return render(request, "tiles/map.html", {"config": config, "extensions": extensions})
