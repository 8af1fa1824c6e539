"""Loading the province, the pre-2025 districts and the 2025 communes from the reference data."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from shapely import set_precision
from shapely.geometry import shape
from shapely.ops import unary_union

from geodata.models import Commune, District2024, Province
from geodata.partition import partition_districts, polygonal

PROVINCE_CODE = "75"
PROVINCE_NAME = "Tỉnh Đồng Nai"
DISTRICTS_FILE = "dongnai_districts_pre2025.geojson"
COMMUNES_FILE = "dongnai_communes_2025.json"


def reference_path(name: str) -> Path:
    return Path(settings.MAPSERVER_REFERENCE_DATA) / name


def official_communes() -> list[dict]:
    """The official list of the 95 communes of 2025 (code, name, merged_from)."""
    return json.loads(reference_path(COMMUNES_FILE).read_text(encoding="utf-8"))["communes"]


def commune_kind(name: str) -> str:
    return "phường" if name.startswith("Phường") else "xã"


GRID_DEGREES = 1e-7  # about 1 cm: stored on this grid so that 7-decimal GeoJSON output stays valid


def to_geos(geometry) -> GEOSGeometry:
    return GEOSGeometry(memoryview(polygonal(set_precision(geometry, GRID_DEGREES)).wkb), srid=4326)


@transaction.atomic
def load_admin_units() -> dict[str, int]:
    """Replace province, districts and (derived) communes from the reference files; returns counts."""
    features = json.loads(reference_path(DISTRICTS_FILE).read_text(encoding="utf-8"))["features"]
    districts = {f["properties"]["old_district_code"]: polygonal(shape(f["geometry"])) for f in features}
    District2024.objects.all().delete()
    District2024.objects.bulk_create(
        District2024(
            code=f["properties"]["old_district_code"],
            name=f["properties"]["old_district_name"],
            old_province_code=f["properties"]["old_province_code"],
            old_province_name=f["properties"]["old_province_name"],
            geom=to_geos(districts[f["properties"]["old_district_code"]]),
        )
        for f in features
    )
    Province.objects.all().delete()
    Province.objects.create(code=PROVINCE_CODE, name=PROVINCE_NAME, geom=to_geos(unary_union(list(districts.values()))))
    communes = official_communes()
    polygons = partition_districts(districts, communes)
    Commune.objects.all().delete()
    Commune.objects.bulk_create(
        Commune(
            code=c["code"],
            name=c["name"],
            kind=commune_kind(c["name"]),
            merged_from=c["merged_from"],
            geometry_source=Commune.DERIVED,
            geom=to_geos(polygons[c["code"]]),
        )
        for c in communes
    )
    refresh_commune_areas()
    return {"districts": len(features), "communes": len(communes)}


def refresh_commune_areas() -> None:
    """Store each commune's area in km² on the ellipsoid."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Commune._meta.db_table} SET area_km2 = ST_Area(geom::geography) / 1e6")
