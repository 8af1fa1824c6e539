"""An H.265 RTSP camera plays in headless Chromium through the gateway (transcoded to H.264 on the server), from
the map popup; the page never sees the RTSP address."""

from __future__ import annotations

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, wait_js
from tests.cameras.gateway_support import has_rtsp_server, make_clip, serve
from tests.cameras.test_popup_browser import SPOT, open_popup, sign_in
from tests.sta.mqtt_support import stop

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not has_rtsp_server(), reason="GStreamer RTSP server not installed (deploy/sysdeps.sh)"),
]
PORT = 18858


@pytest.fixture
def hevc_camera(django_db_blocker, tmp_path, settings):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from geodata.models import Camera

    settings.MAPSERVER_CAMERA_GATEWAY_DIR = tmp_path / "hls"
    source = serve(PORT, {"cam": (make_clip(tmp_path / "hevc.mkv", "h265"), "h265")})
    with django_db_blocker.unblock():
        camera = Camera.objects.create(
            name="Camera H.265 qua cổng", owner_unit="UBND xã", codec="H.265", needs_transcoding=True,
            rtsp_url=f"rtsp://admin:Cam-Pass-77@127.0.0.1:{PORT}/cam", status="live", synthetic=False,
            commune_code="", last_checked_at=timezone.now(), geom=f"SRID=4326;POINT({SPOT[0]} {SPOT[1]})",
        )  # fmt: skip
        camera.hls_url = f"/hls/{camera.pk}/index.m3u8"
        camera.save()
        user = get_user_model().objects.get(username="t_admin")
        user.set_password("camera-test-pass")
        user.save()
        yield camera
        camera.delete()
    stop(source)
    from cameras import gateway

    for directory in gateway.root().iterdir():
        if directory.is_dir():
            gateway._stop(directory)


def test_h265_source_plays_through_the_gateway(live_server, hevc_camera, tokens, settings, tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/#17/{SPOT[1]}/{SPOT[0]}")
        popup = open_popup(page, hevc_camera.name)
        assert hevc_camera.name in popup.inner_text()
        wait_js(page, "(() => { const v = document.querySelector('.maplibregl-popup video');"
                " return v && v.currentTime > 1.0; })()", timeout=60_000)  # fmt: skip
        assert page.evaluate("document.querySelector('.camera-popup').dataset.player") == "hls.js"
        assert "Cam-Pass-77" not in page.content() and not [u for u in requested if "rtsp" in u or "Cam-Pass" in u]
        assert any(f"/hls/{hevc_camera.pk}/seg_" in u for u in requested)
        browser.close()
