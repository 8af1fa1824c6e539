"""The overview's alert panel merges the alert model's open alerts (sensors, reports, cameras, scenarios) with
the indicator misses: a leader sees a sensor alarm with its source and commune and clicks it to fly to its place."""

from __future__ import annotations

import uuid

import pytest

from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    csp_violations,
    new_context,
    set_password,
    sign_in,
    wait_for_map,
    wait_js,
)

pytestmark = pytest.mark.live

PASSWORD = "alert-panel-pass"
PLACE = (106.8421, 10.9512)


@pytest.fixture
def sensor_alert(django_db_blocker):
    from django.contrib.gis.geos import Point

    from alerts import service
    from alerts.models import Alert

    key = f"browser:{uuid.uuid4().hex}"
    with django_db_blocker.unblock():
        set_password("t_leader", PASSWORD)
        alert, _ = service.raise_alert(
            source="sensor",
            key=key,
            severity="high",
            title="Mực nước trạm thử vượt báo động 2",
            commune_code="26068",
            place=Point(*PLACE, srid=4326),
        )
        from geodata.models import Commune

        alert.commune_name = Commune.objects.get(code="26068").name
        yield alert
        Alert.objects.filter(key=key).delete()


def test_a_leader_sees_a_sensor_alarm_in_the_alert_panel_and_flies_to_it(live_server, sensor_alert, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = new_context(browser, viewport={"width": 1400, "height": 900}, locale="vi-VN").new_page()
        sign_in(page, base, "t_leader", PASSWORD)
        page.goto(f"{base}/#9/11.1/106.95&tab=overview")
        wait_for_map(page)
        item = page.locator(f"#alert-list li[data-alert='{sensor_alert.pk}']")
        item.wait_for(timeout=30_000)
        text = item.inner_text()
        assert "Cảm biến" in text and "Mực nước trạm thử vượt báo động 2" in text and sensor_alert.commune_name in text
        assert item.get_attribute("data-severity") == "high"
        item.get_by_role("button").click()
        wait_js(
            page,
            "([lon, lat]) => { const c = IOC_MAP.map.getCenter(); return !IOC_MAP.map.isMoving() &&"
            " Math.abs(c.lng - lon) < 1e-4 && Math.abs(c.lat - lat) < 1e-4; }",
            arg=list(PLACE),
            timeout=30_000,
        )
        assert not csp_violations(page)
        browser.close()
