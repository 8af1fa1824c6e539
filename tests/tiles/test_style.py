"""The MapLibre style: valid structure, sources that resolve, layers the caller may read, local glyphs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

CDN_HOSTS = ("unpkg", "jsdelivr", "cdnjs", "fonts.googleapis", "api.mapbox", "tile.openstreetmap")


def local(url: str) -> str:
    assert url.startswith("http://testserver/"), url
    return url.removeprefix("http://testserver")


def tilejson_of(source: dict) -> str:
    """The TileJSON document of an inline vector source (its tiles template, /tiles/{ids}/{z}/{x}/{y}.mvt)."""
    (template,) = source["tiles"]
    assert template.endswith("/{z}/{x}/{y}.mvt") and "url" not in source, source
    return local(template.removesuffix("/{z}/{x}/{y}.mvt") + ".json")


def test_style_sources_and_layers_resolve(api):
    client = api("t_admin")
    style = client.get("/styles/operations.json").json()
    assert style["version"] == 8 and style["layers"]
    vector_layers = {}
    for name, source in style["sources"].items():
        if source["type"] == "vector":
            tilejson = client.get(tilejson_of(source))
            assert tilejson.status_code == 200, name
            document = tilejson.json()
            for key in ("tiles", "minzoom", "maxzoom", "bounds", "attribution"):
                assert source[key] == document[key], (name, key)
            vector_layers[name] = {layer["id"] for layer in tilejson.json()["vector_layers"]}
    ids = [layer["id"] for layer in style["layers"]]
    assert len(ids) == len(set(ids))
    for layer in style["layers"][1:]:
        assert layer["source"] in style["sources"], layer["id"]
        if layer["type"] != "raster":
            assert layer["source-layer"] in vector_layers[layer["source"]], layer["id"]
    assert {"houses-clusters", "cameras-points", "communes-label", "roads-line"} <= set(ids)


def test_style_depends_on_the_caller(api):
    anonymous = api().get("/styles/operations.json")
    ids = {layer["metadata"]["ioc:layer"] for layer in anonymous.json()["layers"] if "metadata" in layer}
    assert "houses" not in ids and "cameras" not in ids and "communes" in ids
    assert anonymous["Cache-Control"].startswith("public")
    commune_staff = api("t_commune").get("/styles/operations.json").json()
    assert "houses" in {layer["metadata"]["ioc:layer"] for layer in commune_staff["layers"] if "metadata" in layer}


def test_glyphs_are_served_locally_for_vietnamese(api):
    style = api().get("/styles/operations.json").json()
    template = local(style["glyphs"])
    fonts = {font for layer in style["layers"] for font in layer.get("layout", {}).get("text-font", [])}
    assert fonts
    for font in fonts:
        for glyph_range in ("0-255", "256-511", "7680-7935"):  # Latin-1, ă đ ơ ư, ạ ả ấ ... ỹ
            path = (
                template.replace("{fontstack}", font).replace("{range}", glyph_range).removeprefix(settings.STATIC_URL)
            )
            assert (Path(settings.BASE_DIR) / "static" / path).stat().st_size > 10_000


def test_map_page_is_self_contained(api):
    page = api().get("/").content.decode()
    assert "vendor/maplibre-gl/maplibre-gl.js" in page and 'type="module" src="/static/map/map.js"' in page
    assert not any(host in page for host in CDN_HOSTS)
    assert "<script>" not in page  # the CSP (script-src 'self') forbids inline script
    assert page.index("vendor/maplibre-gl/maplibre-gl.js") < page.index("map/map.js")
    if "cameras/camera-popup.js" in page:
        assert page.index("map/map.js") < page.index("cameras/camera-popup.js")
    for asset in ("map/map.js", "map/map.css", "map/i18n.js", "map/popup.js"):
        text = (Path(settings.BASE_DIR) / "static" / asset).read_text()
        assert not any(host in text for host in CDN_HOSTS), asset


def attributes_read(expression) -> set[str]:
    """Every attribute a style expression reads with ["get", name]."""
    if not isinstance(expression, list):
        return set()
    found = (
        {expression[1]} if len(expression) == 2 and expression[0] == "get" and isinstance(expression[1], str) else set()
    )
    for part in expression:
        found |= attributes_read(part)
    return found


def test_every_styled_attribute_is_in_the_tiles(api):
    """Styles only read attributes the tiles carry (TileJSON fields), e.g. after a layer's tile_properties shrink."""
    client = api("t_admin")
    style = client.get("/styles/operations.json").json()
    fields = {}
    for name, source in style["sources"].items():
        if source["type"] == "vector":
            for layer in client.get(tilejson_of(source)).json()["vector_layers"]:
                fields[(name, layer["id"])] = set(layer["fields"])
    checked = 0
    for layer in style["layers"]:
        if layer["type"] in ("raster", "background"):
            continue
        used = set()
        for part in ("paint", "layout"):
            for value in layer.get(part, {}).values():
                used |= attributes_read(value)
        used |= attributes_read(layer.get("filter"))
        available = fields[(layer["source"], layer["source-layer"])]
        if "count" in available:  # clustered: count_<value> exists only for values present in the data
            used = {name for name in used if not name.startswith("count_")}
        missing = used - available
        assert not missing, (layer["id"], missing)
        checked += bool(used)
    assert checked > 10


def test_field_reports_are_styled_by_every_workflow_status(api):
    from reports.models import Status

    layers = {layer["id"]: layer for layer in api().get("/styles/operations.json").json()["layers"]}
    colours = layers["field_reports-points"]["paint"]["text-color"]
    assert set(Status.values) <= set(colours[2::2])  # match: [op, input, value, colour, value, colour, ..., default]
    assert "overdue" in attributes_read(layers["field_reports-points"]["paint"]["text-halo-color"])
    assert layers["field_reports-clusters"]["filter"] == ["==", ["get", "cluster"], True]


def preloads(page: str) -> dict[str, list[str]]:
    """The page's <link rel=preload|modulepreload> addresses by rel."""
    found: dict[str, list[str]] = {"preload": [], "modulepreload": []}
    for rel, href in re.findall(r'<link rel="(preload|modulepreload)" href="([^"]+)"', page):
        found[rel].append(href)
    return found


def test_map_page_preloads_what_the_first_render_needs(api):
    """The style and every module the map's entry imports statically are asked for at once; the work panels
    (imported with import(), after the map starts) are not; the marker glyphs only where markers are drawn."""
    anonymous, leader = (preloads(api(user).get("/").content.decode()) for user in (None, "t_leader"))
    assert "/styles/operations.json" in anonymous["preload"]
    entry = (Path(settings.BASE_DIR) / "static" / "map" / "map.js").read_text()
    direct = {f"/static/map/{name}" for name in re.findall(r'^import .* from "\./([a-z]+\.js)";$', entry, re.M)}
    assert direct and direct <= set(anonymous["modulepreload"])
    assert "/static/map/panels.js" not in anonymous["modulepreload"] and 'import("./panels.js")' in entry
    for href in anonymous["modulepreload"]:
        assert (Path(settings.BASE_DIR) / "static" / href.removeprefix(settings.STATIC_URL)).is_file(), href
    glyphs = [href for href in leader["preload"] if "/fonts/" in href]
    assert glyphs and not [href for href in anonymous["preload"] if "/fonts/" in href]  # no marker for anonymous
    for href in glyphs:  # the ranges of ■ ▲ ✖, which the leader's cameras and reports are drawn with
        start, end = map(int, href.rsplit("/", 1)[1].removesuffix(".pbf").split("-"))
        assert any(start <= ord(char) <= end for char in "■▲✖")
        assert (Path(settings.BASE_DIR) / "static" / href.removeprefix(settings.STATIC_URL)).stat().st_size > 100
