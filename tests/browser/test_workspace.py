"""The operations workspace in headless Chromium, driven as its users drive it and compared with the API:
the scenario runner (planner), the report inbox (commune staff, CSRF-checked session writes) and the leader's
overview on a phone (no horizontal overflow, skip link, keyboard tabs, AA contrast)."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs

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

PASSWORD = "workspace-test-pass"
COMMUNE = "26068"  # t_commune's commune
# Every visible text of the panel and top bar, with its colour and the first opaque background behind it.
CONTRAST = """(selector) => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (n) => { for (; n; n = n.parentElement) { const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || c[3] > 0.9) { return c.slice(0, 3); } } return [255, 255, 255]; };
  const bad = [];
  document.querySelectorAll(selector).forEach((root) => root.querySelectorAll("*").forEach((n) => {
    const own = [...n.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
    if (!own || !n.offsetParent || n.closest("[disabled], .maplibregl-map")) { return; }
    const fg = lum(rgb(getComputedStyle(n).color)), bg = lum(background(n));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5) { bad.push([n.tagName, n.textContent.trim().slice(0, 30), ratio.toFixed(2)]); }
  }));
  return bad;
}"""


def hash_state(page) -> dict:
    query = page.evaluate("location.hash").split("&", 1)[1]
    return {key: values[0] for key, values in parse_qs(query).items()}


def bearer(tokens, user):
    return {"Authorization": f"Bearer {tokens[user]}"}


@pytest.fixture
def passwords(django_db_blocker):
    with django_db_blocker.unblock():
        for user in ("t_planner", "t_commune", "t_leader"):
            set_password(user, PASSWORD)


@pytest.fixture
def inbox_reports(django_db_blocker, settings, tmp_path):
    """Three fresh reports in t_commune's commune, deleted afterwards."""
    from reports.models import FieldReport
    from tests.reports.conftest import make_report

    settings.MAPSERVER_MEDIA_DIR = tmp_path / "media"
    word = f"hopthu-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        made = [make_report(commune=COMMUNE, description=f"Rác ùn ứ {word} {i}") for i in range(3)]
        yield made
        FieldReport.objects.filter(description__contains=word).delete()


def test_scenario_runner(live_server, tokens, passwords, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1400, "height": 900}, locale="vi-VN")
        page = context.new_page()
        errors = watch_console(page)
        sign_in(page, base, "t_planner", PASSWORD)
        page.goto(f"{base}/#12/10.955/106.83")
        wait_for_map(page)
        page.get_by_role("tab", name="Phân tích").click()
        field = page.get_by_label("Xã/phường phân tích")
        field.fill("Trấn Biên")
        field.press("Enter")
        wait_js(page, "location.hash.includes('commune')")

        page.get_by_role("tab", name="Kịch bản").click()
        page.locator("#tab-scenarios").get_by_label("Lĩnh vực").select_option("construction")
        page.get_by_label("Chọn kịch bản").select_option(label="Tài sản kết cấu hạ tầng giao thông")
        threshold = page.get_by_label("Ngưỡng % đường xuống cấp")
        threshold.wait_for()
        threshold.fill("5")
        page.get_by_role("button", name="Chạy kịch bản").click()
        wait_js(page, "location.hash.includes('run=')", timeout=60_000)
        first = hash_state(page)["run"]
        page.locator("#scenario-figures").wait_for()
        run = requests.get(
            f"{base}/api/scenarios/transport_assets/runs/{first}", headers=bearer(tokens, "t_planner"), timeout=30
        ).json()
        assert run["params"]["max_poor_pct"] == 5 and run["area"] == {"type": "commune", "code": "26041"}
        figures = page.locator("#scenario-figures")
        assert figures.locator("[data-figure=alerts]").inner_text() == vi_number(run["alert_count"], 0)
        assert figures.locator("[data-figure=area_km2]").inner_text() == f"{vi_number(run['area_m2'] / 1e6)} km²"
        assert figures.locator("[data-figure=communes]").inner_text() == vi_number(len(run["communes"]), 0)
        assert page.locator("#scenario-alerts li").count() == len(run["alerts"]) + len(run["indicator_alerts"])
        for step, group in run["groups"].items():
            table = page.locator(f"table[data-step={step}]")
            assert table.locator("tbody tr:not(.totals)").count() == len(group["rows"]), step
            if group.get("totals"):
                assert table.locator("tr.totals td[data-metric=count]").inner_text() == vi_number(
                    group["totals"]["count"]
                ), step
        # the overlay's data is set asynchronously by MapLibre: wait until it holds the run's features
        expected = len(run["map"]["geojson"]["features"])
        assert wait_js(
            page,
            "(n) => window.IOC_MAP.map.getSource('ioc-overlay-scenario')?.getData()"
            ".then((d) => (d && d.features ? d.features.length : -1) === n)",
            arg=expected,
        )
        for fmt in ("xlsx", "pdf", "html"):
            href = page.locator(f"a[data-export={fmt}]").get_attribute("href")
            assert href.endswith(f"/api/scenarios/transport_assets/runs/{first}/export?format={fmt}")
            assert page.request.get(href).status == 200, fmt

        # a second run with the declared default, then the first one reopened from the list
        threshold.fill("25")
        page.get_by_role("button", name="Chạy kịch bản").click()
        wait_js(page, "(first) => !location.hash.includes('run=' + first)", arg=first, timeout=60_000)
        wait_js(page, "(first) => document.querySelector(`#scenario-runs li[data-run='${first}']`)", arg=first)
        runs = requests.get(
            f"{base}/api/scenarios/transport_assets/runs", headers=bearer(tokens, "t_planner"), timeout=30
        ).json()["runs"]
        shown = [li.get_attribute("data-run") for li in page.locator("#scenario-runs li[data-run]").all()]
        assert shown == [r["run_id"] for r in runs]
        page.locator(f"#scenario-runs button[data-run='{first}']").click()
        wait_js(page, "(first) => location.hash.includes('run=' + first)", arg=first)
        wait_js(
            page,
            "(n) => document.querySelector('[data-figure=alerts]').textContent === n",
            arg=vi_number(run["alert_count"], 0),
        )
        page.go_back()
        wait_js(page, "(first) => !location.hash.includes('run=' + first)", arg=first)
        assert not csp_violations(page)
        assert not [e for e in errors if "Failed to load resource" not in e], errors
        browser.close()


def test_report_inbox(live_server, tokens, passwords, inbox_reports, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    base = live_server.url
    api = lambda path: requests.get(f"{base}{path}", headers=bearer(tokens, "t_commune"), timeout=30).json()  # noqa: E731
    first, second, third = inbox_reports
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1400, "height": 900}, locale="vi-VN")
        page = context.new_page()
        errors = watch_console(page)
        sign_in(page, base, "t_commune", PASSWORD)
        page.goto(f"{base}/#12/10.955/106.83")
        wait_for_map(page)
        page.get_by_role("tab", name="Phản ánh").click()
        page.locator("#tab-inbox").get_by_label("Trạng thái").select_option(label="Đã tiếp nhận")
        wait_js(page, "(id) => document.querySelector(`#inbox-list button[data-report='${id}']`)", arg=str(first.pk))
        listed = api("/api/reports?status=received&limit=50")
        assert [b.get_attribute("data-report") for b in page.locator("#inbox-list button").all()] == [
            str(r["id"]) for r in listed["reports"]
        ]

        def open_report(report):
            page.locator(f"#inbox-list button[data-report='{report.pk}']").click()
            wait_js(
                page,
                "(d) => document.querySelector('#inbox-detail [data-field=description]')?.textContent === d",
                arg=report.description,
            )

        def act(name, status):
            page.evaluate("() => document.getElementById('inbox-message')?.remove()")
            page.locator("#inbox-actions").get_by_role("button", name=name, exact=True).click()
            wait_js(page, "() => document.getElementById('inbox-message')")
            assert "Lỗi" not in page.locator("#inbox-message").inner_text(), page.locator("#inbox-message").inner_text()
            wait_js(
                page, "(s) => document.querySelector('#inbox-detail [data-field=status]').textContent === s", arg=status
            )

        open_report(first)
        act("Tiếp nhận", "Đã phân loại")
        page.get_by_label("Giao cho").fill("Tổ vệ sinh môi trường khu phố 3")
        act("Giao xử lý", "Đã giao xử lý")
        act("Đang xử lý", "Đang xử lý")
        page.get_by_label("Thông báo công khai").fill("Đã thu gom rác, khu vực sạch sẽ.")
        act("Đã xử lý xong", "Đã xử lý xong")
        doc = api(f"/api/reports/{first.pk}")
        assert doc["status"] == "resolved" and doc["assigned_to"] == "Tổ vệ sinh môi trường khu phố 3"
        assert doc["status_notes"] == "Đã thu gom rác, khu vực sạch sẽ."
        history = page.locator("#inbox-history li").all_inner_texts()
        assert len(history) == len(doc["transitions"])

        # a rejection needs a note: the server's 400 is shown, then the typed note makes it pass
        open_report(second)
        page.locator("#inbox-actions").get_by_role("button", name="Từ chối", exact=True).click()
        wait_js(page, "() => document.getElementById('inbox-message')?.textContent.includes('Lỗi')")
        assert api(f"/api/reports/{second.pk}")["status"] == "received"
        page.get_by_label("Ghi chú nội bộ").fill("Không thuộc địa bàn")
        act("Từ chối", "Từ chối")
        assert api(f"/api/reports/{second.pk}")["status"] == "rejected"

        open_report(third)
        page.get_by_label("Trùng với phản ánh số").fill(str(first.pk))
        act("Trùng lặp", "Trùng lặp")
        assert api(f"/api/reports/{third.pk}")["duplicate_of"] == first.pk

        # the same write without the CSRF header is refused (session writes are CSRF-checked)
        refused = page.evaluate(
            """(id) => fetch(`/api/reports/${id}/transition`, {method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json"}, body: JSON.stringify({to: "closed"})}).then((r) => r.status)""",
            first.pk,
        )
        assert refused == 403
        assert api(f"/api/reports/{first.pk}")["status"] == "resolved"
        assert not csp_violations(page)
        assert not [e for e in errors if "Failed to load resource" not in e], errors
        browser.close()


def test_leader_overview_on_a_phone(live_server, tokens, passwords, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    base = live_server.url
    alerts = requests.get(f"{base}/api/indicators/alerts", headers=bearer(tokens, "t_leader"), timeout=30).json()[
        "alerts"
    ]
    values = requests.get(
        f"{base}/api/indicators/XH_HO_NGHEO/values", headers=bearer(tokens, "t_leader"), timeout=30
    ).json()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(
            browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="vi-VN"
        )
        page = context.new_page()
        errors = watch_console(page)
        sign_in(page, base, "t_leader", PASSWORD)
        page.goto(f"{base}/#9/11.1/106.95&tab=overview&indicator=XH_HO_NGHEO")
        wait_for_map(page)
        wait_js(
            page,
            "() => document.querySelectorAll('#alert-list li[data-indicator]').length > 0 || "
            "document.querySelector('#alert-list li.muted')",
            timeout=30_000,
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.locator("#alert-list li[data-indicator]").count() == min(30, len(alerts))
        # the alert panel filtered by a sector: the API's alerts of that sector
        sector = alerts[0]["sector"]
        page.locator("#tab-overview").get_by_label("Lĩnh vực").select_option(sector)
        wait_js(page, "(s) => location.hash.includes('asector=' + s)", arg=sector)
        by_sector = requests.get(
            f"{base}/api/indicators/alerts?sector={sector}", headers=bearer(tokens, "t_leader"), timeout=30
        ).json()["alerts"]
        wait_js(
            page,
            "(n) => document.querySelectorAll('#alert-list li[data-indicator]').length === n",
            arg=min(30, len(by_sector)),
        )
        page.locator("#tab-overview").get_by_label("Lĩnh vực").select_option("")
        wait_js(page, "() => !location.hash.includes('asector=')")
        high = sum(1 for a in alerts if a["severity"] == "high") + len(
            requests.get(
                f"{base}/api/alerts?state=open&severity=high&limit=200", headers=bearer(tokens, "t_leader"), timeout=30
            ).json()["alerts"]
        )
        wait_js(
            page,
            "(n) => document.querySelector('[data-figure=alerts_high]')?.textContent === n",
            arg=vi_number(high, 0),
        )

        # keyboard: the skip link comes first and lands on the map; tabs move with the arrow keys
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Bỏ qua, đến bản đồ"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "map"
        assert "tab=overview" in page.evaluate("location.hash")  # the skip link leaves the address (the state) alone
        page.get_by_role("tab", name="Tổng quan").focus()
        page.keyboard.press("ArrowLeft")
        assert page.evaluate("document.activeElement.dataset.tab") == "inbox"
        assert page.get_by_role("tab", name="Phản ánh").get_attribute("aria-selected") == "true"
        assert page.locator("#tab-inbox").is_visible() and not page.locator("#tab-overview").is_visible()
        # the indicator map in its own tab: each drawn commune's met flag is the API's verdict for the latest period
        page.get_by_role("tab", name="Chỉ tiêu").click()
        wait_js(
            page,
            "() => window.IOC_MAP.map.getLayer('ioc-indicator-fill') && window.IOC_MAP.map.areTilesLoaded() && "
            "window.IOC_MAP.map.queryRenderedFeatures({layers: ['ioc-indicator-fill']}).length > 0",
            timeout=30_000,
        )
        drawn = page.evaluate(
            "() => window.IOC_MAP.map.queryRenderedFeatures({layers: ['ioc-indicator-fill']})"
            ".map((f) => [f.properties.code, f.properties.met])"
        )
        verdict = {v["commune"]: v["met"] for v in values["values"]}
        assert drawn and all(verdict.get(code) == met for code, met in drawn if met is not None)
        wait_js(
            page, "() => document.querySelector('#indicator-missing li[data-commune], #indicator-missing li.muted')"
        )
        missing = [li.get_attribute("data-commune") for li in page.locator("#indicator-missing li[data-commune]").all()]
        missed = sorted((v for v in values["values"] if v["met"] is False), key=lambda v: -v["gap"])
        assert sorted(missing) == sorted(v["commune"] for v in missed)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.evaluate(CONTRAST, ".panel, .topbar") == []
        assert not csp_violations(page)
        assert not [e for e in errors if "Failed to load resource" not in e], errors
        browser.close()


def test_another_communes_staff_never_see_the_report(live_server, tokens, inbox_reports, django_db_blocker):
    """Commune staff of another commune: the report is not in their inbox, and its address shows no detail."""
    from django.db import connection
    from playwright.sync_api import sync_playwright

    from mapserver.accounts import provision

    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("SELECT code FROM geodata_commune WHERE code <> %s ORDER BY code LIMIT 1", [COMMUNE])
            other = cursor.fetchone()[0]
        provision("t_commune_elsewhere", "commune_staff", other)
        set_password("t_commune_elsewhere", PASSWORD)
    base = live_server.url
    first = inbox_reports[0]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = new_context(browser, viewport={"width": 1400, "height": 900}, locale="vi-VN").new_page()
        sign_in(page, base, "t_commune_elsewhere", PASSWORD)
        page.goto(f"{base}/#12/10.955/106.83&tab=inbox&report={first.pk}")
        wait_for_map(page)
        page.get_by_role("tab", name="Phản ánh").click()
        wait_js(page, "() => document.getElementById('inbox-count')?.textContent")
        listed = page.locator("#inbox-list button[data-report]").evaluate_all("(bs) => bs.map((b) => b.dataset.report)")
        assert str(first.pk) not in listed
        wait_js(page, "() => document.querySelector('#inbox-detail')?.textContent.length > 0")
        detail = page.locator("#inbox-detail").inner_text()
        assert first.description not in detail and page.locator("#inbox-detail [data-field=description]").count() == 0
        assert page.content().count(first.description) == 0
        browser.close()


def test_planner_draws_over_bien_hoa_runs_social_welfare_and_downloads_the_pdf(live_server, tokens, passwords):
    """The issue's planner journey: draw an area, see its houses by status (equal to /api/query), run the social
    welfare scenario on it, see its alerts, and download the PDF with the button."""
    from playwright.sync_api import sync_playwright

    from tests.browser.test_analysis import compare_with_api, drag_shape, shown_shape, wait_for_results

    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1400, "height": 900}, locale="vi-VN", accept_downloads=True)
        page = context.new_page()
        sign_in(page, base, "t_planner", PASSWORD)
        page.goto(f"{base}/#14/10.955/106.83&layers=houses")
        wait_for_map(page)
        page.get_by_role("tab", name="Phân tích").click()
        drag_shape(page, "Hình chữ nhật", (520, 320), (780, 540))
        wait_js(page, "location.hash.includes('shape=')")
        wait_for_results(page)
        answer = compare_with_api(page, base, tokens["t_planner"], ["houses"], {"houses": "status"})
        assert answer["layers"]["houses"]["count"] > 0
        shape = shown_shape(page)

        page.get_by_role("tab", name="Kịch bản").click()
        page.locator("#tab-scenarios").get_by_label("Lĩnh vực").select_option("home_affairs")
        page.get_by_label("Chọn kịch bản").select_option(label="An sinh xã hội")
        page.get_by_role("button", name="Chạy kịch bản").click()
        wait_js(page, "location.hash.includes('run=')", timeout=60_000)
        run_id = hash_state(page)["run"]
        page.locator("#scenario-figures").wait_for()
        run = requests.get(
            f"{base}/api/scenarios/social_welfare/runs/{run_id}", headers=bearer(tokens, "t_planner"), timeout=30
        ).json()
        assert run["area"]["type"] == "polygon" and run["area"]["geometry"] == shape["geometry"]
        assert page.locator("#scenario-alerts li").count() == len(run["alerts"]) + len(run["indicator_alerts"])
        assert page.locator("#scenario-figures [data-figure=alerts]").inner_text() == vi_number(run["alert_count"], 0)

        with page.expect_download() as download:
            page.locator("a[data-export=pdf]").click()
        path = download.value.path()
        with open(path, "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
        assert download.value.suggested_filename.startswith("social_welfare-")
        browser.close()
