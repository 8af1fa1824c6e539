"""Radius answers read from the cells (scenarios/cells.py) against independent computations: pyproj geodesic
distances over the rows read through the ORM, and the cells against a fresh GROUP BY of the rows after writes."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import numpy as np
import pytest
from django.contrib.gis.geos import Polygon
from django.db import connection

from geodata.models import House, School, StreetLight
from layers.registry import registry
from scenarios import cells
from tests.scenarios.conftest import BIEN_HOA, GEOD, house

pytestmark = pytest.mark.django_db

HOUSES = registry.get("houses")


def within(model, centre: tuple[float, float], radius: float, *fields: str) -> list[tuple]:
    """(fields...) of the rows of a model within `radius` metres of `centre` on the WGS 84 ellipsoid (pyproj)."""
    pad = radius / 100_000 + 0.01  # degrees: more than the radius in both directions at this latitude
    lon, lat = centre
    window = Polygon.from_bbox((lon - pad, lat - pad, lon + pad, lat + pad))
    window.srid = 4326
    rows = list(model.objects.filter(geom__bboverlaps=window).values_list("geom", *fields))
    if not rows:
        return []
    xs = np.array([g.x for g, *_ in rows])
    ys = np.array([g.y for g, *_ in rows])
    distances = GEOD.inv(np.full(len(rows), lon), np.full(len(rows), lat), xs, ys)[2]
    # a row within a millimetre of the circle would make the comparison a matter of rounding: none is expected
    assert not np.any(np.abs(distances - radius) < 1e-3), "a row lies on the circle; pick another radius"
    return [tuple(rest) for (_, *rest), d in zip(rows, distances, strict=True) if d <= radius]


def expected_houses(centre: tuple[float, float], radius: float, commune: str | None = None) -> dict:
    rows = within(House, centre, radius, "commune_code", "members", "floors")
    rows = [row for row in rows if commune is None or row[0] == commune]
    groups: dict[str, list] = defaultdict(lambda: [0, 0, 0])
    for code, members, floors in rows:
        groups[code][0] += 1
        groups[code][1] += members
        groups[code][2] += floors
    return {
        "count": len(rows),
        "members": sum(r[1] for r in rows),
        "floors": sum(r[2] for r in rows),
        "groups": {code: tuple(v) for code, v in groups.items()},
    }


def some_houses(rng: random.Random, n: int, **filters) -> list[tuple[float, float]]:
    """The coordinates of n seeded random houses."""
    rows = House.objects.filter(**filters).order_by("id")
    total = rows.count()
    return [tuple(rows[rng.randrange(total)].geom.coords) for _ in range(n)]


def radius_body(centre: tuple[float, float], radius: float, **extra) -> dict:
    return {"type": "radius", "center": list(centre), "radius_m": radius, **extra}


def cells_by_recount() -> Counter:
    """The cells of the houses recomputed from the rows (own SQL over geodata_house)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT floor(ST_X(geom) / %(s)s)::int, floor(ST_Y(geom) / %(s)s)::int, commune_code, count(*), "
            "sum(members), sum(floors) FROM geodata_house GROUP BY 1, 2, 3",
            {"s": cells.CELL_DEG},
        )
        return Counter({row[:3]: row[3:] for row in cursor.fetchall()})


def stored_cells() -> Counter:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cx, cy, commune, n, sums[1], sums[2] FROM scenarios_radius_cell WHERE layer = 'houses'")
        return Counter({row[:3]: row[3:] for row in cursor.fetchall()})


def test_the_houses_layer_is_answered_from_cells():
    assert cells.summed(HOUSES) == ("members", "floors")
    assert cells.has_cells(HOUSES) and cells.has_cells(registry.get("street_lights"))
    assert sum(n for n, _, _ in stored_cells().values()) == House.objects.count() > 100_000


def test_random_radii_match_pyproj_distances_as_leader(query):
    rng = random.Random(18)
    centres = some_houses(rng, 6)
    centres += [(rng.uniform(106.80, 106.92), rng.uniform(10.90, 10.98)) for _ in range(4)]  # central Biên Hòa
    for number, centre in enumerate(centres):
        radius = 3000.0 if number % 3 == 0 else round(rng.uniform(150, 8000), 1)
        grouped = number % 2 == 0
        body = radius_body(
            centre, radius, layers=["houses", "schools", "street_lights"], sums={"houses": ["members", "floors"]}
        )
        if grouped:
            body["group_by"] = "commune"
        answer = query(body, "t_leader").json()["layers"]
        expected = expected_houses(centre, radius)
        houses = answer["houses"]
        assert houses["count"] == expected["count"], (centre, radius)
        assert houses["sums"] == {"members": expected["members"], "floors": expected["floors"]}
        if grouped:
            got = {
                code: (g["count"], g["sums"]["members"], g["sums"]["floors"]) for code, g in houses["groups"].items()
            }
            assert got == expected["groups"]
        lights = within(StreetLight, centre, radius, "kwh_month")
        assert answer["street_lights"]["count"] == len(lights)
        assert answer["street_lights"]["sums"]["kwh_month"] == pytest.approx(sum(k for (k,) in lights), abs=0.01)
        schools = within(School, centre, radius, "students")
        assert answer["schools"]["count"] == len(schools)
        assert answer["schools"]["sums"]["students"] == sum(s for (s,) in schools)


def test_a_commune_staff_radius_counts_only_the_houses_of_their_commune(query):
    # a centre in Biên Hòa whose 3 km radius also holds houses of other communes
    rng = random.Random(5)
    for centre in some_houses(rng, 30, commune_code=BIEN_HOA):
        everyone = expected_houses(centre, 3000.0)
        if len(everyone["groups"]) > 1:
            break
    else:
        pytest.fail("no Biên Hòa house with other communes within 3 km")
    body = radius_body(centre, 3000.0 + rng.uniform(0, 1), layers=["houses"], group_by="commune")
    staff = query(body, "t_commune").json()["layers"]["houses"]
    leader = query(body, "t_leader").json()["layers"]["houses"]
    mine = expected_houses(centre, body["radius_m"], commune=BIEN_HOA)
    assert staff["count"] == mine["count"] > 0 and set(staff["groups"]) == {BIEN_HOA}
    assert staff["sums"]["members"] == mine["members"]
    assert leader["count"] == expected_houses(centre, body["radius_m"])["count"] > staff["count"]


def test_the_cells_follow_inserts_updates_moves_and_deletes(query):
    centre = (106.8612, 10.9473)
    rng = random.Random(9)
    placed = []
    for number in range(40):
        lon, lat, _ = GEOD.fwd(*centre, rng.uniform(0, 360), rng.uniform(0, 2500))
        placed.append(house(lon, lat, members=number % 7 + 1, floors=2, address_code=f"CELL-{number}"))
    House.objects.bulk_create(  # one statement, many rows
        House(geom=p.geom, commune_code="26017", address_code="CELL-B", status="normal", members=3, floors=1)
        for p in placed[:10]
    )
    placed[0].members = 12
    placed[0].save()  # an edit in place
    House.objects.filter(id__in=[p.id for p in placed[1:8]]).update(geom=placed[20].geom)  # moved to another cell
    House.objects.filter(id__in=[p.id for p in placed[8:14]]).delete()
    assert stored_cells() == cells_by_recount()
    answer = query(radius_body(centre, 2000.0, layers=["houses"]), "t_leader").json()["layers"]["houses"]
    expected = expected_houses(centre, 2000.0)
    assert (answer["count"], answer["sums"]["members"]) == (expected["count"], expected["members"])


def test_truncating_the_table_empties_its_cells():
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE geodata_house CASCADE")
    assert stored_cells() == Counter()
    house(106.85, 10.94, members=5)
    assert stored_cells() == cells_by_recount() != Counter()


def test_a_session_that_lost_its_prepared_statements_prepares_again(query):
    centre = (106.85, 10.94)
    body = radius_body(centre, 3000.0, layers=["houses", "trees"])
    first = query(body, "t_leader").json()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    again = query(body, "t_leader")
    assert again.status_code == 200 and again.json() == first
    assert first["layers"]["houses"]["count"] == expected_houses(centre, 3000.0)["count"] > 1000


def test_a_session_keeps_a_bounded_number_of_prepared_radius_statements(query):
    from mapserver.prepared import MAX_PREPARED

    centre = (106.85, 10.94)
    others = [s.id for s in registry.all() if s.geometry_type == "Point" and s.id != "houses"]
    assert len(others) > MAX_PREPARED
    expected = expected_houses(centre, 1000.0)["count"]
    for other in others:  # one statement shape per pair of layers
        answer = query(radius_body(centre, 1000.0, layers=["houses", other]), "t_leader").json()
        assert answer["layers"]["houses"]["count"] == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'scenarios%%'")
        assert 0 < cursor.fetchone()[0] <= MAX_PREPARED
