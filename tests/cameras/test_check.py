"""cameras_check against real streams: an ffmpeg HLS stream on localhost is live, a dead URL is dead."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from cameras.check import check_cameras, stream_url
from cameras.models import CameraProbe
from cameras.probe import probe
from geodata.models import Camera
from geodata.signals import layer_data_changed
from tests.cameras.conftest import has_encoder

pytestmark = pytest.mark.django_db


def camera(name: str, hls_url: str = "", rtsp_url: str = "", codec: str = "", synthetic: bool = False) -> Camera:
    return Camera.objects.create(
        name=name,
        owner_unit="UBND",
        codec=codec,
        rtsp_url=rtsp_url,
        hls_url=hls_url,
        status="unknown",
        commune_code="26068",
        synthetic=synthetic,
        geom="SRID=4326;POINT(106.83 10.95)",
    )


def test_probe_reads_codec_and_resolution_of_a_live_stream(hls_server):
    result = probe(f"{hls_server}/h264/index.m3u8", timeout_s=10)
    assert (result.status, result.codec, result.resolution) == ("live", "H.264", "320x240")
    assert not result.needs_transcoding


def test_probe_of_a_dead_url_and_a_404_is_dead_within_the_timeout(hls_server, dead_url):
    for url in (dead_url, f"{hls_server}/nope/index.m3u8"):
        result = probe(url, timeout_s=3)
        assert result.status == "dead" and result.error and result.elapsed_ms < 8000


def test_cameras_check_records_both_verdicts_and_the_log(hls_server, dead_url):
    live = camera("live", hls_url=f"{hls_server}/h264/index.m3u8", codec="H.265")  # declared wrongly
    dead = camera("dead", hls_url=dead_url, codec="H.264")
    received = []

    def listener(sender, model=None, **kwargs):
        received.append(model)

    layer_data_changed.connect(listener)
    try:
        out = StringIO()
        call_command(
            "cameras_check",
            "--timeout",
            "5",
            "--workers",
            "4",
            "--camera",
            str(live.pk),
            "--camera",
            str(dead.pk),
            stdout=out,
        )
    finally:
        layer_data_changed.disconnect(listener)
    live.refresh_from_db()
    dead.refresh_from_db()
    assert (live.status, live.codec, live.resolution, live.needs_transcoding) == ("live", "H.264", "320x240", False)
    assert dead.status == "dead" and dead.last_checked_at and live.last_checked_at
    assert "probed 2" in out.getvalue() and "1 live, 1 dead" in out.getvalue()
    assert Camera in received
    assert set(CameraProbe.objects.filter(camera__in=[live, dead]).values_list("status", flat=True)) == {"live", "dead"}


@pytest.mark.skipif(not has_encoder("libx265"), reason="Debian's ffmpeg here has no libx265")
def test_h265_stream_is_live_but_needs_transcoding(hls_server):
    cam = camera("hevc", hls_url=f"{hls_server}/h265/index.m3u8", codec="H.264")
    summary = check_cameras(Camera.objects.filter(pk=cam.pk), timeout_s=10, workers=1)
    cam.refresh_from_db()
    assert (cam.status, cam.codec, cam.needs_transcoding) == ("live", "H.265", True)
    assert summary.h265 == 1


def test_workers_probe_in_parallel(hls_server, dead_url):
    cams = [camera(f"c{i}", hls_url=f"{hls_server}/h264/index.m3u8") for i in range(4)]
    summary = check_cameras(Camera.objects.filter(pk__in=[c.pk for c in cams]), timeout_s=10, workers=4)
    assert summary.live == 4 and summary.probed == 4


def test_synthetic_cameras_are_probed_only_at_loopback_addresses(dead_url):
    remote = camera("sample", rtsp_url="rtsp://10.20.30.40:554/Streaming/Channels/101", synthetic=True)
    local = camera("sample-local", hls_url=dead_url, synthetic=True)
    assert stream_url(remote, "auto") is None
    assert stream_url(local, "auto") == (dead_url, "hls")
    assert stream_url(camera("relative", hls_url="/hls/1/index.m3u8"), "hls") is None
    assert stream_url(camera("relative2", hls_url="/hls/1/index.m3u8"), "hls", "http://127.0.0.1:8000") == (
        "http://127.0.0.1:8000/hls/1/index.m3u8",
        "hls",
    )
    out = StringIO()
    call_command("cameras_check", "--camera", str(remote.pk), "--include-synthetic", stdout=out)
    remote.refresh_from_db()
    assert remote.status == "unknown" and "skipped 1" in out.getvalue()


def test_bad_arguments_are_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("cameras_check", "--timeout", "0", stdout=StringIO())


def test_silent_streams_time_out_in_parallel():
    import socket
    import time

    silent = socket.socket()  # accepts connections (backlog) and never answers: a hung camera
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/cam/index.m3u8"
        cams = [camera(f"hung{i}", hls_url=url) for i in range(6)]
        started = time.monotonic()
        summary = check_cameras(Camera.objects.filter(pk__in=[c.pk for c in cams]), timeout_s=2, workers=6)
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert summary.dead == 6 and summary.errors
    assert elapsed < 9, f"6 hung streams at a 2 s timeout took {elapsed:.1f} s: not parallel or no timeout"
