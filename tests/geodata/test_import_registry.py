"""The importer's targets are the registry's table-backed layers (no mirror to drift), and vocabularies hold."""

from __future__ import annotations

import pytest

from geodata.io.targets import ADMIN_LAYERS, TARGETS, get_target
from layers.registry import registry
from tests.geodata.io_helpers import a_commune, fingerprint, parcels, refused, write

pytestmark = pytest.mark.django_db


def test_every_registered_table_backed_layer_is_importable():
    tables = [spec for spec in registry.all() if spec.model._meta.managed]
    assert tables
    for spec in tables:
        target = get_target(spec.id)
        assert (target.model_label, target.geometry_type, target.exposed) == (
            spec.model_label,
            spec.geometry_type,
            spec.properties,
        ), spec.id
        assert set(spec.properties) <= set(target.importable()), spec.id
        assert set(spec.private_properties) <= set(target.importable()), spec.id
        assert set(spec.import_aliases.values()) <= set(target.importable()), spec.id
        assert not set(spec.private_properties) & set(target.exposed), spec.id  # never exported


def test_views_and_unknown_layers_are_not_targets():
    assert "field_reports" not in TARGETS  # a database view
    with pytest.raises(ValueError, match="known layers"):
        get_target("nope")


def test_admin_units_come_from_the_specs():
    assert {spec.id for spec in registry.all() if spec.id in ADMIN_LAYERS} == {"province", "districts_2024", "communes"}


def test_aliases_come_from_the_spec():
    assert get_target("land_parcels").column_names()["so_thua"] == "parcel_no"


def test_a_value_outside_the_vocabulary_is_reported_per_row(tmp_path):
    frame = parcels(a_commune()[1])
    frame.loc[1, "land_use_code"] = "XYZ"
    before = fingerprint("geodata_landparcel")
    reasons = refused(write(frame, tmp_path / "v.geojson"), "land_parcels")
    assert "row 2, land_use_code: 'XYZ' is not one of ODT, ONT" in reasons
    assert fingerprint("geodata_landparcel") == before
