"""The data-entry form in headless Chromium: a commune officer opens a month, sees the previous value and the
target beside each field (as GET /api/indicators/entry gives them), types a value, saves, and sees it stored."""

from __future__ import annotations

import pytest
import requests

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, csp_violations, new_context, set_password, sign_in, wait_js

pytestmark = pytest.mark.live

PASSWORD = "entry-test-pass"
PERIOD = "2026-10"
CODE = "MT_THU_GOM_CTR"


@pytest.fixture
def officer(django_db_blocker):
    """t_commune with a password; the figure the test writes is put back as it was afterwards."""
    from geodata.models import IndicatorRevision, IndicatorValue

    with django_db_blocker.unblock():
        set_password("t_commune", PASSWORD)
        before = IndicatorValue.objects.filter(indicator__code=CODE, commune_code="26068", period=PERIOD).first()
        saved = None if before is None else (before.value, before.entered_by, before.entered_at, before.source)
    yield
    with django_db_blocker.unblock():
        IndicatorRevision.objects.filter(indicator__code=CODE, commune_code="26068", period=PERIOD).delete()
        rows = IndicatorValue.objects.filter(indicator__code=CODE, commune_code="26068", period=PERIOD)
        if saved is None:
            rows.delete()
        else:
            rows.update(value=saved[0], entered_by=saved[1], entered_at=saved[2], source=saved[3])


def test_entry_form_type_save_see(live_server, tokens, officer):
    from playwright.sync_api import sync_playwright

    base = live_server.url
    headers = {"Authorization": f"Bearer {tokens['t_commune']}"}
    form = requests.get(f"{base}/api/indicators/entry?period={PERIOD}", headers=headers, timeout=30).json()
    field = next(f for f in form["fields"] if f["indicator"] == CODE)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1400, "height": 1000}, locale="vi-VN")
        page = context.new_page()
        sign_in(page, base, "t_commune", PASSWORD)
        page.goto(f"{base}/#tab=entry&eperiod={PERIOD}")
        page.get_by_role("tab", name="Nhập số liệu").click()
        wait_js(page, "(c) => document.querySelector(`#entry-form tr[data-indicator='${c}']`)", arg=CODE)
        row = page.locator(f"#entry-form tr[data-indicator='{CODE}']")
        shown = lambda role: row.locator(f"td[data-role={role}]").inner_text()  # noqa: E731
        vi = lambda n: f"{n:,.2f}".rstrip("0").rstrip(".").replace(",", "X").replace(".", ",").replace("X", ".")  # noqa: E731
        assert shown("previous") == (vi(field["previous"]["value"]) if field["previous"] else "–")
        assert shown("target") == vi(field["target"])
        box = page.get_by_label(f"{field['name']} ({field['unit']})")
        box.fill("87,5")
        page.get_by_role("button", name="Lưu số liệu").click()
        status = "() => document.getElementById('entry-status').textContent"
        try:
            wait_js(page, f"() => ({status[6:]}).startsWith('Đã lưu')")
        except TimeoutError:
            raise AssertionError(f"not saved: {page.evaluate(status)!r}") from None
        assert page.get_by_label(f"{field['name']} ({field['unit']})").input_value() == "87,5"
        assert not csp_violations(page)
        browser.close()
    again = requests.get(f"{base}/api/indicators/entry?period={PERIOD}", headers=headers, timeout=30).json()
    stored = next(f for f in again["fields"] if f["indicator"] == CODE)
    assert stored["value"] == 87.5 and stored["entered_by"] == "t_commune"
