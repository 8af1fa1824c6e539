"""The flooded houses follow the water-level stations: a level over the alarm floods the station's reach by the
inundation raster of its level band; a level back below the alarm switches the alert off.

Reference, written here: each house's nearest station in UTM 48N (pyproj, numpy), the band from the declared
offsets, the depth read with rasterio's own sampler from the registered band raster."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import rasterio
from django.utils import timezone
from pyproj import Transformer
from shapely.geometry import Point

from geodata import models as m
from mapserver.principal import Principal
from scenarios import sectors
from scenarios.rastersample import raster_path
from scenarios.runner import run_scenario
from tests.scenarios.conftest import commune_shape

pytestmark = pytest.mark.django_db
ADMIN = Principal(username="t_flood", role="admin")
FLOOD = sectors.get("flood_water_level")
STEP = next(s for s in FLOOD.steps if s.id == "flooded_houses")
TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)
STATION = "WL-BH"
COMMUNE = "26041"  # Phường Trấn Biên, on the Đồng Nai beside the Biên Hòa station


def houses_in(code: str) -> list[tuple[float, float, int]]:
    shape = commune_shape(code)
    rows = m.House.objects.filter(geom__bboverlaps=m.Commune.objects.get(code=code).geom)
    return [(h.geom.x, h.geom.y, h.members) for h in rows if shape.contains(Point(h.geom.x, h.geom.y))]


def expected_flooded(code: str, level: float, min_depth: float = 0.5) -> tuple[int, int]:
    """(houses, people) of the commune flooded when only STATION has a current level."""
    stations = list(m.Sensor.objects.filter(kind="water_level").order_by("code"))
    station = next(s for s in stations if s.code == STATION)
    offsets = [(o, r) for o, r in STEP.bands if level - station.threshold >= o]
    if level <= station.threshold or not offsets:
        return 0, 0
    raster = offsets[-1][1]
    houses = houses_in(code)
    hx, hy = TO_UTM.transform(np.array([h[0] for h in houses]), np.array([h[1] for h in houses]))
    sx, sy = TO_UTM.transform(np.array([s.geom.x for s in stations]), np.array([s.geom.y for s in stations]))
    nearest = np.argmin((hx[:, None] - sx[None, :]) ** 2 + (hy[:, None] - sy[None, :]) ** 2, axis=1)
    mine = [h for h, k in zip(houses, nearest) if stations[k].code == STATION]
    with rasterio.open(raster_path(raster)) as src:
        depths = [v[0] for v in src.sample([(x, y) for x, y, _ in mine])]
        wet = [h for h, d in zip(mine, depths) if d != src.nodata and d >= min_depth]
    return len(wet), sum(h[2] for h in wet)


def level_now(level: float, minutes_ago: float = 1) -> None:
    station = m.Sensor.objects.get(code=STATION)
    m.SensorObservation.objects.create(
        sensor=station, observed_at=timezone.now() - dt.timedelta(minutes=minutes_ago), value=level
    )


def flood_run() -> dict:
    return run_scenario(FLOOD, ADMIN, {"type": "commune", "code": COMMUNE}, {}, "on_demand").result


def test_without_recent_levels_the_flood_is_unknown_not_dry():
    result = flood_run()
    group = result["groups"]["flooded_houses"]
    assert group["freshness"]["status"] == "no_recent_data" and group["totals"]["count"] == 0
    assert not result["alerts"]
    assert {n["step"] for n in result["no_recent_data"]} == {"sensors_over_alarm", "flooded_houses"}


def test_a_level_over_the_alarm_floods_the_reach_and_switches_off_below_it():
    threshold = m.Sensor.objects.get(code=STATION).threshold
    level_now(threshold + 1.2, minutes_ago=20)  # the major-flood band
    result = flood_run()
    houses, people = expected_flooded(COMMUNE, threshold + 1.2)
    totals = result["groups"]["flooded_houses"]["totals"]
    assert houses > 0 and (totals["count"], totals["members"]) == (houses, people)
    assert [a["commune"] for a in result["alerts"] if a["step"] == "flooded_houses"] == [COMMUNE]
    assert result["groups"]["flooded_houses"]["freshness"]["status"] == "partial"  # the other stations: no data

    level_now(threshold + 0.2, minutes_ago=10)  # the lowest band floods less
    result = flood_run()
    low = expected_flooded(COMMUNE, threshold + 0.2)
    totals = result["groups"]["flooded_houses"]["totals"]
    assert (totals["count"], totals["members"]) == low and low[0] < houses

    level_now(threshold - 0.3, minutes_ago=1)  # back below the alarm level: the alert switches off
    result = flood_run()
    assert expected_flooded(COMMUNE, threshold - 0.3) == (0, 0)
    assert result["groups"]["flooded_houses"]["totals"]["count"] == 0
    assert not [a for a in result["alerts"] if a["step"] in ("flooded_houses", "sensors_over_alarm")]
