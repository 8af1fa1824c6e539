"""Industrial parks, enterprises, tourism, OCOP, construction sites and incidents (economy.sql, events.sql)."""

from __future__ import annotations

from geodata.sample import places
from geodata.sample.context import count, sql_params
from geodata.sample.sqlrun import run
from geodata.sample.volumes import Volumes

TABLES = {
    "industrial_parks": "geodata_industrialpark",
    "enterprises": "geodata_enterprise",
    "tourism_sites": "geodata_tourismsite",
    "ocop_products": "geodata_ocopproduct",
    "construction_sites": "geodata_constructionsite",
    "incidents": "geodata_incident",
}


def parks(cursor, volumes: Volumes, seed: int) -> dict[str, int]:
    """The real industrial parks, before the land (their parcels are industrial, no house stands in them)."""
    for name, operator, area_ha, lon, lat in places.INDUSTRIAL_PARKS:
        run(
            cursor,
            "economy.sql",
            "add_park",
            sql_params(name=name, operator=operator, area_ha=area_ha, lon=lon, lat=lat),
        )
    return {"industrial_parks": count(cursor, "geodata_industrialpark")}


def generate(cursor, volumes: Volumes, seed: int) -> dict[str, int]:
    """Enterprises (mostly in the parks), tourism, OCOP, construction sites and incidents."""
    run(cursor, "economy.sql", "enterprises", sql_params(total=volumes.enterprises))
    for name, kind, capacity, lon, lat in places.ATTRACTIONS:
        run(
            cursor,
            "economy.sql",
            "add_attraction",
            sql_params(name=name, kind=kind, capacity=capacity, lon=lon, lat=lat),
        )
    run(cursor, "economy.sql", "tourism_services", sql_params(total=volumes.tourism_sites - len(places.ATTRACTIONS)))
    run(cursor, "economy.sql", "ocop", sql_params(total=volumes.ocop_products))
    hot_spots = min(8, max(2, volumes.construction_sites // 60))
    run(cursor, "events.sql", "construction_sites", sql_params(total=volumes.construction_sites, hot_spots=hot_spots))
    run(cursor, "events.sql", "incidents", sql_params(total=int(volumes.incidents * 1.05)))
    return {layer: count(cursor, table) for layer, table in TABLES.items()}
