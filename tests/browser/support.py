"""Helpers of the browser tests: Debian's Chromium, waiting under our CSP, sign-in, clicks on map positions.

The pages send `script-src 'self'` with no 'unsafe-eval'. Playwright's `page.wait_for_function` evaluates its
predicate with `eval` inside the page, which that policy blocks, so the tests poll with `page.evaluate` (run
by the DevTools protocol, outside the page's CSP) instead of weakening the policy with `bypass_csp`.
"""

from __future__ import annotations

import re
import time

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]  # WebGL falls back to SwiftShader on its own

# Installed before any page script: records CSP violations so a test can assert there were none.
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
});
"""


def wait_js(page, expression: str, timeout: float = 30_000, arg=None, interval: float = 100):
    """Poll a JavaScript expression or function (page.evaluate) until it is truthy; its value, or TimeoutError."""
    deadline = time.monotonic() + timeout / 1000
    last = None
    while True:
        try:
            last = page.evaluate(expression, arg)
        except Exception as error:  # navigation in progress, hook not defined yet: keep polling
            if (
                "Execution context was destroyed" not in str(error)
                and "is not defined" not in str(error)
                and "Cannot read properties" not in str(error)
            ):
                raise
            last = None
        if last:
            return last
        if time.monotonic() > deadline:
            raise TimeoutError(f"{expression!r} still falsy after {timeout} ms (last value {last!r})")
        page.wait_for_timeout(interval)


def watch_console(page) -> list[str]:
    """Console errors and page errors of a page, collected into the returned list."""
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: messages.append(str(error)))
    return messages


def new_context(browser, **options):
    """A browser context that records CSP violations on every page."""
    context = browser.new_context(**options)
    context.add_init_script(CSP_WATCH)
    return context


def csp_violations(page) -> list[dict]:
    """The CSP violations this page reported so far."""
    return page.evaluate("() => window.__cspViolations || []")


def sign_in(page, base: str, username: str, password: str, next_path: str = "/") -> None:
    """Log in through the login form, as a person does."""
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(re.escape(base) + re.escape(next_path.split("#")[0]) + r"(#.*)?$"))


def wait_for_map(page, hook: str = "window.IOC_MAP && window.IOC_MAP.map") -> None:
    """The map page is ready and its tiles are drawn."""
    wait_js(page, "document.body.dataset.mapReady === '1'", timeout=60_000)
    wait_js(
        page, f"() => {{ const m = {hook}; return m.loaded() && m.areTilesLoaded() && !m.isMoving(); }}", timeout=60_000
    )
    page.wait_for_timeout(400)


def click_at(page, lon: float, lat: float, hook: str = "window.IOC_MAP.map") -> None:
    """Click the map where a position is drawn."""
    x, y = page.evaluate(f"([lon, lat]) => {{ const p = {hook}.project([lon, lat]); return [p.x, p.y]; }}", [lon, lat])
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def hover_at(page, lon: float, lat: float, hook: str = "window.IOC_MAP.map") -> None:
    """Move the mouse over a position of the map."""
    x, y = page.evaluate(f"([lon, lat]) => {{ const p = {hook}.project([lon, lat]); return [p.x, p.y]; }}", [lon, lat])
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)


def set_password(username: str, password: str) -> None:
    """Give a provisioned test user a password (the live server reads the committed row)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    user.set_password(password)
    user.save()
