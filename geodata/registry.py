"""The one layer registry: a frozen LayerSpec per layer drives OGC collections, tiles, scenario queries and imports.

It lives in geodata (the lowest app) so the importer and exporter read it too; the declarations stay in each
app's layers.py (collected at start-up by layers.apps) and `layers.registry` re-exports these names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.db import models

from geodata.attributes import Attribute

GROUPS: dict[str, tuple[str, str]] = {
    # group id: (Vietnamese title, English title), in the catalogue's order
    "base": ("Bản đồ nền", "Base map"),
    "planning": ("Quy hoạch", "Planning"),
    "land": ("Đất đai", "Land"),
    "housing": ("Nhà ở, địa chỉ số", "Housing and digital address"),
    "infrastructure": ("Hạ tầng kỹ thuật", "Technical infrastructure"),
    "iot": ("IoT: camera, cảm biến", "IoT: cameras and sensors"),
    "economy": ("Kinh tế, xã hội", "Economy and society"),
    "emergency": ("Khẩn cấp", "Emergency"),
    "reports": ("Phản ánh hiện trường", "Field reports"),
    "indicators": ("Chỉ tiêu", "Indicators"),
}


@dataclass(frozen=True)
class LayerSpec:
    """Everything the platform needs to publish one layer."""

    id: str
    title: str
    title_en: str
    group: str
    model_label: str  # "app_label.ModelName" of a GeoDjango model
    geometry_type: str  # Point, MultiLineString, MultiPolygon
    attributes: tuple[Attribute, ...]  # allow-list of attributes exposed to readers, with labels and units
    public: bool = True
    sector: str = ""  # the department sector whose staff may read (if protected) and write it
    private_attributes: tuple[Attribute, ...] = ()  # exposed to admins only (e.g. RTSP URLs)
    personal_data: bool = False  # rows describe people (households): every read of rows is audited
    id_field: str = "id"
    geometry_field: str = "geom"
    srid: int = 4326
    commune_field: str | None = "commune_code"
    datetime_field: str | None = None
    label_field: str | None = None
    editable: bool = False
    commune_editable: bool = False  # commune staff may write rows of their commune
    minzoom: int = 0
    maxzoom: int = 22
    simplify: bool = False  # simplify lines/polygons by zoom in tiles
    cluster_below_zoom: int | None = None  # points aggregated on a grid below this zoom
    cluster_category: str | None = None  # attribute broken down in aggregated cells
    # (attribute, ((value, zoom), ...)): features with these values enter the tiles only from that zoom on, as minor
    # roads do on any base map (a province view of every street segment is mostly sub-pixel lines to lay out)
    detail_zoom: tuple[str, tuple[tuple[str, int], ...]] | None = None
    # attributes written into vector tiles (None: every exposed one); popups read the others from the OGC API
    tile_properties: tuple[str, ...] | None = None
    synthetic: bool = False
    geometry_note: str = ""  # shown wherever the layer is displayed (e.g. derived boundaries)
    description: str = ""
    # tables whose writes change the layer (a view's base tables: they key its tiles); empty: the layer's own table
    source_tables: tuple[str, ...] = ()
    admin_unit: bool = False  # an administrative boundary: drawn above other lines, replaced by geodata_import_admin
    base_map: bool = False  # part of the shared base-map tile source
    visible: bool = False  # shown when the operations map opens
    point_context: bool = False  # "what is here" answers name the rows covering the point
    # radius queries sum per-cell counts and sums kept by triggers (scenarios/cells.py); for large point layers
    radius_cells: bool = False
    import_aliases: dict[str, str] = field(default_factory=dict, compare=False, hash=False)  # file column -> attribute
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def version_tables(self) -> tuple[str, ...]:
        """The tables whose change versions key the layer's cached tiles (layers/versioning.py)."""
        return self.source_tables or (self.table,)

    @property
    def properties(self) -> tuple[str, ...]:
        """Names of the exposed attributes, in declaration order."""
        return tuple(a.name for a in self.attributes)

    @property
    def private_properties(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.private_attributes)

    @cached_property
    def records(self) -> dict[str, Attribute]:
        """{name: attribute record} of exposed and private attributes, kind and vocabulary filled from the model."""
        found = {}
        for declared in self.attributes + self.private_attributes:
            found[declared.name] = declared.resolved(self.model._meta.get_field(declared.name))
        return found

    def attribute(self, name: str) -> Attribute:
        """The resolved record of one exposed (or private) attribute; KeyError for others."""
        return self.records[name]

    def field_type(self, name: str) -> str:
        """The Django internal type of an exposed attribute (CharField, IntegerField, ...)."""
        return self.model._meta.get_field(name).get_internal_type()


class Registry:
    """All declared layers, in declaration order."""

    def __init__(self) -> None:
        self._layers: dict[str, LayerSpec] = {}

    def register(self, *specs: LayerSpec) -> None:
        for spec in specs:
            if spec.id in self._layers and self._layers[spec.id] != spec:
                raise ValueError(f"layer {spec.id!r} declared twice")
            if spec.group not in GROUPS:
                raise ValueError(f"layer {spec.id!r} has unknown group {spec.group!r}")
            self._layers[spec.id] = spec

    def get(self, layer_id: str) -> LayerSpec | None:
        return self._layers.get(layer_id)

    def all(self) -> list[LayerSpec]:
        return list(self._layers.values())

    def __contains__(self, layer_id: str) -> bool:
        return layer_id in self._layers


registry = Registry()
