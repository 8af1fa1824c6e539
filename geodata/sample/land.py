"""Planning zones, land parcels, land-use changes and houses (statements in land.sql)."""

from __future__ import annotations

from geodata.sample.context import count, indexes_rebuilt, sql_params
from geodata.sample.sqlrun import run
from geodata.sample.volumes import Volumes


def generate(cursor, volumes: Volumes, seed: int) -> dict[str, int]:
    """Parcels first (houses stand on them), then houses, land-use changes and planning zones."""
    with indexes_rebuilt(cursor, ("geodata_landparcel", "geodata_house"), volumes.houses):
        # Voronoi cells lost at settlement edges and tiny slivers: aim 6 % above the minimum.
        area = sql_params(total=int(volumes.land_parcels * 1.06), min_per_commune=8)
        for name in (
            "drop_parcel_area",
            "parcel_area",
            "drop_parcel_part",
            "parcel_part",
            "parcel_part_index",
            "parcels",
        ):
            run(cursor, "land.sql", name, area)
        run(cursor, "land.sql", "houses", sql_params(total=volumes.houses))
    run(cursor, "land.sql", "land_use_changes", sql_params(total=volumes.land_use_changes))
    run(cursor, "land.sql", "planning_zones", sql_params(total=int(volumes.planning_zones * 1.05)))
    tables = {
        "land_parcels": "geodata_landparcel",
        "houses": "geodata_house",
        "land_use_changes": "geodata_landusechange",
        "planning_zones": "geodata_planningzone",
    }
    return {layer: count(cursor, table) for layer, table in tables.items()}
