"""Device and gateway accounts: a token that may write only the observations of its granted datastreams, over
HTTP (Bearer) and MQTT (username + the same token as password), and the broker's password and ACL files."""

from __future__ import annotations

import base64
import hashlib
import secrets
from pathlib import Path

from django.db import transaction

from geodata.models import Sensor
from mapserver import audit
from mapserver.accounts import AccountError, provision
from mapserver.models import Role
from sta.models import DatastreamGrant, MqttCredential

MQTT_ITERATIONS = 101  # mosquitto_passwd's default for the $7$ (PBKDF2-SHA512) format
TOPIC = "v1.1/Datastreams({id})/Observations"


def mosquitto_hash(password: str, salt: bytes | None = None, iterations: int = MQTT_ITERATIONS) -> str:
    """The mosquitto password-file hash of a password ($7$iterations$salt$hash, as mosquitto_passwd writes)."""
    salt = salt or secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations, 64)
    return f"$7${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


@transaction.atomic
def issue_device(username: str, sensor_ids: list[int], days: int | None = None, no_expiry: bool = False) -> str:
    """Create or update a device account granted exactly these datastreams; returns its new token (shown once)."""
    known = set(Sensor.objects.filter(pk__in=sensor_ids).values_list("pk", flat=True))
    missing = sorted(set(sensor_ids) - known)
    if missing:
        raise AccountError(f"no Datastream (sensor) {missing[0]}")
    account, raw = provision(username, Role.EXTERNAL_CLIENT, days=days, no_expiry=no_expiry)
    DatastreamGrant.objects.filter(user=account.user).exclude(sensor_id__in=known).delete()
    for sensor_id in sorted(known):
        DatastreamGrant.objects.get_or_create(user=account.user, sensor_id=sensor_id)
    MqttCredential.objects.update_or_create(user=account.user, defaults={"password_hash": mosquitto_hash(raw)})
    audit.record(audit.system_principal(), "sta.device_grant", user=username, datastreams=sorted(known))
    return raw


def broker_files(directory: Path, bridge_user: str, bridge_password: str) -> tuple[Path, Path]:
    """Write the broker's password file and ACL: each device may publish only to its datastreams' topics (and read
    them); the bridge reads every observation topic and publishes the stored ones back."""
    directory.mkdir(parents=True, exist_ok=True)
    users = [(bridge_user, mosquitto_hash(bridge_password))]
    acl = [f"user {bridge_user}", "topic readwrite v1.1/#", ""]
    for credential in MqttCredential.objects.select_related("user", "user__account").order_by("user__username"):
        user = credential.user
        account = getattr(user, "account", None)
        if not user.is_active or account is None or account.locked:
            continue
        users.append((user.username, credential.password_hash))
        acl.append(f"user {user.username}")
        grants = DatastreamGrant.objects.filter(user=user).order_by("sensor_id").values_list("sensor_id", flat=True)
        acl.extend(f"topic readwrite {TOPIC.format(id=sensor_id)}" for sensor_id in grants)
        acl.append("")
    acl.extend(["pattern read v1.1/+/Observations", ""])  # sensors are a public layer: anyone may subscribe
    passwords, acl_file = directory / "passwd", directory / "acl"
    _write_private(passwords, "".join(f"{name}:{digest}\n" for name, digest in users))
    _write_private(acl_file, "\n".join(acl))
    return passwords, acl_file


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)
