"""How many rows each synthetic layer gets at a given scale (minimums of issue 3 at scale 1.0)."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

CAMERAS = 268  # the province's real figure, at every scale
CAMERAS_LIVE = 75

MINIMUMS = {
    "houses": 300_000,
    "land_parcels": 100_000,
    "roads": 10_000,
    "schools": 600,
    "health_facilities": 200,
    "power_lines": 1_000,
    "water_supply": 1_000,
    "drainage": 1_000,
    "trees": 10_000,
    "street_lights": 10_000,
    "sensors": 80,
    "planning_zones": 500,
    "industrial_parks": 30,
    "construction_sites": 500,
    "incidents": 1_000,
}


@dataclass(frozen=True)
class Volumes:
    """Target row counts; generators aim a little above so that edge effects never leave a layer short."""

    houses: int
    land_parcels: int
    roads: int
    schools: int
    health_facilities: int
    power_lines: int
    water_supply: int
    drainage: int
    trees: int
    street_lights: int
    sensors: int
    planning_zones: int
    construction_sites: int
    incidents: int
    enterprises: int
    tourism_sites: int
    ocop_products: int
    land_use_changes: int
    power_stations: int

    @classmethod
    def for_scale(cls, scale: float) -> Volumes:
        """Scale every base count, rounding up and keeping a few rows at tiny scales."""
        base = {
            **MINIMUMS,
            "enterprises": 6_000,
            "tourism_sites": 500,
            "ocop_products": 300,
            "land_use_changes": 2_000,
            "power_stations": 100,
        }
        floor = {"sensors": 12, "schools": 20, "health_facilities": 10}
        return cls(**{f.name: max(floor.get(f.name, 5), math.ceil(base[f.name] * scale)) for f in fields(cls)})


def minimum(layer: str, scale: float) -> int:
    """The minimum row count issue 3 asks of a layer at this scale (rounded up)."""
    return math.ceil(MINIMUMS[layer] * scale)
