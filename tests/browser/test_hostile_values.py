"""Stored script injection, in headless Chromium: hostile text planted through every writable text field users
reach (Open311 reports, OGC API creates on the editable layers) is shown as text on the map's popups, the OGC
HTML item pages and the phone report page, and never becomes markup, an event handler or a javascript: link."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import requests
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    click_at,
    csp_violations,
    hover_at,
    new_context,
    set_password,
    sign_in,
    wait_for_map,
    wait_js,
    watch_console,
)

pytestmark = pytest.mark.live

PAYLOADS = (
    'https://x/"onmouseover="window.__pwned=1"',
    '"><img src=x onerror="window.__pwned=1">',
    "javascript:window.__pwned=1",
    "<script>window.__pwned=1</script>",
)
SHORT = ('"><img src=x>', "<b>x</b>", "<i>'</i>")  # for columns too narrow for the long ones
EDITABLE = ("planning_zones", "street_lights", "cameras", "construction_sites", "incidents")
BASE = (107.3400, 11.5050)  # a quiet spot of the sample data (forested north)
STEP = 0.0006  # about 65 m between the planted features
PASSWORD = "hostile-test-pass"
# Anything here but these tags means a value was parsed as markup.
INERT = """(root) => {
  const allowed = new Set(["DIV", "H3", "SPAN", "TABLE", "THEAD", "TBODY", "TR", "TH", "TD", "A", "P", "BUTTON", "VIDEO"]);
  const nodes = [...root.querySelectorAll("*")];
  return {
    foreign: nodes.filter((n) => !allowed.has(n.tagName)).map((n) => n.tagName),
    handlers: [...document.querySelectorAll("*")].flatMap((n) => [...n.attributes].filter((a) => /^on/i.test(a.name)).map((a) => n.tagName + "@" + a.name)),
    scriptLinks: [...document.querySelectorAll("a[href]")].filter((a) => !/^https?:/i.test(a.href)).map((a) => a.href),
    pwned: window.__pwned,
  };
}"""


def typed_value(field, index: int):
    """A valid value of a model field: a hostile string for text columns."""
    kind = field.get_internal_type()
    if kind in ("CharField", "TextField"):
        limit = field.max_length or 10_000
        rotated = PAYLOADS[index % len(PAYLOADS) :] + PAYLOADS[: index % len(PAYLOADS)]
        return next(p for p in rotated + SHORT if len(p) <= limit)
    if "Integer" in kind:
        return 3
    if kind == "FloatField":
        return 12.5
    if kind == "BooleanField":
        return False
    if kind == "DateField":
        return "2026-10-01"
    if kind == "DateTimeField":  # recent: the map shows incidents and reports of the last 90 days by default
        return (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat(timespec="seconds")
    raise AssertionError(f"no test value for {field.name} ({kind})")


def feature_properties(spec, catalogue_entry: dict, admin: bool) -> dict:
    """Every writable property: category attributes take an allowed value (from /api/layers), text takes a payload."""
    records = {a["name"]: a for a in catalogue_entry.get("attributes", [])}
    names = [n for n in spec.properties if n != spec.commune_field] + (list(spec.private_properties) if admin else [])
    props = {}
    for index, name in enumerate(names):
        record = records.get(name) or {}
        if record.get("values"):
            props[name] = record["values"][0]["value"]
        else:
            props[name] = typed_value(spec.model._meta.get_field(name), index)
    return props


def geometry(spec, at: tuple[float, float]) -> dict:
    lon, lat = at
    if spec.geometry_type.endswith("Polygon"):
        d = 0.00025
        ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
        return (
            {"type": "MultiPolygon", "coordinates": [[ring]]}
            if spec.geometry_type == "MultiPolygon"
            else {"type": "Polygon", "coordinates": [ring]}
        )
    return {"type": "Point", "coordinates": [lon, lat]}


def create(base: str, token: str, layer: str, props: dict, geom: dict) -> int:
    """POST a feature; a 400 naming the allowed values of a property is read and the value replaced."""
    url = f"{base}/ogcapi/collections/{layer}/items"
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/geo+json"}
    for _ in range(len(props) + 1):
        response = requests.post(
            url, json={"type": "Feature", "geometry": geom, "properties": props}, headers=headers, timeout=30
        )
        if response.status_code == 201:
            return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1].split("?")[0])
        assert response.status_code == 400, (layer, response.status_code, response.text)
        message = response.json()["description"]
        vocabulary = re.match(r"(\w+) must be one of: (.+?) \(got", message)
        assert vocabulary, (layer, message)
        first = vocabulary.group(2).split(", ")[0]
        props[vocabulary.group(1)] = int(first) if first.lstrip("-").isdigit() else first
    raise AssertionError(f"{layer}: could not create a feature")


def hostile_strings(props: dict) -> list[str]:
    return [v for v in props.values() if isinstance(v, str) and v in PAYLOADS + SHORT]


@pytest.fixture
def planted(live_server, tokens, settings, tmp_path, django_db_blocker):
    """One hostile feature per editable layer and one hostile Open311 report, all removed afterwards."""
    from layers.registry import registry
    from reports.models import ApiKey, FieldReport

    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    settings.MAPSERVER_MEDIA_DIR = tmp_path / "media"
    catalogue = {
        layer["id"]: layer
        for layer in requests.get(
            f"{live_server.url}/api/layers", headers={"Authorization": f"Bearer {tokens['t_admin']}"}, timeout=30
        ).json()["layers"]
    }
    made, reports = [], []
    with django_db_blocker.unblock():
        set_password("t_admin", PASSWORD)
        try:
            for i, layer in enumerate(EDITABLE):
                spec = registry.get(layer)
                at = (BASE[0] + i * STEP, BASE[1])
                props = feature_properties(spec, catalogue[layer], admin=True)
                fid = create(live_server.url, tokens["t_admin"], layer, props, geometry(spec, at))
                made.append({"layer": layer, "id": fid, "at": at, "props": props, "spec": spec})
            key = ApiKey.issue("hostile-portal", "portal")[1]
            at = (BASE[0] + len(EDITABLE) * STEP, BASE[1])
            form = {
                "api_key": key,
                "service_code": "waste",
                "lat": str(at[1]),
                "long": str(at[0]),
                "description": PAYLOADS[1] + " " + PAYLOADS[3],
                "address_string": PAYLOADS[0],
                "media_url": PAYLOADS[0],
                "first_name": PAYLOADS[1],
                "last_name": PAYLOADS[3],
            }
            response = requests.post(f"{live_server.url}/open311/v2/requests.json", data=form, timeout=30)
            assert response.status_code in (200, 201), response.text
            report_id = int(response.json()[0]["service_request_id"])
            reports.append({"id": report_id, "at": at, "form": form})
            yield made, reports
        finally:
            for item in made:
                item["spec"].model.objects.filter(pk=item["id"]).delete()
            FieldReport.objects.filter(pk__in=[r["id"] for r in reports]).delete()
            FieldReport.objects.filter(description__contains="window.__pwned").delete()


def assert_inert(page, root_selector: str) -> None:
    found = page.evaluate(INERT, page.query_selector(root_selector))
    assert found["pwned"] is None, found
    assert not found["foreign"], found
    assert not found["handlers"], found
    assert not found["scriptLinks"], found


def touch_everything(page, root_selector: str) -> None:
    """Hover every cell and follow every link (a new tab, closed again), as a curious operator would."""
    for cell in page.locator(f"{root_selector} td, {root_selector} th").all():
        cell.hover()
    for anchor in page.locator(f"{root_selector} a[href]").all():
        anchor.scroll_into_view_if_needed()
        anchor.hover()
        assert re.match(r"^https?://", anchor.get_attribute("href"))
        opened = None
        for _attempt in range(
            3
        ):  # a click can land while the map still settles the popup: click again, as a person would
            try:
                with page.expect_popup(timeout=10_000) as popup:
                    anchor.click()
                opened = popup.value
                break
            except PlaywrightTimeout:
                assert page.evaluate("window.__pwned") is None
        assert opened is not None, "the link never opened"
        opened.close()


def open_popup(context, base: str, layer: str, at: tuple[float, float]):
    page = context.new_page()
    page.goto(f"{base}/#18/{at[1]}/{at[0]}&layers={layer}")
    wait_for_map(page)
    hover_at(page, *at)
    click_at(page, *at)
    popup = page.locator(f".maplibregl-popup .popup[data-layer={layer}]")
    popup.wait_for(timeout=15_000)
    page.wait_for_timeout(300)
    return page, popup


def test_hostile_values_stay_text_on_the_map_the_ogc_pages_and_the_report_page(live_server, planted):
    from playwright.sync_api import sync_playwright

    made, reports = planted
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1200, "height": 800}, locale="vi-VN")
        login = context.new_page()
        sign_in(login, live_server.url, "t_admin", PASSWORD)
        login.close()

        for item in made:
            page, popup = open_popup(context, live_server.url, item["layer"], item["at"])
            errors = watch_console(page)
            text = popup.inner_text()
            shown = (
                [item["props"][k] for k in ("name", "owner_unit")]
                if item["layer"] == "cameras"
                else hostile_strings(item["props"])
            )
            # street_lights has no free text: every text column is a category the server checks against its list
            for value in shown:
                assert value in text, (item["layer"], value, text)
            touch_everything(page, ".maplibregl-popup")
            assert_inert(page, ".maplibregl-popup")
            assert not [e for e in errors if "pwned" in e], errors
            page.close()

            page = context.new_page()
            page.goto(f"{live_server.url}/ogcapi/collections/{item['layer']}/items/{item['id']}?f=html")
            body = page.locator("body").inner_text()
            public = {k: v for k, v in item["props"].items() if k in item["spec"].properties}
            for value in hostile_strings(public):
                assert value in body, (item["layer"], value)
            touch_everything(page, "table")
            assert_inert(page, "table")
            assert not csp_violations(page)
            page.close()

        report = reports[0]
        page, popup = open_popup(context, live_server.url, "field_reports", report["at"])
        text = popup.inner_text()
        assert PAYLOADS[1] in text and PAYLOADS[3] in text and PAYLOADS[0] in text
        touch_everything(page, ".maplibregl-popup")
        assert_inert(page, ".maplibregl-popup")
        page.close()

        # the staff inbox shows the report with its reporter's contact (admins handle every report)
        page = context.new_page()
        page.goto(f"{live_server.url}/#12/{report['at'][1]}/{report['at'][0]}&tab=inbox&report={report['id']}")
        wait_js(page, "() => document.querySelector('#inbox-detail [data-field=contact]')", timeout=30_000)
        detail = page.locator("#inbox-detail").inner_text()
        for value in (report["form"]["description"], report["form"]["address_string"], report["form"]["first_name"]):
            assert value in detail, value
        for anchor in page.locator("#inbox-detail a[href]").all():
            anchor.hover()
        found = page.evaluate(INERT, page.query_selector("#inbox-detail"))
        assert found["pwned"] is None and not found["handlers"] and not found["scriptLinks"], found
        assert not [
            t
            for t in found["foreign"]
            if t
            not in ("DL", "DT", "DD", "H4", "OL", "LI", "STRONG", "FIELDSET", "LEGEND", "LABEL", "TEXTAREA", "INPUT")
        ], found
        page.close()
        context.close()

        phone_page(browser, live_server.url, report)
        browser.close()


def phone_page(browser, base: str, report: dict) -> None:
    """/report: a hostile report sent through the form, and a tampered "my reports" entry, stay text."""
    lon, lat = report["at"]
    context = new_context(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    context.grant_permissions(["geolocation"], origin=base)
    context.set_geolocation({"latitude": lat, "longitude": lon, "accuracy": 8})
    page = context.new_page()
    page.goto(f"{base}/report")
    page.evaluate(
        """(label) => localStorage.setItem("ioc-report-mine", JSON.stringify([
        {id: 999999001, token: "no-such-token", label, at: "2026-10-01T01:00:00Z", agency: label}]))""",
        PAYLOADS[1],
    )
    page.reload()
    wait_js(page, "document.getElementById('where').textContent.includes('GPS')", timeout=20_000)
    page.get_by_label("Lĩnh vực").select_option("waste")
    page.get_by_label("Mô tả").fill(PAYLOADS[1] + " " + PAYLOADS[3])
    page.get_by_label("Địa chỉ, mốc gần nhất (không bắt buộc)").fill(PAYLOADS[0])
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_selector("#result.ok", timeout=30_000)
    wait_js(page, "document.querySelectorAll('#mine li').length >= 2")
    assert PAYLOADS[1] in page.locator("#mine").inner_text()
    for root in ("#mine", "#result", "#attributes"):
        found = page.evaluate(INERT, page.query_selector(root))
        assert found["pwned"] is None and not found["handlers"] and not found["scriptLinks"], found
        assert not [t for t in found["foreign"] if t not in ("LI", "LABEL", "INPUT", "SELECT", "OPTION")], found
    assert not csp_violations(page)
    context.close()
