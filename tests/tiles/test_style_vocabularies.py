"""Styles and legends are built from the vocabularies of the attributes they colour."""

from __future__ import annotations

import pytest

from layers.registry import registry
from tiles.style_layers import LAYER_STYLES, LEGENDS

pytestmark = pytest.mark.django_db


def matches(expression) -> list[list]:
    """Every ["match", ["to-string", ["get", name]] | ["get", name], ...] inside a style expression."""
    if not isinstance(expression, list):
        return []
    found = [expression] if expression and expression[0] == "match" else []
    for part in expression:
        found += matches(part)
    return found


def attribute_of(match: list) -> str:
    inner = match[1][1] if match[1][0] == "to-string" else match[1]
    assert inner[0] == "get"
    return inner[1]


def test_match_expressions_use_exactly_the_vocabulary_values():
    checked = 0
    for layer_id, parts in LAYER_STYLES.items():
        spec = registry.get(layer_id)
        for _, body in parts:
            for value in body.get("paint", {}).values():
                for match in matches(value):
                    record = spec.attribute(attribute_of(match))
                    assert record.vocabulary is not None, (layer_id, record.name)
                    labels = match[2:-1:2]
                    keys = (
                        [str(v) for v in record.vocabulary.keys]
                        if match[1][0] == "to-string"
                        else list(record.vocabulary.keys)
                    )
                    if "color" in str(value):  # colours: every value, with the vocabulary's colour
                        assert labels == keys, (layer_id, record.name)
                        assert match[3:-1:2] == [v.colour for v in record.vocabulary.values]
                    else:  # sizes: a subset of the values
                        assert set(labels) <= set(keys), (layer_id, record.name)
                    checked += 1
    assert checked >= 12


def test_legends_list_the_vocabulary_of_the_styled_attribute():
    for layer_id, attribute in (
        ("houses", "status"),
        ("street_lights", "status"),
        ("cameras", "status"),
        ("incidents", "kind"),
        ("field_reports", "status"),
        ("sensors", "kind"),
        ("planning_zones", "land_use_code"),
        ("roads", "road_class"),
        ("construction_sites", "status"),
        ("communes", "kind"),
        ("land_use_changes", "permitted"),
    ):
        vocabulary = registry.get(layer_id).attribute(attribute).vocabulary
        rows = [(v.vi, v.en, v.colour) for v in vocabulary.values]
        assert [row[:3] for row in LEGENDS[layer_id][: len(rows)]] == rows, layer_id


def _drawn(style: dict, layer_id: str, value: str | None = None) -> tuple[str, str, str]:
    """How the map draws a point of a layer (for one value of its styled attribute): (kind, shape, colour)."""
    layer = next(item for item in style["layers"] if item["id"] == layer_id)
    if layer["type"] == "circle":
        colour = layer["paint"]["circle-stroke-color" if layer_id.endswith("alert") else "circle-color"]
        return "circle", "●", _pick(colour, value)
    return "symbol", _pick(layer["layout"]["text-field"], value), _pick(layer["paint"]["text-color"], value)


def _pick(expression, value):
    """The output of a ["match", input, v1, o1, ..., default] expression (or a literal) for one value."""
    if not isinstance(expression, list):
        return expression
    assert expression[0] == "match", expression
    pairs = expression[2:-1]
    return dict(zip(pairs[::2], pairs[1::2])).get(value, expression[-1])


def test_distinct_meanings_get_distinct_symbols(api):
    """A dead camera, a fire, a sensor alarm and a new report were all the same red dot: each now differs from
    the others in shape or colour (and the legend shows the shape the map draws)."""
    style = api("t_admin").get("/styles/operations.json").json()
    symbols = {
        "dead camera": _drawn(style, "cameras-points", "dead"),
        "live camera": _drawn(style, "cameras-points", "live"),
        "fire": _drawn(style, "incidents-points", "fire"),
        "sensor alarm": _drawn(style, "sensors-alert"),
        "new report": _drawn(style, "field_reports-points", "received"),
    }
    looks = [(shape, colour.lower()) for _, shape, colour in symbols.values()]
    assert len(set(looks)) == len(looks), symbols
    assert len({shape for _, shape, _ in symbols.values()}) >= 4, symbols  # shapes, not colour alone
    legend_markers = {row[0]: row[3] for row in LEGENDS["cameras"]}
    assert legend_markers["Mất tín hiệu"] == symbols["dead camera"][1]
    assert legend_markers["Hoạt động"] == symbols["live camera"][1]
    assert all(row[3] == symbols["new report"][1] for row in LEGENDS["field_reports"][:8])


def test_spec_flags_drive_the_base_source_and_default_visibility(api):
    style = api("t_admin").get("/styles/operations.json").json()
    base = {layer["metadata"]["ioc:layer"] for layer in style["layers"] if layer.get("source") == "base"}
    base_map = {spec.id for spec in registry.all() if spec.base_map}
    assert base_map < base  # the base map, and with it the first view's other fills and lines
    for layer_id in base - base_map:
        assert registry.get(layer_id).visible
    # every fill and line drawn when the map opens reads one source (one set of clipping masks a frame); points
    # keep their own (the live stream reloads the sensors' and cameras' alone)
    shown = [
        layer for layer in style["layers"] if layer.get("source") and layer["layout"].get("visibility") == "visible"
    ]
    assert {layer["source"] for layer in shown if layer["type"] in ("fill", "line")} == {"base"}
    assert {"sensors", "cameras"} <= {layer["source"] for layer in shown if layer["type"] in ("circle", "symbol")}
    shown = {entry["id"] for entry in style["metadata"]["ioc:layers"] if entry["visible"]}
    assert shown == {spec.id for spec in registry.all() if spec.visible}


def test_style_tables_name_only_registered_layers(monkeypatch):
    from tiles import checks, style_layers

    assert checks.style_tables_name_registered_layers() == []
    monkeypatch.setitem(style_layers.LAYER_STYLES, "no_such_layer", [])
    assert [e.id for e in checks.style_tables_name_registered_layers()] == ["tiles.E001"]
