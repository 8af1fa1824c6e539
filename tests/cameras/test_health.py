"""GET /api/cameras/health and the /hls/{id}/ playback of sample cameras."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.test import Client
from django.utils import timezone

from geodata.models import Camera

pytestmark = pytest.mark.django_db


def expected_counts(cameras) -> dict:
    return {
        "total": cameras.count(),
        "live": cameras.filter(status="live").count(),
        "dead": cameras.filter(status="dead").count(),
        "unknown": cameras.filter(~Q(status__in=["live", "dead"])).count(),
        "h265": cameras.filter(codec="H.265").count(),
    }


def test_health_counts_match_the_table_for_every_staff_role(api):
    """Province staff count every camera; commune staff their commune's (tests/mapserver/test_scope_metadata.py)."""
    everywhere, home = (
        expected_counts(Camera.objects.all()),
        expected_counts(Camera.objects.filter(commune_code="26068")),
    )
    for user, expected in (
        ("t_admin", everywhere),
        ("t_leader", everywhere),
        ("t_planner", everywhere),
        ("t_commune", home),
    ):
        doc = api(user).get("/api/cameras/health").json()
        assert {k: doc[k] for k in expected} == expected
        assert set(doc) >= {"total", "live", "dead", "unknown", "h265", "checked_at"}
    assert api("t_dept_home").get("/api/cameras/health").status_code == 403  # its sectors do not read cameras


def test_health_on_the_sample_data_reports_the_provinces_268_cameras(api):
    synthetic = Camera.objects.filter(synthetic=True)
    if not synthetic.exists():
        pytest.skip("no sample cameras loaded")
    doc = api("t_leader").get("/api/cameras/health").json()
    assert doc["total"] == 268 and doc["live"] == 75 and doc["dead"] == 193
    assert doc["checked_at"]


def test_health_follows_a_new_camera(api):
    before = api("t_admin").get("/api/cameras/health").json()
    Camera.objects.create(
        name="x",
        owner_unit="UBND",
        codec="H.265",
        rtsp_url="",
        status="unknown",
        commune_code="26068",
        geom="SRID=4326;POINT(106.83 10.95)",
        last_checked_at=timezone.now(),
    )
    after = api("t_admin").get("/api/cameras/health").json()
    assert after["total"] == before["total"] + 1 and after["unknown"] == before["unknown"] + 1
    assert after["h265"] == before["h265"] + 1 and after["checked_at"] >= (before["checked_at"] or "")


def test_health_needs_a_staff_sign_in(api):
    assert Client().get("/api/cameras/health").status_code == 401
    assert api("t_external").get("/api/cameras/health").status_code == 403


def sample_camera(status: str, codec: str = "H.264", commune: str = "26068") -> Camera:
    return Camera.objects.create(
        name="s",
        owner_unit="UBND",
        codec=codec,
        rtsp_url="rtsp://10.1.1.1/x",
        hls_url="/hls/0/index.m3u8",
        status=status,
        commune_code=commune,
        synthetic=True,
        geom="SRID=4326;POINT(106.83 10.95)",
    )


def test_hls_gateway_plays_live_sample_cameras_and_404s_dead_ones(api, settings, tmp_path):
    settings.MAPSERVER_MEDIA_DIR = tmp_path / "media"
    live, dead = sample_camera("live"), sample_camera("dead")
    playlist = api("t_leader").get(f"/hls/{live.pk}/index.m3u8")
    assert playlist.status_code == 200 and playlist["Content-Type"] == "application/vnd.apple.mpegurl"
    text = b"".join(playlist.streaming_content).decode()
    segment = next(line for line in text.splitlines() if line.endswith(".ts"))
    piece = api("t_leader").get(f"/hls/{live.pk}/{segment}")
    assert piece.status_code == 200 and piece["Content-Type"] == "video/mp2t"
    assert api("t_leader").get(f"/hls/{dead.pk}/index.m3u8").status_code == 404
    assert api("t_leader").get(f"/hls/{live.pk}/..%2Fsecret.m3u8").status_code == 404
    assert Client().get(f"/hls/{live.pk}/index.m3u8").status_code == 401  # the cameras layer is protected
    other = sample_camera("live", commune="25195")
    assert api("t_commune").get(f"/hls/{other.pk}/index.m3u8").status_code == 404
