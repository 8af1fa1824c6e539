"""axe-core (vendored: static/vendor/axe-core-4.14.1) on the workspace's overview, the report inbox (commune
staff) and the citizen report page: no violation of impact serious or critical. axe is added as a same-origin
script (/static/…), which `script-src 'self'` allows, so the pages run under their real CSP."""

from __future__ import annotations

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

PASSWORD = "a11y-test-pass"
AXE = "/static/vendor/axe-core-4.14.1/axe.min.js"
RUN_AXE = """async () => {
  const result = await window.axe.run(document, { resultTypes: ["violations"] });
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => [n.target.join(" "), n.failureSummary]),
  }));
}"""


@pytest.fixture
def passwords(django_db_blocker):
    with django_db_blocker.unblock():
        for user in ("t_leader", "t_commune"):
            set_password(user, PASSWORD)


def serious(page) -> list[dict]:
    page.add_script_tag(url=AXE)
    wait_js(page, "() => typeof window.axe === 'object'")
    return page.evaluate(RUN_AXE)


def test_no_serious_accessibility_violations(live_server, tokens, passwords, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    base = live_server.url
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1400, "height": 900}, locale="vi-VN")
        page = context.new_page()
        sign_in(page, base, "t_leader", PASSWORD)
        page.goto(f"{base}/#9/11.1/106.95&tab=overview")
        wait_for_map(page)
        wait_js(page, "() => document.querySelector('#alert-list li')")
        found["overview"] = serious(page)
        page.get_by_role("tab", name="Chỉ tiêu").click()
        page.get_by_role("combobox", name="Chỉ tiêu").select_option("YT_BHYT")
        wait_js(page, "() => document.querySelector('#indicator-missing li')")
        found["indicators"] = serious(page)
        assert not csp_violations(page)
        context.close()

        context = new_context(browser, viewport={"width": 1400, "height": 900}, locale="vi-VN")
        page = context.new_page()
        sign_in(page, base, "t_commune", PASSWORD)
        page.goto(f"{base}/#12/10.955/106.83&tab=inbox")
        wait_for_map(page)
        wait_js(page, "() => document.querySelector('#inbox-list li, #inbox-count:not(:empty)')")
        found["inbox"] = serious(page)
        context.close()

        context = new_context(browser, viewport={"width": 1400, "height": 900}, locale="vi-VN")
        page = context.new_page()
        page.goto(f"{base}/report")
        page.wait_for_load_state("networkidle")
        found["report"] = serious(page)
        assert not csp_violations(page)
        browser.close()
    assert found == {"overview": [], "indicators": [], "inbox": [], "report": []}
