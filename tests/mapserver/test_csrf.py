"""CSRF: writes made with a session cookie need the CSRF token; bearer-token and anonymous calls do not."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.layers.conftest import HOME_COMMUNE, point_in
from tests.reports.conftest import make_report

pytestmark = pytest.mark.django_db
INCIDENTS = "/ogcapi/collections/incidents/items"
GEOJSON = "application/geo+json"


def feature() -> str:
    point = point_in(HOME_COMMUNE)
    return json.dumps(
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
            "properties": {
                "kind": "fire",
                "occurred_at": "2031-05-01T10:00:00Z",
                "status": "reported",
                "severity": 2,
                "description": "csrf test",
            },
        }
    )


def session(username: str) -> Client:
    """A browser: logged in with a session cookie, CSRF checks enforced, holding a csrftoken cookie."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username=username))
    assert client.get("/report").status_code == 200  # a page that sets the CSRF cookie
    return client


def csrf_header(client: Client) -> dict[str, str]:
    return {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def assert_csrf_refused(response) -> None:
    assert response.status_code == 403, response.content
    body = response.json()
    assert set(body) == {"code", "description"} and body["code"] == "Forbidden" and "CSRF" in body["description"]


def test_a_session_write_without_the_token_is_a_json_403_and_with_it_goes_through():
    browser = session("t_planner")
    assert_csrf_refused(browser.post(INCIDENTS, feature(), content_type=GEOJSON))
    created = browser.post(INCIDENTS, feature(), content_type=GEOJSON, **csrf_header(browser))
    assert created.status_code == 201, created.content
    url = created["Location"]
    etag = browser.get(url)["ETag"]
    for method in ("put", "patch", "delete"):
        assert_csrf_refused(getattr(browser, method)(url, feature(), content_type=GEOJSON, HTTP_IF_MATCH=etag))
    deleted = browser.delete(url, HTTP_IF_MATCH=etag, **csrf_header(browser))
    assert deleted.status_code == 204


def test_bearer_token_writes_need_no_csrf_token(tokens):
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {tokens['t_planner']}")
    assert client.post(INCIDENTS, feature(), content_type=GEOJSON).status_code == 201
    # a session cookie alongside the token changes nothing: the token is the credential
    client.force_login(get_user_model().objects.get(username="t_leader"))
    assert client.post(INCIDENTS, feature(), content_type=GEOJSON).status_code == 201


def test_anonymous_writes_still_get_401_not_a_csrf_error():
    response = Client(enforce_csrf_checks=True).post(INCIDENTS, feature(), content_type=GEOJSON)
    assert response.status_code == 401 and response.json()["code"] == "Unauthorized"


def test_session_reads_need_no_token():
    assert session("t_planner").get(INCIDENTS, {"limit": 1}).status_code == 200


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/scenarios/social_welfare/run", {"area": {"type": "province"}}),
        ("/ogcapi/processes/social_welfare/execution", {"inputs": {"area": {"type": "province"}}}),
    ],
)
def test_scenario_runs_with_a_session_need_the_token(path, body):
    browser = session("t_admin")
    assert_csrf_refused(browser.post(path, body, content_type="application/json"))


def test_report_transitions_with_a_session_need_the_token():
    report = make_report("waste")
    browser = session("t_commune")
    url = f"/api/reports/{report.pk}/transition"
    assert_csrf_refused(browser.post(url, {"to": "accepted"}, content_type="application/json"))
    moved = browser.post(url, {"to": "accepted"}, content_type="application/json", **csrf_header(browser))
    assert moved.status_code == 200 and moved.json()["status"] == "accepted"


def test_the_phone_page_keeps_the_non_json_403_its_script_retries_on():
    response = Client(enforce_csrf_checks=True).post("/report/submit", {"service_code": "waste"})
    assert response.status_code == 403
    assert "json" not in response["Content-Type"]  # report.js refreshes its cookie when a 403 carries no JSON
