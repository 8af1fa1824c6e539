"""The issue-15 layers are importable from real files like every registry layer: a GeoJSON of mining licences
(with the Vietnamese column aliases of the spec) lands in its table, commune filled, vocabulary enforced."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from geodata.models import FireStation, MiningLicence
from tests.geodata.io_helpers import a_commune, fingerprint, refused, run_import, write

pytestmark = pytest.mark.django_db


def licences(origin, minerals=("sand", "stone")) -> gpd.GeoDataFrame:
    size = 0.002
    return gpd.GeoDataFrame(
        {
            "so_gp": [f"{10 + i}/GP-UBND" for i in range(len(minerals))],  # alias of licence_no
            "holder": [f"Công ty Khoáng sản {i}" for i in range(len(minerals))],
            "mineral": list(minerals),
            "valid_from": ["2021-01-01"] * len(minerals),
            "ngay_het_han": ["2028-06-30"] * len(minerals),  # alias of valid_until
        },
        geometry=[box(origin.x + i * 0.003, origin.y, origin.x + i * 0.003 + size, origin.y + size) for i in range(len(minerals))],
        crs="EPSG:4326",
    )  # fmt: skip


def test_a_geojson_of_mining_licences_is_imported(tmp_path):
    code, origin = a_commune()
    before = MiningLicence.objects.count()
    out = run_import(write(licences(origin), tmp_path / "gp.geojson"), "mining_licences")
    assert "written 2" in out
    new = list(MiningLicence.objects.order_by("-id")[:2])
    assert MiningLicence.objects.count() == before + 2
    assert {lic.licence_no for lic in new} == {"10/GP-UBND", "11/GP-UBND"}
    assert {lic.valid_until for lic in new} == {dt.date(2028, 6, 30)}
    assert {lic.commune_code for lic in new} == {code} and not any(lic.synthetic for lic in new)


def test_a_mineral_outside_the_vocabulary_is_refused(tmp_path):
    _, origin = a_commune()
    before = fingerprint("geodata_mininglicence")
    reasons = refused(write(licences(origin, ("sand", "gold")), tmp_path / "bad.geojson"), "mining_licences")
    assert "row 2, mineral: 'gold' is not one of" in reasons
    assert fingerprint("geodata_mininglicence") == before


def test_fire_stations_import_as_points(tmp_path):
    code, origin = a_commune()
    frame = gpd.GeoDataFrame(
        {"name": ["Đội PCCC thử"], "vehicles": [3], "staff": [25]},
        geometry=[Point(origin.x, origin.y)],
        crs="EPSG:4326",
    )
    run_import(write(frame, tmp_path / "fs.geojson"), "fire_stations")
    station = FireStation.objects.order_by("-id").first()
    assert (station.name, station.vehicles, station.staff, station.commune_code) == ("Đội PCCC thử", 3, 25, code)
