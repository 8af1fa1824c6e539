"""/report in headless Chromium: GPS (mocked), a photo with EXIF position, an offline queue; then the map at /."""

from __future__ import annotations

import uuid

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, wait_js
from tests.reports.conftest import COMMUNE, jpeg, point_in

pytestmark = pytest.mark.live

EXIF_POSITION = (10.95, 106.0 + 50 / 60)  # what jpeg(gps=True) writes: 10°57'N 106°50'E, in Biên Hòa
FIELD_REPORTS_RENDERED = """(marker) => window.IOC_MAP.map.queryRenderedFeatures()
  .filter((f) => f.layer.metadata && f.layer.metadata["ioc:layer"] === "field_reports")
  .filter((f) => String(f.properties.description || "").includes(marker))
  .map((f) => f.properties)"""


@pytest.fixture
def marker(django_db_blocker):
    """A unique word put in the test reports' descriptions; the reports are deleted afterwards."""
    from reports.models import FieldReport

    word = f"kiemthu-{uuid.uuid4().hex[:10]}"
    yield word
    with django_db_blocker.unblock():
        FieldReport.objects.filter(description__contains=word).delete()


def stored(marker: str, suffix: str):
    from reports.models import FieldReport

    return FieldReport.objects.filter(description__contains=f"{marker} {suffix}").first()


def fill_and_send(page, marker: str, suffix: str) -> None:
    page.select_option("#service_code", "waste")
    page.fill("#description", f"Rác ùn ứ {marker} {suffix}")
    page.click("#send")


def submit_with_photo(page, marker: str) -> None:
    wait_js(page, "document.getElementById('where').textContent.includes('GPS')", timeout=20_000)
    page.set_input_files(
        "#photo",
        files=[{"name": "hien-truong.jpg", "mimeType": "image/jpeg", "buffer": jpeg(gps=True, size=(1200, 900))}],
    )
    wait_js(page, "document.getElementById('photo-note').textContent.includes('ảnh')", timeout=10_000)
    fill_and_send(page, marker, "one")
    page.wait_for_selector("#result.ok", timeout=30_000)


def submit_after_dragging_the_pin(page, marker: str) -> tuple[float, float]:
    wait_js(page, "window.IOC_REPORT_MAP && window.IOC_REPORT_MAP.loaded()", timeout=60_000)
    wait_js(page, "document.getElementById('where').textContent.includes('GPS ±')", timeout=20_000)
    page.locator("#map").scroll_into_view_if_needed()
    wait_js(page, "!window.IOC_REPORT_MAP.isMoving()", timeout=10_000)
    page.wait_for_timeout(300)
    pin = page.locator(".maplibregl-marker").bounding_box()
    x, y = pin["x"] + pin["width"] / 2, pin["y"] + pin["height"] / 3  # the pin's head
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 30, steps=8)
    page.mouse.up()
    wait_js(page, "document.getElementById('where').textContent.includes('bản đồ')", timeout=10_000)
    lat, lon = float(page.input_value("#lat")), float(page.input_value("#long"))
    fill_and_send(page, marker, "three")
    page.wait_for_selector("#result.ok", timeout=30_000)
    return lat, lon


def submit_offline(context, page, marker: str) -> None:
    wait_js(page, "document.getElementById('where').textContent.includes('GPS')", timeout=20_000)
    context.set_offline(True)
    fill_and_send(page, marker, "two")
    page.wait_for_selector("#result.queued", timeout=30_000)
    assert stored(marker, "two") is None
    assert "chờ mạng" in page.text_content("#outbox")
    context.set_offline(False)
    wait_js(page, "document.getElementById('outbox').textContent === ''", timeout=45_000)


def see_on_the_map(browser, live_server, marker: str) -> list[dict]:
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.goto(f"{live_server.url}/#16/{EXIF_POSITION[0]}/{EXIF_POSITION[1]}")
    wait_js(page, "document.body.dataset.mapReady === '1'", timeout=60_000)
    page.check("input[data-layer=field_reports]")
    wait_js(page, "window.IOC_MAP.map.loaded() && window.IOC_MAP.map.areTilesLoaded()", timeout=60_000)
    wait_js(page, f"({FIELD_REPORTS_RENDERED})('{marker}').length > 0", timeout=30_000)
    return page.evaluate(FIELD_REPORTS_RENDERED, marker)


def test_report_from_the_phone_page_lands_on_the_map(live_server, marker, settings, tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    gps_lat, gps_lon = point_in(COMMUNE)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="vi-VN"
        )
        context.grant_permissions(["geolocation"], origin=live_server.url)
        context.set_geolocation({"latitude": gps_lat, "longitude": gps_lon, "accuracy": 8})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server.url}/report")

        submit_with_photo(page, marker)
        first = stored(marker, "one")
        assert first is not None and first.channel == "web" and first.photo
        assert abs(first.geom.y - EXIF_POSITION[0]) < 1e-5 and abs(first.geom.x - EXIF_POSITION[1]) < 1e-5
        assert str(first.pk) in page.text_content("#result")

        dragged = submit_after_dragging_the_pin(page, marker)
        third = stored(marker, "three")
        assert abs(third.geom.y - dragged[0]) < 1e-6 and abs(third.geom.x - dragged[1]) < 1e-6
        assert abs(third.geom.y - gps_lat) > 1e-5 or abs(third.geom.x - gps_lon) > 1e-5  # moved off the GPS fix

        submit_offline(context, page, marker)
        second = stored(marker, "two")
        assert second is not None and second.commune_code == COMMUNE
        assert abs(second.geom.y - gps_lat) < 1e-5 and abs(second.geom.x - gps_lon) < 1e-5
        wait_js(page, f"document.querySelectorAll('#mine li[data-id=\"{second.pk}\"]').length === 1")
        assert not errors, errors

        rendered = see_on_the_map(browser, live_server, marker)
        assert any(f"{marker} one" in p["description"] for p in rendered)
        assert all(not {"first_name", "phone", "email"} & set(p) for p in rendered)
        browser.close()
