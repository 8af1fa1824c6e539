"""geodata's import/export targets mirror the layer registry (geodata may not import layers, so a test guards it)."""
from __future__ import annotations

from geodata.io.targets import TARGETS
from layers.registry import registry


def test_every_registered_geodata_layer_has_a_matching_target():
    specs = [s for s in registry.all() if s.model_label.startswith("geodata.")]
    assert specs
    for spec in specs:
        target = TARGETS.get(spec.id)
        assert target is not None, f"{spec.id} has no import/export target"
        assert (target.model_label, target.geometry_type) == (spec.model_label, spec.geometry_type), spec.id
        assert target.exposed == spec.properties, spec.id


def test_no_private_property_is_exported():
    for spec in registry.all():
        if spec.id in TARGETS:
            assert not set(spec.private_properties) & set(TARGETS[spec.id].exposed), spec.id


def test_targets_name_only_registered_layers():
    assert set(TARGETS) <= {s.id for s in registry.all()}
