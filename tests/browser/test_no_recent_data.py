"""The scenario runner shows "no recent data" as a state of its own (neither alerts nor "no alerts") when a run's
data is older than its freshness limit, as the run's API answer says."""

from __future__ import annotations

import pytest
import requests

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, new_context, set_password, sign_in, wait_for_map, wait_js
from tests.browser.test_workspace import bearer, hash_state

pytestmark = pytest.mark.live
PASSWORD = "no-recent-data-pass"


def test_month_old_sensor_readings_show_as_no_recent_data(live_server, tokens, django_db_blocker, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    with django_db_blocker.unblock():
        set_password("t_planner", PASSWORD)
    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = new_context(browser, viewport={"width": 1400, "height": 900}, locale="vi-VN").new_page()
        sign_in(page, base, "t_planner", PASSWORD)
        page.goto(f"{base}/#12/10.955/106.83")
        wait_for_map(page)
        page.get_by_role("tab", name="Phân tích").click()
        field = page.get_by_label("Xã/phường phân tích")
        field.fill("Trấn Biên")
        field.press("Enter")
        wait_js(page, "location.hash.includes('commune')")
        page.get_by_role("tab", name="Kịch bản").click()
        page.locator("#tab-scenarios").get_by_label("Lĩnh vực").select_option("industry_trade")
        page.get_by_label("Chọn kịch bản").select_option(label="Môi trường khu công nghiệp")
        page.get_by_role("button", name="Chạy kịch bản").click()
        wait_js(page, "location.hash.includes('run=')", timeout=60_000)
        run_id = hash_state(page)["run"]
        notices = page.get_by_role("list", name="Không có dữ liệu mới")
        notices.wait_for()
        run = requests.get(
            f"{base}/api/scenarios/industrial_environment/runs/{run_id}",
            headers=bearer(tokens, "t_planner"),
            timeout=30,
        ).json()
        assert run["no_recent_data"] and not run["alerts"]
        items = notices.locator("li")
        assert items.count() == len(run["no_recent_data"])
        assert all(text.startswith("Không có dữ liệu mới") for text in items.all_inner_texts())
        assert items.first.is_visible()
        assert page.locator("#tab-scenarios").get_by_text("Không có cảnh báo").count() == 0  # not an all-clear
        stale_steps = [s for s, g in run["groups"].items() if g["freshness"]["status"] == "no_recent_data"]
        shown = page.locator("section.result-layer [data-freshness=no_recent_data]")
        assert shown.count() == len(stale_steps) >= 1
        browser.close()
