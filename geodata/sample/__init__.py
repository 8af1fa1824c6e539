"""The seeded synthetic sample-data generator (every row it writes is marked synthetic).

`generate_all(scale, seed, out)` fills every sector layer inside the real province, in the commune that
actually contains each feature, mostly with set-based SQL inside PostGIS (the statements live in the .sql
files of this package). Randomness is keyed: `pg_temp.rnd(key)` hashes the seed with a key naming the row,
and `ST_GeneratePoints` gets seeds derived the same way, so a seed and a scale always give the same data.
"""
from __future__ import annotations

import time
from typing import Callable

from django.db import connection, transaction

from geodata.sample import context, economy, indicators, iot, land, networks
from geodata.sample.context import REFERENCE_TIME
from geodata.sample.volumes import Volumes

__all__ = ["generate_all", "REFERENCE_TIME"]

Step = Callable[..., None]

STEPS: list[tuple[str, Step]] = [
    ("context", context.prepare),
    ("parks", economy.parks),
    ("land", land.generate),
    ("networks", networks.generate),
    ("economy", economy.generate),
    ("iot", iot.generate),
    ("indicators", indicators.generate),
]

ANALYZED_TABLES = (
    "geodata_planningzone", "geodata_landparcel", "geodata_landusechange", "geodata_house", "geodata_road",
    "geodata_waterway", "geodata_railway", "geodata_bridge", "geodata_powerline", "geodata_powerstation",
    "geodata_school", "geodata_healthfacility", "geodata_watersupply", "geodata_drainage", "geodata_tree",
    "geodata_streetlight", "geodata_camera", "geodata_sensor", "geodata_sensorobservation",
    "geodata_industrialpark", "geodata_enterprise", "geodata_tourismsite", "geodata_ocopproduct",
    "geodata_constructionsite", "geodata_incident", "geodata_indicator", "geodata_indicatorvalue",
)


def generate_all(scale: float, seed: int, out, rasters: bool = True) -> None:
    """Replace every synthetic row with a fresh seeded sample at `scale`, then build the synthetic rasters."""
    volumes = Volumes.for_scale(scale)
    with transaction.atomic(), connection.cursor() as cursor:
        context.clear(cursor)
        for name, step in STEPS:
            started = time.monotonic()
            counts = step(cursor, volumes, seed)
            summary = ", ".join(f"{k} {v}" for k, v in counts.items())
            out.write(f"synthetic {name}: {summary} ({time.monotonic() - started:.1f} s)\n")
        context.finish(cursor)
    if rasters:
        from geodata import rasters as raster_layers

        started = time.monotonic()
        written = raster_layers.generate_synthetic(seed)
        out.write(f"synthetic rasters: {', '.join(written)} ({time.monotonic() - started:.1f} s)\n")
    started = time.monotonic()
    with connection.cursor() as cursor:
        for table in ANALYZED_TABLES:
            cursor.execute(f"ANALYZE {table}")  # table names are constants of this module
    out.write(f"analyze: {time.monotonic() - started:.1f} s\n")
