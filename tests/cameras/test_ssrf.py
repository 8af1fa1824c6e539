"""Server-side requests: the camera URLs the server opens are limited to MAPSERVER_CAMERA_SCHEMES and to hosts whose
every address lies in MAPSERVER_CAMERA_NETWORKS; anything else is refused before ffprobe starts.

No test here sends a packet beyond loopback: URLs outside the networks are refused before any connection, IP
literals resolve without DNS, and host names go through a fixed table instead of a DNS server."""

from __future__ import annotations

import socket
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command

from cameras.check import check_cameras
from cameras.models import CameraProbe
from cameras.probe import probe, refusal
from geodata.models import Camera

pytestmark = pytest.mark.django_db
NAMES = {  # host name -> the addresses a (hostile) DNS would answer
    "cams.example.com": ["8.8.8.8"],
    "mixed.example.com": ["10.1.2.3", "93.184.216.34"],
    "metadata.example.com": ["169.254.169.254"],
    "nvr.local.example": ["10.20.30.40", "192.168.1.20"],
    "v6.example.com": ["2001:db8::1"],
    "mapped.example.com": ["::ffff:8.8.8.8"],
}


def offline_resolver(host, port, *args, **kwargs):
    """getaddrinfo without the network: IP literals (and numeric forms) only, names from the table above."""
    if host in NAMES:
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port or 0))
            for a in NAMES[host]
        ]
    return socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP, flags=socket.AI_NUMERICHOST)


@pytest.fixture
def no_subprocess(monkeypatch):
    """Fails the test if ffprobe (any subprocess) is started."""
    started = []

    def refuse(*args, **kwargs):
        started.append(args)
        raise AssertionError(f"a subprocess was started: {args!r:.200}")

    monkeypatch.setattr(subprocess, "run", refuse)
    return started


REFUSED = [
    "rtsp://8.8.8.8:554/Streaming/Channels/101",
    "http://8.8.8.8/live/index.m3u8",
    "https://1.1.1.1/x.m3u8",
    "rtsp://admin:secret@cams.example.com/ch1",
    "http://mixed.example.com/index.m3u8",
    "http://metadata.example.com/latest/meta-data/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[2001:db8::1]/index.m3u8",
    "http://v6.example.com/",
    "http://mapped.example.com/",
    "http://[::ffff:8.8.8.8]/index.m3u8",
    "http://0.0.0.0:8000/",
    "http://100.64.0.1/",
    "http://127.0.0.1@8.8.8.8/index.m3u8",
    "http://127.0.0.1\t@8.8.8.8/",
    "http://8.8.8.8\\@127.0.0.1/",
    "http://127.0.0.1 @8.8.8.8/",
    "file:///etc/passwd",
    "gopher://127.0.0.1:25/_HELO",
    "ftp://127.0.0.1/x",
    "concat:http://127.0.0.1/a|file:///etc/passwd",
    "data:text/plain,hello",
    "subfile,,start,0,end,0,,:/etc/passwd",
    "tcp://127.0.0.1:5433",
    "unix:///var/run/postgresql/.s.PGSQL.5433",
    "//127.0.0.1/index.m3u8",
    "http:///x",
    "http://no-such-host.invalid/",
    "http://127.0.0.1:99999/",
    "rtsp://[fe80::1%25eth0]/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_urls_outside_the_allowed_schemes_and_networks_are_refused_without_ffprobe(url, no_subprocess):
    result = probe(url, timeout_s=1, resolve=offline_resolver)
    assert result.status == "refused" and result.error.startswith("refused:"), result
    assert result.elapsed_ms == 0 and not no_subprocess


def test_the_reason_says_why(no_subprocess):
    assert "MAPSERVER_CAMERA_NETWORKS" in refusal("http://8.8.8.8/", offline_resolver)
    assert "8.8.8.8" in refusal("http://cams.example.com/", offline_resolver)
    assert "93.184.216.34" in refusal("http://mixed.example.com/", offline_resolver)  # one address outside is enough
    assert "MAPSERVER_CAMERA_SCHEMES" in refusal("file:///etc/passwd", offline_resolver)
    assert "does not resolve" in refusal("http://no-such-host.invalid/", offline_resolver)


def test_private_and_loopback_addresses_are_allowed_by_default():
    for url in (
        "rtsp://10.20.30.40:554/ch1",
        "rtsps://172.16.5.4/ch1",
        "http://192.168.1.20/index.m3u8",
        "http://127.0.0.1:8000/hls/1/index.m3u8",
        "http://nvr.local.example/index.m3u8",
        "rtsp://user:p%40ss@10.0.0.9/Streaming/Channels/101",
        "http://[::1]:8000/index.m3u8",
    ):
        assert refusal(url, offline_resolver) == "", url


def test_the_settings_decide(settings, no_subprocess):
    settings.MAPSERVER_CAMERA_NETWORKS = ["10.0.0.0/8"]
    assert refusal("http://127.0.0.1:8000/x.m3u8", offline_resolver).startswith("refused:")
    assert refusal("rtsp://10.1.1.1/x", offline_resolver) == ""
    settings.MAPSERVER_CAMERA_SCHEMES = ["rtsp"]
    assert "MAPSERVER_CAMERA_SCHEMES" in refusal("http://10.1.1.1/x.m3u8", offline_resolver)
    settings.MAPSERVER_CAMERA_NETWORKS = []
    assert refusal("rtsp://10.1.1.1/x", offline_resolver).startswith("refused:")  # empty: probe nothing


def test_a_loopback_stream_is_still_probed(hls_server):
    result = probe(f"{hls_server}/h264/index.m3u8", timeout_s=10, resolve=offline_resolver)
    assert (result.status, result.codec) == ("live", "H.264")


def test_cameras_check_records_refused_cameras_and_probes_the_others(hls_server):
    def camera(name: str, **urls) -> Camera:
        return Camera.objects.create(
            name=name,
            owner_unit="UBND",
            codec="H.264",
            status="live",
            commune_code="26068",
            geom="SRID=4326;POINT(106.83 10.95)",
            **urls,
        )

    public = camera("public", rtsp_url="rtsp://8.8.8.8:554/ch1")
    metadata = camera("metadata", hls_url="http://169.254.169.254/latest/meta-data/")
    local_file = camera("file", hls_url="file:///etc/passwd")
    allowed = camera("allowed", hls_url=f"{hls_server}/h264/index.m3u8")
    out = StringIO()
    call_command(
        "cameras_check",
        *[arg for cam in (public, metadata, local_file, allowed) for arg in ("--camera", str(cam.pk))],
        "--timeout",
        "5",
        stdout=out,
    )
    assert "3 refused" in out.getvalue() and "1 live" in out.getvalue()
    for cam in (public, metadata, local_file):
        cam.refresh_from_db()
        entry = CameraProbe.objects.get(camera=cam)
        assert (cam.status, entry.status, entry.elapsed_ms) == ("dead", "refused", 0)
        assert entry.error.startswith("refused:")
    allowed.refresh_from_db()
    assert allowed.status == "live" and CameraProbe.objects.get(camera=allowed).status == "live"


def test_check_cameras_summary_counts_refusals(no_subprocess):
    cam = Camera.objects.create(
        name="x",
        owner_unit="UBND",
        codec="H.264",
        rtsp_url="gopher://10.0.0.1/x",
        status="unknown",
        commune_code="26068",
        geom="SRID=4326;POINT(106.83 10.95)",
    )
    summary = check_cameras(Camera.objects.filter(pk=cam.pk), timeout_s=1, workers=1)
    assert (summary.probed, summary.refused, summary.live) == (1, 1, 0) and not no_subprocess
