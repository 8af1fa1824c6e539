"""The SensorThings entity types over the stored sensors: what each exposes, how it filters, how it renders.

A sensor row (geodata.Sensor) is at once a Thing (the station), its Location, its Sensor (the instrument), its one
Datastream and the FeatureOfInterest of its observations, all with the sensor's id; an Observation is a
geodata.SensorObservation; an ObservedProperty is a value of the sensor_parameter vocabulary, numbered in
declaration order (derived from the distinct parameters of the visible sensors)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.utils import timezone

from geodata.models import Sensor, SensorObservation
from geodata.vocabularies import SENSOR_KIND, SENSOR_PARAMETER

OM_MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
PARAMETER_DEFINITION = "urn:dongnai:ioc:sensor_parameter:"


def iso(moment: Any) -> str | None:
    """An instant as ISO 8601 in Asia/Ho_Chi_Minh (the offset says so)."""
    return timezone.localtime(moment).isoformat() if moment is not None else None


def geojson(geom: Any) -> dict | None:
    """A geometry as a GeoJSON object."""
    return json.loads(geom.geojson) if geom is not None else None


def parameter_number(code: str) -> int:
    """The ObservedProperty id of a sensor parameter (1-based position in the vocabulary)."""
    return SENSOR_PARAMETER.keys.index(code) + 1


def _label(vocabulary, value: str) -> str:
    record = vocabulary.get(value)
    return record.vi if record else value


def _parameter_case(source: str, attribute: Callable[[Any], Any], output) -> Case:
    """An SQL CASE mapping the parameter column to one attribute of its vocabulary value (bound values only)."""
    whens = [When(**{source: v.value}, then=Value(attribute(v))) for v in SENSOR_PARAMETER.values]
    return Case(*whens, default=Value(None), output_field=output)


# An ObservedProperty's attributes as SQL over a `parameter` column (for $filter and $orderby through a Datastream).
OBSERVED_PROPERTY_EXPRESSIONS: dict[str, tuple[Callable[[str], Any], str]] = {
    "id": (lambda col: _parameter_case(col, lambda v: parameter_number(v.value), IntegerField()), "int"),
    "name": (lambda col: _parameter_case(col, lambda v: v.vi, CharField()), "str"),
    "description": (lambda col: _parameter_case(col, lambda v: v.en, CharField()), "str"),
    "definition": (lambda col: _parameter_case(col, lambda v: PARAMETER_DEFINITION + v.value, CharField()), "str"),
}


@dataclass(frozen=True)
class EntityType:
    """One SensorThings entity set: its filterable properties (STA name -> ORM path) and navigation links."""

    name: str
    plural: str
    rows: str  # "sensor", "observation" or "property": what one entity is stored as
    fields: dict[str, str]
    navs: dict[str, str]  # navigation property -> target entity set (plural)
    render: Callable[[Any], dict] = field(repr=False, default=lambda row: {})

    def is_collection(self, nav: str) -> bool:
        """Whether a navigation property leads to a set (plural name) rather than one entity."""
        return nav.endswith("s") and nav in COLLECTION_NAVS


COLLECTION_NAVS = {"Things", "Locations", "Datastreams", "Observations", "HistoricalLocations"}


def _thing(s: Sensor) -> dict:
    return {
        "name": s.name,
        "description": f"{_label(SENSOR_KIND, s.kind)} — {s.code}",
        "properties": {"code": s.code, "kind": s.kind, "commune_code": s.commune_code, "synthetic": s.synthetic},
    }


def _location(s: Sensor) -> dict:
    return {
        "name": s.name,
        "description": f"Vị trí trạm {s.code}",
        "encodingType": "application/geo+json",
        "location": geojson(s.geom),
    }


def _sensor(s: Sensor) -> dict:
    return {
        "name": s.code,
        "description": f"{_label(SENSOR_KIND, s.kind)}: {_label(SENSOR_PARAMETER, s.parameter)}",
        "encodingType": "text/plain",
        "metadata": f"{s.code} ({s.unit})",
    }


def _datastream(s: Sensor) -> dict:
    first, last = getattr(s, "sta_first", None), getattr(s, "sta_last", None)
    return {
        "name": f"{s.name} — {_label(SENSOR_PARAMETER, s.parameter)}",
        "description": f"{_label(SENSOR_PARAMETER, s.parameter)} ({s.unit}) tại {s.name}",
        "unitOfMeasurement": {"name": s.unit, "symbol": s.unit, "definition": ""},
        "observationType": OM_MEASUREMENT,
        "observedArea": geojson(s.geom),
        "phenomenonTime": f"{iso(first)}/{iso(last)}" if first and last else None,
        "resultTime": f"{iso(first)}/{iso(last)}" if first and last else None,
        "properties": {"parameter": s.parameter, "threshold": s.threshold, "last_value": s.last_value},
    }


def _feature(s: Sensor) -> dict:
    return {
        "name": s.name,
        "description": f"Điểm quan trắc {s.code}",
        "encodingType": "application/geo+json",
        "feature": geojson(s.geom),
    }


def _observation(o: SensorObservation) -> dict:
    return {
        "phenomenonTime": iso(o.observed_at),
        "resultTime": iso(o.observed_at),
        "result": o.value,
    }


def _observed_property(row: dict) -> dict:
    value = SENSOR_PARAMETER.get(row["parameter"])
    return {
        "name": value.vi,
        "description": value.en,
        "definition": PARAMETER_DEFINITION + value.value,
        "properties": {"code": value.value},
    }


_SENSOR_COMMON = {"id": "id"}
ENTITY_TYPES: dict[str, EntityType] = {
    e.plural: e
    for e in (
        EntityType(
            "Thing",
            "Things",
            "sensor",
            {
                **_SENSOR_COMMON,
                "name": "name",
                "description": "code",
                "properties/code": "code",
                "properties/kind": "kind",
                "properties/commune_code": "commune_code",
            },
            {"Locations": "Locations", "Datastreams": "Datastreams"},
            _thing,
        ),
        EntityType(
            "Location",
            "Locations",
            "sensor",
            {**_SENSOR_COMMON, "name": "name", "location": "geom"},
            {"Things": "Things"},
            _location,
        ),
        EntityType(
            "Sensor",
            "Sensors",
            "sensor",
            {**_SENSOR_COMMON, "name": "code"},
            {"Datastreams": "Datastreams"},
            _sensor,
        ),
        EntityType(
            "Datastream",
            "Datastreams",
            "sensor",
            {
                **_SENSOR_COMMON,
                "name": "name",
                "observedArea": "geom",
                "unitOfMeasurement/symbol": "unit",
                "unitOfMeasurement/name": "unit",
                "properties/threshold": "threshold",
                "properties/parameter": "parameter",
                "properties/last_value": "last_value",
            },
            {
                "Thing": "Things",
                "Sensor": "Sensors",
                "ObservedProperty": "ObservedProperties",
                "Observations": "Observations",
            },
            _datastream,
        ),
        EntityType(
            "FeatureOfInterest",
            "FeaturesOfInterest",
            "sensor",
            {**_SENSOR_COMMON, "name": "name", "feature": "geom"},
            {"Observations": "Observations"},
            _feature,
        ),
        EntityType(
            "Observation",
            "Observations",
            "observation",
            {"id": "id", "phenomenonTime": "observed_at", "resultTime": "observed_at", "result": "value"},
            {"Datastream": "Datastreams", "FeatureOfInterest": "FeaturesOfInterest"},
            _observation,
        ),
        EntityType(
            "ObservedProperty",
            "ObservedProperties",
            "property",
            {},  # its attributes are SQL over the parameter column (OBSERVED_PROPERTY_EXPRESSIONS)
            {"Datastreams": "Datastreams"},
            _observed_property,
        ),
    )
}


def base_rows(entity: EntityType, sensors: QuerySet) -> QuerySet:
    """All rows of an entity set the caller may read, given the caller's readable sensors."""
    if entity.rows == "observation":
        return SensorObservation.objects.filter(sensor__in=sensors.values("pk"))
    if entity.rows == "property":
        return sensors.order_by().values("parameter").distinct()
    if entity.plural == "Datastreams":
        times = SensorObservation.objects.filter(sensor=OuterRef("pk")).values("observed_at")
        return sensors.annotate(
            sta_first=Subquery(times.order_by("observed_at")[:1]), sta_last=Subquery(times.order_by("-observed_at")[:1])
        )
    return sensors


def entity_id(entity: EntityType, row: Any) -> int:
    """The @iot.id of a rendered row."""
    if entity.rows == "property":
        return parameter_number(row["parameter"])
    return row.pk


def id_filter(entity: EntityType, value: int) -> dict:
    """The ORM filter selecting one entity by its @iot.id."""
    if entity.rows == "property":
        keys = SENSOR_PARAMETER.keys
        return {"parameter": keys[value - 1] if 0 < value <= len(keys) else None}
    return {"pk": value}


def related_rows(parent: EntityType, row: Any, nav: str, sensors: QuerySet) -> QuerySet:
    """The rows a navigation property of one entity leads to, within what the caller may read."""
    target = ENTITY_TYPES[parent.navs[nav]]
    rows = base_rows(target, sensors)
    if parent.rows == "sensor":
        if target.rows == "observation":
            return rows.filter(sensor_id=row.pk)
        if target.rows == "property":
            return rows.filter(parameter=row.parameter)
        return rows.filter(pk=row.pk)
    if parent.rows == "observation":
        return rows.filter(pk=row.sensor_id)
    return rows.filter(parameter=row["parameter"])  # ObservedProperty -> Datastreams


def orm_prefix(parent: EntityType, nav: str) -> tuple[EntityType, str]:
    """Follow a navigation property inside $filter/$orderby: the target type and the ORM path prefix to it."""
    target = ENTITY_TYPES[parent.navs[nav]]
    if parent.rows == "observation" and target.rows == "sensor":
        return target, "sensor__"
    if parent.rows == "sensor" and target.rows == "sensor":
        return target, ""
    if parent.rows == "sensor" and target.rows == "property":
        return target, ""
    return target, None  # to-many paths (Observations, Datastreams of a property) need any(): not supported


def parameter_column(prefix: str) -> str:
    """The ORM column an ObservedProperty's attributes are computed from, seen from the prefix."""
    return f"{prefix}parameter"
