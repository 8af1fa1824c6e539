"""The synthetic sample: volumes, placement in the real province and the right commune, spatial patterns."""

from __future__ import annotations

import pytest
from django.conf import settings

from geodata.sample.indicators import INDICATORS
from geodata.sample.volumes import CAMERAS, CAMERAS_LIVE, MINIMUMS, minimum
from tests.geodata.sample_helpers import ALL_TABLES, POINT_TABLES, SHAPE_TABLES, execute, rows, scalar

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def commune_parts(django_db_setup, django_db_blocker):
    """Communes cut into small indexed pieces (a plain table, so every test's connection sees it)."""
    with django_db_blocker.unblock():
        execute("DROP TABLE IF EXISTS test_sample_parts")
        execute("CREATE TABLE test_sample_parts AS SELECT code, ST_Subdivide(geom, 96) AS geom FROM geodata_commune")
        execute("CREATE INDEX ON test_sample_parts USING gist (geom)")
    yield "test_sample_parts"
    with django_db_blocker.unblock():
        execute("DROP TABLE IF EXISTS test_sample_parts")


@pytest.mark.parametrize("layer", sorted(MINIMUMS))
def test_volumes_reach_the_minimum_at_the_configured_scale(layer):
    count = scalar(f"SELECT count(*) FROM {ALL_TABLES[layer]} WHERE synthetic")
    assert count >= minimum(layer, settings.MAPSERVER_SAMPLE_SCALE)


def test_every_other_layer_is_filled():
    for table in ALL_TABLES.values():
        assert scalar(f"SELECT count(*) FROM {table}") > 0, table
    assert scalar("SELECT count(*) FROM geodata_sensorobservation") > 0


def test_every_row_is_synthetic():
    for table in ALL_TABLES.values():
        assert scalar(f"SELECT count(*) FROM {table} WHERE NOT synthetic") == 0, table
    # other apps may declare real indicators of their own (e.g. reports_open); the generated ones are synthetic
    codes = [spec.code for spec in INDICATORS]
    assert scalar("SELECT count(*) FROM geodata_indicator WHERE synthetic AND code = ANY(%s)", [codes]) == len(codes)
    assert scalar("SELECT count(*) FROM geodata_rasterlayer WHERE NOT synthetic") == 0


@pytest.mark.parametrize("layer", sorted(POINT_TABLES))
def test_points_lie_in_the_province_and_in_their_commune(layer, commune_parts):
    table = POINT_TABLES[layer]
    outside = scalar(f"""SELECT count(*) FROM {table} t WHERE NOT EXISTS (
        SELECT 1 FROM {commune_parts} p WHERE p.code = t.commune_code AND ST_Intersects(p.geom, t.geom))""")
    assert outside == 0
    assert scalar(f"SELECT count(*) FROM {table} t, geodata_province p WHERE NOT ST_Intersects(p.geom, t.geom)") == 0


# a line belongs to the commune of its midpoint, a polygon to the commune of its point on surface
ANCHOR = """CASE WHEN ST_Dimension(t.geom) = 1 THEN ST_LineInterpolatePoint(ST_GeometryN(t.geom, 1), 0.5)
                 ELSE ST_PointOnSurface(t.geom) END"""


@pytest.mark.parametrize("layer", sorted(SHAPE_TABLES))
def test_lines_and_polygons_belong_to_the_commune_of_their_anchor_point(layer, commune_parts):
    table = SHAPE_TABLES[layer]
    wrong = scalar(f"""SELECT count(*) FROM {table} t WHERE NOT EXISTS (
        SELECT 1 FROM {commune_parts} p WHERE p.code = t.commune_code AND ST_Intersects(p.geom, {ANCHOR}))""")
    assert wrong == 0
    assert scalar(f"SELECT count(*) FROM {table} WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom)") == 0


def test_parcels_do_not_overlap_in_the_densest_commune():
    code = scalar("SELECT commune_code FROM geodata_landparcel GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    parcels = scalar("SELECT count(*) FROM geodata_landparcel WHERE commune_code = %s", [code])
    overlapping = scalar(
        """
        SELECT count(*) FROM geodata_landparcel a JOIN geodata_landparcel b
          ON a.id < b.id AND ST_Intersects(a.geom, b.geom)
        WHERE a.commune_code = %s AND b.commune_code = %s AND ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 0.01""",
        [code, code],
    )
    assert parcels > 100 and overlapping == 0


def test_parcels_carry_cadastral_codes_and_true_areas():
    codes = {c for (c,) in rows("SELECT DISTINCT land_use_code FROM geodata_landparcel")}
    assert {"ODT", "ONT", "LUC", "CLN", "RSX", "SKC"} <= codes
    off = scalar("SELECT count(*) FROM geodata_landparcel WHERE abs(area_m2 - ST_Area(geom::geography)) > 1")
    assert off == 0
    dup = scalar("SELECT count(*) - count(DISTINCT (commune_code, map_sheet_no, parcel_no)) FROM geodata_landparcel")
    assert dup == 0


def test_houses_stand_on_residential_parcels_of_their_commune():
    misplaced = scalar("""SELECT count(*) FROM geodata_house h LEFT JOIN geodata_landparcel p ON p.id = h.parcel_id
        WHERE p.id IS NULL OR NOT ST_Intersects(p.geom, h.geom) OR p.land_use_code NOT IN ('ODT', 'ONT')
           OR p.commune_code <> h.commune_code""")
    assert misplaced == 0
    statuses = dict(rows("SELECT status, count(*) FROM geodata_house GROUP BY 1"))
    assert set(statuses) == {"normal", "near_poor", "poor", "temporary_house"}
    assert statuses["normal"] > 0.9 * sum(statuses.values())


def test_poverty_is_concentrated_in_rural_communes():
    share = dict(
        rows("""SELECT c.kind, avg((h.status <> 'normal')::int) FROM geodata_house h
        JOIN geodata_commune c ON c.code = h.commune_code GROUP BY 1""")
    )
    assert share["xã"] > 2 * share["phường"]


def district_density(layer_table: str, district: str) -> float:
    """Features per km² over the communes drawn wholly from one pre-2025 district."""
    return scalar(
        f"""WITH c AS (SELECT code, area_km2 FROM geodata_commune c
            WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(c.merged_from::jsonb) m
                              WHERE m->>'old_district_code' <> %s))
        SELECT (SELECT count(*) FROM {layer_table} t WHERE t.commune_code IN (SELECT code FROM c)) / sum(area_km2) FROM c""",
        [district],
    )


@pytest.mark.parametrize(
    "table,ratio",
    [
        ("geodata_house", 10),
        ("geodata_landparcel", 10),
        ("geodata_road", 5),
        ("geodata_school", 5),
        ("geodata_streetlight", 10),
    ],
)
def test_bien_hoa_is_far_denser_than_the_forested_north(table, ratio):
    assert district_density(table, "731") > ratio * district_density(table, "691")


def test_national_routes_run_through_the_right_towns():
    def districts(route: str) -> set[str]:
        return {
            d
            for (d,) in rows(
                """SELECT DISTINCT m->>'old_district_code' FROM geodata_road r
            JOIN geodata_commune c ON c.code = r.commune_code CROSS JOIN jsonb_array_elements(c.merged_from::jsonb) m
            WHERE r.route_no = %s""",
                [route],
            )
        }

    assert {"731", "737", "738", "732", "741"} <= districts("QL1A")  # Biên Hòa .. Trảng Bom .. Long Khánh .. Xuân Lộc
    assert {"731", "740"} <= districts("QL51")  # Biên Hòa .. Long Thành
    assert {"738", "736", "734"} <= districts("QL20")  # Dầu Giây .. Định Quán .. Tân Phú
    assert {"697", "690", "692"} <= districts("QL13")  # Chơn Thành .. Bình Long .. Lộc Ninh
    assert {"697", "689", "696"} <= districts("QL14")  # Chơn Thành .. Đồng Xoài .. Bù Đăng


def test_road_lengths_are_true_metres_and_segments_short():
    off = scalar("SELECT count(*) FROM geodata_road WHERE abs(length_m - ST_Length(geom::geography)) > 0.5")
    assert off == 0
    assert scalar("SELECT max(length_m) FROM geodata_road") < 1100
    assert {c for (c,) in rows("SELECT DISTINCT road_class FROM geodata_road")} == {
        "national",
        "provincial",
        "commune",
        "urban",
    }


def test_street_lights_stand_on_their_road_and_energy_follows_wattage():
    off_road = scalar("""SELECT count(*) FROM geodata_streetlight l LEFT JOIN geodata_road r ON r.id = l.road_id
        WHERE r.id IS NULL OR NOT ST_DWithin(r.geom, l.geom, 1e-7)""")
    assert off_road == 0
    assert (
        scalar("SELECT count(*) FROM geodata_streetlight WHERE kwh_month > wattage_w * 11.5 * 30 / 1000.0 + 0.1") == 0
    )
    assert scalar("SELECT count(*) FROM geodata_streetlight WHERE status = 'off' AND kwh_month <> 0") == 0
    assert {s for (s,) in rows("SELECT DISTINCT status FROM geodata_streetlight")} == {"on", "off", "fault"}
    # faults cluster: a faulty light's nearest neighbour is faulty far more often than the fault rate
    rate, neighbour_rate = rows("""
        SELECT avg((status = 'fault')::int),
               (SELECT avg((n.status = 'fault')::int) FROM geodata_streetlight f CROSS JOIN LATERAL (
                  SELECT status FROM geodata_streetlight o WHERE o.id <> f.id ORDER BY o.geom <-> f.geom LIMIT 1) n
                WHERE f.status = 'fault')
        FROM geodata_streetlight""")[0]
    assert neighbour_rate > 3 * rate


def test_enterprises_are_mostly_inside_their_industrial_park():
    in_park, total = rows("""SELECT count(*) FILTER (WHERE p.id IS NOT NULL AND ST_Intersects(p.geom, e.geom)), count(*)
        FROM geodata_enterprise e LEFT JOIN geodata_industrialpark p ON p.id = e.industrial_park_id""")[0]
    assert in_park > 0.5 * total
    assert (
        scalar(
            "SELECT count(*) FROM geodata_industrialpark a JOIN geodata_industrialpark b ON a.id < b.id "
            "AND ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1"
        )
        == 0
    )


def test_cameras_match_the_provinces_figures():
    assert scalar("SELECT count(*) FROM geodata_camera") == CAMERAS
    assert dict(rows("SELECT status, count(*) FROM geodata_camera GROUP BY 1")) == {
        "live": CAMERAS_LIVE,
        "dead": CAMERAS - CAMERAS_LIVE,
    }
    assert (
        scalar(
            "SELECT count(*) FROM geodata_camera WHERE needs_transcoding <> (codec = 'H.265') "
            "OR codec NOT IN ('H.264', 'H.265')"
        )
        == 0
    )
    assert scalar("SELECT count(DISTINCT codec) FROM geodata_camera") == 2
    assert (
        scalar(
            r"SELECT count(*) FROM geodata_camera WHERE rtsp_url !~ '^rtsp://10\.\d+\.\d+\.\d+[:/]' "
            r"OR hls_url <> '/hls/' || id || '/index.m3u8'"
        )
        == 0
    )
    assert scalar("SELECT count(DISTINCT owner_unit) FROM geodata_camera") > 10


def test_construction_violations_cluster_in_hot_spots():
    unpermitted = rows("SELECT geom FROM geodata_constructionsite WHERE status = 'unpermitted'")
    assert (
        unpermitted
        and scalar("SELECT count(*) FROM geodata_constructionsite WHERE status <> 'unpermitted' AND permit_no = ''")
        == 0
    )
    near_share = scalar("""SELECT avg((EXISTS (SELECT 1 FROM geodata_constructionsite o WHERE o.id <> s.id
            AND o.status = 'unpermitted' AND ST_DWithin(o.geom, s.geom, 0.012)))::int)
        FROM geodata_constructionsite s WHERE s.status = 'unpermitted'""")
    assert near_share > 0.5


def test_incidents_cover_every_kind_over_the_last_year():
    from geodata.sample.context import REFERENCE_TIME

    kinds = dict(rows("SELECT kind, count(*) FROM geodata_incident GROUP BY 1"))
    assert set(kinds) == {"fire", "flood", "traffic_accident", "rescue", "epidemic"}
    first, last = rows("SELECT min(occurred_at), max(occurred_at) FROM geodata_incident")[0]
    assert last <= REFERENCE_TIME and (REFERENCE_TIME - first).days <= 366
    assert scalar("SELECT count(*) FROM geodata_incident WHERE kind = 'epidemic' AND cases < 1") == 0
    far_floods = scalar("""SELECT count(*) FROM geodata_incident i WHERE kind = 'flood' AND NOT EXISTS (
        SELECT 1 FROM geodata_waterway w WHERE ST_DWithin(w.geom::geography, i.geom::geography, 1000))""")
    assert far_floods == 0
