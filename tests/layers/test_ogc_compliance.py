"""Assertions of the OGC executable test suites (Features Parts 1, 3, 4 and 5, CQL2), re-implemented against the
real database: each test names the requirement it checks; expected results come from our own SQL, never from the
code under test."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from psycopg import sql

from geodata.models import Incident, PlanningZone
from layers.params import MAX_LIMIT
from layers.registry import registry
from tests.layers.conftest import HOME_COMMUNE, ids, point_in

pytestmark = pytest.mark.django_db
ITEMS = "/ogcapi/collections/{}/items"
INCIDENTS = "/ogcapi/collections/incidents/items"
JSON_SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def get(client, url: str, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def scalar(query: str, params: list | None = None):
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return cursor.fetchone()[0]


def column(query: str, params: list | None = None) -> list:
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return [row[0] for row in cursor.fetchall()]


def resolve(document: dict, item: dict) -> dict:
    """An OpenAPI parameter, its $ref followed."""
    if "$ref" in item:
        return document["components"]["parameters"][item["$ref"].rsplit("/", 1)[1]]
    return item


def items_operations(document: dict) -> dict[str, list[dict]]:
    """{path: resolved parameters} of every GET items operation of the OpenAPI document."""
    return {
        path: [resolve(document, p) for p in item["get"]["parameters"]]
        for path, item in document["paths"].items()
        if path.endswith("/items")
    }


class TestCore:
    """Features Part 1: /req/core/fc-bbox-definition, fc-limit-response-1, fc-time-response, fc-parameters."""

    @pytest.mark.parametrize(
        "layer, bbox",
        [("communes", "177,65,-177,70"), ("communes", "100,10,-170,13"), ("bridges", "100,10,-170,13")],
    )
    def test_a_bbox_crossing_the_antimeridian_is_its_two_halves(self, api, layer, bbox):
        minx, miny, maxx, maxy = (float(v) for v in bbox.split(","))
        spec = registry.get(layer)
        expected = scalar(
            sql.SQL(
                "SELECT count(*) FROM {t} WHERE ST_Intersects({g}, ST_MakeEnvelope(%s, %s, 180, %s, 4326))"
                " OR ST_Intersects({g}, ST_MakeEnvelope(-180, %s, %s, %s, 4326))"
            )
            .format(t=sql.Identifier(spec.table), g=sql.Identifier(spec.geometry_field))
            .as_string(connection.connection),
            [minx, miny, maxy, miny, maxx, maxy],
        )
        document = get(api(), ITEMS.format(layer), bbox=bbox, limit=1)
        assert document["numberMatched"] == expected

    def test_a_limit_above_the_maximum_is_the_maximum(self, api):
        total = scalar("SELECT count(*) FROM geodata_tree")
        assert total > MAX_LIMIT  # the sample holds more trees than one page can
        document = get(api(), ITEMS.format("trees"), limit=str(MAX_LIMIT * 10), properties="")
        assert document["numberReturned"] == len(document["features"]) == MAX_LIMIT
        assert document["numberMatched"] == total

    def test_datetime_on_collections_without_a_temporal_property_matches_every_feature(self, api):
        timeless = [spec for spec in registry.all() if spec.public and not spec.datetime_field]
        assert len(timeless) >= 15
        for spec in timeless:
            expected = scalar(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(spec.table)).as_string(connection.connection)
            )
            for value in ("2026-10-31T12:00:00Z", "2020-01-01/..", "../2026-10-31"):
                document = get(api(), ITEMS.format(spec.id), datetime=value, limit=1)
                assert document["numberMatched"] == expected, (spec.id, value)

    def test_every_items_operation_declares_datetime_and_form_style_arrays(self, api):
        document = get(api(), "/ogcapi/api", f="json")
        operations = items_operations(document)
        assert len(operations) == len([s for s in registry.all() if s.public])
        for path, parameters in operations.items():
            by_name = {p["name"]: p for p in parameters}
            assert "datetime" in by_name, path
            for name in ("limit", "bbox", "datetime"):
                assert (by_name[name].get("style"), by_name[name].get("explode")) == ("form", False), (path, name)

    def test_a_date_intersects_its_whole_day(self, api):
        day = scalar("SELECT decision_date FROM geodata_planningzone WHERE decision_date IS NOT NULL LIMIT 1")
        expected = set(column("SELECT id FROM geodata_planningzone WHERE decision_date = %s", [day]))
        url = ITEMS.format("planning_zones")
        for value in (f"{day}T12:00:00Z", f"{day}T23:59:59Z", f"{day}T18:00:00Z/{day}T19:00:00Z"):
            document = get(api(), url, datetime=value, limit=1000)
            assert set(ids(document)) == expected, value
        before = get(api(), url, datetime=f"../{day - dt.timedelta(days=1)}T23:59:59Z", limit=1)["numberMatched"]
        assert before == scalar("SELECT count(*) FROM geodata_planningzone WHERE decision_date < %s", [day])

    def test_cql2_temporal_operators_take_a_date_as_its_whole_day(self, api):
        day = scalar("SELECT decision_date FROM geodata_planningzone WHERE decision_date IS NOT NULL LIMIT 1")
        url, noon = ITEMS.format("planning_zones"), f"TIMESTAMP('{day}T12:00:00Z')"

        def matched(text: str) -> int:
            return get(api(), url, filter=text, limit=1)["numberMatched"]

        count = "SELECT count(*) FROM geodata_planningzone WHERE decision_date {} %s"
        assert matched(f"T_INTERSECTS(decision_date, {noon})") == scalar(count.format("="), [day])
        assert matched(f"T_BEFORE(decision_date, {noon})") == scalar(count.format("<"), [day])
        assert matched(f"T_AFTER(decision_date, {noon})") == scalar(count.format(">"), [day])
        assert matched(f"T_DURING(decision_date, INTERVAL('{day}T06:00:00Z', '..'))") == scalar(
            count.format(">"), [day]
        )
        during = f"T_INTERSECTS(decision_date, INTERVAL(DATE('{day}'), DATE('{day}')))"
        assert matched(during) == scalar(count.format("="), [day])


class TestQueryablesAndFilters:
    """Features Part 3 and CQL2: queryables, queryables-query-parameters, casei-like, spatial-functions-plus,
    temporal-functions."""

    def test_queryables_are_json_schema_2020_12_typed_like_their_columns(self, api):
        kinds = {"smallint": "integer", "integer": "integer", "bigint": "integer", "boolean": "boolean"}
        kinds |= {"double precision": "number", "real": "number", "numeric": "number", "date": "string"}
        kinds |= {"text": "string", "character varying": "string", "timestamp with time zone": "string"}
        checked = 0
        for spec in registry.all():
            document = get(api("t_admin"), f"/ogcapi/collections/{spec.id}/queryables")
            assert document["$schema"] == JSON_SCHEMA_2020_12
            types = {
                name: kinds[kind]
                for name, kind in column_types(spec.table)
                if name in document["properties"] and name != spec.geometry_field
            }
            for name, expected in types.items():
                advertised = document["properties"][name]["type"]
                advertised = [t for t in ([advertised] if isinstance(advertised, str) else advertised) if t != "null"]
                assert advertised == [expected], (spec.id, name)
                checked += 1
        assert checked > 100
        rating = get(api(), "/ogcapi/collections/field_reports/queryables")["properties"]["rating"]
        assert "integer" in rating["type"]

    def test_query_parameters_are_typed_like_their_queryables(self, api):
        document = get(api("t_admin"), "/ogcapi/api", f="json")
        for path, parameters in items_operations(document).items():
            layer = path.split("/")[2]
            queryables = get(api("t_admin"), f"/ogcapi/collections/{layer}/queryables")["properties"]
            for parameter in parameters:
                if parameter["name"] in queryables and "type" in queryables[parameter["name"]]:
                    advertised = queryables[parameter["name"]]["type"]
                    advertised = advertised if isinstance(advertised, str) else advertised[0]
                    assert parameter["schema"]["type"] == advertised, (layer, parameter["name"])

    @pytest.mark.parametrize("layer, name", [("schools", "public"), ("waterways", "navigable")])
    def test_booleans_accept_1_and_0(self, api, layer, name):
        table = sql.Identifier(registry.get(layer).table)
        for text, value in (("1", True), ("0", False), ("true", True), ("FALSE", False)):
            query = sql.SQL("SELECT count(*) FROM {} WHERE {} = %s").format(table, sql.Identifier(name))
            expected = scalar(query.as_string(connection.connection), [value])
            assert get(api(), ITEMS.format(layer), **{name: text, "limit": 1})["numberMatched"] == expected
        assert api().get(ITEMS.format(layer), {name: "yes"}).status_code == 400

    @pytest.mark.parametrize("pattern", ["phường biên%", "PHƯỜNG Biên%", "%hòa"])
    def test_casei_like(self, api, pattern):
        expected = set(column("SELECT id FROM geodata_commune WHERE lower(name) LIKE lower(%s)", [pattern]))
        assert expected
        text = f"CASEI(name) LIKE casei('{pattern}')"
        assert set(ids(get(api(), ITEMS.format("communes"), filter=text, limit=100))) == expected
        negated = get(api(), ITEMS.format("communes"), filter=f"NOT ({text})", limit=1)["numberMatched"]
        assert negated == 95 - len(expected)

    def test_geometrycollection_literals(self, api, other_commune):
        home, other = point_in(HOME_COMMUNE), point_in(other_commune)
        wkt = (
            f"GEOMETRYCOLLECTION(POINT({home.x} {home.y}), LINESTRING({other.x} {other.y}, {other.x + 0.01} {other.y}))"
        )
        expected = set(
            column("SELECT id FROM geodata_commune WHERE ST_Intersects(geom, ST_GeomFromText(%s, 4326))", [wkt])
        )
        assert len(expected) >= 2
        for lang, text in (
            ("cql2-text", f"S_INTERSECTS(geom, {wkt})"),
            (
                "cql2-json",
                json.dumps(
                    {
                        "op": "s_intersects",
                        "args": [
                            {"property": "geom"},
                            {
                                "type": "GeometryCollection",
                                "geometries": [
                                    {"type": "Point", "coordinates": [home.x, home.y]},
                                    {
                                        "type": "LineString",
                                        "coordinates": [[other.x, other.y], [other.x + 0.01, other.y]],
                                    },
                                ],
                            },
                        ],
                    }
                ),
            ),
        ):
            document = get(api(), ITEMS.format("communes"), filter=text, **{"filter-lang": lang, "limit": 100})
            assert set(ids(document)) == expected, lang
        bad = api().get(ITEMS.format("communes"), {"filter": "S_INTERSECTS(geom, GEOMETRYCOLLECTION(POINT(1 nan)))"})
        assert bad.status_code == 400

    def test_intervals_of_properties(self, api):
        start, end = "2026-01-01T00:00:00Z", "2026-06-30T00:00:00Z"
        expected = set(
            column(
                "SELECT id FROM reports_public WHERE requested_at <= %s AND coalesce(due_at, requested_at) >= %s",
                [end, start],
            )
        )
        text = f"T_INTERSECTS(INTERVAL(requested_at, due_at), INTERVAL('{start}', '{end}'))"
        document = get(api(), ITEMS.format("field_reports"), filter=text, limit=1000)
        nulls = set(column("SELECT id FROM reports_public WHERE due_at IS NULL"))
        assert set(ids(document)) - nulls == expected - nulls
        for text in (
            "T_DURING(INTERVAL(requested_at, due_at), INTERVAL('2000-01-01', '..'))",
            "T_AFTER(due_at, INTERVAL(requested_at, requested_at))",
            "T_INTERSECTS(INTERVAL(requested_at, '..'), INTERVAL(DATE('2026-01-01'), TIMESTAMP('2026-02-01T00:00:00Z')))",
        ):
            assert api().get(ITEMS.format("field_reports"), {"filter": text}).status_code == 200, text
        wrong = api().get(ITEMS.format("field_reports"), {"filter": "T_AFTER(INTERVAL(kind, due_at), due_at)"})
        assert wrong.status_code == 400 and "split" not in wrong.json()["description"]


def column_types(table: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s AND data_type <> "
            "'USER-DEFINED'",
            [table],
        )
        return cursor.fetchall()


def communes_filter(codes: list[str]) -> dict:
    """S_INTERSECTS(geom, <the communes' real boundaries, collected>) as CQL2 JSON."""
    geometry = json.loads(
        scalar("SELECT ST_AsGeoJSON(ST_Multi(ST_Collect(geom)), 7) FROM geodata_commune WHERE code = ANY(%s)", [codes])
    )
    return {"op": "s_intersects", "args": [{"property": "geom"}, geometry]}


def intersecting(codes: list[str]) -> list[str]:
    """Codes of the communes that intersect those communes (7-decimal boundaries, as sent), descending."""
    return column(
        "SELECT c.code FROM geodata_commune c WHERE ST_Intersects(c.geom, (SELECT ST_GeomFromGeoJSON("
        "ST_AsGeoJSON(ST_Multi(ST_Collect(geom)), 7)) FROM geodata_commune WHERE code = ANY(%s))) ORDER BY c.code DESC",
        [codes],
    )


class TestLargeFilters:
    """Filters with real commune boundaries: one (over 170 vertices) in a URL, several as POST .../search."""

    def test_a_commune_boundary_fits_in_a_get_filter(self, api):
        code = scalar("SELECT code FROM geodata_commune ORDER BY ST_NPoints(geom) DESC LIMIT 1")
        assert scalar("SELECT ST_NPoints(geom) FROM geodata_commune WHERE code = %s", [code]) > 170
        text = json.dumps(communes_filter([code]))
        assert 4094 < len(text) <= 20_000
        document = get(api(), ITEMS.format("communes"), filter=text, **{"filter-lang": "cql2-json", "limit": 100})
        assert sorted(ids_codes(document), reverse=True) == intersecting([code])

    def test_post_search_with_several_commune_boundaries(self, api):
        codes = column("SELECT code FROM geodata_commune ORDER BY ST_NPoints(geom) DESC LIMIT 3")
        body = {"filter": communes_filter(codes), "limit": 7, "properties": ["name", "code"], "sortby": "-code"}
        assert len(json.dumps(body["filter"])) > 20_000
        expected = intersecting(codes)
        url = "/ogcapi/collections/communes/search"
        response = api().post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 200, response.content[:300]
        document = response.json()
        assert document["numberMatched"] == len(expected) and len(expected) > 7
        assert ids_codes(document) == expected[:7]
        assert set(document["features"][0]["properties"]) == {"name", "code"}
        following = next(link for link in document["links"] if link["rel"] == "next")
        assert following["method"] == "POST" and following["body"]["offset"] == 7
        second = api().post(url, json.dumps(following["body"]), content_type="application/json").json()
        assert ids_codes(second) == expected[7:14]
        text = json.dumps(body["filter"])
        too_long = api().get(ITEMS.format("communes"), {"filter": text, "filter-lang": "cql2-json"})
        assert too_long.status_code == 400 and "20000" in too_long.json()["description"]


def ids_codes(document: dict) -> list[str]:
    return [feature["properties"]["code"] for feature in document["features"]]


class TestSearchBodies:
    """POST .../search refuses what GET items refuses."""

    def test_post_search_refuses_what_items_refuses(self, api):
        url = "/ogcapi/collections/communes/search"
        assert api().get(url).status_code == 405
        assert api().post(url, "[1]", content_type="application/json").status_code == 400
        assert api().post(url, '{"limit": "x"}', content_type="application/json").status_code == 400
        assert api().post(url, '{"colour": "red"}', content_type="application/json").status_code == 400
        assert api().post(url, '{"filter": {"op": "="}}', content_type="application/json").status_code == 400
        assert api().post(url, "{}", content_type="text/plain").status_code == 415
        assert api().post("/ogcapi/collections/houses/search", "{}", content_type="application/json").status_code == 404


class TestCreateReplaceDelete:
    """Features Part 4: /req/create-replace-delete/options-op, If-Match (RFC 9110 13.1.1), the PATCH media type."""

    def test_options_lists_what_the_caller_may_do(self, api):
        fid = Incident.objects.values_list("pk", flat=True).first()
        for user, items_allow, item_allow in (
            (None, {"GET", "HEAD", "OPTIONS"}, {"GET", "HEAD", "OPTIONS"}),
            ("t_leader", {"GET", "HEAD", "OPTIONS"}, {"GET", "HEAD", "OPTIONS"}),
            ("t_planner", {"GET", "HEAD", "OPTIONS", "POST"}, {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"}),
        ):
            for url, allow in ((INCIDENTS, items_allow), (f"{INCIDENTS}/{fid}", item_allow)):
                response = api(user).options(url)
                assert response.status_code == 200, (user, url)
                assert {m.strip() for m in response["Allow"].split(",")} == allow, (user, url)
        assert api("t_admin").options(ITEMS.format("communes"))["Allow"] == "GET, HEAD, OPTIONS"
        assert api().options(ITEMS.format("houses")).status_code == 404

    def test_if_match_on_a_missing_feature_is_412(self, api):
        missing = scalar("SELECT coalesce(max(id), 0) + 1000 FROM geodata_incident")
        body = json.dumps({"type": "Feature", "geometry": None, "properties": {}})
        for fid in (missing, "not-a-number"):
            for method in ("put", "patch", "delete"):
                response = getattr(api("t_planner"), method)(
                    f"{INCIDENTS}/{fid}", body, content_type="application/geo+json", HTTP_IF_MATCH='"abc"'
                )
                assert response.status_code == 412, (fid, method, response.content)
        star = api("t_planner").delete(f"{INCIDENTS}/{missing}", HTTP_IF_MATCH="*")
        assert star.status_code == 412
        assert api("t_planner").delete(f"{INCIDENTS}/{missing}").status_code == 428
        assert api().delete(f"{INCIDENTS}/x", HTTP_IF_MATCH='"a"').status_code == 401

    def test_a_weak_etag_never_satisfies_if_match(self, api):
        created = api("t_planner").post(
            INCIDENTS,
            json.dumps(incident_feature()),
            content_type="application/geo+json",
        )
        assert created.status_code == 201
        url, etag = created["Location"], created["ETag"]
        assert etag.startswith('"')
        patch = json.dumps({"properties": {"severity": 4}})
        for tag in (f"W/{etag}", f'"other", W/{etag}'):
            response = api("t_planner").patch(
                url, patch, content_type="application/merge-patch+json", HTTP_IF_MATCH=tag
            )
            assert response.status_code == 412, tag
        strong = api("t_planner").patch(url, patch, content_type="application/merge-patch+json", HTTP_IF_MATCH=etag)
        assert strong.status_code == 204
        assert Incident.objects.get(pk=int(url.rsplit("/", 1)[1])).severity == 4

    def test_openapi_declares_patch_as_merge_patch(self, api):
        document = get(api("t_planner"), "/ogcapi/api", f="json")
        editable = [spec for spec in registry.all() if spec.editable and spec.public]
        for spec in editable:
            patch = document["paths"][f"/collections/{spec.id}/items/{{featureId}}"]["patch"]
            assert list(patch["requestBody"]["content"]) == ["application/merge-patch+json"]


def incident_feature(**properties) -> dict:
    point = point_in(HOME_COMMUNE)
    values = {"kind": "fire", "occurred_at": "2031-05-01T10:00:00Z", "status": "reported", "severity": 2, **properties}
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [point.x, point.y]}, "properties": values}


class TestSchemas:
    """Features Part 5: /collections/{id}/schema, what a create needs, enumerations with their labels."""

    def test_schema_says_what_a_create_needs(self, api):
        document = get(api("t_planner"), "/ogcapi/collections/incidents/schema")
        assert document["$schema"] == JSON_SCHEMA_2020_12 and document["type"] == "object"
        required = set(document["required"]) - {"geom"}
        assert "geom" in document["required"] and {"status", "occurred_at"} <= required
        minimal = {name: sample_value(document["properties"][name]) for name in required}
        point = point_in(HOME_COMMUNE)
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [point.x, point.y]}}
        created = api("t_planner").post(
            INCIDENTS, json.dumps({**feature, "properties": minimal}), content_type="application/geo+json"
        )
        assert created.status_code == 201, created.content  # the required properties are enough
        for name in required:  # and each of them is needed
            missing = {k: v for k, v in minimal.items() if k != name}
            response = api("t_planner").post(
                INCIDENTS, json.dumps({**feature, "properties": missing}), content_type="application/geo+json"
            )
            assert response.status_code == 400 and name in response.json()["description"], name
        assert document["properties"]["geom"]["format"] == "geometry-point"
        assert document["properties"]["geom"]["x-ogc-role"] == "primary-geometry"
        assert document["properties"]["commune_code"]["readOnly"] is True
        assert document["properties"]["id"]["x-ogc-role"] == "id"

    def test_enumerations_carry_their_vocabulary_labels(self, api):
        document = get(api("t_planner"), "/ogcapi/collections/incidents/schema")
        status = document["properties"]["status"]
        vocabulary = registry.get("incidents").attribute("status").vocabulary
        labels = {option["const"]: (option["title"], option["description"]) for option in status["oneOf"]}
        assert {v.value: (v.vi, v.en) for v in vocabulary.values}.items() <= labels.items()
        assert set(status["enum"]) == set(labels)
        assert document["properties"]["severity"]["type"] in ("integer", ["integer", "null"])

    def test_every_collection_has_a_schema_and_links_it(self, api):
        for spec in registry.all():
            collection = get(api("t_admin"), f"/ogcapi/collections/{spec.id}")
            link = next(x for x in collection["links"] if x["rel"].endswith("/schema"))
            assert link["type"] == "application/schema+json"
            schema = api("t_admin").get(link["href"])
            assert schema.status_code == 200 and schema.json()["$schema"] == JSON_SCHEMA_2020_12
            assert set(schema.json()["properties"]) >= set(spec.properties)
        readers = get(api(), "/ogcapi/collections/planning_zones/schema")
        assert readers["required"] == [] and all(
            p.get("readOnly") for k, p in readers["properties"].items() if k != "geom"
        )
        assert api().get("/ogcapi/collections/houses/schema").status_code == 404


def sample_value(schema: dict) -> object:
    """A valid value for a property schema: its first enumerated value, or one of its type."""
    if schema.get("enum"):
        return next(v for v in schema["enum"] if v not in ("", None))
    kind = schema["type"] if isinstance(schema["type"], str) else schema["type"][0]
    if schema.get("format") == "date-time":
        return "2031-05-02T08:00:00Z"
    if schema.get("format") == "date":
        return "2031-05-02"
    return {"integer": 1, "number": 1.5, "boolean": True}.get(kind, "x")


def test_planning_zone_dates_exist():
    """The sample carries planning zones with decision dates (the day tests above need one)."""
    assert PlanningZone.objects.filter(decision_date__isnull=False).exists()
