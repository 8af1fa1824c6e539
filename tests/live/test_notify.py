"""Alert e-mail through a real SMTP server (aiosmtpd, started here): each alert goes once to the subscriptions
whose role and unit would see it, at or above their severity."""

from __future__ import annotations

import email
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from alerts import service
from alerts.models import Alert
from live.jobs import JOBS
from live.models import AlertNotification, AlertSubscription
from live.notify import send_pending

pytestmark = pytest.mark.django_db
SMTP_PORT = 18825
HOME, OTHER = "26068", "26071"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def inbox(settings):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SMTP_PORT
    yield handler
    controller.stop()


def subscribe(role: str, unit: str, address: str, min_severity: str = "medium") -> None:
    call_command(
        "live_subscribe", role=role, unit=unit, email=address, min_severity=min_severity, stdout=open("/dev/null", "w")
    )


def test_job_is_declared():
    assert [j.name for j in JOBS] == ["alerts.notify"] and JOBS[0].run == "live.notify:send_pending"


def test_alerts_go_to_the_units_that_must_act_once(inbox):
    AlertSubscription.objects.all().delete()
    Alert.objects.all().delete()  # only this test's alerts are pending (rolled back with the test)
    subscribe("commune_staff", HOME, "truc-ban@tanphong.gov.vn")
    subscribe("commune_staff", OTHER, "truc-ban@other.gov.vn")
    subscribe("department_staff", "agriculture_environment", "sonnmt@dongnai.gov.vn", "high")
    subscribe("leader", "", "lanhdao@dongnai.gov.vn", "high")
    mine, _ = service.raise_alert(
        source="sensor",
        key="mail:1",
        severity="high",
        title="Mực nước trạm A vượt ngưỡng: 4,21 m",
        title_en="Water level at A over threshold",
        sector="agriculture_environment",
        commune_code=HOME,
    )
    low, _ = service.raise_alert(
        source="sensor",
        key="mail:2",
        severity="medium",
        title="Bụi mịn vượt ngưỡng",
        sector="agriculture_environment",
        commune_code=HOME,
    )
    assert send_pending()["sent"] >= 3
    to = sorted((rcpt[0], " ".join(msg["Subject"].split())) for rcpt, msg in inbox.messages)
    by_address = {}
    for address, subject in to:
        by_address.setdefault(address, []).append(subject)
    assert len(by_address["truc-ban@tanphong.gov.vn"]) == 2  # high and medium, in its commune
    assert "truc-ban@other.gov.vn" not in by_address  # another commune's alert: never
    assert by_address["sonnmt@dongnai.gov.vn"] == [f"[IOC Đồng Nai] Cảnh báo cao: {mine.title}"]
    assert by_address["lanhdao@dongnai.gov.vn"] == [f"[IOC Đồng Nai] Cảnh báo cao: {mine.title}"]
    body = next(m for r, m in inbox.messages if r == ["sonnmt@dongnai.gov.vn"]).get_content()
    assert mine.title in body and "Water level at A" in body
    count = len(inbox.messages)
    assert send_pending()["sent"] == 0 and len(inbox.messages) == count  # never twice
    assert AlertNotification.objects.filter(alert=low).count() == 1


def test_an_unreachable_server_sends_nothing_and_records_nothing(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SMTP_PORT + 1
    AlertSubscription.objects.all().delete()
    subscribe("commune_staff", HOME, "truc-ban@tanphong.gov.vn")
    alert, _ = service.raise_alert(source="sensor", key="mail:3", severity="high", title="x", commune_code=HOME)
    assert send_pending()["failed"] >= 1
    assert not AlertNotification.objects.filter(alert=alert).exists()  # retried on the next run
