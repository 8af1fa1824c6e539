"""Landing page, conformance, OpenAPI definition, collections and queryables (Part 1 core, Part 3 queryables)."""

import pytest
from openapi_spec_validator import validate

from layers.registry import registry

pytestmark = pytest.mark.django_db


def test_landing_links_to_api_conformance_and_data(api):
    response = api().get("/ogcapi")
    assert response.status_code == 200
    rels = {link["rel"]: link for link in response.json()["links"]}
    assert {"self", "service-desc", "service-doc", "conformance", "data"} <= set(rels)
    assert rels["data"]["href"].endswith("/ogcapi/collections")
    assert rels["service-desc"]["type"].startswith("application/vnd.oai.openapi+json")


def test_conformance_lists_the_classes_implemented(api):
    classes = api().get("/ogcapi/conformance").json()["conformsTo"]
    for part in (
        "ogcapi-features-1/1.0/conf/core",
        "ogcapi-features-1/1.0/conf/geojson",
        "ogcapi-features-2/1.0/conf/crs",
        "ogcapi-features-3/1.0/conf/filter",
        "cql2/1.0/conf/cql2-text",
        "cql2/1.0/conf/cql2-json",
        "ogcapi-features-4/1.0/conf/create-replace-delete",
    ):
        assert f"http://www.opengis.net/spec/{part}" in classes


@pytest.mark.parametrize("user", [None, "t_leader", "t_admin"])
def test_openapi_definition_is_valid_and_lists_what_the_caller_may_read(api, user):
    response = api(user).get("/ogcapi/api")
    assert response.status_code == 200
    document = response.json()
    validate(document)  # raises on an invalid OpenAPI 3.0 document
    assert ("/collections/houses/items" in document["paths"]) is (user is not None)
    assert "post" in document["paths"]["/collections/incidents/items"]
    assert "put" in document["paths"]["/collections/incidents/items/{featureId}"]
    assert "post" not in document["paths"]["/collections/communes/items"]


def test_collections_hide_protected_layers_from_anonymous_callers(api):
    anonymous = {c["id"] for c in api().get("/ogcapi/collections").json()["collections"]}
    leader = {c["id"] for c in api("t_leader").get("/ogcapi/collections").json()["collections"]}
    assert leader == {spec.id for spec in registry.all()}
    assert anonymous == {spec.id for spec in registry.all() if spec.public}
    assert "houses" not in anonymous and "cameras" not in anonymous


def test_collection_document_has_links_extent_and_crs_lists(api):
    document = api("t_leader").get("/ogcapi/collections/incidents").json()
    assert document["id"] == "incidents" and document["itemType"] == "feature"
    assert document["storageCrs"] == "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    for code in ("4326", "3857", "4756", "5899", "9212"):
        assert f"http://www.opengis.net/def/crs/EPSG/0/{code}" in document["crs"]
    minx, miny, maxx, maxy = document["extent"]["spatial"]["bbox"][0]
    assert 105 < minx < maxx < 108 and 10 < miny < maxy < 13
    rels = {link["rel"] for link in document["links"]}
    assert {"self", "items", "http://www.opengis.net/def/rel/ogc/1.0/queryables"} <= rels


def test_unknown_and_protected_collections_are_404_alike(api):
    unknown, protected = api().get("/ogcapi/collections/nope"), api().get("/ogcapi/collections/houses")
    assert unknown.status_code == protected.status_code == 404
    assert protected.json()["code"] == "NotFound"
    assert api().get("/ogcapi/collections/houses/items").status_code == 404
    assert api().get("/ogcapi/collections/houses/queryables").status_code == 404


def test_queryables_are_the_allow_list_as_json_schema(api):
    response = api("t_leader").get("/ogcapi/collections/incidents/queryables")
    assert response.status_code == 200 and response["Content-Type"] == "application/schema+json"
    schema = response.json()
    spec = registry.get("incidents")
    assert set(schema["properties"]) == set(spec.properties) | {spec.geometry_field}
    assert schema["properties"]["severity"]["type"] == "integer"
    assert schema["properties"]["occurred_at"]["format"] == "date-time"
    assert schema["properties"]["geom"]["format"] == "geometry-point"


def test_private_properties_are_queryable_only_with_private_access(api):
    planner = api("t_planner").get("/ogcapi/collections/cameras/queryables").json()
    admin = api("t_admin").get("/ogcapi/collections/cameras/queryables").json()
    assert "rtsp_url" not in planner["properties"] and "rtsp_url" in admin["properties"]


@pytest.mark.parametrize(
    "url",
    [
        "/ogcapi",
        "/ogcapi/conformance",
        "/ogcapi/collections",
        "/ogcapi/api",
        "/ogcapi/collections/communes",
        "/ogcapi/collections/communes/queryables",
        "/ogcapi/collections/communes/items?limit=3",
    ],
)
def test_every_resource_has_an_html_page(api, url):
    by_param = api().get(url + ("&" if "?" in url else "?") + "f=html")
    by_accept = api().get(url, HTTP_ACCEPT="text/html,application/xhtml+xml")
    for response in (by_param, by_accept):
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        assert b"<h1>" in response.content


def test_items_html_page_shows_a_table_and_embeds_the_geojson(api):
    page = api().get("/ogcapi/collections/communes/items?limit=3&f=html").content.decode()
    assert page.count("<tr>") == 4  # header + 3 features
    assert 'id="page-geojson"' in page and '"FeatureCollection"' in page


def test_unknown_format_is_400(api):
    response = api().get("/ogcapi/collections?f=xml")
    assert response.status_code == 400 and response.json()["code"] == "InvalidParameterValue"


@pytest.mark.parametrize(
    "url", ["/ogcapi/nothing", "/ogcapi/collections/communes/items/1/more", "/ogcapi/collections/"]
)
def test_unknown_paths_under_ogcapi_are_ogc_404s(api, url):
    response = api().get(url)
    assert response.status_code == 404 and response.json()["code"] == "NotFound"


def test_landing_and_collections_link_the_other_ogcapi_parts(api):
    rels = {link["rel"] for link in api().get("/ogcapi").json()["links"]}
    assert "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes" in rels
    assert "http://www.opengis.net/def/rel/ogc/1.0/processes" in rels
    collection = api().get("/ogcapi/collections/communes").json()
    tilesets = [link for link in collection["links"] if link["rel"].endswith("tilesets-vector")]
    assert tilesets and api().get(tilesets[0]["href"].replace("http://testserver", "")).status_code == 200


def test_other_apps_can_register_conformance_classes(api):
    from layers import extensions

    extensions.register_conformance("http://www.opengis.net/spec/example/1.0/conf/test")
    try:
        assert (
            "http://www.opengis.net/spec/example/1.0/conf/test" in api().get("/ogcapi/conformance").json()["conformsTo"]
        )
    finally:
        extensions._CONFORMANCE.remove("http://www.opengis.net/spec/example/1.0/conf/test")
