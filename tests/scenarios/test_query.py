"""POST /api/query against independent computations: pyproj geodesics and shapely point-in-polygon."""

import math

import pytest
from shapely.geometry import Point, Polygon, mapping

from geodata.models import House, School
from tests.scenarios.conftest import BIEN_HOA, GEOD, commune_shape, coords, distance_m, house, points_in, school

pytestmark = pytest.mark.django_db


def ids_of(answer: dict, layer: str) -> set[int]:
    return {f["id"] for f in answer["layers"][layer]["features"]["features"]}


def test_radius_counts_exactly_the_features_within_the_geodesic_distance(query, bien_hoa):
    centre = bien_hoa.representative_point().coords[0]
    for azimuth in range(0, 360, 30):  # a ring just inside and just outside 3 km, all around
        for metres in (2999.0, 3001.0):
            lon, lat, _ = GEOD.fwd(centre[0], centre[1], azimuth, metres)
            school(lon, lat, name=f"ring {azimuth} {metres}")
    for lon, lat in points_in(bien_hoa, 30, seed=1):
        school(lon, lat)
    answer = query(
        {
            "type": "radius",
            "center": list(centre),
            "radius_m": 3000,
            "layers": ["schools"],
            "features": True,
            "limit": 1000,
        },
        "t_leader",
    ).json()
    expected = {pk for pk, xy in coords(School).items() if distance_m(centre, xy) <= 3000}
    assert ids_of(answer, "schools") == expected
    assert answer["layers"]["schools"]["count"] == len(expected) >= 12
    assert answer["area_m2"] == pytest.approx(math.pi * 3000**2, rel=0.002)
    for feature in answer["layers"]["schools"]["features"]["features"]:
        assert distance_m(centre, tuple(feature["geometry"]["coordinates"])) <= 3000


def test_a_radius_crossing_the_province_edge_counts_features_beyond_it_and_lists_only_communes_inside(query):
    from geodata.models import Province

    province = Province.objects.get()
    from shapely import wkb

    outline = wkb.loads(bytes(province.geom.wkb))
    edge = (
        outline.exterior.coords[0]
        if outline.geom_type == "Polygon"
        else max(outline.geoms, key=lambda p: p.area).exterior.coords[0]
    )
    placed = []
    for azimuth in range(0, 360, 20):
        lon, lat, _ = GEOD.fwd(edge[0], edge[1], azimuth, 2500)
        placed.append(school(lon, lat, commune="", name=f"edge {azimuth}").id)
    answer = query(
        {
            "type": "radius",
            "center": list(edge),
            "radius_m": 4000,
            "layers": ["schools"],
            "features": True,
            "limit": 1000,
        },
        "t_leader",
    ).json()
    expected = {pk for pk, xy in coords(School).items() if distance_m(edge, xy) <= 4000}
    assert set(placed) <= expected and ids_of(answer, "schools") == expected
    outside = [pk for pk in placed if not outline.covers(Point(coords(School, id=pk)[pk]))]
    assert outside, "the ring should leave the province somewhere"
    touched = {c["code"] for c in answer["communes"]}
    assert touched and all(commune_shape(code).intersects(outline) for code in touched)


def test_polygon_selection_matches_shapely_point_in_polygon(query, bien_hoa):
    minx, miny, maxx, maxy = bien_hoa.bounds
    drawn = Polygon(
        [(minx, miny), (maxx, miny + 0.3 * (maxy - miny)), (maxx - 0.2 * (maxx - minx), maxy), (minx, miny)]
    )
    for lon, lat in points_in(bien_hoa, 60, seed=2):
        school(lon, lat, students=10)
    answer = query(
        {
            "type": "polygon",
            "geometry": mapping(drawn),
            "layers": ["schools"],
            "features": True,
            "limit": 1000,
            "sums": ["students"],
        },
        "t_leader",
    ).json()
    inside = {pk for pk, xy in coords(School).items() if drawn.intersects(Point(xy))}
    assert ids_of(answer, "schools") == inside and len(inside) > 5
    expected_students = sum(s for pk, s in School.objects.values_list("id", "students") if pk in inside)
    assert answer["layers"]["schools"]["sums"]["students"] == expected_students
    assert answer["area_m2"] == pytest.approx(abs(GEOD.geometry_area_perimeter(drawn)[0]), rel=1e-3)


def test_commune_selection_groups_and_sums_match_an_independent_count(query, bien_hoa):
    for number, (lon, lat) in enumerate(points_in(bien_hoa, 24, seed=3)):
        school(lon, lat, level=("primary", "kindergarten")[number % 2], students=number)
    answer = query(
        {"type": "commune", "code": BIEN_HOA, "layers": ["schools"], "group_by": "level", "sums": ["students"]},
        "t_leader",
    ).json()
    inside = [
        (level, students)
        for (level, students, g) in School.objects.values_list("level", "students", "geom")
        if bien_hoa.intersects(Point(g.x, g.y))
    ]
    groups = answer["layers"]["schools"]["groups"]
    for level in {lvl for lvl, _ in inside}:
        assert groups[level]["count"] == sum(1 for lvl, _ in inside if lvl == level)
        assert groups[level]["sums"]["students"] == sum(s for lvl, s in inside if lvl == level)
    assert [c["code"] for c in answer["communes"]] == [BIEN_HOA]


def shared_border_vertex(code: str) -> tuple[tuple[float, float], str]:
    """A vertex of the commune's outline that lies exactly on a neighbour's outline, and that neighbour."""
    from geodata.models import Commune

    mine = commune_shape(code)
    rings = [p.exterior for p in getattr(mine, "geoms", [mine])]
    for other in Commune.objects.exclude(code=code).filter(geom__touches=Commune.objects.get(code=code).geom):
        theirs = commune_shape(other.code)
        for ring in rings:
            for xy in ring.coords:
                if theirs.boundary.distance(Point(xy)) == 0:
                    return xy, other.code
    raise AssertionError("no shared vertex")


def test_a_point_on_a_commune_border_belongs_to_the_lowest_code_in_every_query_type(query):
    vertex, neighbour = shared_border_vertex(BIEN_HOA)
    low, high = sorted([BIEN_HOA, neighbour])
    placed = school(*vertex, name="on the border")
    at_point = query({"type": "point", "point": list(vertex), "layers": ["schools"]}).json()
    assert at_point["commune"]["code"] == low
    assert {c["code"] for c in at_point["communes"]} == {low, high}
    assert at_point["layers"]["schools"]["nearest"][0]["distance_m"] == 0
    in_low = query({"type": "commune", "code": low, "layers": ["schools"], "features": True, "limit": 1000}).json()
    in_high = query({"type": "commune", "code": high, "layers": ["schools"], "features": True, "limit": 1000}).json()
    assert placed.id in ids_of(in_low, "schools") and placed.id not in ids_of(in_high, "schools")


def test_point_query_gives_the_nearest_features_with_geodesic_distances(query, bien_hoa):
    for lon, lat in points_in(bien_hoa, 8, seed=4):
        school(lon, lat)
    here = bien_hoa.representative_point().coords[0]
    answer = query({"type": "point", "point": list(here), "layers": ["schools"]}).json()
    reference = sorted((distance_m(here, xy), pk) for pk, xy in coords(School).items())[:3]
    nearest = answer["layers"]["schools"]["nearest"]
    assert [n["id"] for n in nearest] == [pk for _, pk in reference]
    for item, (metres, _) in zip(nearest, reference):
        assert item["distance_m"] == pytest.approx(metres, abs=0.05)
    assert answer["commune"]["code"] == BIEN_HOA and answer["area_m2"] == 0


def test_features_are_paged_in_a_stable_order(query, bien_hoa):
    for lon, lat in points_in(bien_hoa, 7, seed=5):
        school(lon, lat)
    body = {"type": "commune", "code": BIEN_HOA, "layers": ["schools"], "features": True, "limit": 3}
    seen, offset, pages = [], 0, 0
    while offset is not None:
        page = query({**body, "offset": offset}).json()["layers"]["schools"]["features"]
        seen += [f["id"] for f in page["features"]]
        offset, pages = page["next_offset"], pages + 1
    assert len(seen) == len(set(seen)) == page["numberMatched"] >= 7 and pages >= 3


def test_protected_layers_follow_the_scoping_rules(query, bien_hoa):
    centre = bien_hoa.representative_point().coords[0]
    mine = house(*centre)
    lon, lat, _ = GEOD.fwd(centre[0], centre[1], 90, 50)
    other = house(lon, lat, commune="26017")  # stored in another commune, 50 m away
    body = {
        "type": "radius",
        "center": list(centre),
        "radius_m": 60,
        "layers": ["houses"],
        "features": True,
        "limit": 1000,
    }
    assert query(body).status_code == 401
    assert query(body, "t_dept_construction").status_code == 403
    staff = ids_of(query(body, "t_commune").json(), "houses")
    leader = ids_of(query(body, "t_leader").json(), "houses")
    assert mine.id in staff and other.id not in staff and {mine.id, other.id} <= leader
    assert House.objects.filter(id__in=staff).exclude(commune_code=BIEN_HOA).count() == 0


HUGE = {"type": "Polygon", "coordinates": [[[100, 5], [115, 5], [115, 20], [100, 20], [100, 5]]]}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[106.8, 10.9], [106.9, 11.0], [106.9, 10.9], [106.8, 11.0], [106.8, 10.9]]],
}


@pytest.mark.parametrize(
    "body, words",
    [
        ({"type": "point", "point": [186, 10]}, "longitude"),
        ({"type": "point", "point": [106, 95]}, "latitude"),
        ({"type": "point", "point": [106]}, "[lon, lat]"),
        ({"type": "radius", "center": [106.8, 10.9], "radius_m": -5}, "positive"),
        ({"type": "radius", "center": [106.8, 10.9], "radius_m": 0}, "positive"),
        ({"type": "radius", "center": [106.8, 10.9], "radius_m": 500_000}, "exceeds"),
        ({"type": "radius", "center": [106.8, 10.9], "radius_m": "3km"}, "number"),
        ({"type": "polygon", "geometry": BOWTIE}, "Self-intersection"),
        ({"type": "polygon", "geometry": HUGE}, "exceeds"),
        ({"type": "polygon", "geometry": {"type": "Polygon", "coordinates": [[[1, 2]]]}}, "geometry"),
        ({"type": "polygon", "geometry": {"type": "Point", "coordinates": [106, 10]}}, "Polygon"),
        ({"type": "commune", "code": "99999"}, "unknown commune"),
        ({"type": "commune", "code": "26068; drop"}, "digits"),
        ({"type": "hexagon"}, "area type"),
        ({"type": "commune", "code": BIEN_HOA, "layers": ["nope"]}, "unknown layer"),
        ({"type": "commune", "code": BIEN_HOA, "layers": ["schools"], "group_by": "name"}, "cannot be grouped"),
        ({"type": "commune", "code": BIEN_HOA, "layers": ["schools"], "group_by": ["level"]}, "cannot be grouped"),
        ({"type": "commune", "code": BIEN_HOA, "layers": ["schools"], "sums": ["geom"]}, "sums"),
        ({"type": "commune", "code": BIEN_HOA, "layers": ["schools"], "features": True, "limit": 0}, "limit"),
    ],
)
def test_bad_input_is_a_400_with_a_message(query, body, words):
    response = query(body, "t_leader")
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameterValue" and words in response.json()["description"]


def test_a_body_that_is_not_json_is_a_400(api):
    response = api("t_leader").post("/api/query", "{not json", content_type="application/json")
    assert response.status_code == 400


@pytest.fixture
def gradient_raster(tmp_path, bien_hoa):
    """A registered test raster whose value is the pixel's column number, over Biên Hòa."""
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    from geodata.models import RasterLayer

    minx, miny, maxx, maxy = bien_hoa.bounds
    size = 0.001
    width, height = int((maxx - minx) / size) + 2, int((maxy - miny) / size) + 2
    data = np.tile(np.arange(width, dtype="float32"), (height, 1))
    path = tmp_path / "gradient.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=width,
        height=height,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=from_origin(minx, maxy, size, size),
        nodata=-1,
    ) as out:
        out.write(data, 1)
    RasterLayer.objects.create(layer_id="t_gradient", title="test gradient", path=str(path))
    return minx, maxy, size


def test_raster_layers_give_zonal_statistics_and_point_values(query, bien_hoa, gradient_raster):
    import numpy as np
    from shapely import contains_xy

    minx, maxy, size = gradient_raster
    x0, y0 = bien_hoa.representative_point().coords[0]
    drawn = Polygon([(x0, y0), (x0 + 0.01, y0), (x0 + 0.01, y0 + 0.01), (x0, y0 + 0.01)])
    answer = query({"type": "polygon", "geometry": mapping(drawn), "layers": ["t_gradient"]}).json()
    stats = answer["layers"]["t_gradient"]["zonal_stats"]
    columns, rows = np.meshgrid(np.arange(400), np.arange(400))
    xs, ys = minx + (columns + 0.5) * size, maxy - (rows + 0.5) * size
    inside = contains_xy(drawn, xs, ys)
    assert stats["count"] == int(inside.sum()) and stats["max"] == columns[inside].max()
    assert stats["mean"] == pytest.approx(columns[inside].mean())
    at_point = query({"type": "point", "point": [x0, y0], "layers": ["t_gradient"]}).json()
    assert at_point["layers"]["t_gradient"]["value"] == int((x0 - minx) / size)


def test_one_group_by_applies_to_the_layers_that_have_it(api):
    """The README's example: houses and schools grouped by status; schools have no status and are counted whole."""
    body = {
        "type": "radius",
        "center": [106.82, 10.95],
        "radius_m": 3000,
        "layers": ["houses", "schools"],
        "group_by": "status",
    }
    response = api("t_admin").post("/api/query", body, content_type="application/json")
    assert response.status_code == 200, response.content
    layers = response.json()["layers"]
    assert layers["houses"]["group_by"] == "status"
    assert sum(g["count"] for g in layers["houses"]["groups"].values()) == layers["houses"]["count"] > 0
    assert "groups" not in layers["schools"] and layers["schools"]["group_by_unavailable"] == "status"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM geodata_house WHERE ST_DWithin(geom::geography, "
            "ST_SetSRID(ST_MakePoint(106.82, 10.95), 4326)::geography, 3000)"
        )
        assert layers["houses"]["count"] == cursor.fetchone()[0]
