"""The catalogue: the layers a principal may see, with their counts."""

from __future__ import annotations

from layers import queries
from layers.registry import GROUPS, LayerSpec, registry
from mapserver.principal import Principal
from mapserver.scoping import LayerAccess, layer_access


def visible_layers(principal: Principal) -> list[tuple[LayerSpec, LayerAccess]]:
    """Layers the principal may read, in catalogue order, with the access verdict for each."""
    visible = []
    for spec in registry.all():
        access = layer_access(principal, spec)
        if access.read:
            visible.append((spec, access))
    order = list(GROUPS)
    return sorted(visible, key=lambda item: order.index(item[0].group))


def visible_layer(principal: Principal, layer_id: str) -> tuple[LayerSpec, LayerAccess] | None:
    """The spec and access for one layer, or None if it does not exist or may not be read."""
    spec = registry.get(layer_id)
    if spec is None:
        return None
    access = layer_access(principal, spec)
    return (spec, access) if access.read else None


def attribute_records(spec: LayerSpec, access: LayerAccess) -> list[dict]:
    """The records of the attributes the caller may read: name, labels, kind, unit, additive and labelled values."""
    names = spec.properties + (spec.private_properties if access.private_fields else ())
    return [spec.attribute(name).as_dict() for name in names]


def geometry_note(spec: LayerSpec) -> str:
    """The layer's geometry notice, shown only while its rows are still derived (gone after an official import)."""
    if not spec.geometry_note:
        return ""
    if "geometry_source" in spec.properties and not queries.derived_rows_exist(spec):
        return ""
    return spec.geometry_note
