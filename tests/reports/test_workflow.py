"""The workflow: every legal transition, every illegal one, SLA overdue, duplicates, ratings."""

from __future__ import annotations

from datetime import timedelta
from itertools import product

import pytest
from django.test import Client
from django.utils import timezone

from mapserver.errors import Conflict, InvalidParameterValue
from mapserver.principal import Principal
from reports import workflow
from reports.models import FieldReport, Status
from reports.submission import possible_duplicates, token_for
from reports.workflow import TRANSITIONS
from tests.reports.conftest import COMMUNE, make_report, point_in

pytestmark = pytest.mark.django_db
ADMIN = Principal(username="t_admin", role="admin")
PATH = ["accepted", "assigned", "in_progress", "resolved", "closed"]


def body_for(to: str, report: FieldReport) -> dict:
    extra = {"rejected": {"note": "không thuộc thẩm quyền"}, "assigned": {"assigned_to": "Đội trật tự"}}.get(to, {})
    if to == "duplicate":
        extra = {"duplicate_of": make_report("waste").pk}
    return {"note": f"to {to}", **extra}


def test_the_main_path_records_who_and_when_for_every_step():
    report = make_report()
    for to in PATH:
        report = workflow.transition(report.pk, to, ADMIN, body_for(to, report))
        assert report.status == to
    steps = list(report.transitions.values_list("from_status", "to_status", "by_username"))
    assert steps == [("", "received", "test")] + [(a, b, "t_admin") for a, b in zip(["received"] + PATH[:-1], PATH)]
    assert report.assigned_to == "Đội trật tự" and report.resolved_at and report.closed_at
    assert all(t.at for t in report.transitions.all())


LEGAL = sorted((a, b) for a, targets in TRANSITIONS.items() for b in targets)
ILLEGAL = sorted((a, b) for a, b in product(Status.values, Status.values) if b not in TRANSITIONS[a])


@pytest.mark.parametrize("start,to", LEGAL)
def test_each_legal_transition(start, to):
    report = make_report()
    FieldReport.objects.filter(pk=report.pk).update(status=start)
    moved = workflow.transition(report.pk, to, ADMIN, body_for(to, report))
    assert moved.status == to and moved.transitions.last().from_status == start


@pytest.mark.parametrize("start,to", ILLEGAL)
def test_each_illegal_transition_is_a_conflict_and_changes_nothing(start, to):
    report = make_report()
    FieldReport.objects.filter(pk=report.pk).update(status=start)
    with pytest.raises(Conflict):
        workflow.transition(report.pk, to, ADMIN, body_for(to, report))
    assert FieldReport.objects.get(pk=report.pk).status == start
    assert report.transitions.count() == 1


def test_unknown_state_rejection_without_note_and_bad_duplicate_target_are_400():
    report = make_report()
    for to, body in [
        ("done", {}),
        ("rejected", {}),
        ("duplicate", {"duplicate_of": report.pk}),
        ("duplicate", {"duplicate_of": "x"}),
        ("duplicate", {"duplicate_of": 10**12}),
    ]:
        with pytest.raises(InvalidParameterValue):
            workflow.transition(report.pk, to, ADMIN, body)
    assert FieldReport.objects.get(pk=report.pk).status == "received"


def test_accepting_can_reclassify_and_moves_the_due_date():
    report = make_report("waste")  # 48 h
    moved = workflow.transition(report.pk, "accepted", ADMIN, {"service_code": "traffic_congestion"})  # 4 h
    assert moved.category.code == "traffic_congestion" and moved.sector == "public_security"
    assert moved.due_at - moved.requested_at == timedelta(hours=4)
    assert moved.agency_responsible.endswith("/ Công an tỉnh")


def test_overdue_follows_the_sla_and_stops_when_resolved():
    report = make_report("traffic_congestion")  # 4 h SLA
    assert not report.overdue
    FieldReport.objects.filter(pk=report.pk).update(
        requested_at=timezone.now() - timedelta(hours=5), due_at=timezone.now() - timedelta(hours=1)
    )
    report.refresh_from_db()
    assert report.overdue
    row = Client().get(f"/open311/v2/requests/{report.pk}.json?extensions=true").json()[0]
    assert row["extended_attributes"]["overdue"] is True
    for to in ["accepted", "assigned", "in_progress", "resolved"]:
        report = workflow.transition(report.pk, to, ADMIN, body_for(to, report))
    assert not report.overdue
    assert (
        Client()
        .get(f"/open311/v2/requests/{report.pk}.json?extensions=true")
        .json()[0]["extended_attributes"]["overdue"]
        is False
    )


def test_duplicates_are_suggested_within_the_radius_for_the_same_category_and_open_only():
    lat, lon = point_in(COMMUNE)
    first = make_report("waste", at=(lat, lon))
    near = make_report("waste", at=(lat + 0.0002, lon))  # about 22 m north
    far = make_report("waste", at=(lat + 0.0009, lon))  # about 100 m
    other = make_report("food_safety", at=(lat, lon))
    found = possible_duplicates(near)
    assert [d["service_request_id"] for d in found] == [str(first.pk)]
    assert 15 < found[0]["distance_m"] < 30
    assert str(far.pk) not in {d["service_request_id"] for d in possible_duplicates(first)}
    assert possible_duplicates(other) == []
    FieldReport.objects.filter(pk=first.pk).update(status="closed")
    assert possible_duplicates(near) == []


def test_submission_response_offers_possible_duplicates(api_key):
    lat, lon = point_in(COMMUNE)
    first = make_report("waste", at=(lat, lon))
    data = {"api_key": api_key, "service_code": "waste", "lat": lat + 0.0001, "long": lon, "description": "rác"}
    doc = Client().post("/open311/v2/requests.json", data).json()[0]
    assert [d["service_request_id"] for d in doc["possible_duplicates"]] == [str(first.pk)]


def rate(token: str, value) -> object:
    return Client().post(f"/open311/v2/tokens/{token}/rating.json", {"rating": value})


def test_rating_only_once_and_only_when_resolved():
    report = make_report()
    token = token_for(report.token_salt)
    assert rate(token, 5).status_code == 409  # still open
    for to in ["accepted", "assigned", "in_progress", "resolved"]:
        workflow.transition(report.pk, to, ADMIN, body_for(to, report))
    for bad in ["0", "6", "4.5", "good", ""]:
        assert rate(token, bad).status_code == 400
    response = rate(token, "4")
    assert response.status_code == 200 and response.json()[0]["rating"] == 4
    assert rate(token, "5").status_code == 409
    assert FieldReport.objects.get(pk=report.pk).rating == 4
    assert rate("not-a-token", "5").status_code == 404
    assert Client().get(f"/open311/v2/tokens/{token}.json").json()[0]["may_rate"] is False
