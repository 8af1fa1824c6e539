"""GET /api/layers (the catalogue) and GET /api/communes.geojson."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import condition, require_GET

from layers import queries
from layers.catalogue import attribute_records, geometry_note, visible_layers
from layers.registry import GROUPS
from layers.versioning import database_id
from mapserver.jsonio import JsonResponse


@require_GET
def layer_catalogue(request: HttpRequest) -> JsonResponse:
    """Every layer the caller may see, with its feature count (estimated above a million rows)."""
    items = []
    layers = list(visible_layers(request.principal))
    for (spec, access), (count, estimated) in zip(layers, queries.feature_counts(layers)):
        items.append(
            {
                "id": spec.id,
                "title": spec.title,
                "title_en": spec.title_en,
                "group": spec.group,
                "group_title": GROUPS[spec.group][0],
                "geometry_type": spec.geometry_type,
                "public": spec.public,
                "feature_count": count,
                "feature_count_estimated": estimated,
                "synthetic": spec.synthetic,
                "geometry_note": geometry_note(spec),
                "minzoom": spec.minzoom,
                "maxzoom": spec.maxzoom,
                "editable": access.write,
                "tile_properties_complete": spec.tile_properties is None,
                "attributes": attribute_records(spec, access),
            }
        )
    return JsonResponse({"layers": items})


def _communes_etag(request: HttpRequest) -> str | None:
    """The communes' ETag: the database and their tables' versions (read once per request, kept on it)."""
    request.communes_version = queries.communes_version()
    if request.communes_version is None:
        return None
    return f"communes-{database_id()}-" + "-".join(str(v) for v in request.communes_version)


@require_GET
@condition(etag_func=_communes_etag)
def communes_geojson(request: HttpRequest) -> HttpResponse:
    """The 95 communes with code, name, kind and geometry_source (public base layer). Every map load and panel
    asks for them (350 kB): browsers revalidate with the ETag and get a 304 until a commune changes."""
    response = HttpResponse(queries.communes_geojson(request.communes_version), content_type="application/geo+json")
    response["Cache-Control"] = "no-cache"  # kept by the browser, asked again each time: an edit shows at once
    return response
