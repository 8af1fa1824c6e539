"""The audit log: what every entry records, which events are written, append-only storage, the export command."""

from __future__ import annotations

import csv
import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client

from mapserver.models import ApiToken, AuditEntry, hash_token
from tests.reports.conftest import make_report

pytestmark = pytest.mark.django_db
ICT = ZoneInfo("Asia/Ho_Chi_Minh")
HOUSES = "/ogcapi/collections/houses/items"
# the trigger's message; connected as the app role (not the owner) the missing privilege refuses first
REFUSED = "append-only|permission denied"


def newest(action: str, **filters) -> AuditEntry:
    entry = AuditEntry.objects.filter(action=action, **filters).order_by("-id").first()
    assert entry is not None, f"no {action} entry with {filters}"
    return entry


def count_of(action: str, **filters) -> int:
    return AuditEntry.objects.filter(action=action, **filters).count()


# ---- what every entry records ------------------------------------------------------------------------------


def test_an_entry_records_address_user_agent_and_token(api, tokens):
    client = api("t_admin")
    response = client.get(HOUSES, {"limit": 7}, REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT="QGIS/3.34 " + "x" * 400)
    assert response.status_code == 200
    entry = newest("read_personal", username="t_admin")
    assert entry.client_address == "198.51.100.23"
    assert entry.user_agent.startswith("QGIS/3.34 ") and len(entry.user_agent) == 300
    assert entry.token_id == ApiToken.objects.get(digest=hash_token(tokens["t_admin"])).pk
    assert entry.role == "admin" and entry.layer_id == "houses"
    assert entry.detail["count"] == 7 == response.json()["numberReturned"]
    assert entry.detail["path"] == HOUSES and "limit=7" in entry.detail["query"]


@pytest.fixture
def house(db) -> str:
    """The URL of a real house."""
    from geodata.models import House

    return f"{HOUSES}/{House.objects.order_by('id').values_list('id', flat=True).first()}"


def test_forwarded_for_counts_only_from_a_trusted_proxy_and_only_its_right_most_hop(api, settings, house):
    forged = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.7", "REMOTE_ADDR": "192.0.2.50"}
    assert api("t_admin").get(house, **forged).status_code == 200
    assert newest("read_personal", username="t_admin").client_address == "192.0.2.50"  # untrusted: ignored

    settings.MAPSERVER_TRUSTED_PROXIES = ["192.0.2.0/24"]
    api("t_admin").get(house, **forged)
    assert newest("read_personal", username="t_admin").client_address == "203.0.113.7"  # not the forged 10.9.9.9

    api("t_admin").get(house, HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="192.0.2.50")
    assert newest("read_personal", username="t_admin").client_address == "192.0.2.50"


def test_session_requests_have_no_token_id(house):
    client = Client()
    client.force_login(get_user_model().objects.get(username="t_planner"))
    assert client.get(house).status_code == 200
    entry = newest("read_personal", username="t_planner")
    assert entry.token_id is None and entry.client_address == "127.0.0.1" and entry.feature_id == house.rsplit("/")[-1]


# ---- logins, tokens, keys -----------------------------------------------------------------------------------


def test_logins_failures_and_logouts_are_audited():
    user = get_user_model().objects.create_user("t_login_audit", password="correct horse 42")
    client = Client(HTTP_USER_AGENT="Firefox/140")
    assert client.post("/accounts/login/", {"username": "t_login_audit", "password": "wrong"}).status_code == 200
    failed = newest("login_failed")
    assert failed.username == "anonymous" and failed.detail == {"attempted_username": "t_login_audit"}
    assert "wrong" not in json.dumps(failed.detail) and failed.user_agent == "Firefox/140"

    logged_in = client.post("/accounts/login/", {"username": "t_login_audit", "password": "correct horse 42"})
    assert logged_in.status_code == 302
    login = newest("login")
    assert login.username == "t_login_audit" and login.client_address == "127.0.0.1" and login.pk > failed.pk
    client.post("/accounts/logout/")
    assert newest("logout").username == user.username


def test_token_issue_revoke_lock_unlock_from_the_command_are_audited():
    call_command("mapserver_token", "--role", "leader", "--user", "t_audit_cmd", stdout=StringIO())
    issued = newest("token_issue", detail__user="t_audit_cmd")
    token = ApiToken.objects.get(pk=int(issued.feature_id))
    assert token.user.username == "t_audit_cmd" and issued.detail["role"] == "leader"
    assert issued.username.startswith("system:")
    call_command("mapserver_token", "--user", "t_audit_cmd", "--revoke", stdout=StringIO())
    assert newest("token_revoke", detail__user="t_audit_cmd").detail["token_ids"] == [token.pk]
    call_command("mapserver_token", "--user", "t_audit_cmd", "--lock", stdout=StringIO())
    call_command("mapserver_token", "--user", "t_audit_cmd", "--unlock", stdout=StringIO())
    assert count_of("account_lock", detail__user="t_audit_cmd") == 1
    assert count_of("account_unlock", detail__user="t_audit_cmd") == 1


def test_channel_key_issue_and_revoke_are_audited():
    call_command("reports_api_key", "--name", "t-audit-zalo", "--channel", "zalo", stdout=StringIO())
    issued = newest("api_key_issue", detail__name="t-audit-zalo")
    assert issued.detail["channel"] == "zalo" and issued.feature_id
    call_command("reports_api_key", "--name", "t-audit-zalo", "--revoke", stdout=StringIO())
    assert count_of("api_key_revoke", detail__name="t-audit-zalo") == 1


# ---- denials ------------------------------------------------------------------------------------------------


def test_every_401_and_403_is_audited_with_method_and_path(api):
    before = AuditEntry.objects.filter(action="denied").count()
    assert api().get("/tiles/houses/14/13047/7686.mvt").status_code == 401
    anonymous = newest("denied")
    assert anonymous.username == "anonymous" and anonymous.detail["status"] == 401
    assert anonymous.detail["method"] == "GET" and anonymous.detail["path"] == "/tiles/houses/14/13047/7686.mvt"

    assert api("t_external").get("/api/cameras/health").status_code == 403
    role = newest("denied")
    assert role.username == "t_external" and role.detail["code"] == "Forbidden" and role.token_id is not None

    bad = Client(HTTP_AUTHORIZATION="Bearer ms_not-a-token").post("/api/query", "{}", content_type="application/json")
    assert bad.status_code == 401
    token = newest("denied")
    assert token.detail["method"] == "POST" and token.detail["code"] == "Unauthorized" and token.token_id is None
    assert AuditEntry.objects.filter(action="denied").count() == before + 3
    assert api("t_admin").get("/api/cameras/health").status_code == 200
    assert AuditEntry.objects.filter(action="denied").count() == before + 3  # allowed calls leave no denial


# ---- personal data: bulk reads ---------------------------------------------------------------------------------


def test_reading_houses_records_who_read_how_many(api):
    assert api("t_commune").get(HOUSES, {"limit": 25}).json()["numberReturned"] == 25
    entry = newest("read_personal", username="t_commune")
    assert entry.detail["count"] == 25 and entry.role == "commune_staff"

    before = count_of("read_personal")
    assert api("t_admin").get("/ogcapi/collections/schools/items", {"limit": 5}).status_code == 200
    assert api("t_admin").get(HOUSES, {"bbox": "0,0,0.1,0.1"}).json()["numberReturned"] == 0
    assert count_of("read_personal") == before  # not personal data, or nothing read


def test_spatial_query_features_of_houses_are_a_personal_read(api):
    body = {"type": "commune", "code": "26068", "layers": ["houses", "schools"], "features": True, "limit": 40}
    answer = api("t_planner").post("/api/query", body, content_type="application/json").json()
    listed = len(answer["layers"]["houses"]["features"]["features"])
    assert listed == 40
    entry = newest("read_personal", username="t_planner")
    assert entry.layer_id == "houses" and entry.detail["count"] == listed and entry.detail["method"] == "POST"


def test_scenario_runs_drawing_houses_on_their_map_are_a_personal_read(api):
    # social_welfare draws the temporary houses (step temporary_by_commune) on its result map
    response = api("t_admin").post(
        "/api/scenarios/social_welfare/run", {"area": {"type": "province"}}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    run = response.json()
    drawn = [f for f in run["map"]["geojson"]["features"] if f["properties"]["step"] == "temporary_by_commune"]
    assert drawn
    entry = newest("read_personal", username="t_admin", detail__run_id=run["run_id"])
    assert entry.detail["count"] == len(drawn) and entry.layer_id == "houses"

    assert api("t_admin").get(f"/api/scenarios/social_welfare/runs/{run['run_id']}").status_code == 200
    assert count_of("read_personal", detail__run_id=run["run_id"]) == 2  # reading the stored run again counts too


def test_exporting_houses_with_geodata_export_is_a_personal_read(tmp_path):
    from geodata.models import House

    keep = list(House.objects.filter(commune_code="26068").order_by("id").values_list("id", flat=True)[:30])
    with connection.cursor() as cursor:  # a small layer to write (TRUNCATE is fast and rolled back with the test)
        cursor.execute(
            "CREATE TEMP TABLE kept_houses ON COMMIT DROP AS SELECT * FROM geodata_house WHERE id = ANY(%s)", [keep]
        )
        cursor.execute("TRUNCATE geodata_house")
        cursor.execute("INSERT INTO geodata_house SELECT * FROM kept_houses")
    out = tmp_path / "houses.geojson"
    call_command("geodata_export", "--layer", "houses", "--format", "geojson", "--output", str(out), stdout=StringIO())
    entry = newest("read_personal", layer_id="houses", detail__via="geodata_export")
    assert entry.detail["count"] == 30
    assert entry.detail["output"] == str(out) and entry.username.startswith("system:")
    assert len(json.loads(out.read_text())["features"]) == 30


# ---- reporters' contact -------------------------------------------------------------------------------------


def test_each_disclosure_of_a_reporters_contact_is_audited(api):
    report = make_report("waste", first_name="An", phone="0912345678")
    assert api("t_commune").get(f"/api/reports/{report.pk}").json()["reporter"]["phone"] == "0912345678"
    shown = newest("disclose_contact", username="t_commune")
    assert shown.detail["report_ids"] == [report.pk] and shown.feature_id == str(report.pk)

    before = count_of("disclose_contact")
    assert api("t_leader").get(f"/api/reports/{report.pk}").json()["reporter"] is None  # leaders: no contact
    assert count_of("disclose_contact") == before

    moved = api("t_commune").post(
        f"/api/reports/{report.pk}/transition", {"to": "accepted"}, content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["reporter"]["phone"] == "0912345678"
    assert count_of("disclose_contact", feature_id=str(report.pk)) == 2


# ---- append-only --------------------------------------------------------------------------------------------


@pytest.fixture
def entry(db) -> AuditEntry:
    return AuditEntry.objects.create(username="t_someone", action="feature.create", layer_id="incidents")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE mapserver_auditentry SET username = 'nobody' WHERE id = %s",
        "DELETE FROM mapserver_auditentry WHERE id = %s",
        "TRUNCATE mapserver_auditentry",
        "TRUNCATE mapserver_auditentry, mapserver_apitoken",
    ],
)
def test_the_application_cannot_change_or_remove_entries(entry, statement):
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry.pk] if "%s" in statement else None)
    entry.refresh_from_db()
    assert entry.username == "t_someone"


def test_the_orm_cannot_change_or_remove_entries_either(entry):
    for change in (
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="x"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: (setattr(entry, "action", "x"), entry.save()),
    ):
        with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
            change()
    assert AuditEntry.objects.filter(pk=entry.pk, action="feature.create").exists()


def test_truncate_passes_only_in_a_maintenance_session(entry):
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege('mapserver_auditentry', 'TRUNCATE')")
        if not cursor.fetchone()[0]:
            pytest.skip("connected as the app role: only the owner may TRUNCATE, in maintenance")
    with transaction.atomic():
        sid = transaction.savepoint()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL mapserver.audit_maintenance = on")
            cursor.execute("TRUNCATE mapserver_auditentry")
            cursor.execute("SELECT count(*) FROM mapserver_auditentry")
            assert cursor.fetchone()[0] == 0
        transaction.savepoint_rollback(sid)  # and the entries are back
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    with connection.cursor() as cursor:  # SET LOCAL ended with its transaction: refused again
        cursor.execute("SELECT coalesce(current_setting('mapserver.audit_maintenance', true), '')")
        assert cursor.fetchone()[0] != "on"


# ---- manage.py mapserver_audit ------------------------------------------------------------------------------


@pytest.fixture
def known_entries(db) -> list[AuditEntry]:
    """Entries at known ICT times, far in the future so no other entry is in their window."""
    at = [
        dt.datetime(2031, 1, 5, 8, 0, tzinfo=ICT),
        dt.datetime(2031, 1, 5, 23, 30, tzinfo=ICT),
        dt.datetime(2031, 1, 6, 0, 30, tzinfo=ICT),
        dt.datetime(2031, 1, 7, 9, 0, tzinfo=ICT),
    ]
    rows = [
        ("t_alice", "read_personal", "houses", {"count": 500}),
        ("t_bob", "denied", "", {"status": 403}),
        ("t_alice", "denied", "", {"status": 401}),
        ("t_alice", "read_personal", "houses", {"count": 3}),
    ]
    return [
        AuditEntry.objects.create(
            at=when,
            username=user,
            action=action,
            layer_id=layer,
            detail=detail,
            client_address="192.0.2.1",
            user_agent="curl/8",
        )
        for when, (user, action, layer, detail) in zip(at, rows)
    ]


def run_audit(*args) -> str:
    out = StringIO()
    call_command("mapserver_audit", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_export_json_filtered_by_user_action_and_local_dates(known_entries, tmp_path):
    out = tmp_path / "audit.json"
    run_audit(
        "--user",
        "t_alice",
        "--action",
        "read_personal",
        "--since",
        "2031-01-05",
        "--until",
        "2031-01-06",
        "--format",
        "json",
        "--output",
        str(out),
    )
    rows = json.loads(out.read_text())
    assert [r["detail"]["count"] for r in rows] == [500]  # the 7 Jan one is after --until's day
    assert rows[0]["at"] == "2031-01-05T08:00:00+07:00" and rows[0]["client_address"] == "192.0.2.1"
    assert newest("audit_read").detail["count"] == 1  # reading the log is on the record too


def test_times_without_offset_are_ho_chi_minh_time(known_entries):
    # naive times are ICT: 00:00-01:00 on 6 Jan holds only the 00:30 entry; 16:00-17:00 UTC is 23:00-00:00 ICT
    text = run_audit("--since", "2031-01-06T00:00", "--until", "2031-01-06T01:00", "--format", "text")
    assert text.count("\n") == 1 and "t_alice" in text and "denied" in text
    text = run_audit("--since", "2031-01-05T16:00:00Z", "--until", "2031-01-05T17:00:00Z")
    assert text.count("\n") == 1 and "t_bob" in text  # 23:30 ICT = 16:30 UTC


def test_csv_export_newest_first_with_a_limit(known_entries, tmp_path):
    out = tmp_path / "audit.csv"
    run_audit("--since", "2031-01-01", "--format", "csv", "--output", str(out), "--limit", "3")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["at"][:10] for r in rows] == ["2031-01-07", "2031-01-06", "2031-01-05"]
    assert json.loads(rows[0]["detail"]) == {"count": 3} and rows[0]["user_agent"] == "curl/8"


def test_the_default_limit_is_sane_and_bad_dates_are_refused(known_entries):
    from mapserver.management.commands.mapserver_audit import DEFAULT_LIMIT

    assert 100 <= DEFAULT_LIMIT <= 10_000
    with pytest.raises(CommandError, match="ISO date"):
        run_audit("--since", "yesterday")
    with pytest.raises(CommandError, match="before"):
        run_audit("--since", "2031-01-07", "--until", "2031-01-05")
