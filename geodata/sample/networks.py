"""Transport and utility networks: roads, waterways, railways, bridges, power, water, drainage, lights, trees,
schools and health facilities (statements in transport.sql and utilities.sql)."""

from __future__ import annotations

from geodata.sample import places
from geodata.sample.context import count, sql_params
from geodata.sample.sqlrun import run
from geodata.sample.volumes import Volumes

TABLES = {
    "roads": "geodata_road",
    "waterways": "geodata_waterway",
    "railways": "geodata_railway",
    "bridges": "geodata_bridge",
    "street_lights": "geodata_streetlight",
    "trees": "geodata_tree",
    "water_supply": "geodata_watersupply",
    "drainage": "geodata_drainage",
    "power_stations": "geodata_powerstation",
    "power_lines": "geodata_powerline",
    "schools": "geodata_school",
    "health_facilities": "geodata_healthfacility",
}


def transport(cursor, volumes: Volumes) -> None:
    """Roads (named, linking, local grids), waterways, railways and the bridges where roads cross water."""
    run(cursor, "transport.sql", "streams")
    run(cursor, "transport.sql", "roads_from_lines", sql_params())
    fixed = count(cursor, "geodata_road")
    # grid pieces fall short of the plan at settlement edges: aim 25 % over what is still missing
    grid = max(int(1.25 * (volumes.roads - fixed)), volumes.roads // 2)
    run(cursor, "transport.sql", "grid_roads", sql_params(total=grid))
    for name in ("waterways", "railways", "bridges"):
        run(cursor, "transport.sql", name, sql_params())


def utilities(cursor, volumes: Volumes) -> None:
    """Lights, trees, pipes, power, schools and health facilities, laid out along roads and in settlements."""
    cursor.execute("SELECT min(id) FROM geodata_road WHERE synthetic")
    first_road = cursor.fetchone()[0]
    run(cursor, "utilities.sql", "street_lights", sql_params(total=volumes.street_lights, first_road=first_road))
    run(cursor, "utilities.sql", "trees", sql_params(total=volumes.trees, first_road=first_road))
    for name in ("water_supply", "drainage"):
        run(cursor, "utilities.sql", name, sql_params(total=int(getattr(volumes, name) * 1.03), first_road=first_road))
    for name, kind, capacity, lon, lat in places.POWER_PLANTS:
        run(cursor, "utilities.sql", "add_plant", sql_params(name=name, kind=kind, capacity=capacity, lon=lon, lat=lat))
    plants = count(cursor, "geodata_powerstation")
    run(
        cursor,
        "utilities.sql",
        "power_stations",
        sql_params(total=max(volumes.power_stations - plants, volumes.power_stations // 2)),
    )
    run(cursor, "utilities.sql", "power_lines", sql_params(total=volumes.power_lines, first_road=first_road))
    run(cursor, "utilities.sql", "schools", sql_params(total=volumes.schools))
    run(cursor, "utilities.sql", "health_stations", sql_params())
    for name, beds, lon, lat in places.HOSPITALS:
        run(cursor, "utilities.sql", "add_hospital", sql_params(name=name, beds=beds, lon=lon, lat=lat))
    stations = count(cursor, "geodata_healthfacility")
    run(cursor, "utilities.sql", "clinics", sql_params(total=max(0, volumes.health_facilities - stations)))


def generate(cursor, volumes: Volumes, seed: int) -> dict[str, int]:
    """Transport first (everything else is laid along roads), then utilities."""
    transport(cursor, volumes)
    utilities(cursor, volumes)
    return {layer: count(cursor, table) for layer, table in TABLES.items()}
