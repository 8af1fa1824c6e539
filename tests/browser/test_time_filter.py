"""The date ranges of the time-based layers in the layer panel: incidents default to the last 90 days (ICT), the
incidents drawn on the map are those the OGC API returns for that interval, and a typed start date widens the
range (in the address, so the view is a link)."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    csp_violations,
    new_context,
    wait_for_map,
    wait_js,
    watch_console,
)
from tests.browser.test_indicator_map import FIT_PROVINCE

pytestmark = pytest.mark.live

ICT = dt.timezone(dt.timedelta(hours=7))
DRAWN = """() => [...new Set(window.IOC_MAP.map.queryRenderedFeatures({ layers: ['incidents-points'] })
  .map((f) => String(f.id)))].sort()"""


def api_ids(base: str, start: dt.date, end: dt.date) -> list[str]:
    """Ids of the incidents that occurred from the start of `start` to the end of `end`, ICT days."""
    since = dt.datetime.combine(start, dt.time(), ICT).isoformat()
    until = (dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), ICT) - dt.timedelta(microseconds=1)).isoformat()
    doc = requests.get(
        f"{base}/ogcapi/collections/incidents/items",
        params={"datetime": f"{since}/{until}", "limit": 5000, "properties": "kind"},
        timeout=60,
    ).json()
    assert doc["numberReturned"] == doc["numberMatched"]
    return sorted(str(f["id"]) for f in doc["features"])


def test_incidents_time_filter(live_server, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    base = live_server.url
    today = dt.datetime.now(ICT).date()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1600, "height": 1000}, locale="vi-VN")
        page = context.new_page()
        errors = watch_console(page)
        page.goto(f"{base}/")
        wait_for_map(page)
        assert page.locator("fieldset.time-filter[data-layer=incidents]").is_visible()
        incidents = page.locator("fieldset.time-filter[data-layer=incidents]")
        start, end = incidents.get_by_label("Từ ngày"), incidents.get_by_label("Đến ngày")
        assert start.input_value() == (today - dt.timedelta(days=90)).isoformat()
        assert end.input_value() == today.isoformat()

        page.evaluate(FIT_PROVINCE)
        wait_for_map(page)
        expected = api_ids(base, today - dt.timedelta(days=90), today)
        assert expected, "the sample incidents should reach into the last 90 days"
        assert page.evaluate(DRAWN) == expected

        # a wider range, typed: recorded in the address and drawn
        wider = today - dt.timedelta(days=200)
        start.fill(wider.isoformat())
        wait_js(page, "() => location.hash.includes('time=')")
        wait_for_map(page)
        assert page.evaluate(DRAWN) == api_ids(base, wider, today)
        incidents = page.locator("fieldset.time-filter[data-layer=incidents]")
        assert incidents.get_by_label("Từ ngày").input_value() == wider.isoformat()

        # cleared: every incident
        incidents.get_by_role("button", name="Bỏ lọc thời gian").click()
        wait_for_map(page)
        total = requests.get(f"{base}/ogcapi/collections/incidents/items?limit=1", timeout=30).json()["numberMatched"]
        assert len(page.evaluate(DRAWN)) == total
        assert not csp_violations(page)
        assert not [e for e in errors if "Failed to load resource" not in e], errors
        browser.close()
