"""The camera popup on the operations map, in headless Chromium: a live camera plays with hls.js; the others say why."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, wait_js

pytestmark = pytest.mark.live

SPOT = (107.3461, 11.5123)  # somewhere quiet, away from the sample's urban cameras
RENDERED_CAMERAS = """() => window.IOC_MAP.map.queryRenderedFeatures()
  .filter((f) => f.layer.metadata && f.layer.metadata["ioc:layer"] === "cameras")
  .map((f) => ({ name: f.properties.name, xy: window.IOC_MAP.map.project(f.geometry.coordinates) }))"""


@pytest.fixture
def cameras(django_db_blocker):
    """A live H.264 sample camera at SPOT (its /hls/ stream is the demo one) and a password for t_admin."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from geodata.models import Camera

    with django_db_blocker.unblock():
        live = Camera.objects.create(
            name="Camera kiểm thử phát",
            owner_unit="UBND",
            codec="H.264",
            rtsp_url="rtsp://10.0.0.1/x",
            status="live",
            synthetic=True,
            commune_code="",
            last_checked_at=timezone.now(),
            geom=f"SRID=4326;POINT({SPOT[0]} {SPOT[1]})",
        )
        live.hls_url = f"/hls/{live.pk}/index.m3u8"
        live.save()
        user = get_user_model().objects.get(username="t_admin")
        user.set_password("camera-test-pass")
        user.save()
        yield live
        live.delete()


def sign_in(page, base: str) -> None:
    page.goto(base + "/accounts/login/?next=/")
    page.fill("input[name=username]", "t_admin")
    page.fill("input[name=password]", "camera-test-pass")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(base) + r"/(#.*)?$"))  # the map writes its view into the hash


def open_popup(page, name: str):
    wait_js(page, "document.body.dataset.mapReady === '1'", timeout=60_000)
    wait_js(page, "window.IOC_MAP.map.loaded() && window.IOC_MAP.map.areTilesLoaded()", timeout=60_000)
    wait_js(page, f"({RENDERED_CAMERAS})().some((c) => c.name === {name!r})", timeout=30_000)
    mine = next(c for c in page.evaluate(RENDERED_CAMERAS) if c["name"] == name)
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + mine["xy"]["x"], box["y"] + mine["xy"]["y"])
    popup = page.locator(".maplibregl-popup")
    popup.wait_for(timeout=10_000)
    return popup


def why(page, **properties) -> str:
    return page.evaluate("(p) => window.IOC_MAP.cameraPlayability(p)", properties)


def test_live_camera_plays_in_the_popup_and_others_say_why_not(live_server, cameras, settings, tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.MAPSERVER_MEDIA_DIR = tmp_path / "media"
    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/#17/{SPOT[1]}/{SPOT[0]}")
        popup = open_popup(page, cameras.name)
        assert cameras.name in popup.inner_text()
        wait_js(
            page,
            "(() => { const v = document.querySelector('.maplibregl-popup video');"
            " return v && v.currentTime > 0.5; })()",
            timeout=45_000,
        )
        assert page.evaluate("document.querySelector('.camera-popup').dataset.player") == "hls.js"

        assert "mất tín hiệu" in why(page, status="dead", last_checked_at="2026-03-01T08:00:00+07:00")
        assert "H.265" in why(
            page,
            status="live",
            codec="H.265",
            needs_transcoding=True,
            hls_url="https://10.0.0.9/hls/cam1.m3u8",
            last_checked_at="2026-03-01T08:00:00+07:00",
        )
        assert "Chưa kiểm tra" in why(page, status="unknown", hls_url="/hls/1/index.m3u8")
        assert (
            why(
                page,
                status="live",
                codec="H.264",
                hls_url="/hls/1/index.m3u8",
                last_checked_at="2026-03-01T08:00:00+07:00",
            )
            is None
        )
        browser.close()
    assert not errors, errors
