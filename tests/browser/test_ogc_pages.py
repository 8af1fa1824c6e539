"""The OGC API HTML pages, clicked through as an external GIS user would: landing → collections → houses (a
protected layer, signed in) → its items → one feature, whose page map shows the province and commune outlines
(the base layer), the feature itself, zoom buttons and a popup of its attributes."""

from __future__ import annotations

import re

import pytest
import requests

from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    csp_violations,
    new_context,
    set_password,
    sign_in,
    wait_js,
    watch_console,
)

pytestmark = pytest.mark.live

PASSWORD = "ogc-pages-test-pass"


@pytest.fixture
def leader_password(django_db_blocker):
    with django_db_blocker.unblock():
        set_password("t_leader", PASSWORD)


def test_ogc_pages_click_through(live_server, tokens, leader_password, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1280, "height": 900}, locale="vi-VN")
        page = context.new_page()
        errors = watch_console(page)
        sign_in(page, base, "t_leader", PASSWORD, next_path="/ogcapi?f=html")
        page.get_by_role("link", name="the collections (HTML)").click()
        page.wait_for_url(re.compile(r"/ogcapi/collections\?f=html$"))
        page.get_by_role("link", name="houses", exact=True).click()
        page.wait_for_url(re.compile(r"/ogcapi/collections/houses\?f=html$"))
        page.get_by_role("link", name="features as HTML").first.click()
        page.wait_for_url(re.compile(r"/ogcapi/collections/houses/items\?f=html$"))
        # the items page: a map of the page's features over the base layer, each id a link to its feature page
        wait_js(page, "() => document.body.dataset.mapReady === '1' && window.ogcMap.areTilesLoaded()")
        first = page.locator("table tbody tr td:first-child a").first
        fid = first.inner_text()
        first.click()
        page.wait_for_url(re.compile(rf"/ogcapi/collections/houses/items/{fid}\?f=html$"))

        wait_js(page, "() => document.body.dataset.mapReady === '1' && window.ogcMap.areTilesLoaded()", timeout=30_000)
        page.wait_for_timeout(300)
        base_layers = page.evaluate(
            "() => ['base-communes', 'base-province'].map((id) => window.ogcMap.queryRenderedFeatures({layers: [id]}).length)"
        )
        assert all(n > 0 for n in base_layers), base_layers
        drawn = page.evaluate("() => window.ogcMap.queryRenderedFeatures({layers: ['point', 'line', 'fill']}).length")
        assert drawn >= 1
        assert page.locator(".maplibregl-ctrl-zoom-in").is_visible()
        assert page.locator(".maplibregl-ctrl-zoom-out").is_visible()

        # a click on the feature opens its popup (the feature's attributes as the API gives them)
        feature = requests.get(
            f"{base}/ogcapi/collections/houses/items/{fid}",
            headers={"Authorization": f"Bearer {tokens['t_leader']}"},
            timeout=30,
        ).json()
        lon, lat = feature["geometry"]["coordinates"][:2]
        x, y = page.evaluate(
            "([lon, lat]) => { const p = window.ogcMap.project([lon, lat]); return [p.x, p.y]; }", [lon, lat]
        )
        box = page.locator("#map").bounding_box()
        page.mouse.click(box["x"] + x, box["y"] + y)
        popup = page.locator(".maplibregl-popup .popup")
        popup.wait_for()
        assert f"#{fid}" in popup.inner_text()
        shown = {row.get_attribute("data-attr") for row in popup.locator("tr[data-attr]").all()}
        assert shown == set(feature["properties"])
        assert not csp_violations(page)
        assert not [e for e in errors if "Failed to load resource" not in e], errors
        browser.close()
