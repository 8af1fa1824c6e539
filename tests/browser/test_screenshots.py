"""The README's screens (docs/screenshots/*.png), made by the browser from the sample data: run with
MAPSERVER_SCREENSHOTS=1 (skipped otherwise), e.g.

    MAPSERVER_SCREENSHOTS=1 .venv/bin/pytest -p no:randomly tests/browser/test_screenshots.py

Desktop views at 1920×1080, the leader's overview on a phone at 390×844."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, new_context, set_password, sign_in, wait_for_map, wait_js
from tests.browser.test_indicator_map import FIT_PROVINCE

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(os.environ.get("MAPSERVER_SCREENSHOTS") != "1", reason="set MAPSERVER_SCREENSHOTS=1"),
]

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "screens-pass"
DESKTOP = {"width": 1920, "height": 1080}
COMMUNE = "26068"  # t_commune's commune


@pytest.fixture
def screen_data(django_db_blocker, settings, tmp_path):
    """Passwords, and a few reports in t_commune's commune for the inbox (deleted afterwards)."""
    from reports.models import FieldReport
    from tests.reports.conftest import make_report

    settings.MAPSERVER_MEDIA_DIR = tmp_path / "media"
    word = f"anh-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        for user in ("t_leader", "t_planner", "t_commune"):
            set_password(user, PASSWORD)
        texts = ["Rác thải ùn ứ ở đầu hẻm", "Đèn đường không sáng", "Ổ gà trên đường", "Cống thoát nước bị tắc"]
        made = [make_report(commune=COMMUNE, description=f"{text} ({word})") for text in texts]
        yield made
        FieldReport.objects.filter(description__contains=word).delete()


def shoot(page, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(500)
    page.screenshot(path=str(OUT / f"{name}.png"))


def test_screenshots(live_server, tokens, screen_data, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def session(user, viewport=DESKTOP, **options):
            context = new_context(browser, viewport=viewport, locale="vi-VN", **options)
            page = context.new_page()
            if user:
                sign_in(page, base, user, PASSWORD)
            return context, page

        # the leader: overview, then the indicator map with a commune's history
        context, page = session("t_leader")
        page.goto(f"{base}/#9.2/11.05/107.1&tab=overview")
        wait_for_map(page)
        wait_js(page, "() => document.querySelector('#alert-list li') && document.querySelector('[data-figure]')")
        shoot(page, "overview")
        page.goto(f"{base}/#9.2/11.05/107.1&tab=indicators&indicator=YT_BHYT&commune=26041")
        wait_for_map(page)
        page.evaluate(FIT_PROVINCE)
        wait_js(page, "() => document.querySelector('#indicator-history canvas')")
        wait_for_map(page)
        shoot(page, "indicators")
        # the camera wall in full screen, live streams playing
        page.goto(f"{base}/#12/10.95/106.85&tab=cameras&cstatus=live")
        wait_for_map(page)
        page.get_by_role("button", name="Toàn màn hình").click()
        wait_js(
            page,
            "() => [...document.querySelectorAll('#camera-wall video')].some((v) => v.readyState >= 2)",
            timeout=60_000,
        )
        page.wait_for_timeout(1500)
        shoot(page, "cameras")
        context.close()

        # the planner: an analysis of a commune, then a scenario run over it
        context, page = session("t_planner")
        shape = quote(json.dumps({"type": "commune", "code": "26041"}, separators=(",", ":")))
        page.goto(f"{base}/#12.3/10.95/106.83&tab=analysis&shape={shape}")
        wait_for_map(page)
        wait_js(page, "() => document.querySelector('#analysis-summary [data-figure=communes]')", timeout=60_000)
        wait_for_map(page)
        shoot(page, "analysis")
        page.get_by_role("tab", name="Kịch bản").click()
        page.locator("#tab-scenarios").get_by_label("Lĩnh vực").select_option("construction")
        page.get_by_label("Chọn kịch bản").select_option(label="Tài sản kết cấu hạ tầng giao thông")
        page.get_by_role("button", name="Chạy kịch bản").click()
        wait_js(
            page, "() => location.hash.includes('run=') && document.querySelector('#scenario-figures')", timeout=60_000
        )
        wait_for_map(page)
        shoot(page, "scenario")
        context.close()

        # commune staff: the report inbox with one report open
        context, page = session("t_commune")
        page.goto(f"{base}/#13/10.955/106.83&tab=inbox&report={screen_data[0].pk}")
        wait_for_map(page)
        wait_js(page, "() => document.querySelector('#inbox-detail [data-field=description]')")
        shoot(page, "inbox")
        context.close()

        # a citizen's report page, and an external GIS user's OGC API page
        context, page = session(None)
        page.goto(f"{base}/report")
        page.wait_for_load_state("networkidle")
        shoot(page, "report")
        page.goto(f"{base}/ogcapi/collections/schools/items?f=html&limit=50")
        wait_js(page, "() => document.body.dataset.mapReady === '1' && window.ogcMap.areTilesLoaded()")
        shoot(page, "ogc")
        context.close()

        # the leader's overview on a phone
        phone = {"width": 390, "height": 844}
        context, page = session("t_leader", viewport=phone, is_mobile=True, has_touch=True, device_scale_factor=1)
        page.goto(f"{base}/#8.3/11.05/107.1&tab=overview")
        wait_for_map(page)
        wait_js(page, "() => document.querySelector('#alert-list li')")
        shoot(page, "phone")
        context.close()
        browser.close()
    assert all(
        (OUT / f"{n}.png").exists()
        for n in ("overview", "cameras", "analysis", "scenario", "inbox", "indicators", "report", "ogc", "phone")
    )
