"""Login lockout (django-axes), password rules, idle sessions, the admin lock ending sessions, token expiry."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from mapserver.accounts import provision, set_locked
from mapserver.models import Account, ApiToken, hash_token

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
PASSWORD = "Trạm bơm Tân Phong 2026"
LOGGED_IN_ONLY = "/api/scenarios/street_lighting/runs"  # 200 for a logged-in planner, 401 for anyone else


def make_user(username: str, role: str = "planner"):
    """A user with an account (through provision, as the command makes them) and a password."""
    provision(username, role)
    user = get_user_model().objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def login(client: Client, username: str, password: str, address: str = "192.0.2.10", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def command(*args: str, stdin: str | None = None) -> str:
    out = io.StringIO()
    call_command("mapserver_token", *args, stdout=out, **({"stdin": io.StringIO(stdin)} if stdin is not None else {}))
    return out.getvalue()


def settings_in_subprocess(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    """Import mapserver.settings in a fresh interpreter with this environment and print the expression."""
    return subprocess.run(
        [sys.executable, "-c", f"import mapserver.settings as s; print({expression})"],
        env={**os.environ, **env},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def no_rate_limits(settings):
    """The login rate limit (20/min per address) would otherwise answer before the lockout does."""
    settings.MAPSERVER_RATE_LIMITS = {}


# ---- login lockout (django-axes) ----------------------------------------------------------------------------


def test_twenty_wrong_passwords_lock_the_login_then_the_right_one_is_refused(no_rate_limits):
    make_user("t_lockout")
    client = Client()
    for attempt in range(1, 20):
        assert login(client, "t_lockout", f"wrong-{attempt}").status_code == 200, attempt
    assert login(client, "t_lockout", "wrong-20").status_code == 429

    refused = login(client, "t_lockout", PASSWORD)
    assert refused.status_code == 429 and SESSION_KEY not in client.session
    assert refused["Retry-After"] == str(15 * 60)
    assert "thử lại sau 15 phút" in refused.content.decode()
    assert client.get(LOGGED_IN_ONLY).status_code == 401
    # The lock is per username and address: the same account from elsewhere may still log in.
    assert login(Client(), "t_lockout", PASSWORD, address="198.51.100.4").status_code == 302


def test_a_lockout_answers_json_to_a_client_that_asks_for_it(no_rate_limits, settings):
    settings.AXES_FAILURE_LIMIT = 3
    make_user("t_lockout_json")
    for _ in range(3):
        response = login(Client(), "t_lockout_json", "wrong", HTTP_ACCEPT="application/json")
    assert response.status_code == 429 and response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "description"} and body["code"] == "LoginLockedOut"
    assert "15 minutes" in body["description"] and response["Retry-After"] == "900"


def test_one_address_is_locked_after_the_client_limit_over_all_usernames(no_rate_limits, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.MAPSERVER_LOGIN_CLIENT_FAILURE_LIMIT = 12
    make_user("t_spray_target")
    statuses = [login(Client(), f"t_spray_{n}", "Mùa-xuân-2026!").status_code for n in range(3) for _ in range(4)]
    assert statuses == [200] * 11 + [429]  # 4 per username stays under 5; the 12th from the address locks it
    assert login(Client(), "t_spray_target", PASSWORD).status_code == 429
    assert login(Client(), "t_spray_target", PASSWORD, address="198.51.100.5").status_code == 302


def test_the_lockout_ends_after_the_cool_off_without_failures(no_rate_limits, settings):
    settings.AXES_FAILURE_LIMIT = 3
    make_user("t_cooloff")
    for _ in range(3):
        login(Client(), "t_cooloff", "wrong")
    assert login(Client(), "t_cooloff", PASSWORD).status_code == 429
    AccessAttempt.objects.filter(username="t_cooloff").update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(Client(), "t_cooloff", PASSWORD).status_code == 302


def test_an_account_locked_by_an_administrator_cannot_log_in(no_rate_limits):
    make_user("t_admin_locked")
    set_locked("t_admin_locked", True)
    client = Client()
    response = login(client, "t_admin_locked", PASSWORD)
    assert response.status_code == 200 and "đã bị khoá" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_login_settings_come_from_the_environment():
    env = {"MAPSERVER_LOGIN_FAILURE_LIMIT": "7", "MAPSERVER_LOGIN_COOLOFF_MINUTES": "2"}
    expression = "s.AXES_FAILURE_LIMIT, s.MAPSERVER_LOGIN_CLIENT_FAILURE_LIMIT, s.AXES_COOLOFF_TIME"
    done = settings_in_subprocess(env, expression)
    assert done.stdout.strip() == "7 35 0:02:00", done.stderr
    bad = settings_in_subprocess({"MAPSERVER_LOGIN_FAILURE_LIMIT": "0"}, "1")
    assert bad.returncode != 0 and "MAPSERVER_LOGIN_FAILURE_LIMIT" in bad.stderr


# ---- password rules -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, code",
    [
        ("Ng@y-17", "password_too_short"),
        ("password1234", "password_too_common"),
        ("839201748329", "password_entirely_numeric"),
        ("nguyen.thanh.long!", "password_too_similar"),
    ],
)
def test_weak_passwords_are_refused_by_the_validators_and_the_command(password, code):
    provision("nguyen.thanh.long", "planner")
    user = get_user_model().objects.get(username="nguyen.thanh.long")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert [error.code for error in refused.value.error_list] == [code]
    with pytest.raises(CommandError, match="password refused"):
        command("--user", "nguyen.thanh.long", "--set-password", stdin=password + "\n")
    user.refresh_from_db()
    assert not user.has_usable_password() and not user.check_password(password)


def test_set_password_reads_stdin_and_the_user_can_then_log_in(no_rate_limits):
    provision("t_set_password", "planner")
    assert "password of t_set_password set" in command(
        "--user", "t_set_password", "--set-password", stdin=PASSWORD + "\n"
    )
    assert get_user_model().objects.get(username="t_set_password").check_password(PASSWORD)
    assert login(Client(), "t_set_password", PASSWORD).status_code == 302
    with pytest.raises(CommandError, match="nothing was given"):
        command("--user", "t_set_password", "--set-password", stdin="")
    with pytest.raises(CommandError, match="no user named"):
        command("--user", "t_nobody_here", "--set-password", stdin=PASSWORD + "\n")


# ---- sessions -----------------------------------------------------------------------------------------------


def test_the_session_cookie_is_http_only_lax_and_lives_the_idle_timeout(no_rate_limits):
    make_user("t_cookie")
    response = login(Client(), "t_cookie", PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 30 * 60 and cookie["httponly"] is True and cookie["samesite"] == "Lax"


def test_each_request_restarts_the_idle_timeout_and_an_idle_session_ends():
    user = make_user("t_idle")
    client = Client()
    client.force_login(user)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get(LOGGED_IN_ONLY).status_code == 200
    assert Session.objects.get(pk=key).expire_date > timezone.now() + timedelta(minutes=29)

    renewed = Session.objects.get(pk=key).expire_date
    assert client.get(LOGGED_IN_ONLY).status_code == 200
    assert Session.objects.get(pk=key).expire_date == renewed  # renewed at most once a minute, not per request

    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(LOGGED_IN_ONLY).status_code == 401


def test_the_idle_timeout_comes_from_the_environment():
    assert (
        settings_in_subprocess({"MAPSERVER_SESSION_IDLE_MINUTES": "5"}, "s.SESSION_COOKIE_AGE").stdout.strip() == "300"
    )
    assert settings_in_subprocess({"MAPSERVER_SESSION_IDLE_MINUTES": "0"}, "1").returncode != 0


# ---- the administrators' lock ends sessions; issuing a token keeps it -----------------------------------------


def test_locking_an_account_logs_its_sessions_out_at_once(no_rate_limits):
    make_user("t_lock_sessions")
    other = make_user("t_lock_bystander")
    browser = Client()
    assert login(browser, "t_lock_sessions", PASSWORD).status_code == 302
    phone = Client()
    assert login(phone, "t_lock_sessions", PASSWORD, address="198.51.100.6").status_code == 302
    bystander = Client()
    bystander.force_login(other)
    keys = [browser.session.session_key, phone.session.session_key]
    assert browser.get(LOGGED_IN_ONLY).status_code == 200 and Session.objects.filter(pk__in=keys).count() == 2

    set_locked("t_lock_sessions", True)
    assert not Session.objects.filter(pk__in=keys).exists()
    assert browser.get(LOGGED_IN_ONLY).status_code == 401 and phone.get(LOGGED_IN_ONLY).status_code == 401
    assert Session.objects.filter(pk=bystander.session.session_key).exists()
    assert bystander.get(LOGGED_IN_ONLY).status_code == 200


@pytest.mark.parametrize("how", ["save", "command"])
def test_every_way_of_locking_ends_the_sessions(how):
    user = make_user(f"t_lock_by_{how}")
    client = Client()
    client.force_login(user)
    key = client.session.session_key
    if how == "save":  # the admin site and the shell save the model
        account = Account.objects.get(user=user)
        account.locked = True
        account.save()
    else:
        assert "locked" in command("--user", user.username, "--lock")
    assert not Session.objects.filter(pk=key).exists()
    assert client.get(LOGGED_IN_ONLY).status_code == 401


def test_issuing_a_token_for_a_locked_account_keeps_it_locked():
    provision("t_locked_issue", "planner")
    set_locked("t_locked_issue", True)
    _, raw = provision("t_locked_issue", "leader")
    assert Account.objects.get(user__username="t_locked_issue").locked
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(LOGGED_IN_ONLY)
    assert response.status_code == 401 and "locked" in response.json()["description"]
    assert "account locked" in command("--role", "leader", "--user", "t_locked_issue")


def test_a_new_account_starts_unlocked():
    account, raw = provision("t_new_unlocked", "planner")
    assert account.locked is False
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(LOGGED_IN_ONLY).status_code == 200


# ---- token expiry -------------------------------------------------------------------------------------------


def token_of(raw: str) -> ApiToken:
    return ApiToken.objects.get(digest=hash_token(raw))


def test_a_token_gets_the_default_lifetime_on_issue(settings):
    _, raw = provision("t_token_default", "leader")
    assert abs(token_of(raw).expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    settings.MAPSERVER_TOKEN_DAYS = 7
    _, raw = provision("t_token_default", "leader")
    assert abs(token_of(raw).expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)


def test_days_and_no_expiry_are_chosen_per_token():
    out = command("--role", "external_client", "--user", "t_token_days", "--days", "3")
    assert abs(token_of(out.splitlines()[-1]).expires_at - (timezone.now() + timedelta(days=3))) < timedelta(minutes=1)
    out = command("--role", "external_client", "--user", "t_token_days", "--no-expiry")
    assert token_of(out.splitlines()[-1]).expires_at is None and "token expires never" in out
    with pytest.raises(CommandError, match="not both"):
        command("--role", "external_client", "--user", "t_token_days", "--days", "3", "--no-expiry")
    with pytest.raises(CommandError, match="at least 1"):
        command("--role", "external_client", "--user", "t_token_days", "--days", "0")


def test_an_expired_token_is_refused_with_401():
    _, raw = provision("t_token_expired", "planner")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    ApiToken.objects.filter(pk=token_of(raw).pk).update(expires_at=timezone.now() + timedelta(minutes=1))
    assert client.get(LOGGED_IN_ONLY).status_code == 200
    ApiToken.objects.filter(pk=token_of(raw).pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(LOGGED_IN_ONLY)
    assert response.status_code == 401
    assert response.json() == {"code": "Unauthorized", "description": "this API token has expired"}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_list_shows_each_token_with_created_expires_last_used_and_revoked():
    _, expiring = provision("t_token_list", "leader")
    never = command("--role", "leader", "--user", "t_token_list", "--no-expiry").splitlines()[-1]
    _, expired = provision("t_token_list", "leader")
    ApiToken.objects.filter(pk=token_of(expired).pk).update(expires_at=timezone.now() - timedelta(days=1))
    Client(HTTP_AUTHORIZATION=f"Bearer {expiring}").get(LOGGED_IN_ONLY)  # sets last used
    _, elsewhere = provision("t_token_list_other", "leader")

    lines = command("--list", "--user", "t_token_list").splitlines()
    assert lines[0].split() == ["id", "user", "prefix", "created", "expires", "last", "used", "revoked"]
    rows = {line.split()[2]: line for line in lines[1:]}
    assert set(rows) == {expiring[:8], never[:8], expired[:8]}
    expires_on = timezone.localtime(token_of(expiring).expires_at).strftime("%Y-%m-%d %H:%M")
    today = timezone.localtime().strftime("%Y-%m-%d")
    assert expires_on in rows[expiring[:8]] and rows[expiring[:8]].count(today) == 2  # created and last used
    assert "never" in rows[never[:8]] and "(expired)" in rows[expired[:8]]
    assert rows[never[:8]].split()[-1] == "-"  # not revoked

    command("--user", "t_token_list", "--revoke")
    revoked = {line.split()[2]: line for line in command("--list", "--user", "t_token_list").splitlines()[1:]}
    assert revoked[never[:8]].split()[-2] == today
    assert elsewhere[:8] in command("--list") and elsewhere[:8] not in "\n".join(lines)


def test_token_lifetime_comes_from_the_environment():
    assert settings_in_subprocess({"MAPSERVER_TOKEN_DAYS": "30"}, "s.MAPSERVER_TOKEN_DAYS").stdout.strip() == "30"
    assert settings_in_subprocess({"MAPSERVER_TOKEN_DAYS": "zero"}, "1").returncode != 0
