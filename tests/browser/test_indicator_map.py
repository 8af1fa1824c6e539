"""The leader's indicator map in headless Chromium, compared with the API: the communes listed as missing the
target are those of /api/indicators/alerts, the outlined communes on the map are the same set, the change mode
repaints the legend, and a clicked commune's history chart holds its values of /api/indicators/{code}/values."""

from __future__ import annotations

import pytest
import requests

from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    click_at,
    csp_violations,
    new_context,
    set_password,
    sign_in,
    wait_for_map,
    wait_js,
    watch_console,
)

pytestmark = pytest.mark.live

PASSWORD = "indicator-test-pass"
INDICATOR = "YT_BHYT"
FIT_PROVINCE = """async () => {
  const doc = await (await fetch('/api/communes.geojson')).json();
  let box = [180, 90, -180, -90];
  const walk = (c) => { if (typeof c[0] === 'number') { box = [Math.min(box[0], c[0]), Math.min(box[1], c[1]),
    Math.max(box[2], c[0]), Math.max(box[3], c[1])]; } else { c.forEach(walk); } };
  doc.features.forEach((f) => walk(f.geometry.coordinates));
  window.IOC_MAP.map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: 10, duration: 0 });
  return true;
}"""
OUTLINED = """() => [...new Set(window.IOC_MAP.map.queryRenderedFeatures({ layers: ['ioc-indicator-missing'] })
  .map((f) => String(f.properties.code)))].sort()"""


@pytest.fixture
def leader_password(django_db_blocker):
    with django_db_blocker.unblock():
        set_password("t_leader", PASSWORD)


def inside_points() -> dict[str, tuple[float, float, float]]:
    """Per commune a point surely inside it (PostGIS ST_PointOnSurface) and its area, read before the browser
    starts (the ORM refuses to run inside Playwright's event loop)."""
    from django.contrib.gis.db.models.functions import PointOnSurface

    from geodata.models import Commune

    return {c.code: (c.p.x, c.p.y, c.area_km2) for c in Commune.objects.annotate(p=PointOnSurface("geom"))}


def test_indicator_map(live_server, tokens, leader_password, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    base = live_server.url
    headers = {"Authorization": f"Bearer {tokens['t_leader']}"}
    api = lambda path: requests.get(f"{base}{path}", headers=headers, timeout=30).json()  # noqa: E731
    points = inside_points()
    indicator = next(i for i in api("/api/indicators")["indicators"] if i["code"] == INDICATOR)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1600, "height": 1000}, locale="vi-VN")
        page = context.new_page()
        errors = watch_console(page)
        sign_in(page, base, "t_leader", PASSWORD)
        page.goto(f"{base}/")
        wait_for_map(page)
        page.get_by_role("tab", name="Chỉ tiêu").click()
        choice = page.get_by_role("combobox", name="Chỉ tiêu")
        choice.select_option(label=f"{indicator['name']} ({indicator['unit']})")
        wait_js(page, "(c) => location.hash.includes('indicator=' + c)", arg=INDICATOR)
        # the period with the keyboard: the list is newest first, one step down is the period before the latest
        period_box = page.get_by_role("combobox", name="Kỳ", exact=True)
        assert period_box.input_value() == indicator["latest_period"]
        period_box.focus()
        page.keyboard.press("ArrowDown")
        period = indicator["periods"][-2]
        wait_js(page, "(p) => location.hash.includes('period=' + p)", arg=period)
        assert period_box.input_value() == period

        # the list of communes below target is the API's alerts for that indicator and period
        wait_js(
            page, "() => document.querySelector('#indicator-missing li[data-commune], #indicator-missing li.muted')"
        )
        alerts = api(f"/api/indicators/alerts?period={period}")["alerts"]
        expected = sorted({a["commune"] for a in alerts if a["indicator"] == INDICATOR})
        assert expected, "the sample data should have communes below target"
        listed = sorted(
            li.get_attribute("data-commune") for li in page.locator("#indicator-missing li[data-commune]").all()
        )
        assert listed == expected
        legend = page.locator("#indicator-legend .target")
        assert legend.get_attribute("data-unit") == indicator["unit"]
        assert float(legend.get_attribute("data-target")) == indicator["target"]

        # the outlined communes on the map, the whole province in view, are the same set
        page.evaluate(FIT_PROVINCE)
        wait_for_map(page)
        wait_js(
            page, "() => window.IOC_MAP.map.queryRenderedFeatures({ layers: ['ioc-indicator-missing'] }).length > 0"
        )
        assert page.evaluate(OUTLINED) == expected

        # the change mode repaints the fill and says which period it compares with
        page.get_by_role("combobox", name="Cách tô màu").select_option("previous")
        wait_js(page, "() => location.hash.includes('mode=previous')")
        wait_js(page, "() => document.querySelector('#indicator-legend ul[data-mode=previous]')")
        values = api(f"/api/indicators/{INDICATOR}/values?period={period}")
        assert values["previous_period"] in page.locator("#indicator-legend").inner_text()
        fill_colour = page.evaluate("() => window.IOC_MAP.map.getPaintProperty('ioc-indicator-fill', 'fill-color')")
        assert fill_colour[0] == "match"

        # click a commune on the map: its history, every period of the indicator, with the target line
        code = max(expected, key=lambda c: points[c][2])  # the largest, the easiest to hit
        lon, lat, _ = points[code]
        click_at(page, lon, lat)
        wait_js(page, "(c) => document.querySelector(`#indicator-history-title[data-commune='${c}']`)", arg=code)
        assert f"commune={code}" in page.evaluate("location.hash")
        history = []
        for p in indicator["periods"]:
            row = next(
                (v for v in api(f"/api/indicators/{INDICATOR}/values?period={p}")["values"] if v["commune"] == code),
                None,
            )
            history.append(row["value"] if row else None)
        drawn = page.evaluate("() => window.IOC_MAP.indicatorChart.data.map((series) => Array.from(series))")
        assert drawn[1] == history
        assert drawn[2] == [indicator["target"]] * len(indicator["periods"])
        assert page.locator("#indicator-history canvas").count() == 1

        # an item of the list zooms to its commune and shows its history
        other = next(c for c in expected if c != code) if len(expected) > 1 else code
        page.locator(f"#indicator-missing button[data-commune='{other}']").click()
        wait_js(page, "(c) => document.querySelector(`#indicator-history-title[data-commune='${c}']`)", arg=other)
        assert not csp_violations(page)
        assert not [e for e in errors if "Failed to load resource" not in e], errors
        browser.close()
