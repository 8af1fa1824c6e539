"""A small explicit world inside Biên Hòa ward: a few features of every layer the 12 scenarios read.

Everything is placed relative to an anchor point inside the ward with pyproj, so distances are known; tests
compare scenario figures with independent counts over every row in the database (fixtures and sample data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Polygon
from django.utils import timezone
from shapely.geometry import Polygon as ShapelyPolygon
from shapely.geometry import box

from geodata import models as m
from tests.scenarios.conftest import BIEN_HOA, GEOD, commune_shape, geos_point

C = {"commune_code": BIEN_HOA}


def at(origin: tuple[float, float], east_m: float, north_m: float) -> tuple[float, float]:
    """The point east_m metres east and north_m metres north of origin (geodesic)."""
    lon, lat, _ = GEOD.fwd(origin[0], origin[1], 90, east_m)
    lon, lat, _ = GEOD.fwd(lon, lat, 0, north_m)
    return lon, lat


def square(origin, east_m, north_m, size_m) -> MultiPolygon:
    corners = [
        at(origin, east_m + dx, north_m + dy) for dx, dy in ((0, 0), (size_m, 0), (size_m, size_m), (0, size_m), (0, 0))
    ]
    return MultiPolygon(Polygon(corners, srid=4326), srid=4326)


def line(origin, *offsets) -> MultiLineString:
    return MultiLineString(LineString([at(origin, e, n) for e, n in offsets], srid=4326), srid=4326)


@dataclass
class World:
    anchor: tuple[float, float]
    drawn: ShapelyPolygon  # a drawn analysis polygon around the fixtures
    ids: dict[str, list[int]] = field(default_factory=dict)


EPIDEMIC_MARK = "T-EPI: ổ dịch thử"  # tells the fixture cases apart from the sample's


def build() -> World:
    """Insert the world (inside the caller's test transaction) and return the anchor and a drawn polygon."""
    ward = commune_shape(BIEN_HOA)
    anchor = _anchor(ward)
    corner_sw, corner_ne = at(anchor, -300, -300), at(anchor, 2300, 2300)
    world = World(anchor, box(corner_sw[0], corner_sw[1], corner_ne[0], corner_ne[1]))
    now = timezone.now()
    _transport(anchor)
    _land(anchor)
    _construction(anchor)
    _sensors(anchor, now)
    _emergency(anchor, now)
    _houses(anchor)
    _tourism_lighting_ocop(anchor)
    return world


def _anchor(ward) -> tuple[float, float]:
    """A point whose 2.6 km square to the north-east lies inside the ward (searched on a grid)."""
    minx, miny, maxx, maxy = ward.bounds
    steps = 30
    for i in range(steps):
        for j in range(steps):
            origin = (minx + (maxx - minx) * i / steps, miny + (maxy - miny) * j / steps)
            sw, ne = at(origin, -400, -400), at(origin, 2400, 2400)
            if ward.contains(box(sw[0], sw[1], ne[0], ne[1])):
                return origin
    raise AssertionError("Biên Hòa ward has no 2.8 km square inside it")


def _transport(a) -> None:
    m.Road.objects.create(
        road_class="urban",
        route_no="QL1",
        name="Đường thử",
        surface="asphalt",
        condition="poor",
        length_m=1000,
        geom=line(a, (0, 100), (1000, 100)),
        **C,
    )
    m.Road.objects.create(
        road_class="commune",
        route_no="",
        name="Hẻm thử",
        surface="concrete",
        condition="good",
        length_m=500,
        geom=line(a, (0, 600), (500, 600)),
        **C,
    )
    for number, condition in enumerate(("good", "fair", "poor", "bad")):
        m.Bridge.objects.create(
            name=f"Cầu {number}",
            road_class="urban",
            length_m=30,
            load_limit_t=10,
            condition=condition,
            geom=geos_point(*at(a, 200 * number, 120)),
            **C,
        )


def _land(a) -> None:
    m.PlanningZone.objects.create(
        plan_name="QH thử",
        plan_level="detailed",
        decision_no="1/QĐ",
        land_use_code="CXX",
        geom=square(a, 0, 1000, 400),
        **C,
    )
    m.LandUseChange.objects.create(
        from_code="LUC",
        to_code="ODT",
        changed_on=dt.date(2025, 5, 1),
        permitted=False,
        geom=square(a, 100, 1100, 100),
        **C,
    )  # inside the green zone: encroachment
    m.LandUseChange.objects.create(
        from_code="LUC",
        to_code="CXX",
        changed_on=dt.date(2025, 6, 1),
        permitted=True,
        geom=square(a, 250, 1100, 100),
        **C,
    )  # same use as the zone: no conflict


def _construction(a) -> None:
    for number, (violations, status) in enumerate(((3, "unpermitted"), (1, "permitted"), (0, "permitted"))):
        m.ConstructionSite.objects.create(
            name=f"Công trình {number}",
            status=status,
            violations=violations,
            geom=geos_point(*at(a, 1500 + 50 * number, 300)),
            **C,
        )


def _sensors(a, now) -> None:
    park = m.IndustrialPark.objects.create(
        name="KCN thử", operator="Sonadezi", area_ha=100, occupancy_pct=80, geom=square(a, 1500, 1500, 600), **C
    )
    air = m.Sensor.objects.create(
        code="T-AIR-1",
        name="Trạm khí thử",
        kind="air_quality",
        parameter="pm25",
        unit="µg/m³",
        threshold=50,
        industrial_park_id=park.id,
        geom=geos_point(*at(a, 1700, 1700)),
        **C,
    )
    level = m.Sensor.objects.create(
        code="T-LVL-1",
        name="Trạm mực nước thử",
        kind="water_level",
        parameter="level_m",
        unit="m",
        threshold=2.0,
        geom=geos_point(*at(a, 400, 1800)),
        **C,
    )
    calm = m.Sensor.objects.create(
        code="T-LVL-2",
        name="Trạm mực nước yên",
        kind="water_level",
        parameter="level_m",
        unit="m",
        threshold=2.0,
        geom=geos_point(*at(a, 600, 1800)),
        **C,
    )
    readings = [
        (air, 30, 40),
        (air, 20, 75),
        (air, 10, 45),
        (air, 5, 90),
        (level, 3, 2.5),
        (level, 1, 2.4),
        (calm, 3, 2.6),
        (calm, 1, 1.5),
    ]  # calm: over the alarm earlier, below it now
    m.SensorObservation.objects.bulk_create(
        m.SensorObservation(sensor=s, observed_at=now - dt.timedelta(hours=h), value=v) for s, h, v in readings
    )


def _emergency(a, now) -> None:
    recent = now - dt.timedelta(days=10)
    for east, north in ((800, 800), (2000, 800)):  # two fires: one beside a water main, one far from any
        m.Incident.objects.create(
            kind="fire", occurred_at=recent, status="responding", severity=3, geom=geos_point(*at(a, east, north)), **C
        )
    m.WaterSupply.objects.create(
        kind="main", diameter_mm=400, operator="Cấp nước thử", geom=line(a, (700, 900), (900, 900)), **C
    )
    for number, (east, north) in enumerate(((1000, 2000), (1100, 2050), (1050, 2100), (1150, 2000))):
        m.Incident.objects.create(
            kind="epidemic",
            occurred_at=recent,
            status="reported",
            severity=2,
            cases=3 + number,
            description=EPIDEMIC_MARK,
            geom=geos_point(*at(a, east, north)),
            **C,
        )
    m.HealthFacility.objects.create(
        name="Trạm y tế thử", kind="health_station", beds=5, geom=geos_point(*at(a, 1200, 2200)), **C
    )
    m.Camera.objects.create(
        name="Camera thử",
        owner_unit="UBND",
        codec="H.264",
        rtsp_url="rtsp://x/1",
        status="live",
        geom=geos_point(*at(a, 800, 900)),
        **C,
    )  # 100 m from the first fire
    m.Camera.objects.create(
        name="Camera hỏng",
        owner_unit="UBND",
        codec="H.265",
        rtsp_url="rtsp://x/2",
        status="dead",
        geom=geos_point(*at(a, 2000, 850)),
        **C,
    )  # dead: covers nothing


def _houses(a) -> None:
    statuses = ["temporary_house"] * 3 + ["poor"] * 2 + ["near_poor", "normal", "normal"]
    for number, status in enumerate(statuses):
        m.House.objects.create(
            address_code=f"T-{number}",
            status=status,
            members=2 + number,
            geom=geos_point(*at(a, 100 + 150 * number, 1900)),
            **C,
        )


def _tourism_lighting_ocop(a) -> None:
    for number, (kind, capacity, visitors) in enumerate(
        (("festival", 100, 95), ("attraction", 200, 50), ("lodging", 80, 60), ("medical", 10, 0), ("toilet", 10, 0))
    ):
        m.TourismSite.objects.create(
            name=f"Điểm {kind}",
            kind=kind,
            capacity=capacity,
            visitors_today=visitors,
            geom=geos_point(*at(a, 1800 + 100 * number, 1300 if kind != "attraction" else 200)),
            **C,
        )
    for number, status in enumerate(("on", "on", "on", "off", "fault")):
        m.StreetLight.objects.create(
            status=status,
            wattage_w=100,
            kwh_month=30,
            lamp_type="led",
            geom=geos_point(*at(a, 100 + 100 * number, 110)),
            **C,
        )
    for number, (category, stars) in enumerate((("food", 3), ("food", 4), ("drink", 5))):
        m.OcopProduct.objects.create(
            name=f"OCOP {number}",
            producer="HTX thử",
            category=category,
            stars=stars,
            geom=geos_point(*at(a, 300 + 100 * number, 1500)),
            **C,
        )
