"""The pages run under `script-src 'self'` as they are: no inline script, no eval, no CSP violation in Chromium."""

from __future__ import annotations

import re

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

PASSWORD = "csp-test-password"
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


def inline_scripts(html: str) -> list[str]:
    """Script elements with a body that the browser would run (json_script blocks are data)."""
    found = []
    for attrs, body in SCRIPT_TAG.findall(html):
        if 'type="application/json"' in attrs:
            continue
        if body.strip() or "src=" not in attrs:
            found.append(attrs + body[:80])
    return found


@pytest.fixture
def admin_password(django_db_blocker):
    with django_db_blocker.unblock():
        set_password("t_admin", PASSWORD)


def commune_item_url(base: str) -> str:
    doc = requests.get(f"{base}/ogcapi/collections/communes/items?limit=1", timeout=30).json()
    return f"/ogcapi/collections/communes/items/{doc['features'][0]['id']}?f=html"


def visit(page, url: str, ready) -> list[str]:
    errors = watch_console(page)
    response = page.goto(url)
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0], policy
    assert not inline_scripts(page.content()), inline_scripts(page.content())
    ready(page)
    page.wait_for_timeout(500)
    return errors


def test_pages_run_without_csp_violations(live_server, admin_password, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    base = live_server.url
    ogc_ready = lambda page: wait_js(page, "window.ogcMap && window.ogcMap.loaded()", timeout=30_000)  # noqa: E731
    pages = [
        ("/", wait_for_map),
        (
            "/report",
            lambda page: wait_js(page, "window.IOC_REPORT_MAP && window.IOC_REPORT_MAP.loaded()", timeout=60_000),
        ),
        ("/accounts/login/", lambda page: page.get_by_label("Tên đăng nhập").wait_for()),
        (commune_item_url(base), ogc_ready),
    ]
    signed_in = [
        ("/", wait_for_map),
        ("/ogcapi/collections/houses/items?f=html&limit=20", ogc_ready),
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1200, "height": 800})
        for path, ready in pages:
            page = context.new_page()
            errors = visit(page, base + path, ready)
            assert not csp_violations(page), (path, csp_violations(page))
            assert not [e for e in errors if "Content Security Policy" in e], (path, errors)
            page.close()
        page = context.new_page()
        sign_in(page, base, "t_admin", PASSWORD)
        page.close()
        for path, ready in signed_in:
            page = context.new_page()
            errors = visit(page, base + path, ready)
            assert not csp_violations(page), (path, csp_violations(page))
            assert not [e for e in errors if "Content Security Policy" in e], (path, errors)
            page.close()
        browser.close()
