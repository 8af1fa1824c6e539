"""Stored text written back out: control characters never void an XML document, formula-like text is inert in
CSV and XLSX exports, and hostile HTML in text shows as text in the HTML export and the OGC API HTML pages.

Everything is planted through the writable public interfaces (Open311 POST, OGC API Features POST)."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from reports.models import ApiKey
from tests.reports.conftest import COMMUNE, point_in

pytestmark = pytest.mark.django_db
FORMULAS = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+1+cmd|' /C calc'!A0", "-2+3"]
TAG = '"><script>alert(1)</script>'
ATTRIBUTE = 'https://x/"onmouseover="alert(1)'
TEMPLATE_BREAK = "`+alert(3)+`${alert(4)}"
CONTROL = "Trạm\x01 số 7\x1f"  # characters XML 1.0 forbids: openpyxl refuses to write them
SITES = "/ogcapi/collections/construction_sites/items"


def plant_site(api, name: str, permit_no: str = "", dx: float = 0.0) -> int:
    """A construction hot spot (violations > 0) in t_commune's commune, created through the OGC API."""
    lat, lon = point_in(COMMUNE)
    body = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon + dx, lat]},
        "properties": {"name": name, "permit_no": permit_no, "status": "unpermitted", "violations": 3},
    }
    response = api("t_planner").post(SITES, json.dumps(body), content_type="application/geo+json")
    assert response.status_code == 201, response.content
    return int(response["Location"].rsplit("/", 1)[1])


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def parsed(html: str) -> Elements:
    page = Elements()
    page.feed(html)
    page.close()
    return page


def assert_inert_html(page: Elements) -> None:
    """No element was injected: no onmouseover attribute, no script whose body is the planted one."""
    assert not [attrs for _, attrs in page.tags if "onmouseover" in attrs]
    assert not [script for script in page.scripts if script.strip() == "alert(1)"]
    assert all("<script>alert(1)</script>" not in script for script in page.scripts)


# -- XML ------------------------------------------------------------------------------------------------------------


def test_open311_xml_survives_control_characters_and_keeps_the_rest_of_the_text(api):
    key = ApiKey.issue("test-encoding", "portal")[1]
    lat, lon = point_in(COMMUNE)
    description = "Đèn hỏng\x01 trước nhà số 5\x0b, <b>&amp;</b>\x1f hẻm 12"
    created = api().post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "waste", "lat": lat, "long": lon, "description": description},
    )
    assert created.status_code == 200, created.content
    report_id = created.json()[0]["service_request_id"]
    for path in (
        "/open311/v2/requests.xml",
        f"/open311/v2/requests.xml?service_request_id={report_id}",
        f"/open311/v2/requests/{report_id}.xml",
    ):
        root = ET.fromstring(api().get(path).content)  # the whole list is readable
        mine = next(r for r in root.findall("request") if r.findtext("service_request_id") == report_id)
        assert mine.findtext("description") == "Đèn hỏng trước nhà số 5, <b>&amp;</b> hẻm 12"
    assert api().get(f"/open311/v2/requests/{report_id}.json").json()[0]["description"] == description


# -- CSV and XLSX -----------------------------------------------------------------------------------------------------


def test_geodata_export_keeps_formula_text_inert_in_csv_and_xlsx(api, tmp_path):
    ids = [plant_site(api, formula, permit_no=FORMULAS[-1 - i], dx=i * 1e-4) for i, formula in enumerate(FORMULAS)]
    call_command(
        "geodata_export",
        "--layer",
        "construction_sites",
        "--format",
        "csv",
        "--output",
        str(tmp_path / "sites.csv"),
        verbosity=0,
    )
    with open(tmp_path / "sites.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = {row["name"] for row in rows}
    assert {f"'{formula}" for formula in FORMULAS} <= names
    assert not [value for row in rows for value in row.values() if value and value[0] in "=+-@\t\r"]
    call_command(
        "geodata_export",
        "--layer",
        "construction_sites",
        "--format",
        "xlsx",
        "--output",
        str(tmp_path / "sites.xlsx"),
        verbosity=0,
    )
    sheet = load_workbook(tmp_path / "sites.xlsx").active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    planted = {cell.value: cell for cell in cells if cell.value in FORMULAS}
    assert set(planted) == set(FORMULAS)  # stored exactly as typed, as text
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in planted.values())
    assert len(ids) == len(FORMULAS)


def plant_camera(api, name: str, dx: float) -> int:
    """A live camera next to the hot spot planted at the same dx (so it is that spot's nearest camera)."""
    lat, lon = point_in(COMMUNE)
    body = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon + dx + 1e-5, lat]},
        "properties": {"name": name, "owner_unit": "UBND", "codec": "H.264", "status": "live"},
    }
    response = api("t_planner").post(
        "/ogcapi/collections/cameras/items", json.dumps(body), content_type="application/geo+json"
    )
    assert response.status_code == 201, response.content
    return int(response["Location"].rsplit("/", 1)[1])


def run(api, scenario_id: str) -> str:
    lat, lon = point_in(COMMUNE)
    body = {"area": {"type": "radius", "center": [lon, lat], "radius_m": 1500}}
    response = api("t_admin").post(
        f"/api/scenarios/{scenario_id}/run", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()["run_id"]


@pytest.fixture
def planted(api) -> list[str]:
    """Hot spots 110 m apart, each with a live camera 1 m away, both named with one hostile text each."""
    names = [*FORMULAS, TAG, ATTRIBUTE, TEMPLATE_BREAK, CONTROL]
    for index, name in enumerate(names):
        plant_site(api, name, dx=index * 1e-3)
        plant_camera(api, name, dx=index * 1e-3)
    return names


@pytest.fixture
def coverage_run(api, planted) -> str:
    """A camera_coverage run: the hostile camera names are the hot spots' nearest cameras (rows and alerts)."""
    found = api("t_admin").get(f"/api/scenarios/camera_coverage/runs/{run(api, 'camera_coverage')}").json()
    assert set(planted) <= {row["nearest_label"] for row in found["groups"]["hotspots_covered"]["rows"]}
    return found["run_id"]


@pytest.fixture
def hotspot_run(api, planted) -> str:
    """A construction_hotspots run: its map carries the hostile site names in the features' tooltips."""
    return run(api, "construction_hotspots")


def export(api, run_id: str, fmt: str, scenario_id: str = "camera_coverage"):
    response = api("t_admin").get(f"/api/scenarios/{scenario_id}/runs/{run_id}/export?format={fmt}")
    assert response.status_code == 200, response.content[:300]
    return response.content


def test_scenario_xlsx_export_writes_formula_text_as_text(api, coverage_run):
    book = load_workbook(io.BytesIO(export(api, coverage_run, "xlsx")))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [f"{cell.parent.title}!{cell.coordinate}" for cell in cells if cell.data_type == "f"]
    planted = [cell for cell in cells if cell.value in FORMULAS]
    assert {cell.value for cell in planted} == set(FORMULAS)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in planted)
    assert any(cell.value == TAG for cell in cells)  # HTML is just text in a workbook
    assert any(cell.value == "Trạm số 7" for cell in cells)  # the rest of a text with control characters


def test_scenario_html_export_shows_hostile_text_as_text(api, coverage_run, hotspot_run):
    page = parsed(export(api, coverage_run, "html").decode())
    assert_inert_html(page)
    text = "".join(page.text)
    assert TAG in text and ATTRIBUTE in text and TEMPLATE_BREAK in text  # shown in the figures, as typed
    page = parsed(export(api, hotspot_run, "html", "construction_hotspots").decode())
    assert_inert_html(page)
    tooltips = [script for script in page.scripts if "bindTooltip" in script]
    assert any("&#96;+alert(3)+&#96;&#36;{alert(4)}" in script for script in tooltips)
    # folium writes tooltips into a JavaScript template literal: a backtick or ${ from the data must not reach it
    assert not [script for script in tooltips if "`+alert(3)+`" in script or "${alert(4)}" in script]
    assert not [script for script in tooltips if "<script>" in script or 'x/"onmouseover' in script]


def test_pdf_export_of_hostile_text_is_served(api, coverage_run):
    assert export(api, coverage_run, "pdf").startswith(b"%PDF")


# -- OGC API HTML ---------------------------------------------------------------------------------------------------


def test_ogc_html_pages_show_hostile_text_as_text(api):
    tag_id = plant_site(api, TAG, permit_no=ATTRIBUTE)
    attribute_id = plant_site(api, ATTRIBUTE, permit_no=TAG, dx=1e-4)
    client = api("t_admin")
    pages = [
        client.get(f"{SITES}/{tag_id}", {"f": "html"}),
        client.get(f"{SITES}/{attribute_id}", {"f": "html"}),
        client.get(SITES, {"f": "html", "filter": "violations = 3 AND name LIKE '%alert%'", "limit": 50}),
    ]
    for response in pages:
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        page = parsed(response.content.decode())
        assert_inert_html(page)
        text = "".join(page.text)
        assert TAG in text and ATTRIBUTE in text
