"""Sample rows of the sectors that had no scenario (operations.sql): road-segment speeds and accident black
spots, mining licences and activity, shelters, rescue resources, fire stations and premises, and the staff of
the sample schools and health facilities. Runs after the networks and incidents it builds on."""

from __future__ import annotations

import math

from geodata.sample.context import count, sql_params
from geodata.sample.sqlrun import run
from geodata.sample.volumes import MINIMUMS, Volumes

TABLES = {
    "road_segments": "geodata_roadsegment",
    "mining_licences": "geodata_mininglicence",
    "mining_activities": "geodata_miningactivity",
    "shelters": "geodata_shelter",
    "rescue_resources": "geodata_rescueresource",
    "fire_stations": "geodata_firestation",
    "fire_premises": "geodata_firepremises",
}


def generate(cursor, volumes: Volumes, seed: int) -> dict[str, int]:
    """Every layer of operations.sql, sized from the scale the volumes were drawn at."""
    scale = volumes.roads / MINIMUMS["roads"]

    def n(base: int, floor: int = 3) -> int:
        return max(floor, math.ceil(base * scale))

    run(cursor, "operations.sql", "road_segments", sql_params(share=min(1.0, 0.5 + 0.5 * scale)))
    run(cursor, "operations.sql", "black_spots", sql_params(spots=n(12, 2)))
    run(cursor, "operations.sql", "mining_licences", sql_params(sand=n(40), quarries=n(30)))
    run(cursor, "operations.sql", "mining_activities", sql_params(total=n(160, 8)))
    run(cursor, "operations.sql", "shelters", sql_params())
    run(cursor, "operations.sql", "rescue_resources", sql_params())
    run(cursor, "operations.sql", "fire_stations", sql_params(stations=n(28, 3)))
    run(cursor, "operations.sql", "fire_premises", sql_params(total=n(1500, 20)))
    run(cursor, "operations.sql", "school_staff")
    run(cursor, "operations.sql", "health_staff")
    return {layer: count(cursor, table) for layer, table in TABLES.items()}
