"""The stream gateway against real RTSP sources (H.264 copied, H.265 transcoded): started on demand, bounded,
stopped when nobody watches, credentials never in what the browser gets; and the health re-check job raising and
clearing a camera's alert when its source goes away and comes back."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from alerts.models import Alert
from cameras import gateway
from cameras.health_job import recheck
from geodata.models import Camera
from tests.cameras.gateway_support import codec_of, has_rtsp_server, make_clip, serve
from tests.sta.mqtt_support import stop

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not has_rtsp_server(), reason="GStreamer RTSP server not installed (deploy/sysdeps.sh)"),
]
PORT, SPARE_PORT = 18854, 18855
SECRET = "viewer:Mk-9sEcret"


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    root = tmp_path_factory.mktemp("clips")
    return {"h264": (make_clip(root / "a.mkv", "h264"), "h264"), "h265": (make_clip(root / "b.mkv", "h265"), "h265")}


@pytest.fixture(scope="module")
def source(clips):
    process = serve(PORT, clips)
    yield f"rtsp://{SECRET}@127.0.0.1:{PORT}"
    stop(process)


@pytest.fixture(autouse=True)
def gateway_dir(settings, tmp_path):
    settings.MAPSERVER_CAMERA_GATEWAY_DIR = tmp_path / "hls"
    settings.MAPSERVER_CAMERA_MAX_STREAMS = 2
    settings.MAPSERVER_CAMERA_IDLE_SECONDS = 5
    yield
    for directory in gateway.root().iterdir():
        if directory.is_dir():
            gateway._stop(directory)


def camera(url: str, codec: str, commune: str = "26068") -> Camera:
    made = Camera.objects.create(
        name=f"Camera cổng {codec} {time.time()}",
        owner_unit="UBND",
        codec=codec,
        rtsp_url=url,
        status="live",
        synthetic=False,
        commune_code=commune,
        last_checked_at=timezone.now(),
        geom="SRID=4326;POINT(106.85 10.95)",
    )
    made.hls_url = f"/hls/{made.pk}/index.m3u8"
    made.save()
    return made


def play(client, cam: Camera) -> tuple[str, bytes]:
    """The playlist, and the first segment's bytes."""
    response = client.get(f"/hls/{cam.pk}/index.m3u8")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    text = b"".join(response.streaming_content).decode()
    first = [line for line in text.splitlines() if line and not line.startswith("#")][-1]  # the live edge
    segment = client.get(f"/hls/{cam.pk}/{first}")
    listing = sorted(p.name for p in (gateway.root() / str(cam.pk)).iterdir())
    assert segment.status_code == 200, (text, listing)
    return text, b"".join(segment.streaming_content)


@pytest.mark.parametrize("codec,expected,mode", [("H.264", "h264", "copy"), ("H.265", "h264", "libx264")])
def test_plays_h264_copied_and_h265_transcoded(api, source, tmp_path, codec, expected, mode):
    cam = camera(f"{source}/{'h264' if codec == 'H.264' else 'h265'}", codec)
    text, data = play(api("t_admin"), cam)
    assert "#EXTM3U" in text and "rtsp" not in text and "Mk-9sEcret" not in text and "127.0.0.1" not in text
    (tmp_path / "seg.ts").write_bytes(data)
    assert codec_of(tmp_path / "seg.ts") == expected
    pid = int((gateway.root() / str(cam.pk) / "pid").read_text())
    assert mode.encode() in open(f"/proc/{pid}/cmdline", "rb").read()


def test_commune_scope_and_anonymous(api, source):
    cam = camera(f"{source}/h264", "H.264", commune="26071")
    assert api("t_commune").get(f"/hls/{cam.pk}/index.m3u8").status_code == 404
    assert api(None).get(f"/hls/{cam.pk}/index.m3u8").status_code in {401, 404}
    assert not (gateway.root() / str(cam.pk)).exists()  # nothing was started for them


def test_bounded_and_stopped_when_nobody_watches(api, source):
    client = api("t_admin")
    first, second, third = (camera(f"{source}/h264", "H.264") for _ in range(3))
    play(client, first)
    play(client, second)
    refused = client.get(f"/hls/{third.pk}/index.m3u8")
    assert refused.status_code == 503 and refused["Retry-After"] and set(refused.json()) == {"code", "description"}
    assert len(gateway.running()) == 2
    time.sleep(3)
    play(client, first)  # first is watched, second is not
    time.sleep(3)
    assert gateway.reap()["stopped_idle"] == 1
    assert [d.name for d in gateway.running()] == [str(first.pk)]
    assert client.get(f"/hls/{second.pk}/seg_00000.ts").status_code == 404
    play(client, third)  # a place is free again


def test_a_source_going_away_is_503_and_raises_the_camera_alert(api, clips):
    client = api("t_admin")
    process = serve(SPARE_PORT, {"gone": clips["h264"]})
    cam = camera(f"rtsp://{SECRET}@127.0.0.1:{SPARE_PORT}/gone", "H.264")
    Camera.objects.exclude(pk=cam.pk).update(rtsp_url="", hls_url="")  # only this camera is probed by the job
    try:
        play(client, cam)
        assert recheck(timeout_s=5)["raised"] == 0
    finally:
        stop(process)
    deadline = time.monotonic() + 15
    while gateway.running() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not gateway.running()  # its ffmpeg ended with the source
    gone = client.get(f"/hls/{cam.pk}/index.m3u8")
    assert gone.status_code == 503 and "127.0.0.1" not in gone.json()["description"]
    summary = recheck(timeout_s=5)
    cam.refresh_from_db()
    assert cam.status == "dead" and summary["raised"] == 1
    alert = Alert.objects.get(source="camera", key=f"dead:{cam.pk}", state="raised")
    assert alert.commune_code == "26068" and cam.name in alert.title
    process = serve(SPARE_PORT, {"gone": clips["h264"]})
    try:
        assert recheck(timeout_s=5)["cleared"] == 1
    finally:
        stop(process)
    alert.refresh_from_db()
    assert alert.state == "resolved"
