"""GET /api/layers (the catalogue) and GET /api/communes.geojson."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from layers import queries
from layers.catalogue import attribute_records, geometry_note, visible_layers
from layers.registry import GROUPS
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


@require_GET
def communes_geojson(request: HttpRequest) -> HttpResponse:
    """The 95 communes with code, name, kind and geometry_source (public base layer)."""
    return HttpResponse(queries.communes_geojson(), content_type="application/geo+json")
