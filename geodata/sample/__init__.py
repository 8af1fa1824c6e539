"""The seeded synthetic sample-data generator (every row it writes is marked synthetic).

`generate_all(scale, seed, out)` fills every sector layer inside the real province, in the commune that
actually contains each feature, mostly with set-based SQL inside PostGIS (the statements live in the .sql
files of this package). Randomness is keyed: `pg_temp.rnd(key)` hashes the seed with a key naming the row,
and `ST_GeneratePoints` gets seeds derived the same way, so a seed and a scale always give the same data.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection, transaction
from psycopg import sql

from geodata.sample import context, economy, indicators, iot, land, networks, operations, socio_economic
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
    ("operations", operations.generate),  # after the roads, schools and incidents it builds on
    ("iot", iot.generate),
    ("indicators", indicators.generate),
    ("socio_economic", socio_economic.generate),
]


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
        for table in context.geodata_tables():
            cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))
    out.write(f"analyze: {time.monotonic() - started:.1f} s\n")
