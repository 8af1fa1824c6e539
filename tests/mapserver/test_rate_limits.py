"""Rate limits (mapserver.ratelimit): 429 with Retry-After per principal or address, counted in PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import psycopg
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F
from django.test import Client

from mapserver.models import ApiToken, RateCounter
from mapserver.ratelimit import COUNT
from reports.models import ApiKey
from tests.reports.conftest import COMMUNE, point_in

pytestmark = pytest.mark.django_db
QUERY = {"type": "radius", "center": [106.82, 10.95], "radius_m": 500, "layers": ["schools"]}
WARD = {"type": "commune", "code": COMMUNE}


def query(client: Client, **extra):
    return client.post("/api/query", json.dumps(QUERY), content_type="application/json", **extra)


def assert_429(response, period: int = 60) -> str:
    """The refusal: 429, Retry-After within the window; returns the description."""
    assert response.status_code == 429, response.content[:300]
    assert 1 <= int(response["Retry-After"]) <= period
    body = response.json()
    if isinstance(body, list):  # the Open311 endpoints answer their spec's error list
        assert len(body) == 1 and body[0]["code"] == 429
        return body[0]["description"]
    processes = {"type", "title", "status", "detail"}  # OGC API Processes' exception fields (its views add them)
    assert {"code", "description"} <= set(body) <= {"code", "description", *processes}
    assert body["code"] == "TooManyRequests"
    return body["description"]


def test_query_over_the_limit_is_429_and_another_principal_is_not_affected(api, settings):
    settings.MAPSERVER_RATE_LIMITS = {"query": (3, 60)}
    leader = api("t_leader")
    assert [query(leader).status_code for _ in range(3)] == [200] * 3
    assert "at most 3 per minute" in assert_429(query(leader))
    assert query(api("t_planner")).status_code == 200
    assert query(Client()).status_code == 200  # anonymous, counted by address

    # Per user, not per token: a second token of the same user is refused too.
    _, raw = ApiToken.issue(get_user_model().objects.get(username="t_leader"))
    assert_429(query(Client(HTTP_AUTHORIZATION=f"Bearer {raw}")))
    user_id = get_user_model().objects.get(username="t_leader").pk
    assert RateCounter.objects.get(bucket="query", caller=f"user:{user_id}").hits == 5


def test_anonymous_callers_are_counted_by_address_and_ipv6_by_64(settings):
    settings.MAPSERVER_RATE_LIMITS = {"query": (2, 60)}
    first, same_64, other_64 = "2001:db8:1:2::10", "2001:db8:1:2:ffff::1", "2001:db8:1:3::10"
    assert [query(Client(), REMOTE_ADDR=first).status_code for _ in range(2)] == [200, 200]
    assert_429(query(Client(), REMOTE_ADDR=same_64))
    assert query(Client(), REMOTE_ADDR=other_64).status_code == 200
    assert query(Client(), REMOTE_ADDR="192.0.2.77").status_code == 200
    assert RateCounter.objects.filter(bucket="query", caller="addr:2001:db8:1:2::/64").get().hits == 3


def test_a_new_window_starts_a_new_count(api, settings):
    settings.MAPSERVER_RATE_LIMITS = {"query": (1, 60)}
    leader = api("t_leader")
    assert query(leader).status_code == 200
    assert_429(query(leader))
    RateCounter.objects.filter(bucket="query").update(window_start=F("window_start") - timedelta(minutes=1))
    assert query(leader).status_code == 200
    assert RateCounter.objects.get(bucket="query", caller__startswith="user:").hits == 1


def test_scenario_runs_share_one_limit_over_the_api_and_ogc_processes(api, settings):
    settings.MAPSERVER_RATE_LIMITS = {"scenario_run": (2, 60)}
    planner = api("t_planner")
    body = json.dumps({"area": WARD})
    assert planner.post("/api/scenarios/street_lighting/run", body, content_type="application/json").status_code == 201
    execution = json.dumps({"inputs": {"area": WARD}})
    assert (
        planner.post(
            "/ogcapi/processes/street_lighting/execution", execution, content_type="application/json"
        ).status_code
        == 200
    )
    assert_429(planner.post("/api/scenarios/street_lighting/run", body, content_type="application/json"))
    assert_429(planner.post("/ogcapi/processes/street_lighting/execution", execution, content_type="application/json"))
    assert (
        api("t_admin").post("/api/scenarios/street_lighting/run", body, content_type="application/json").status_code
        == 201
    )


def report_form(**extra) -> dict:
    lat, lon = point_in(COMMUNE)
    return {"service_code": "waste", "lat": lat, "long": lon, "description": "Rác thải ùn ứ", **extra}


def test_open311_post_over_the_limit_answers_429_in_the_open311_error_form(settings, tmp_path):
    settings.MAPSERVER_RATE_LIMITS = {"open311_post": (2, 60)}
    settings.MAPSERVER_MEDIA_DIR = tmp_path
    key = ApiKey.issue("t-rate-portal", "portal")[1]
    client = Client(REMOTE_ADDR="192.0.2.31")
    statuses = [client.post("/open311/v2/requests.json", report_form(api_key=key)).status_code for _ in range(2)]
    assert statuses == [200, 200]
    assert_429(client.post("/open311/v2/requests.json", report_form(api_key=key)))
    xml = client.post("/open311/v2/requests.xml", report_form(api_key=key))
    assert xml.status_code == 429 and b"<code>429</code>" in xml.content and xml["Retry-After"]
    assert client.get("/open311/v2/requests.json").status_code == 200  # reading is not limited
    assert (
        Client(REMOTE_ADDR="192.0.2.32").post("/open311/v2/requests.json", report_form(api_key=key)).status_code == 200
    )


def test_report_page_submissions_over_the_limit_are_429(settings, tmp_path):
    settings.MAPSERVER_RATE_LIMITS = {"report_submit": (2, 60)}
    settings.MAPSERVER_MEDIA_DIR = tmp_path
    client = Client(REMOTE_ADDR="192.0.2.41")
    assert [client.post("/report/submit", report_form()).status_code for _ in range(2)] == [200, 200]
    assert_429(client.post("/report/submit", report_form()))
    assert Client(REMOTE_ADDR="192.0.2.42").post("/report/submit", report_form()).status_code == 200


def test_login_posts_over_the_limit_are_429_before_any_password_is_checked(settings):
    settings.MAPSERVER_RATE_LIMITS = {"login": (3, 60)}
    user = get_user_model().objects.create_user("t_rate_login", password="Đồng Nai 2026 ổn định")
    client = Client(REMOTE_ADDR="192.0.2.51")
    form = {"username": user.username, "password": "wrong"}
    assert [client.post("/accounts/login/", form).status_code for _ in range(3)] == [200] * 3
    page = client.post("/accounts/login/", {**form, "password": "Đồng Nai 2026 ổn định"})
    assert page.status_code == 429 and 1 <= int(page["Retry-After"]) <= 60
    assert "Quá nhiều lần đăng nhập" in page.content.decode() and "_auth_user_id" not in client.session
    assert "at most 3 per minute" in assert_429(client.post("/accounts/login/", form, HTTP_ACCEPT="application/json"))
    other = Client(REMOTE_ADDR="192.0.2.52")
    assert other.post("/accounts/login/", {**form, "password": "Đồng Nai 2026 ổn định"}).status_code == 302


def test_the_counter_is_exact_under_concurrent_connections():
    """Eight connections (as eight gunicorn workers would hold) counting at once lose and repeat no hit."""
    db = connection.settings_dict
    bucket = f"t-{uuid.uuid4().hex[:12]}"
    params = {"bucket": bucket, "caller": "addr:192.0.2.1", "period": 86400}

    def worker(times: int) -> list[int]:
        with psycopg.connect(
            host=db["HOST"],
            port=db["PORT"],
            user=db["USER"],
            password=db["PASSWORD"],
            dbname=db["NAME"],
            autocommit=True,
        ) as conn:
            return [conn.execute(COUNT, params).fetchone()[0] for _ in range(times)]

    try:
        with ThreadPoolExecutor(8) as pool:
            seen = sorted(hit for hits in pool.map(worker, [25] * 8) for hit in hits)
    finally:
        with psycopg.connect(
            host=db["HOST"],
            port=db["PORT"],
            user=db["USER"],
            password=db["PASSWORD"],
            dbname=db["NAME"],
            autocommit=True,
        ) as conn:
            conn.execute("DELETE FROM mapserver_ratecounter WHERE bucket = %s", [bucket])
    assert seen == list(range(1, 201))


def rate_settings(value: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "MAPSERVER_RATE_LIMITS"}
    if value is not None:
        env["MAPSERVER_RATE_LIMITS"] = value
    return subprocess.run(
        [sys.executable, "-c", "import mapserver.settings as s; print(s.MAPSERVER_RATE_LIMITS)"],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_limits_come_from_the_environment_with_defaults_for_every_bucket():
    assert rate_settings(None).stdout.strip() == str(
        {
            "open311_post": (30, 60),
            "report_submit": (30, 60),
            "login": (20, 60),
            "query": (120, 60),
            "scenario_run": (30, 60),
        }
    )
    changed = rate_settings("query=5/s, login=off,scenario_run=100/h")
    assert changed.stdout.strip() == str(
        {"open311_post": (30, 60), "report_submit": (30, 60), "query": (5, 1), "scenario_run": (100, 3600)}
    )
    assert rate_settings("off").stdout.strip() == "{}"
    for bad in ("query=5/w", "query=0/m", "tiles=5/m", "query"):
        refused = rate_settings(bad)
        assert refused.returncode != 0 and "MAPSERVER_RATE_LIMITS" in refused.stderr, bad
