"""An open map, served by the production ASGI path (uvicorn), shows a new alert without a reload: the overview's
operations alert list is updated from the event stream."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from alerts import service
from alerts.models import Alert
from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    new_context,
    set_password,
    sign_in,
    wait_for_map,
    wait_js,
    watch_console,
)
from tests.live.support import ASGI_PORT, start_asgi, stop

pytestmark = pytest.mark.usefixtures("live_server")  # committed rows: the page's server is another process
PASSWORD = "live-browser-pass"


@pytest.fixture(scope="module")
def asgi(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        set_password("t_leader", PASSWORD)
        process, output = start_asgi()
        yield output
        stop(process)


def in_thread(function, **kwargs):
    """Run database work outside Playwright's event loop (Django refuses it inside an async context)."""

    def run():
        try:
            return function(**kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def test_a_new_alert_appears_on_an_open_map(asgi, tokens):
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{ASGI_PORT}"
    made = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = new_context(browser, viewport={"width": 1400, "height": 900}, locale="vi-VN").new_page()
            errors = watch_console(page)
            sign_in(page, base, "t_leader", PASSWORD)
            page.goto(f"{base}/#11/10.95/106.85&tab=overview")
            wait_for_map(page)
            page.locator("#alert-list").wait_for()
            wait_js(page, "document.body.dataset.live === 'open'", timeout=15_000)
            title = f"Mực nước trạm kiểm thử vượt ngưỡng {time.time():.0f}"
            alert, _ = in_thread(
                service.raise_alert,
                source="sensor",
                key=f"browser:{time.time()}",
                severity="high",
                title=title,
                title_en="Test station over threshold",
                sector="agriculture_environment",
                commune_code="26068",
            )
            made.append(alert.pk)
            shown = wait_js(page, f"document.querySelector('[data-alert=\"{alert.pk}\"]')?.textContent", timeout=5_000)
            assert title in shown
            assert title in page.locator("#alert-toast").text_content()
            in_thread(service.clear_alert, source="sensor", key=alert.key)
            wait_js(page, f"!document.querySelector('[data-alert=\"{alert.pk}\"]')", timeout=5_000)
            assert not [e for e in errors if "Failed to load resource" not in e], errors  # as the workspace tests
            browser.close()
    finally:
        Alert.objects.filter(pk__in=made).delete()
