"""The real districts, the province outline and the 95 derived communes of 2025."""

import pytest
from django.db import connection

from geodata.admin_units import official_communes
from geodata.models import Commune, District2024, Province

pytestmark = pytest.mark.django_db


def scalar(query: str):
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchone()[0]


def test_95_communes_with_official_codes_names_kinds_and_sources():
    official = {c["code"]: c for c in official_communes()}
    stored = {c.code: c for c in Commune.objects.all()}
    assert set(stored) == set(official) and len(stored) == 95
    for code, commune in stored.items():
        assert commune.name == official[code]["name"]
        assert commune.kind == ("phường" if official[code]["name"].startswith("Phường") else "xã")
        assert commune.merged_from == official[code]["merged_from"]
        assert commune.geometry_source == "derived"
    assert sum(c.kind == "phường" for c in stored.values()) == 23


def test_every_commune_polygon_is_valid_and_non_empty():
    assert scalar("SELECT count(*) FROM geodata_commune WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom)") == 0
    assert scalar("SELECT min(area_km2) FROM geodata_commune") > 1


def test_province_is_the_union_of_the_22_real_districts():
    assert District2024.objects.count() == 22 and Province.objects.count() == 1
    assert (
        scalar(
            "SELECT ST_Area(ST_SymDifference(p.geom, (SELECT ST_Union(geom) FROM geodata_district2024))::geography)"
            " / ST_Area(p.geom::geography) FROM geodata_province p"
        )
        < 1e-6
    )


def test_communes_cover_the_province_with_tiny_overlap_and_gap():
    province_area = scalar("SELECT ST_Area(geom::geography) FROM geodata_province")
    overlap = scalar(
        "SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0) FROM geodata_commune a"
        " JOIN geodata_commune b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)"
        " AND NOT ST_Touches(a.geom, b.geom)"
    )
    gap = scalar(
        "SELECT ST_Area(ST_Difference(p.geom, (SELECT ST_Union(geom) FROM geodata_commune))::geography)"
        " FROM geodata_province p"
    )
    assert overlap / province_area < 0.0001
    assert gap / province_area < 0.001


def test_commune_areas_follow_their_share_of_old_wards():
    """A commune formed from many old wards of a district is larger than one formed from few of the same district."""
    by_code = {c.code: c for c in Commune.objects.all()}
    single_district = [
        (len(c["merged_from"]), by_code[c["code"]].area_km2, c["merged_from"][0]["old_district_code"])
        for c in official_communes()
        if len({w["old_district_code"] for w in c["merged_from"]}) == 1
        and all(w["type"] == "full" for w in c["merged_from"])
    ]
    for district in {d for _, _, d in single_district}:
        rows = sorted((n, area) for n, area, d in single_district if d == district)
        if len(rows) >= 2 and rows[0][0] < rows[-1][0]:
            assert rows[0][1] < rows[-1][1]


def test_most_communes_are_one_contiguous_piece():
    multipart = scalar("SELECT count(*) FROM geodata_commune WHERE ST_NumGeometries(geom) > 1")
    assert multipart <= 10
