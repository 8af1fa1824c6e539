"""The staff API: scoping by commune and sector, reporter contact only for the handling unit, transitions, list."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mapserver.models import AuditEntry
from reports.models import FieldReport
from tests.reports.conftest import COMMUNE, make_report, other_commune

pytestmark = pytest.mark.django_db
CONTACT = {"first_name": "Bình", "last_name": "Trần", "phone": "0987654321", "email": "binh@example.vn"}


def move(client: Client, report_id: int, **body):
    return client.post(f"/api/reports/{report_id}/transition", json.dumps(body), content_type="application/json")


def test_handling_commune_staff_see_the_reporter_other_communes_get_403(api):
    mine = make_report("waste", **CONTACT)
    theirs = make_report("waste", commune=other_commune(), **CONTACT)
    doc = api("t_commune").get(f"/api/reports/{mine.pk}").json()
    assert doc["reporter_visible"] and doc["reporter"]["phone"] == "0987654321"
    assert doc["transitions"][0]["to"] == "received"
    assert AuditEntry.objects.filter(action="disclose_contact", feature_id=str(mine.pk), username="t_commune").exists()
    assert api("t_commune").get(f"/api/reports/{theirs.pk}").status_code == 403
    assert api("t_commune").get(f"/api/reports/{theirs.pk + 100000}").status_code == 404


def test_department_staff_see_reports_of_their_sector_only(api):
    construction = make_report("street_light", **{"attribute[lamp_state]": "off"}, **CONTACT)
    home = make_report("public_service", **CONTACT)
    doc = api("t_dept_construction").get(f"/api/reports/{construction.pk}").json()
    assert doc["reporter"]["email"] == "binh@example.vn"
    assert api("t_dept_construction").get(f"/api/reports/{home.pk}").status_code == 403
    assert api("t_dept_home").get(f"/api/reports/{home.pk}").json()["reporter"]["first_name"] == "Bình"


def test_admin_sees_the_reporter_leaders_and_planners_read_without_it(api):
    report = make_report("waste", **CONTACT)
    assert api("t_admin").get(f"/api/reports/{report.pk}").json()["reporter"]["last_name"] == "Trần"
    for user in ("t_leader", "t_planner"):
        doc = api(user).get(f"/api/reports/{report.pk}").json()
        assert doc["reporter"] is None and not doc["reporter_visible"]
        assert "0987654321" not in json.dumps(doc)


def test_anonymous_is_401_and_external_clients_403(api):
    report = make_report("waste", **CONTACT)
    assert Client().get(f"/api/reports/{report.pk}").status_code == 401
    assert Client().get("/api/reports").status_code == 401
    assert api("t_external").get(f"/api/reports/{report.pk}").status_code == 403
    assert api("t_external").get("/api/reports").status_code == 403


def test_transitions_by_the_handling_unit_only_and_illegal_ones_409(api):
    mine = make_report("waste")
    theirs = make_report("waste", commune=other_commune())
    response = move(api("t_commune"), mine.pk, to="accepted", note="đã xác minh")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted" and response.json()["transitions"][-1]["by"] == "t_commune"
    assert move(api("t_commune"), mine.pk, to="closed").status_code == 409
    assert move(api("t_commune"), theirs.pk, to="accepted").status_code == 403
    assert move(api("t_leader"), mine.pk, to="assigned").status_code == 403
    assert move(api("t_dept_home"), mine.pk, to="assigned").status_code == 403
    assert move(api("t_admin"), mine.pk, to="assigned", assigned_to="Tổ môi trường").json()["assigned_to"] == (
        "Tổ môi trường"
    )


def test_transition_body_errors_are_400(api):
    report = make_report("waste")
    client = api("t_commune")
    assert client.post(f"/api/reports/{report.pk}/transition", "{", content_type="application/json").status_code == 400
    assert move(client, report.pk).status_code == 400
    assert move(client, report.pk, to="finished").status_code == 400
    assert move(client, report.pk, to="rejected").status_code == 400  # a rejection needs a note
    assert move(client, report.pk, to="accepted", note=5).status_code == 400
    assert client.get(f"/api/reports/{report.pk}/transition").status_code == 405


def test_public_note_becomes_the_open311_status_notes_internal_note_does_not(api):
    report = make_report("waste")
    move(api("t_commune"), report.pk, to="rejected", note="người báo gọi 0912…", public_note="Không thuộc thẩm quyền")
    row = Client().get(f"/open311/v2/requests/{report.pk}.json").json()[0]
    assert row["status"] == "closed" and row["status_notes"] == "Không thuộc thẩm quyền"
    assert "0912" not in json.dumps(row, ensure_ascii=False)


def test_list_is_scoped_and_filtered(api):
    mine = make_report("waste")
    late = make_report("traffic_congestion")
    FieldReport.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    theirs = make_report("waste", commune=other_commune())

    def ids(user: str, query: str = "") -> set[int]:
        response = api(user).get(f"/api/reports?{query}")
        assert response.status_code == 200, response.content
        return {r["id"] for r in response.json()["reports"]}

    assert ids("t_commune") == {mine.pk, late.pk}
    assert ids("t_leader") >= {mine.pk, late.pk, theirs.pk}
    assert ids("t_commune", "overdue=true") == {late.pk}
    assert ids("t_commune", "overdue=false") == {mine.pk}
    assert ids("t_commune", "category=waste") == {mine.pk}
    assert ids("t_leader", f"commune={COMMUNE}") == {mine.pk, late.pk}
    assert ids("t_commune", "status=accepted") == set()
    assert ids("t_dept_home") == set()
    doc = api("t_commune").get("/api/reports").json()
    assert all("reporter" not in r for r in doc["reports"]) and doc["count"] == 2


@pytest.mark.parametrize(
    "query",
    [
        "status=pending",
        "overdue=maybe",
        "limit=-1",
        "limit=100000",
        "offset=x",
        "category=potholes",
        "commune=abc",
        "commune=26068;drop",
    ],
)
def test_list_bad_filters_are_400(api, query):
    assert api("t_leader").get(f"/api/reports?{query}").status_code == 400
