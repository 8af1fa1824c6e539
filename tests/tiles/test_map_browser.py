"""The operations map in headless Chromium: layers render, a toggle hides one, a click opens a popup."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, wait_js

pytestmark = pytest.mark.live
VIEW = "#12/10.955/106.83"  # Biên Hòa
RENDERED_BY_LAYER = """() => {
  const counts = {};
  window.IOC_MAP.map.queryRenderedFeatures().forEach((f) => {
    const owner = f.layer.metadata && f.layer.metadata["ioc:layer"];
    if (owner) { counts[owner] = (counts[owner] || 0) + 1; }
  });
  return counts;
}"""


@pytest.fixture
def committed_features(django_db_blocker):
    """A few features the live server can see (committed), removed afterwards."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from geodata.models import Camera, House, Incident

    with django_db_blocker.unblock():
        incident = Incident.objects.create(
            kind="fire",
            occurred_at=timezone.now() - dt.timedelta(days=1),  # inside the map's default range (last 90 days)
            status="responding",
            severity=3,
            description="Cháy kho (kiểm thử)",
            commune_code="26041",
            geom="SRID=4326;POINT(106.83 10.955)",
        )
        camera = Camera.objects.create(
            name="Camera kiểm thử",
            owner_unit="UBND",
            codec="H.264",
            rtsp_url="rtsp://x/1",
            status="live",
            commune_code="26041",
            geom="SRID=4326;POINT(106.835 10.958)",
        )
        house = House.objects.create(
            address_code="DN-TEST-HOUSE-1",
            status="poor",
            members=4,
            floors=1,
            commune_code="26041",
            geom="SRID=4326;POINT(106.8402 10.9611)",
        )
        user = get_user_model().objects.get(username="t_admin")
        user.set_password("map-test-pass")
        user.save()
        yield incident, camera, house
        incident.delete()
        camera.delete()
        house.delete()


def wait_for_map(page) -> None:
    wait_js(page, "document.body.dataset.mapReady === '1'", timeout=60_000)
    wait_js(page, "window.IOC_MAP.map.loaded() && window.IOC_MAP.map.areTilesLoaded()", timeout=60_000)
    page.wait_for_timeout(500)


def test_operations_map(live_server, tokens, committed_features, tmp_path):
    from playwright.sync_api import sync_playwright

    incident, _, house = committed_features
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(live_server.url + "/" + VIEW)
        wait_for_map(page)

        rendered = page.evaluate(RENDERED_BY_LAYER)
        assert {"communes", "districts_2024", "incidents"} <= set(rendered), rendered
        assert "houses" not in rendered  # protected: not in the anonymous style
        assert page.locator("#notice").is_visible()  # derived commune boundaries are flagged

        page.uncheck("input[data-layer=incidents]")
        page.wait_for_timeout(300)
        assert "incidents" not in page.evaluate(RENDERED_BY_LAYER)
        page.check("input[data-layer=incidents]")
        wait_for_map(page)

        x, y = page.evaluate(
            f"() => {{ const p = window.IOC_MAP.map.project([{incident.geom.x}, {incident.geom.y}]); return [p.x, p.y]; }}"
        )
        box = page.locator("#map").bounding_box()
        page.mouse.click(box["x"] + x, box["y"] + y)
        popup = page.locator(".maplibregl-popup")
        popup.wait_for(timeout=10_000)
        assert popup.locator("[data-attr=kind]").get_attribute("data-value") == "fire"  # shown by its label if any
        assert "Cháy kho" in popup.inner_text()

        page.click("#lang-switch")
        assert page.locator(".topbar h1").inner_text() == "Đồng Nai operations map"
        page.click("#lang-switch")

        page.goto(live_server.url + "/accounts/login/?next=/")
        page.fill("input[name=username]", "t_admin")
        page.fill("input[name=password]", "map-test-pass")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(re.escape(live_server.url) + r"/(#.*)?$"))  # the map writes its view into the hash
        page.goto(live_server.url + "/" + VIEW)
        wait_for_map(page)
        rendered = page.evaluate(RENDERED_BY_LAYER)
        assert {"houses", "cameras", "communes"} <= set(rendered), rendered

        # a house popup completes the tile's attributes with the whole record from the OGC API
        page.evaluate(f"() => window.IOC_MAP.map.jumpTo({{ center: [{house.geom.x}, {house.geom.y}], zoom: 19 }})")
        wait_for_map(page)
        page.evaluate("() => document.querySelectorAll('.maplibregl-popup').forEach((p) => p.remove())")
        x, y = page.evaluate(
            f"() => {{ const p = window.IOC_MAP.map.project([{house.geom.x}, {house.geom.y}]); return [p.x, p.y]; }}"
        )
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_selector(".maplibregl-popup .popup[data-complete='1']", timeout=10_000)
        popup = page.locator(".maplibregl-popup")
        text = popup.inner_text()
        assert popup.locator("[data-attr=address_code]").count() == 1  # not in the tile: read from the OGC API item
        assert house.address_code in text or f"#{house.id}" not in text  # the test house, unless a neighbour was on top

        shot = tmp_path / "map.png"
        page.screenshot(path=str(shot))
        browser.close()
    assert not errors, errors
    assert shot.stat().st_size > 50_000
    keep = os.environ.get("MAPSERVER_SCREENSHOT_DIR")  # set it to keep the screenshot outside pytest's tmp
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(keep) / "map.png")
