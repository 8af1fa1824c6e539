"""The one layer registry: a frozen LayerSpec per layer drives OGC collections, tiles and scenario queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.db import models

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
    properties: tuple[str, ...]  # allow-list of attributes exposed to readers
    public: bool = True
    sector: str = ""  # the department sector whose staff may read (if protected) and write it
    private_properties: tuple[str, ...] = ()  # exposed to admins only (e.g. RTSP URLs)
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
    # attributes written into vector tiles (None: every exposed one); popups read the others from the OGC API
    tile_properties: tuple[str, ...] | None = None
    synthetic: bool = False
    geometry_note: str = ""  # shown wherever the layer is displayed (e.g. derived boundaries)
    description: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def table(self) -> str:
        return self.model._meta.db_table

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
