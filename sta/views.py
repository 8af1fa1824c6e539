"""HTTP of the SensorThings API 1.1 at /sta/v1.1: the landing document, reads of every entity set, and creating
Observations (one, or many with the dataArray extension at /CreateObservations)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods

from layers.scoped import scoped
from mapserver.errors import InvalidParameterValue, MethodNotAllowed, NotFound, UnsupportedMediaType
from mapserver.jsonio import JsonResponse, parse_json
from sta import ingest
from sta.entities import ENTITY_TYPES
from sta.query import parse_options
from sta.resources import Renderer, resolve_path

CONFORMANCE = [
    "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/create-observations-via-mqtt/observations-creation",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/receive-updates-via-mqtt/receive-updates",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/data-array/data-array",
]


def base_url(request: HttpRequest) -> str:
    """The service root with its trailing slash, as the caller reached it."""
    return request.build_absolute_uri("/sta/v1.1/")


@require_GET
def landing(request: HttpRequest) -> JsonResponse:
    """The service document: the entity sets and the conformance classes."""
    base = base_url(request)
    sets = [{"name": plural, "url": base + plural} for plural in ENTITY_TYPES]
    settings = {
        "conformance": CONFORMANCE,
        "http://www.opengis.net/spec/iot_sensing/1.1/req/create-observations-via-mqtt/observations-creation": {
            "endpoints": ["mqtt://"]
        },
    }
    return JsonResponse({"value": sets, "serverSettings": settings})


@require_http_methods(["GET", "POST"])
def resource(request: HttpRequest, path: str) -> HttpResponse:
    """GET any resource path; POST creates Observations (at /Observations or /Datastreams(id)/Observations)."""
    if path.rstrip("/") == "CreateObservations":
        if request.method != "POST":
            raise MethodNotAllowed("CreateObservations takes POST")
        return create_observations(request)
    segments = [s for s in path.split("/") if s]
    sensors = scoped(request.principal, "sensors").queryset()
    target = resolve_path(segments, sensors)
    if request.method == "POST":
        return _post_observation(request, target)
    renderer = Renderer(base_url(request), sensors)
    params = {k: request.GET[k] for k in request.GET}
    options = parse_options(target.entity, params)
    if not target.single:
        return JsonResponse(renderer.collection(target.entity, target.rows, options, target.parent_link, params))
    document = renderer.entity(target.entity, target.row, options)
    if target.property:
        value = document[target.property]
        if target.raw_value:
            return HttpResponse("" if value is None else str(value), content_type="text/plain; charset=utf-8")
        return JsonResponse({target.property: value})
    return JsonResponse(document)


def _body(request: HttpRequest) -> Any:
    if request.content_type not in {"application/json", ""}:
        raise UnsupportedMediaType("send the observations as application/json")
    return parse_json(request.body)


def _post_observation(request: HttpRequest, target) -> HttpResponse:
    if target.entity.plural != "Observations" or target.single:
        raise MethodNotAllowed("only Observations can be created here (POST /Observations)")
    ingest.require_writer(request.principal)
    body = _body(request)
    parent = target.parent_link.split("/")[0]
    implied = None
    if parent.startswith("Datastreams("):
        implied = int(parent[len("Datastreams(") : -1])
    elif parent != "Observations":
        raise MethodNotAllowed("Observations are created at /Observations or /Datastreams(id)/Observations")
    reading = ingest.observation_reading(body, implied)
    [ident] = ingest.store(request.principal, [reading])
    link = f"{base_url(request)}Observations({ident})"
    response = JsonResponse({"@iot.id": ident, "@iot.selfLink": link}, status=201)
    response["Location"] = link
    return response


DATA_ARRAY_COMPONENTS = {"phenomenonTime", "resultTime", "result", "FeatureOfInterest/id"}


def create_observations(request: HttpRequest) -> JsonResponse:
    """The dataArray extension: [{Datastream, components, dataArray}] -> 201 with the new Observations' links.

    All or nothing: one bad row refuses the whole request (400), and nothing is written."""
    ingest.require_writer(request.principal)
    body = _body(request)
    if not isinstance(body, list) or not body:
        raise InvalidParameterValue("CreateObservations takes a non-empty JSON array of dataArray groups")
    readings = []
    for g, group in enumerate(body):
        readings.extend(_data_array(group, f"group {g}"))
    ids = ingest.store(request.principal, readings)
    base = base_url(request)
    return JsonResponse([f"{base}Observations({i})" for i in ids], safe=False, status=201)


def _data_array(group: object, where: str) -> list[ingest.Reading]:
    if not isinstance(group, dict) or not {"Datastream", "components", "dataArray"} <= set(group):
        raise InvalidParameterValue(f"{where}: needs Datastream, components and dataArray")
    stream = ingest.datastream_id(group["Datastream"])
    if stream is None:
        raise InvalidParameterValue(f'{where}: Datastream must be {{"@iot.id": N}}')
    components = group["components"]
    if (
        not isinstance(components, list)
        or "result" not in components
        or not set(components) <= DATA_ARRAY_COMPONENTS
        or len(set(components)) != len(components)
    ):
        raise InvalidParameterValue(f"{where}: components must list result and any of {sorted(DATA_ARRAY_COMPONENTS)}")
    rows = group["dataArray"]
    if not isinstance(rows, list):
        raise InvalidParameterValue(f"{where}: dataArray must be an array of rows")
    readings = []
    for r, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != len(components):
            raise InvalidParameterValue(f"{where}, row {r}: needs one value per component")
        values = dict(zip(components, row, strict=True))
        if "FeatureOfInterest/id" in values and values["FeatureOfInterest/id"] != stream:
            raise NotFound(f"{where}, row {r}: no FeatureOfInterest {values['FeatureOfInterest/id']!s:.20} here")
        readings.append(
            ingest.Reading(
                stream,
                ingest.parse_time(values.get("phenomenonTime"), f"{where}, row {r}: phenomenonTime"),
                ingest.parse_result(values["result"], f"{where}, row {r}: result"),
            )
        )
    return readings
