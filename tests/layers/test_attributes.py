"""One source of truth for layer facts: attribute records with labels and kinds, vocabularies that cover the data,
and every reader (catalogue, queryables, writes, styles) agreeing with them."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from psycopg import sql

from geodata.attributes import KINDS
from geodata.vocabularies import VOCABULARIES
from layers.registry import registry
from tests.layers.conftest import HOME_COMMUNE, point_in

pytestmark = pytest.mark.django_db
HEX = set("0123456789abcdef")


def every_record():
    for spec in registry.all():
        for record in spec.records.values():
            yield spec, record


def test_every_attribute_has_labels_and_a_kind():
    for spec, record in every_record():
        assert record.vi.strip() and record.en.strip(), (spec.id, record.name)
        assert record.kind in KINDS, (spec.id, record.name)
        assert not record.additive or record.kind in ("integer", "number"), (spec.id, record.name)
        if record.vocabulary:
            assert record.kind in ("category", "boolean"), (spec.id, record.name)


def test_every_value_has_labels_and_a_colour():
    for vocabulary in VOCABULARIES.values():
        assert vocabulary.values, vocabulary.id
        for value in vocabulary.values:
            assert value.vi.strip() and value.en.strip(), (vocabulary.id, value.value)
            assert len(value.colour) == 7 and value.colour[0] == "#" and set(value.colour[1:]) <= HEX, value


def test_model_choices_are_the_vocabularies():
    """A categorical column takes its choices from the record's vocabulary (one declaration)."""
    for spec, record in every_record():
        field = spec.model._meta.get_field(record.name)
        if record.vocabulary and field.get_internal_type() != "BooleanField":
            assert [value for value, _ in field.choices] == list(record.vocabulary.keys), (spec.id, record.name)


def test_vocabularies_cover_every_value_in_the_sample_data():
    checked = 0
    for spec, record in every_record():
        if record.vocabulary is None or not spec.model._meta.managed:
            continue
        query = sql.SQL("SELECT DISTINCT {} FROM {} WHERE {} IS NOT NULL").format(
            sql.Identifier(record.name), sql.Identifier(spec.table), sql.Identifier(record.name)
        )
        with connection.cursor() as cursor:
            cursor.execute(query.as_string(cursor.connection))
            present = {row[0] for row in cursor.fetchall()}
        assert present, (spec.id, record.name)  # the sample data uses the attribute
        assert present <= set(record.vocabulary.keys), (spec.id, record.name, present - set(record.vocabulary.keys))
        checked += 1
    assert checked >= 30


def test_catalogue_carries_the_attribute_records(api):
    layers = {layer["id"]: layer for layer in api("t_admin").get("/api/layers").json()["layers"]}
    assert set(layers) == {spec.id for spec in registry.all()}
    for layer_id, layer in layers.items():
        spec = registry.get(layer_id)
        assert [a["name"] for a in layer["attributes"]] == list(spec.properties + spec.private_properties)
        for attribute in layer["attributes"]:
            assert set(attribute) == {"name", "label", "kind", "unit", "additive", "values"}
            assert set(attribute["label"]) == {"vi", "en"} and attribute["kind"] in KINDS
            record = spec.attribute(attribute["name"])
            keys = record.vocabulary.keys if record.vocabulary else ()
            assert [v["value"] for v in attribute["values"]] == list(keys)
            for value in attribute["values"]:
                assert set(value) == {"value", "label", "colour"} and set(value["label"]) == {"vi", "en"}
    status = next(a for a in layers["houses"]["attributes"] if a["name"] == "status")
    assert status["kind"] == "category"
    near_poor = {"value": "near_poor", "label": {"vi": "Cận nghèo", "en": "Near-poor"}, "colour": "#f49d37"}
    assert near_poor in status["values"]
    members = next(a for a in layers["houses"]["attributes"] if a["name"] == "members")
    assert members["additive"] is True and members["kind"] == "integer" and members["values"] == []


def test_private_attributes_are_listed_only_with_private_access(api):
    planner = {layer["id"]: layer for layer in api("t_planner").get("/api/layers").json()["layers"]}
    assert "rtsp_url" not in {a["name"] for a in planner["cameras"]["attributes"]}


JSON_TYPE = {
    "integer": "integer",
    "number": "number",
    "text": "string",
    "url": "string",
    "code": "string",
    "date": "string",
    "datetime": "string",
    "boolean": "boolean",
}


def json_type(record) -> str:
    """The JSON type a record's kind means (a category: its values' type)."""
    if record.kind == "category":
        return record.vocabulary.value_type if record.vocabulary else "string"
    return JSON_TYPE[record.kind]


def test_queryables_are_typed_by_the_records(api):
    client = api("t_admin")
    for spec in registry.all():
        schema = client.get(f"/ogcapi/collections/{spec.id}/queryables").json()
        for name, record in spec.records.items():
            queryable = schema["properties"][name]
            types = queryable["type"] if isinstance(queryable["type"], list) else [queryable["type"]]
            assert types[0] == json_type(record), (spec.id, name, queryable)
            assert queryable["x-ioc-kind"] == record.kind and queryable["title"] == record.vi
            if record.vocabulary:
                assert [v for v in queryable["enum"] if v is not None] == list(record.vocabulary.keys), (spec.id, name)
            if record.unit:
                assert queryable["x-ogc-unit"] == record.unit


def test_rating_is_one_kind_everywhere(api):
    """field_reports.rating was advertised as a string but filtered as a number."""
    spec = registry.get("field_reports")
    assert spec.attribute("rating").kind == "integer"
    schema = api().get("/ogcapi/collections/field_reports/queryables").json()
    assert schema["properties"]["rating"]["type"] == ["integer", "null"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'reports_public' "
            "AND column_name = 'rating'"
        )
        assert cursor.fetchone()[0] == "smallint"
    assert api().get("/ogcapi/collections/field_reports/items", {"filter": "rating >= 4"}).status_code == 200
    assert api().get("/ogcapi/collections/field_reports/items", {"filter": "rating = 'x'"}).status_code == 400


def test_openapi_parameters_are_typed_like_their_queryables(api):
    paths = api("t_admin").get("/ogcapi/api?f=json").json()["paths"]
    params = {p["name"]: p["schema"] for p in paths["/collections/schools/items"]["get"]["parameters"] if "name" in p}
    assert params["students"]["type"] == "integer" and params["public"]["type"] == "boolean"
    assert params["level"]["enum"] == list(registry.get("schools").attribute("level").vocabulary.keys)


def incident(**properties) -> dict:
    point = point_in(HOME_COMMUNE)
    values = {
        "kind": "fire",
        "occurred_at": "2031-05-01T10:00:00Z",
        "status": "reported",
        "severity": 2,
        "description": "vocabulary test",
        **properties,
    }
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [point.x, point.y]}, "properties": values}


@pytest.mark.parametrize(
    "change, named", [({"status": "on_fire"}, "status"), ({"kind": "meteor"}, "kind"), ({"severity": 9}, "severity")]
)
def test_ogc_create_with_a_value_outside_the_vocabulary_is_a_400(api, change, named):
    response = api("t_planner").post(
        "/ogcapi/collections/incidents/items", data=json.dumps(incident(**change)), content_type="application/geo+json"
    )
    assert response.status_code == 400, response.content
    description = response.json()["description"]
    vocabulary = registry.get("incidents").attribute(named).vocabulary
    assert named in description and all(str(value) in description for value in vocabulary.keys)


def test_ogc_create_with_vocabulary_values_is_accepted(api):
    response = api("t_planner").post(
        "/ogcapi/collections/incidents/items", data=json.dumps(incident()), content_type="application/geo+json"
    )
    assert response.status_code == 201, response.content


def test_the_orm_refuses_unknown_values_on_full_clean():
    from django.core.exceptions import ValidationError

    from geodata.models import House

    house = House(address_code="X", status="rich", members=1, geom=point_in(HOME_COMMUNE))
    with pytest.raises(ValidationError) as raised:
        house.full_clean()
    assert "status" in raised.value.message_dict
