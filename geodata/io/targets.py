"""Which model each public layer id imports into and exports from: the one mapping geodata keeps.

geodata imports no other local app, so it cannot read layers.registry; this table mirrors the registry's
model, geometry type and exposed properties, and tests/geodata/test_import_targets.py fails when they drift.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

# Columns that identify rows in other systems: dropped on import (and said so), never written.
ID_COLUMNS = frozenset({"id", "fid", "ogc_fid", "objectid", "gid", "ogr_fid"})
# Model columns the pipeline sets itself.
MANAGED = frozenset({"id", "geom", "synthetic", "updated_at"})
# Common names of shared columns in the province's files (lower case).
COMMON_ALIASES = {"ma_xa": "commune_code", "maxa": "commune_code", "ma_phuong_xa": "commune_code",
                  "commune": "commune_code"}


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


def _t(layer_id: str, model: str, geometry: str, exposed: str, **aliases: str) -> Target:
    return Target(layer_id, f"geodata.{model}", geometry, tuple(exposed.split()), aliases)


_LIST = [
    _t("province", "Province", "MultiPolygon", "code name"),
    _t("districts_2024", "District2024", "MultiPolygon", "code name old_province_code old_province_name"),
    _t("communes", "Commune", "MultiPolygon", "code name kind geometry_source area_km2", ma_xa="code"),
    _t("planning_zones", "PlanningZone", "MultiPolygon",
       "plan_name plan_level decision_no decision_date land_use_code max_height_m max_density_pct drawing_url "
       "text_url decision_url commune_code", so_qd="decision_no", ngay_qd="decision_date"),
    _t("land_parcels", "LandParcel", "MultiPolygon", "map_sheet_no parcel_no area_m2 land_use_code commune_code",
       so_to="map_sheet_no", sh_to="map_sheet_no", so_thua="parcel_no", sh_thua="parcel_no", dien_tich="area_m2",
       dientich="area_m2", loai_dat="land_use_code", mdsd="land_use_code", kyhieumucd="land_use_code"),
    _t("land_use_changes", "LandUseChange", "MultiPolygon", "from_code to_code changed_on permitted commune_code"),
    _t("houses", "House", "Point", "address_code status members floors commune_code", ma_dia_chi="address_code"),
    _t("roads", "Road", "MultiLineString", "road_class route_no name surface condition length_m commune_code",
       ten_duong="name"),
    _t("waterways", "Waterway", "MultiLineString", "name kind navigable commune_code"),
    _t("railways", "Railway", "MultiLineString", "name status commune_code"),
    _t("bridges", "Bridge", "Point", "name road_class length_m load_limit_t condition commune_code"),
    _t("power_lines", "PowerLine", "MultiLineString", "voltage_kv operator commune_code"),
    _t("power_stations", "PowerStation", "Point", "name kind capacity_mw commune_code"),
    _t("schools", "School", "Point", "name level students public commune_code"),
    _t("health_facilities", "HealthFacility", "Point", "name kind beds commune_code"),
    _t("water_supply", "WaterSupply", "MultiLineString", "kind diameter_mm operator commune_code"),
    _t("drainage", "Drainage", "MultiLineString", "kind diameter_mm condition commune_code"),
    _t("trees", "Tree", "Point", "species height_m planted_year condition commune_code"),
    _t("street_lights", "StreetLight", "Point", "status wattage_w kwh_month lamp_type commune_code"),
    _t("cameras", "Camera", "Point",
       "name owner_unit codec hls_url status view_direction_deg resolution needs_transcoding last_checked_at "
       "commune_code"),
    _t("sensors", "Sensor", "Point",
       "code name kind parameter unit threshold last_value last_observed_at commune_code"),
    _t("industrial_parks", "IndustrialPark", "MultiPolygon", "name operator area_ha occupancy_pct commune_code"),
    _t("enterprises", "Enterprise", "Point", "name tax_code sector employees commune_code", mst="tax_code"),
    _t("tourism_sites", "TourismSite", "Point", "name kind capacity visitors_today commune_code"),
    _t("ocop_products", "OcopProduct", "Point", "name producer category stars commune_code"),
    _t("construction_sites", "ConstructionSite", "Point",
       "name permit_no status violations started_on commune_code", so_gp="permit_no"),
    _t("incidents", "Incident", "Point", "kind occurred_at status severity description cases commune_code"),
]
TARGETS: dict[str, Target] = {t.layer_id: t for t in _LIST}
ADMIN_LAYERS = frozenset({"province", "districts_2024", "communes"})  # replaced by geodata_import_admin only


def get_target(layer_id: str) -> Target:
    """The target of a layer id; ValueError naming the known ids otherwise."""
    try:
        return TARGETS[layer_id]
    except KeyError:
        raise ValueError(f"unknown layer {layer_id!r}; known layers: {', '.join(TARGETS)}") from None
