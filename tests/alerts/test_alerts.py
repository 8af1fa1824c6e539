"""The alert model: raised once while open, the lifecycle recorded, scoped, announced on the events channel."""

from __future__ import annotations

import json
import threading
import uuid

import psycopg
import pytest
from django.contrib.gis.geos import Point
from django.db import connection, connections

from alerts import service
from alerts.models import Alert
from mapserver.models import AuditEntry

pytestmark = pytest.mark.django_db


def _raise(key: str, commune: str = "26068", **extra) -> tuple[Alert, bool]:
    fields = {"severity": "high", "title": "Mực nước vượt báo động", "commune_code": commune} | extra
    return service.raise_alert(source="sensor", key=key, **fields)


def test_a_condition_is_raised_once_while_open_and_again_after_it_is_resolved():
    first, created = _raise("wl:1", place=Point(106.82, 10.95, srid=4326), detail={"level": 4.2})
    again, created_again = _raise("wl:1", severity="medium", detail={"level": 3.9})
    assert created and not created_again
    assert again.pk == first.pk and again.severity == "medium" and again.detail == {"level": 3.9}
    assert again.last_seen_at >= first.last_seen_at
    assert Alert.objects.filter(source="sensor", key="wl:1").count() == 1
    service.clear_alert(source="sensor", key="wl:1")
    assert Alert.objects.get(pk=first.pk).state == "resolved"
    renewed, created_renewed = _raise("wl:1")
    assert created_renewed and renewed.pk != first.pk


def test_reconcile_resolves_only_the_conditions_no_longer_active():
    for key in ("flood:a", "flood:b", "flood:c", "fire:a"):
        _raise(key)
    assert service.reconcile(source="sensor", key_prefix="flood:", active_keys={"flood:b"}) == 2
    open_keys = set(Alert.objects.filter(state="raised").values_list("key", flat=True))
    assert {"flood:b", "fire:a"} <= open_keys and not open_keys & {"flood:a", "flood:c"}


def test_unknown_source_or_severity_is_a_programming_error():
    with pytest.raises(ValueError):
        service.raise_alert(source="rumour", key="x", severity="high", title="t")
    with pytest.raises(ValueError):
        service.raise_alert(source="sensor", key="x", severity="urgent", title="t")


def _committed(action) -> None:
    """Run `action` on a connection of its own (autocommit), outside the test's transaction."""

    def run():
        try:
            action()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def test_concurrent_raisers_make_one_alert(django_db_blocker):
    key = f"race:{uuid.uuid4().hex}"
    barrier = threading.Barrier(6)
    created: list[bool] = []

    def worker():
        try:
            barrier.wait()
            created.append(_raise(key)[1])
        finally:
            connection.close()

    with django_db_blocker.unblock():
        try:
            threads = [threading.Thread(target=worker) for _ in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert created.count(True) == 1 and len(created) == 6
            assert Alert.objects.using("default").filter(key=key).count() == 1
        finally:
            Alert.objects.filter(key=key).delete()


def test_every_new_alert_and_state_change_is_announced(django_db_blocker):
    key = f"notify:{uuid.uuid4().hex}"
    params = connections["default"].get_connection_params()
    with django_db_blocker.unblock():
        listener = psycopg.connect(
            **{k: v for k, v in params.items() if k in {"host", "port", "dbname", "user", "password"}},
            autocommit=True,
        )
        try:
            listener.execute("LISTEN mapserver_events")
            raised: list[Alert] = []
            _committed(lambda: raised.append(_raise(key, commune="26041")[0]))
            _committed(lambda: service.clear_alert(source="sensor", key=key))
            alert = raised[0]
            events = [json.loads(n.payload) for n in listener.notifies(timeout=2, stop_after=2)]
        finally:
            listener.close()
            Alert.objects.filter(key=key).delete()
    assert [(e["type"], e["id"], e["state"], e["commune_code"]) for e in events] == [
        ("alert", alert.pk, "raised", "26041"),
        ("alert", alert.pk, "resolved", "26041"),
    ]


def test_commune_staff_acknowledge_and_resolve_their_alert_and_it_is_recorded(api):
    alert, _ = _raise("wl:ack")
    client = api("t_commune")
    listed = client.get("/api/alerts").json()
    assert alert.pk in [a["id"] for a in listed["alerts"]]
    shown = next(a for a in listed["alerts"] if a["id"] == alert.pk)
    assert shown["severity_label"] == "Cao" and shown["source_label"] == "Cảm biến" and shown["commune_name"]
    acked = client.post(f"/api/alerts/{alert.pk}/acknowledge").json()
    assert acked["state"] == "acknowledged" and acked["acknowledged_by"] == "t_commune"
    assert client.post(f"/api/alerts/{alert.pk}/acknowledge").status_code == 409
    done = client.post(
        f"/api/alerts/{alert.pk}/resolve", json.dumps({"note": "Đã kiểm tra"}), content_type="application/json"
    ).json()
    assert (
        done["state"] == "resolved" and done["resolved_by"] == "t_commune" and done["resolution_note"] == "Đã kiểm tra"
    )
    actions = list(
        AuditEntry.objects.filter(feature_id=str(alert.pk), layer_id="alerts").values_list("action", flat=True)
    )
    assert sorted(actions) == ["alert.acknowledge", "alert.resolve"]
    assert alert.pk not in [a["id"] for a in client.get("/api/alerts").json()["alerts"]]
    assert alert.pk in [a["id"] for a in client.get("/api/alerts?state=resolved").json()["alerts"]]


def test_alerts_are_scoped_by_role_and_commune(api):
    mine, _ = _raise("scope:mine", commune="26068")
    theirs, _ = _raise("scope:theirs", commune="26041")
    commune = api("t_commune")
    seen = {a["id"] for a in commune.get("/api/alerts?limit=500").json()["alerts"]}
    assert mine.pk in seen and theirs.pk not in seen
    assert commune.get(f"/api/alerts/{theirs.pk}").status_code == 404
    assert commune.post(f"/api/alerts/{theirs.pk}/acknowledge").status_code == 404
    leader_seen = {a["id"] for a in api("t_leader").get("/api/alerts?limit=500").json()["alerts"]}
    assert {mine.pk, theirs.pk} <= leader_seen
    assert api("t_planner").post(f"/api/alerts/{mine.pk}/acknowledge").status_code == 403
    assert api("t_external").get("/api/alerts").status_code == 403
    assert api(None).get("/api/alerts").status_code == 401


def test_department_staff_see_their_sector(api):
    ours, _ = _raise("sector:construction", commune="", sector="construction")
    other, _ = _raise("sector:health", commune="", sector="health")
    seen = {a["id"] for a in api("t_dept_construction").get("/api/alerts?limit=500").json()["alerts"]}
    assert ours.pk in seen and other.pk not in seen


@pytest.mark.parametrize(
    "query", ["state=bogus", "source=rumour", "severity=urgent", "commune=abc", "limit=-1", "limit=100000"]
)
def test_bad_filters_are_400_with_a_message(api, query):
    answer = api("t_leader").get(f"/api/alerts?{query}")
    assert answer.status_code == 400 and answer.json()["description"]


def test_a_resolve_body_that_is_not_an_object_is_400(api):
    alert, _ = _raise("bad:body")
    answer = api("t_leader").post(f"/api/alerts/{alert.pk}/resolve", "[1]", content_type="application/json")
    assert answer.status_code == 400
    assert Alert.objects.get(pk=alert.pk).state == "raised"
