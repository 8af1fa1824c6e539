"""Open311 GeoReport v2 endpoints against the spec: JSON and XML shapes, filters, submission, tokens, errors."""

from __future__ import annotations

import json
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from reports.models import FieldReport, Reporter, ServiceCategory, Transition
from tests.reports.conftest import COMMUNE, make_report, point_in

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    return ET.fromstring(response.content)


def post(client: Client, fmt: str = "json", **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


def form(api_key: str, **extra) -> dict:
    lat, lon = point_in(COMMUNE)
    return {
        "api_key": api_key,
        "service_code": "street_light",
        "lat": lat,
        "long": lon,
        "description": "Đèn đường không sáng",
        "attribute[lamp_state]": "off",
        **extra,
    }


def test_services_json_and_xml_list_every_active_category_with_the_spec_fields():
    doc = Client().get(f"{BASE}/services.json").json()
    assert {s["service_code"] for s in doc} == set(ServiceCategory.objects.values_list("code", flat=True))
    assert all(
        set(s) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"} for s in doc
    )
    light = next(s for s in doc if s["service_code"] == "street_light")
    assert light["metadata"] is True and light["type"] == "realtime"
    root = xml(Client().get(f"{BASE}/services.xml"))
    assert root.tag == "services" and len(root.findall("service")) == len(doc)
    assert root.find("service/service_code").text == doc[0]["service_code"]
    assert root.find("service/metadata").text in {"true", "false"}


def test_service_definition_json_and_xml():
    doc = Client().get(f"{BASE}/services/street_light.json").json()
    assert doc["service_code"] == "street_light"
    attribute = doc["attributes"][0]
    assert set(attribute) == {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    }
    assert attribute["datatype"] == "singlevaluelist" and {"key", "name"} <= set(attribute["values"][0])
    root = xml(Client().get(f"{BASE}/services/street_light.xml"))
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/code").text == "lamp_state"
    assert root.find("attributes/attribute/values/value/key").text == attribute["values"][0]["key"]
    assert Client().get(f"{BASE}/services/nope.json").status_code == 404


def test_discovery_names_the_spec_and_formats():
    doc = Client().get(f"{BASE}/discovery.json").json()
    endpoint = doc["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert xml(Client().get(f"{BASE}/discovery.xml")).find("endpoints/endpoint/formats/format") is not None


def test_post_json_routes_the_report_and_keeps_the_reporter_apart(api_key):
    response = post(
        Client(),
        **form(
            api_key,
            first_name="An",
            last_name="Nguyễn",
            phone="0912 345 678",
            email="an@example.vn",
            device_id="dev-1",
            account_id="acc-9",
        ),
    )
    assert response.status_code == 200, response.content
    doc = response.json()
    assert isinstance(doc, list) and len(doc) == 1
    created = doc[0]
    assert {"service_request_id", "token", "service_notice", "account_id"} <= set(created)
    assert created["account_id"] == "acc-9"
    report = FieldReport.objects.get(pk=created["service_request_id"])
    assert report.commune_code == COMMUNE and report.channel == "test-portal"
    assert report.agency_responsible == f"UBND {report.commune_name} / Sở Xây dựng"
    assert report.attributes == {"lamp_state": "off"}
    assert Reporter.objects.get(report=report).phone == "0912 345 678"
    assert report.due_at - report.requested_at == timedelta(hours=48)
    assert list(report.transitions.values_list("to_status", flat=True)) == ["received"]


def test_post_xml_answers_with_service_requests_and_a_token(api_key):
    root = xml(post(Client(), "xml", **form(api_key)))
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text.isdigit()
    assert root.find("request/token").text


def test_anonymous_report_stores_no_reporter_row(api_key):
    created = post(Client(), **form(api_key)).json()[0]
    assert not Reporter.objects.filter(report_id=created["service_request_id"]).exists()
    assert created["account_id"] is None


def test_bad_or_missing_api_key_is_403_in_the_spec_error_shape(api_key):
    for data in (form("rk_wrong"), {k: v for k, v in form(api_key).items() if k != "api_key"}):
        response = post(Client(), **data)
        assert response.status_code == 403
        assert response.json() == [{"code": 403, "description": response.json()[0]["description"]}]
    root = xml(post(Client(), "xml", **form("rk_wrong")))
    assert root.tag == "errors" and root.find("error/code").text == "403"


def test_revoked_key_is_refused(api_key):
    from reports.models import ApiKey

    ApiKey.objects.filter(name="test-portal").update(revoked_at=timezone.now())
    assert post(Client(), **form(api_key)).status_code == 403


def test_staff_bearer_token_submits_without_key_external_clients_cannot(api):
    data = {k: v for k, v in form("").items() if k != "api_key"}
    response = api("t_commune").post(f"{BASE}/requests.json", data)
    assert response.status_code == 200, response.content
    report = FieldReport.objects.get(pk=response.json()[0]["service_request_id"])
    assert report.channel == "staff:t_commune" and report.reporter.staff_username == "t_commune"
    assert api("t_external").post(f"{BASE}/requests.json", data).status_code == 403


@pytest.mark.parametrize(
    "field,value,fragment",
    [
        ("service_code", "", "service_code is required"),
        ("service_code", "potholes", "unknown service_code"),
        ("lat", "", "lat and long are required"),
        ("lat", "abc", "lat must be a decimal number"),
        ("lat", "91", "lat must be between"),
        ("long", "nan", "long must be between"),
        ("long", "200", "long must be between"),
        ("lat", "48.8566", "outside Đồng Nai"),
        ("description", "x" * 4001, "description is longer"),
        ("media_url", "ftp://example.vn/a.jpg", "media_url must be an http(s) URL"),
        ("email", "not-an-email", "email is not a valid"),
        ("phone", "call me", "phone must be a telephone number"),
        ("first_name", "x" * 101, "first_name is longer"),
        ("device_id", "x" * 101, "device_id is longer"),
        ("account_id", "x" * 101, "account_id is longer"),
        ("attribute[lamp_state]", "", "attribute[lamp_state] is required"),
        ("attribute[lamp_state]", "purple", "attribute[lamp_state] must be one of"),
        ("attribute[colour]", "red", "has no attribute"),
        ("client_ref", "bad ref!", "client_ref must be"),
        ("jurisdiction_id", "hanoi.gov.vn", "unknown jurisdiction_id"),
    ],
)
def test_bad_input_for_each_field_is_refused_with_its_reason(api_key, field, value, fragment):
    data = form(api_key, **{field: value})
    if field == "lat" and value == "48.8566":
        data["long"] = "2.3522"
    response = post(Client(), **data)
    expected = 404 if field == "jurisdiction_id" else 400
    assert response.status_code == expected, response.content
    assert fragment in response.json()[0]["description"]
    assert not FieldReport.objects.exists()


def test_address_string_without_coordinates_is_refused(api_key):
    data = form(api_key, address_string="12 Phạm Văn Thuận, Biên Hòa")
    del data["lat"], data["long"]
    response = post(Client(), **data)
    assert response.status_code == 400 and "address_string" in response.json()[0]["description"]


def test_report_needs_a_description_or_a_photo(api_key):
    response = post(Client(), **form(api_key, description=""))
    assert response.status_code == 400 and "description or a photo" in response.json()[0]["description"]


def test_number_and_multivalue_attributes(api_key):
    lat, lon = point_in(COMMUNE)
    base = {"api_key": api_key, "lat": lat, "long": lon, "description": "x"}
    ok = post(Client(), **base, service_code="drainage_flooding", **{"attribute[depth_cm]": "35"})
    assert FieldReport.objects.get(pk=ok.json()[0]["service_request_id"]).attributes == {"depth_cm": 35.0}
    bad = post(Client(), **base, service_code="drainage_flooding", **{"attribute[depth_cm]": "deep"})
    assert bad.status_code == 400
    multi = Client().post(
        f"{BASE}/requests.json",
        {**base, "service_code": "pollution", "attribute[pollution_kind][]": ["smoke", "noise"]},
    )
    assert FieldReport.objects.get(pk=multi.json()[0]["service_request_id"]).attributes == {
        "pollution_kind": ["smoke", "noise"]
    }


def test_get_requests_json_has_exactly_the_spec_fields_and_xml_the_same_elements():
    report = make_report("waste")
    doc = Client().get(f"{BASE}/requests.json").json()
    entry = next(r for r in doc if r["service_request_id"] == str(report.pk))
    assert set(entry) == REQUEST_FIELDS
    assert entry["status"] == "open" and entry["service_code"] == "waste"
    assert entry["requested_datetime"].endswith("+07:00")
    assert abs(entry["lat"] - report.geom.y) < 1e-6 and abs(entry["long"] - report.geom.x) < 1e-6
    root = xml(Client().get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    request = next(r for r in root.findall("request") if r.find("service_request_id").text == str(report.pk))
    assert {child.tag for child in request} == REQUEST_FIELDS


def test_get_single_request_and_404():
    report = make_report("waste")
    doc = Client().get(f"{BASE}/requests/{report.pk}.json").json()
    assert len(doc) == 1 and doc[0]["service_request_id"] == str(report.pk)
    assert xml(Client().get(f"{BASE}/requests/{report.pk}.xml")).find("request/service_code").text == "waste"
    missing = Client().get(f"{BASE}/requests/{report.pk + 1000}.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404
    assert xml(Client().get(f"{BASE}/requests/{report.pk + 1000}.xml")).find("error/code").text == "404"


def test_get_filters_by_id_code_status_and_dates():
    waste, light = make_report("waste"), make_report("street_light", **{"attribute[lamp_state]": "off"})
    FieldReport.objects.filter(pk=light.pk).update(status="closed", requested_at=timezone.now() - timedelta(days=10))

    def ids(query: str) -> set[str]:
        response = Client().get(f"{BASE}/requests.json?{query}")
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in response.json()}

    assert ids(f"service_request_id={waste.pk},{light.pk}") == {str(waste.pk), str(light.pk)}
    assert str(light.pk) not in ids("service_code=waste") and str(waste.pk) in ids("service_code=waste")
    assert ids("status=closed") >= {str(light.pk)} and str(waste.pk) not in ids("status=closed")
    since = (timezone.now() - timedelta(days=2)).isoformat()
    assert str(waste.pk) in ids(f"start_date={since.replace('+', '%2B')}")
    assert str(light.pk) not in ids(f"start_date={since.replace('+', '%2B')}")
    assert str(light.pk) in ids("end_date=" + (timezone.now() - timedelta(days=5)).date().isoformat())


@pytest.mark.parametrize(
    "query",
    [
        "service_request_id=abc",
        "service_code=nope",
        "status=pending",
        "start_date=yesterday",
        "end_date=2026-13-45",
        "start_date=2026-03-02&end_date=2026-03-01",
    ],
)
def test_bad_get_filters_are_400(query):
    response = Client().get(f"{BASE}/requests.json?{query}")
    assert response.status_code == 400 and response.json()[0]["code"] == 400


def test_token_gives_back_the_request_id_and_unknown_tokens_are_404(api_key):
    created = post(Client(), **form(api_key)).json()[0]
    doc = Client().get(f"{BASE}/tokens/{created['token']}.json").json()
    assert doc[0]["service_request_id"] == created["service_request_id"] and doc[0]["status"] == "open"
    root = xml(Client().get(f"{BASE}/tokens/{created['token']}.xml"))
    assert root.find("request/service_request_id").text == created["service_request_id"]
    assert Client().get(f"{BASE}/tokens/unknownTOKEN.json").status_code == 404
    report = FieldReport.objects.get(pk=created["service_request_id"])
    assert created["token"] not in json.dumps(list(FieldReport.objects.filter(pk=report.pk).values()), default=str)


def test_a_replayed_offline_submission_is_filed_once(api_key):
    first = post(Client(), **form(api_key, client_ref="queued-0001")).json()[0]
    again = post(Client(), **form(api_key, client_ref="queued-0001")).json()[0]
    assert first["service_request_id"] == again["service_request_id"] and first["token"] == again["token"]
    assert FieldReport.objects.count() == 1 and Transition.objects.count() == 1


def test_unsupported_method_and_format():
    assert Client().put(f"{BASE}/requests.json").status_code == 405
    assert Client().get(f"{BASE}/requests.csv").status_code == 404
