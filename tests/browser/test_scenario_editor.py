"""An administrator changes a scenario's threshold in the workspace's editor form: the change is a new version in
the history, the run form takes the new default, and the next run's alerts follow it (compared with the API and an
independent count)."""

from __future__ import annotations

import pytest
import requests
from django.db.models import Count

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
PASSWORD = "editor-test-password"


@pytest.fixture
def admin_password(django_db_blocker):
    from scenarios.models import ScenarioRun, ScenarioVersion

    with django_db_blocker.unblock():
        set_password("t_admin", PASSWORD)
        ScenarioVersion.objects.filter(scenario_id="ocop_products").delete()
        yield
        ScenarioVersion.objects.filter(scenario_id="ocop_products").delete()
        ScenarioRun.objects.filter(scenario_id="ocop_products", username="t_admin").delete()


def few_products(threshold: int, django_db_blocker) -> set[str]:
    from geodata.models import OcopProduct

    with django_db_blocker.unblock():
        rows = OcopProduct.objects.values("commune_code").annotate(n=Count("id"))
        return {r["commune_code"] for r in rows if r["n"] < threshold}


def test_an_administrator_changes_a_threshold_through_the_form(live_server, tokens, admin_password, django_db_blocker):
    from playwright.sync_api import sync_playwright

    base = live_server.url
    auth = {"Authorization": f"Bearer {tokens['t_admin']}"}
    expected = few_products(4, django_db_blocker)  # before Playwright's event loop runs in this thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1400, "height": 900}, locale="vi-VN")
        page = context.new_page()
        errors = watch_console(page)
        sign_in(page, base, "t_admin", PASSWORD)
        page.goto(f"{base}/#9/11.0/106.9&tab=scenarios&scenario=ocop_products")
        wait_for_map(page)
        page.get_by_text("Điều chỉnh kịch bản").click()
        field = page.get_by_label("Mặc định: Số sản phẩm tối thiểu mỗi xã")
        field.wait_for()
        assert field.input_value() == "2"
        field.fill("4")
        page.get_by_label("Ghi chú thay đổi").fill("nâng mục tiêu OCOP")
        page.get_by_role("button", name="Lưu phiên bản mới").click()
        wait_js(page, "document.querySelector('#scenario-editor-status').textContent === 'Đã lưu phiên bản 1'")

        definition = requests.get(f"{base}/api/scenarios/ocop_products/definition", headers=auth, timeout=30).json()
        assert definition["version"] == 1 and definition["definition"]["params"][0]["default"] == 4
        history = requests.get(f"{base}/api/scenarios/ocop_products/history", headers=auth, timeout=30).json()
        latest = history["versions"][0]
        assert (latest["by"], latest["note"], latest["diff"]) == (
            "t_admin",
            "nâng mục tiêu OCOP",
            [{"path": "params[0].default", "from": 2, "to": 4}],
        )
        wait_js(page, "document.querySelector('#scenario-history li[data-version=\"1\"]')")
        shown = page.locator('#scenario-history li[data-version="1"]').inner_text()
        assert "t_admin" in shown and "params[0].default" in shown

        run_field = page.locator("#scenario-form").get_by_label("Số sản phẩm tối thiểu mỗi xã")
        wait_js(page, "document.querySelector('#param-min_products').value === '4'")  # the runner took the default
        assert run_field.input_value() == "4"
        page.get_by_label("Chạy cho toàn tỉnh").check()
        page.get_by_role("button", name="Chạy kịch bản").click()
        wait_js(page, "location.hash.includes('run=')", timeout=60_000)
        page.locator("#scenario-figures").wait_for()
        run_id = page.evaluate("new URLSearchParams(location.hash.split('&').slice(1).join('&')).get('run')")
        run = requests.get(f"{base}/api/scenarios/ocop_products/runs/{run_id}", headers=auth, timeout=30).json()
        assert run["params"]["min_products"] == 4
        assert {a["key"] for a in run["alerts"]} == expected and expected
        assert page.locator("#scenario-alerts li").count() == len(run["alerts"]) + len(run["indicator_alerts"])
        assert not csp_violations(page)
        assert not [e for e in errors if "Failed to load resource" not in e], errors
        browser.close()
