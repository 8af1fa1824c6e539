"""The planner's analysis panel in headless Chromium: draw a rectangle and a circle with the mouse, type a radius,
pick a commune, regroup, highlight a group, page through the features and go back; every figure shown is compared
with POST /api/query for the same area."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, unquote

import pytest
import requests

from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    csp_violations,
    new_context,
    set_password,
    sign_in,
    wait_for_map,
    wait_js,
    watch_console,
)

pytestmark = pytest.mark.live

PASSWORD = "analysis-test-pass"
VIEW = "#14/10.955/106.83"  # Biên Hòa, dense sample data
COMMUNE = ("26041", "Trấn Biên")


def vi_number(value: float, digits: int = 2) -> str:
    """What Intl.NumberFormat("vi-VN", {maximumFractionDigits}) prints."""
    rounded = round(value, digits)
    whole, _, fraction = f"{rounded:,.{digits}f}".partition(".")
    fraction = fraction.rstrip("0")
    whole = whole.replace(",", ".")
    return f"{whole},{fraction}" if fraction else whole


def address_state(page) -> dict:
    query = page.evaluate("location.hash").split("&", 1)[1]
    return {key: values[0] for key, values in parse_qs(query).items()}


def shown_shape(page) -> dict:
    return json.loads(unquote(address_state(page)["shape"]))


def api_query(base: str, token: str, body: dict) -> dict:
    response = requests.post(f"{base}/api/query", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def wait_for_results(page, shape_before=None) -> None:
    wait_js(
        page,
        "() => !document.getElementById('analysis-results').hasAttribute('aria-busy') && "
        "document.querySelector('#analysis-summary') !== null",
        timeout=60_000,
    )
    page.wait_for_timeout(400)  # the debounce of a following change
    wait_js(page, "() => !document.getElementById('analysis-results').hasAttribute('aria-busy')", timeout=60_000)


def compare_with_api(page, base: str, token: str, layers: list[str], group_by: dict | None = None) -> dict:
    """The panel's figures equal the API's answer for the area in the address."""
    body = {**shown_shape(page), "layers": layers, "group_by": group_by or {"houses": "status", "schools": "level"}}
    answer = api_query(base, token, body)
    summary = page.locator("#analysis-summary")
    assert summary.locator("[data-figure=area_km2]").inner_text() == f"{vi_number(answer['area_m2'] / 1e6)} km²"
    assert summary.locator("[data-figure=communes]").inner_text() == vi_number(len(answer["communes"]), 0)
    for layer in layers:
        section = page.locator(f".result-layer[data-layer={layer}]")
        assert section.locator("[data-figure=count]").inner_text() == vi_number(answer["layers"][layer]["count"], 0), (
            layer
        )
        for name, value in answer["layers"][layer]["sums"].items():
            assert section.locator(f"[data-sum={name}]").inner_text() == vi_number(value), (layer, name)
        groups = answer["layers"][layer].get("groups") or {}
        shown = section.locator(".groups button").all()
        assert [b.get_attribute("data-group") for b in shown] == list(groups), layer
        for button, (key, group) in zip(shown, groups.items()):
            assert button.inner_text().rstrip().endswith(vi_number(group["count"], 0)), (layer, key)
    return answer


def drag_shape(page, tool: str, start: tuple[int, int], end: tuple[int, int]) -> None:
    """Pick a drawing tool and click-move-click on the map, as terra-draw expects."""
    page.get_by_role("button", name=tool, exact=True).click()
    box = page.locator("#map").bounding_box()
    x0, y0 = box["x"] + start[0], box["y"] + start[1]
    x1, y1 = box["x"] + end[0], box["y"] + end[1]
    page.mouse.click(x0, y0)
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=4)
    page.mouse.move(x1, y1, steps=4)
    page.mouse.click(x1, y1)


@pytest.fixture
def planner(django_db_blocker):
    with django_db_blocker.unblock():
        set_password("t_planner", PASSWORD)


def test_analysis_panel_matches_the_api(live_server, tokens, planner, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    base, token = live_server.url, tokens["t_planner"]
    layers = ["houses", "schools"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1400, "height": 900}, locale="vi-VN")
        page = context.new_page()
        errors = watch_console(page)
        sign_in(page, base, "t_planner", PASSWORD)
        page.goto(f"{base}/{VIEW}&layers=houses,schools")
        wait_for_map(page)
        page.get_by_role("tab", name="Phân tích").click()
        panel = page.locator("#tab-analysis")
        for name in ("Nhà ở, địa chỉ số", "Trường học"):
            panel.get_by_label(name, exact=True).check()
        while panel.locator(".checks input:checked:not([value=houses]):not([value=schools])").count():
            panel.locator(".checks input:checked:not([value=houses]):not([value=schools])").first.uncheck()
        assert [b.get_attribute("value") for b in panel.locator(".checks input:checked").all()] == ["houses", "schools"]

        # terra-draw's sources and layers come with the first drawing tool picked, not with the map
        drawing_layers = "window.IOC_MAP.map.getStyle().layers.filter((l) => l.id.startsWith('td-')).length"
        assert page.evaluate(drawing_layers) == 0
        # a rectangle drawn with the mouse
        drag_shape(page, "Hình chữ nhật", (500, 300), (760, 520))
        assert page.evaluate(drawing_layers) > 0
        wait_js(page, "location.hash.includes('shape=')")
        wait_for_results(page)
        assert shown_shape(page)["type"] == "polygon"
        assert page.locator(".maplibregl-popup").count() == 0  # the finishing click is the drawing's, not a popup's
        answer = compare_with_api(page, base, token, layers)
        assert answer["layers"]["houses"]["count"] > 10

        # a group's features are highlighted on the map
        first = page.locator(".result-layer[data-layer=houses] .groups button").first
        first.click()
        assert first.get_attribute("aria-pressed") == "true"
        wait_js(
            page,
            "() => window.IOC_MAP.map.getLayer('ioc-highlight-houses') && "
            "window.IOC_MAP.map.queryRenderedFeatures({layers: ['ioc-highlight-houses']}).length > 0",
            timeout=20_000,
        )
        status = first.get_attribute("data-group")
        lit = page.evaluate(
            "() => window.IOC_MAP.map.queryRenderedFeatures({layers: ['ioc-highlight-houses']}).map((f) => f.properties.status)"
        )
        assert set(lit) == {status}

        # the paged feature list, compared with the API's second page
        page.get_by_label("Lớp của danh sách").select_option("houses")
        wait_js(page, "document.querySelectorAll('#feature-list li').length === 10", timeout=30_000)
        page.get_by_role("button", name="Trang sau").click()
        wait_js(page, "document.getElementById('feature-list-page').textContent.startsWith('Trang 2')", timeout=30_000)
        second = api_query(
            base, token, {**shown_shape(page), "layers": ["houses"], "features": True, "limit": 10, "offset": 10}
        )
        expected_ids = [str(f["id"]) for f in second["layers"]["houses"]["features"]["features"]]
        wait_js(
            page,
            "(ids) => [...document.querySelectorAll('#feature-list li')].map((li) => li.dataset.id).join() === ids.join()",
            arg=expected_ids,
            timeout=30_000,
        )
        target = second["layers"]["houses"]["features"]["features"][0]
        page.locator(f"#feature-list button[data-feature='{target['id']}']").click()
        page.locator(".maplibregl-popup .popup[data-layer=houses]").wait_for(timeout=10_000)
        centre = page.evaluate("() => window.IOC_MAP.map.getCenter().toArray()")
        assert (
            abs(centre[0] - target["geometry"]["coordinates"][0]) < 1e-5
            and abs(centre[1] - target["geometry"]["coordinates"][1]) < 1e-5
        )
        assert target["properties"]["address_code"] in page.locator(".maplibregl-popup").inner_text()
        page.locator(".maplibregl-popup-close-button").click()

        # a typed radius around the map's centre
        page.get_by_label("Bán kính (m)").fill("800")
        page.get_by_role("button", name="Áp dụng bán kính").click()
        wait_js(page, "location.hash.includes('radius_m')")
        wait_for_results(page)
        shape = shown_shape(page)
        assert shape["type"] == "radius" and shape["radius_m"] == 800
        compare_with_api(page, base, token, layers)

        # a circle dragged with the mouse
        drag_shape(page, "Hình tròn", (650, 420), (760, 420))
        wait_js(
            page,
            "() => JSON.parse(decodeURIComponent(location.hash.split('shape=')[1].split('&')[0])).radius_m !== 800",
        )
        wait_for_results(page)
        circle = shown_shape(page)
        assert circle["type"] == "radius" and 10 < circle["radius_m"] < 5000
        compare_with_api(page, base, token, layers)

        # a commune picked by name, then grouped by commune
        field = page.get_by_label("Xã/phường phân tích")
        field.fill(COMMUNE[1])
        field.press("Enter")
        wait_js(page, "location.hash.includes('commune')")
        wait_for_results(page)
        assert shown_shape(page) == {"type": "commune", "code": COMMUNE[0]}
        compare_with_api(page, base, token, layers)
        page.get_by_label("Nhóm theo: Trường học").select_option("commune")
        wait_for_results(page)
        compare_with_api(page, base, token, layers, {"houses": "status", "schools": "commune"})

        # back: the previous area and its figures return
        page.go_back()
        page.go_back()
        wait_js(page, "location.hash.includes('radius_m') && !location.hash.includes('commune')")
        wait_for_results(page)
        assert shown_shape(page) == circle
        compare_with_api(page, base, token, layers)
        assert not csp_violations(page)
        assert not [e for e in errors if "Failed to load resource" not in e], errors
        browser.close()
