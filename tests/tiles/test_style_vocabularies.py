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
        assert LEGENDS[layer_id][: len(rows)] == rows, layer_id


def test_spec_flags_drive_the_base_source_and_default_visibility(api):
    style = api("t_admin").get("/styles/operations.json").json()
    base = {layer["metadata"]["ioc:layer"] for layer in style["layers"] if layer.get("source") == "base"}
    assert base == {spec.id for spec in registry.all() if spec.base_map}
    shown = {entry["id"] for entry in style["metadata"]["ioc:layers"] if entry["visible"]}
    assert shown == {spec.id for spec in registry.all() if spec.visible}


def test_style_tables_name_only_registered_layers(monkeypatch):
    from tiles import checks, style_layers

    assert checks.style_tables_name_registered_layers() == []
    monkeypatch.setitem(style_layers.LAYER_STYLES, "no_such_layer", [])
    assert [e.id for e in checks.style_tables_name_registered_layers()] == ["tiles.E001"]
