"""Which model each layer id imports into and exports from: read from the layer registry (geodata.registry).

Every registered layer stored in a table (not a database view) is a target; its exposed attributes are exported
and its `import_aliases` name the province's usual column names for its attributes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

from geodata.registry import LayerSpec, registry

# Columns that identify rows in other systems: dropped on import (and said so), never written.
ID_COLUMNS = frozenset({"id", "fid", "ogc_fid", "objectid", "gid", "ogr_fid"})
# Model columns the pipeline sets itself.
MANAGED = frozenset({"id", "geom", "synthetic", "updated_at"})
# Common names of shared columns in the province's files (lower case).
COMMON_ALIASES = {
    "ma_xa": "commune_code",
    "maxa": "commune_code",
    "ma_phuong_xa": "commune_code",
    "commune": "commune_code",
}


@dataclass(frozen=True)
class Target:
    """A layer's model, geometry type, exposed attributes (exported) and extra importable attributes."""

    layer_id: str
    model_label: str
    geometry_type: str  # Point, MultiLineString or MultiPolygon
    exposed: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def importable(self) -> dict[str, models.Field]:
        """Every stored attribute a file may set (exposed ones and private ones such as RTSP URLs)."""
        return {f.name: f for f in self.model._meta.concrete_fields if f.name not in MANAGED}

    def column_names(self) -> dict[str, str]:
        """Lower-case column name or alias -> attribute, including 10-character shapefile truncations."""
        names = {name.lower(): name for name in self.importable()}
        for name in self.importable():
            names.setdefault(shapefile_name(name).lower(), name)
        for alias, name in {**COMMON_ALIASES, **self.aliases}.items():
            if name in self.importable():
                names.setdefault(alias.lower(), name)
        return names


def shapefile_name(name: str) -> str:
    """The DBF column name used for an attribute (DBF names hold 10 characters)."""
    return name[:10]


def target_of(spec: LayerSpec) -> Target:
    """The import/export target of a registered layer."""
    return Target(spec.id, spec.model_label, spec.geometry_type, spec.properties, dict(spec.import_aliases))


def importable(spec: LayerSpec) -> bool:
    """Whether files can be imported into the layer: its rows live in a table, not a database view."""
    return spec.model._meta.managed


class _Targets(Mapping[str, Target]):
    """{layer id: Target} of every importable registered layer, read from the registry when asked."""

    def _all(self) -> dict[str, Target]:
        return {spec.id: target_of(spec) for spec in registry.all() if importable(spec)}

    def __getitem__(self, layer_id: str) -> Target:
        return self._all()[layer_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


class _AdminLayers:
    """Layer ids of administrative units (replaced by geodata_import_admin only)."""

    def __contains__(self, layer_id: object) -> bool:
        spec = registry.get(layer_id) if isinstance(layer_id, str) else None
        return bool(spec and spec.admin_unit)


TARGETS: Mapping[str, Target] = _Targets()
ADMIN_LAYERS = _AdminLayers()


def get_target(layer_id: str) -> Target:
    """The target of a layer id; ValueError naming the known ids otherwise."""
    try:
        return TARGETS[layer_id]
    except KeyError:
        raise ValueError(f"unknown layer {layer_id!r}; known layers: {', '.join(TARGETS)}") from None
