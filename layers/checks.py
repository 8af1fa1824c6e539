"""System check: every LayerSpec names a real table, geometry column, SRID, spatial index and attributes."""

from __future__ import annotations

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from layers.registry import registry


@checks.register(checks.Tags.models)
def check_layer_specs(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for spec in registry.all():
        try:
            model = spec.model
        except LookupError:
            errors.append(checks.Error(f"layer {spec.id}: unknown model {spec.model_label}", id="layers.E001"))
            continue
        names = (spec.geometry_field, spec.id_field, *spec.properties, *spec.private_properties)
        for name in names + tuple(n for n in (spec.commune_field, spec.datetime_field) if n):
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                errors.append(checks.Error(f"layer {spec.id}: {model.__name__} has no field {name}", id="layers.E002"))
        geometry = (
            model._meta.get_field(spec.geometry_field)
            if spec.geometry_field in {f.name for f in model._meta.fields}
            else None
        )
        if geometry is not None:
            if getattr(geometry, "srid", None) != spec.srid:
                errors.append(checks.Error(f"layer {spec.id}: SRID {spec.srid} != column SRID", id="layers.E003"))
            if not getattr(geometry, "spatial_index", False):
                errors.append(checks.Error(f"layer {spec.id}: geometry has no spatial index", id="layers.E004"))
        try:  # each attribute record's kind fits its column, and its choices are a declared vocabulary
            spec.records  # noqa: B018
        except (ValueError, FieldDoesNotExist) as error:
            errors.append(checks.Error(f"layer {spec.id}: {error}", id="layers.E007"))
        extra_tile = set(spec.tile_properties or ()) - set(spec.properties)
        if extra_tile:
            errors.append(
                checks.Error(
                    f"layer {spec.id}: tile_properties not in properties: {sorted(extra_tile)}", id="layers.E005"
                )
            )
        if spec.detail_zoom and spec.detail_zoom[0] not in spec.properties:
            errors.append(checks.Error(f"layer {spec.id}: detail_zoom attribute is not exposed", id="layers.E008"))
        unknown = set(spec.source_tables) - {m._meta.db_table for m in apps.get_models()}
        if unknown:  # a typo would leave the layer's tiles uncached (an untracked table is never trusted)
            errors.append(
                checks.Error(
                    f"layer {spec.id}: source_tables are no model's table: {sorted(unknown)}", id="layers.E006"
                )
            )
    return errors
