"""Fixtures of the reports tests: a channel key, points inside communes, reports made through the real service."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.http import QueryDict
from PIL import Image

from mapserver.principal import ANONYMOUS
from reports.models import ApiKey, FieldReport
from reports.params import parse_submission
from reports.submission import submit

COMMUNE = "26068"  # the commune of t_commune (tests/conftest.py)


@pytest.fixture(autouse=True)
def media_dir(settings, tmp_path):
    """Photos go to a temporary media directory."""
    settings.MAPSERVER_MEDIA_DIR = tmp_path / "media"
    return settings.MAPSERVER_MEDIA_DIR


@pytest.fixture
def api_key(db) -> str:
    """A live key of the citizen-portal channel."""
    return ApiKey.issue("test-portal", "portal")[1]


def point_in(code: str) -> tuple[float, float]:
    """(lat, long) of a point surely inside the commune (PostGIS ST_PointOnSurface)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Y(p), ST_X(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM geodata_commune WHERE code = %s) s",
            [code],
        )
        row = cursor.fetchone()
    assert row, f"commune {code} not loaded"
    return row


def other_commune() -> str:
    """A commune code other than COMMUNE."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT code FROM geodata_commune WHERE code <> %s ORDER BY code LIMIT 1", [COMMUNE])
        return cursor.fetchone()[0]


def jpeg(gps: bool = False, size=(64, 48)) -> bytes:
    """A small JPEG, with an EXIF GPS block (and a camera serial number) when asked."""
    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0xA431] = "SERIAL-123456"  # BodySerialNumber: must not survive storage
        exif.get_ifd(0x8825).update({1: "N", 2: (10.0, 57.0, 0.0), 3: "E", 4: (106.0, 50.0, 0.0)})
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def make_report(
    service_code: str = "waste",
    commune: str = COMMUNE,
    principal=ANONYMOUS,
    channel: str = "test",
    at: tuple[float, float] | None = None,
    **fields,
) -> FieldReport:
    """A report created through parse_submission + submit (the same path the endpoints use)."""
    lat, lon = at or point_in(commune)
    data = QueryDict(mutable=True)
    data.update(
        {
            "service_code": service_code,
            "lat": str(lat),
            "long": str(lon),
            "description": fields.pop("description", "Rác thải ùn ứ"),
            **fields,
        }
    )
    return submit(parse_submission(data, {}), channel, principal).report
