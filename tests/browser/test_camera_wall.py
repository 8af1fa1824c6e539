"""The camera wall in headless Chromium: a leader opens the Camera tab, the counts and tiles equal the OGC API's
cameras, live streams play through hls.js, the status filter, paging, full screen and Escape work by keyboard
and mouse; commune staff see only their commune's cameras; and every work tab fits a phone (390 px)."""

from __future__ import annotations

from collections import Counter

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
from tests.browser.test_analysis import vi_number

pytestmark = pytest.mark.live

PASSWORD = "camera-wall-pass"


@pytest.fixture
def passwords(django_db_blocker):
    with django_db_blocker.unblock():
        for user in ("t_leader", "t_commune"):
            set_password(user, PASSWORD)


def cameras_of(base: str, token: str) -> list[dict]:
    """The cameras a user may read, from the OGC API (the wall's own source, asked independently)."""
    answer = requests.get(
        f"{base}/ogcapi/collections/cameras/items?limit=10000",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/geo+json"},
        timeout=60,
    )
    assert answer.status_code == 200
    return answer.json()["features"]


def summary_text(cameras: list[dict]) -> str:
    counts = Counter(c["properties"]["status"] for c in cameras)
    return (
        f"{vi_number(len(cameras), 0)} camera: {vi_number(counts['live'], 0)} đang hoạt động, "
        f"{vi_number(counts['dead'], 0)} mất tín hiệu"
    )


def test_leader_watches_the_camera_wall(live_server, tokens, passwords, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    base = live_server.url
    cameras = cameras_of(base, tokens["t_leader"])
    live = [c for c in cameras if c["properties"]["status"] == "live"]
    dead = [c for c in cameras if c["properties"]["status"] == "dead"]
    assert live and dead
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1920, "height": 1080}, locale="vi-VN")
        page = context.new_page()
        errors = watch_console(page)
        sign_in(page, base, "t_leader", PASSWORD)
        wait_for_map(page)
        page.get_by_role("tab", name="Camera").click()
        wait_js(page, "(t) => document.querySelector('#wall-summary').textContent === t", arg=summary_text(cameras))
        assert page.locator("#camera-wall figure").count() == min(9, len(cameras))

        # only the live ones, as the API lists them: every live tile plays through hls.js
        page.locator("#tab-cameras").get_by_label("Trạng thái").select_option("live")
        wait_js(page, "() => location.hash.includes('cstatus=live')")
        wait_js(page, "(t) => document.querySelector('#wall-summary').textContent === t", arg=summary_text(live))
        shown = page.locator("#camera-wall figure").evaluate_all("(fs) => fs.map((f) => Number(f.dataset.camera))")
        assert shown == [c["id"] for c in live[:9]]
        # every live tile plays, H.265 cameras too: their stream reaches the browser transcoded to H.264
        playable = [c["id"] for c in live[:9]]
        assert {c["properties"]["codec"] for c in live[:9]} == {"H.264", "H.265"}
        wait_js(
            page,
            "(ids) => ids.every((id) => { const v = document.querySelector(`figure[data-camera='${id}'] video`);"
            " return v && v.readyState >= 2; })",
            arg=playable,
            timeout=60_000,
        )
        assert page.locator("figure .camera-screen[data-player='hls.js']").count() == len(live[:9])
        assert not page.locator("#camera-wall figure", has_text="Không phát được").count()
        assert not page.locator("#camera-wall video[src^='rtsp']").count()

        # the next page, then full screen by keyboard and back with Escape
        if len(live) > 9:
            page.locator("#tab-cameras .pager").get_by_role("button", name="Trang sau").click()
            wait_js(page, "() => location.hash.includes('cpage=2')")
            shown = page.locator("#camera-wall figure").evaluate_all("(fs) => fs.map((f) => Number(f.dataset.camera))")
            assert shown == [c["id"] for c in live[9:18]]
        page.get_by_role("button", name="Toàn màn hình").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.body.classList.contains('wall-full')")
        box = page.locator("#tab-cameras").bounding_box()
        assert box["width"] == 1920 and box["height"] == 1080
        columns = page.evaluate("getComputedStyle(document.querySelector('#camera-wall')).gridTemplateColumns")
        assert len(columns.split()) == 3
        page.keyboard.press("Escape")
        assert not page.evaluate("document.body.classList.contains('wall-full')")

        # a dead camera says so and plays nothing; "show on the map" flies there and opens its popup
        page.locator("#tab-cameras").get_by_label("Trạng thái").select_option("dead")
        wait_js(page, "(t) => document.querySelector('#wall-summary').textContent === t", arg=summary_text(dead))
        first = page.locator("#camera-wall figure").first
        assert first.locator("video").count() == 0 and "mất tín hiệu" in first.locator(".camera-note").inner_text()
        first.get_by_role("button", name="Hiện trên bản đồ").click()
        page.locator(".maplibregl-popup .camera-popup").wait_for(timeout=30_000)
        lon, lat = dead[0]["geometry"]["coordinates"]
        centre = page.evaluate("() => { const c = IOC_MAP.map.getCenter(); return [c.lng, c.lat]; }")
        assert abs(centre[0] - lon) < 1e-4 and abs(centre[1] - lat) < 1e-4
        assert not csp_violations(page)
        assert not [e for e in errors if "Failed to load resource" not in e], errors
        browser.close()


def test_commune_staff_see_only_their_cameras_and_every_tab_fits_a_phone(
    live_server, tokens, passwords, settings, tmp_path
):
    from playwright.sync_api import sync_playwright

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    base = live_server.url
    cameras = cameras_of(base, tokens["t_commune"])
    assert {c["properties"]["commune_code"] for c in cameras} <= {"26068"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(
            browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="vi-VN"
        )
        page = context.new_page()
        sign_in(page, base, "t_commune", PASSWORD)
        wait_for_map(page)
        page.get_by_role("tab", name="Camera").click()
        wait_js(page, "(t) => document.querySelector('#wall-summary').textContent === t", arg=summary_text(cameras))
        shown = page.locator("#camera-wall figure").evaluate_all("(fs) => fs.map((f) => Number(f.dataset.camera))")
        assert set(shown) <= {c["id"] for c in cameras}
        tabs = page.locator("#tabs [role=tab]:not([hidden])")
        names = tabs.all_inner_texts()
        assert len(names) >= 6
        for name in names:
            page.get_by_role("tab", name=name, exact=True).click()
            page.wait_for_timeout(300)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (name, width)
        browser.close()
