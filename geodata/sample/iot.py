"""Cameras (268: 75 live, 193 dead), sensors with thresholds and 30 days of 15-minute observations (iot.sql).

A seeded ~15 % of the sensors (at least one of each kind) breach their threshold inside one window of a few
hours; half of those windows are still open at `REFERENCE_TIME`, so "current" alerts fire too. The others stay
below 97 % of their threshold. Find the breaching sensors by query, never by id:

    SELECT s.* FROM geodata_sensor s
    WHERE EXISTS (SELECT 1 FROM geodata_sensorobservation o WHERE o.sensor_id = s.id AND o.value > s.threshold)
"""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np

from geodata.sample import places
from geodata.sample.context import REFERENCE_TIME, count, indexes_rebuilt, sql_params
from geodata.sample.sqlrun import run
from geodata.sample.volumes import CAMERAS, CAMERAS_LIVE, Volumes

OBSERVATION_STEP = timedelta(minutes=15)
OBSERVATION_STEPS = 30 * 24 * 4  # 2,880 readings: 30 days at 15-minute steps, the last one at REFERENCE_TIME
BREACH_SHARE = 0.15


def _level_sensor(code: str, name: str, threshold: float, lon: float, lat: float, river: str | None) -> dict:
    """A water-level station: tidal near the sea, daily swings upstream, slow swell on reservoirs."""
    tidal = threshold < 5
    return {
        "code": code,
        "name": name,
        "kind": "water_level",
        "parameter": "level_m",
        "unit": "m",
        "threshold": threshold,
        "base": 0.55 * threshold if tidal else threshold - 3.0,
        "amp": 0.25 * threshold if tidal else 0.6,
        "period_h": 12.42 if tidal else 24.0,
        "noise": 0.03 * threshold if tidal else 0.15,
        "excess": min(1.5, 0.3 * threshold),
        "lon": lon,
        "lat": lat,
        "river": river,
        "park": None,
        "slot": 0,
    }


def _park_sensors(index: int, park: str) -> list[dict]:
    """An air-quality (PM2.5) and a waste-water (COD) sensor inside one industrial park."""
    common = {"lon": None, "lat": None, "river": None, "park": park, "period_h": 24.0}
    return [
        {
            **common,
            "code": f"AQ-{index:02d}",
            "name": f"Quan trắc không khí {park}",
            "kind": "air_quality",
            "parameter": "pm25",
            "unit": "µg/m³",
            "threshold": 50.0,
            "base": 24.0,
            "amp": 9.0,
            "noise": 3.0,
            "excess": 30.0,
            "slot": 1,
        },
        {
            **common,
            "code": f"WQ-{index:02d}",
            "name": f"Quan trắc nước thải {park}",
            "kind": "water_quality",
            "parameter": "cod",
            "unit": "mg/L",
            "threshold": 75.0,
            "base": 38.0,
            "amp": 8.0,
            "noise": 4.0,
            "excess": 60.0,
            "slot": 2,
        },
    ]


def sensor_specs(total: int, seed: int) -> list[dict]:
    """The sensors to create, with seeded breach windows on ~15 % of them."""
    levels = [_level_sensor(*station) for station in places.WATER_LEVEL_STATIONS]
    quality = [s for i, park in enumerate(places.INDUSTRIAL_PARKS, 1) for s in _park_sensors(i, park[0])]
    n_level = min(len(levels), math.ceil(0.3 * total))
    specs = levels[:n_level] + quality[: total - n_level]
    rng = np.random.default_rng(seed)
    for spec in specs:
        spec["breach_start"] = spec["breach_end"] = None
    for kind in ("water_level", "air_quality", "water_quality"):
        group = [s for s in specs if s["kind"] == kind]
        if not group:
            continue
        chosen = rng.choice(len(group), size=max(1, round(BREACH_SHARE * len(group))), replace=False)
        for order, index in enumerate(sorted(chosen)):
            hours = float(rng.uniform(3, 18))
            if order % 2 == 0:  # still breaching at the reference time
                start = REFERENCE_TIME - timedelta(hours=0.6 * hours)
            else:
                start = REFERENCE_TIME - timedelta(days=float(rng.uniform(2, 27)))
            start = start.replace(minute=start.minute // 15 * 15, second=0, microsecond=0)
            group[index]["breach_start"], group[index]["breach_end"] = start, start + timedelta(hours=hours)
    return specs


def generate(cursor, volumes: Volumes, seed: int) -> dict[str, int]:
    """Cameras on roads, then sensors and their observation series."""
    cursor.execute("SELECT min(id) FROM geodata_road WHERE synthetic")
    first_road = cursor.fetchone()[0]
    run(cursor, "iot.sql", "cameras", sql_params(total=CAMERAS, live=CAMERAS_LIVE, first_road=first_road))
    run(cursor, "iot.sql", "camera_hls")
    run(cursor, "iot.sql", "drop_sensor_meta")
    run(cursor, "iot.sql", "sensor_meta")
    for spec in sensor_specs(volumes.sensors, seed):
        run(cursor, "iot.sql", "add_sensor_meta", spec)
    run(cursor, "iot.sql", "sensors", sql_params())
    with indexes_rebuilt(cursor, ("geodata_sensorobservation",), volumes.sensors * OBSERVATION_STEPS):
        run(cursor, "iot.sql", "observations", sql_params(steps=OBSERVATION_STEPS))
    run(cursor, "iot.sql", "sensor_last")
    cursor.execute(
        "SELECT count(*) FROM geodata_sensorobservation o JOIN geodata_sensor s ON s.id = o.sensor_id WHERE s.synthetic"
    )
    observations = cursor.fetchone()[0]
    return {
        "cameras": count(cursor, "geodata_camera"),
        "sensors": count(cursor, "geodata_sensor"),
        "observations": observations,
    }
