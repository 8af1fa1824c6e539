"""Storing new observations, the same for HTTP (SensorThings) and MQTT: validate, authorise, write in one
transaction, keep each sensor's latest value, check thresholds on arrival and announce each new observation on
the `mapserver_events` channel (the event stream and the MQTT bridge listen there)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from geodata.models import Sensor, SensorObservation
from layers.scoped import scoped
from mapserver import audit
from mapserver.errors import Forbidden, InvalidParameterValue, NotFound, Unauthorized
from mapserver.models import Role
from mapserver.pgnotify import CHANNEL
from mapserver.principal import Principal
from sta.models import DatastreamGrant

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(minutes=10)  # device clocks drift; later than this is a wrong clock, refused
MAX_BATCH = 10_000


@dataclass(frozen=True)
class Reading:
    """One validated observation to store."""

    sensor_id: int
    observed_at: datetime
    value: float


def parse_time(raw: object, what: str) -> datetime:
    """An ISO 8601 instant with its offset (no intervals), within 2000 .. now + 10 minutes."""
    if raw is None:
        return timezone.now()
    if not isinstance(raw, str):
        raise InvalidParameterValue(f"{what} must be an ISO 8601 instant such as 2026-11-01T08:00:00+07:00")
    if "/" in raw:
        raise InvalidParameterValue(f"{what}: time intervals are not accepted for observations; send an instant")
    try:
        moment = parse_datetime(raw.strip())
    except ValueError:
        moment = None
    if moment is None:
        raise InvalidParameterValue(f"{what} {raw[:40]!r} is not an ISO 8601 instant")
    if moment.tzinfo is None:
        raise InvalidParameterValue(f"{what} {raw[:40]!r} has no UTC offset (add Z or +07:00)")
    if not EARLIEST <= moment <= timezone.now() + FUTURE_SLACK:
        raise InvalidParameterValue(f"{what} {raw[:40]!r} is before 2000 or in the future")
    return moment


def parse_result(raw: object, what: str = "result") -> float:
    """A measurement: a finite JSON number (not a boolean, not a string)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise InvalidParameterValue(f"{what} must be a finite number")
    value = float(raw)
    if not math.isfinite(value):
        raise InvalidParameterValue(f"{what} is too large")
    return value


OBSERVATION_KEYS = {"Datastream", "phenomenonTime", "resultTime", "result", "FeatureOfInterest", "parameters"}


def datastream_id(raw: object) -> int | None:
    """The id of a {"@iot.id": N} link (None when absent)."""
    if raw is None:
        return None
    ident = raw.get("@iot.id") if isinstance(raw, dict) else None
    if isinstance(ident, bool) or not isinstance(ident, int):
        raise InvalidParameterValue('Datastream must be {"@iot.id": N} with an integer id')
    return ident


def observation_reading(body: object, implied: int | None) -> Reading:
    """An Observation JSON object (HTTP body or MQTT payload) as a Reading; `implied`: the Datastream of the path
    or topic, which the body may repeat but not contradict."""
    if not isinstance(body, dict):
        raise InvalidParameterValue("an Observation is a JSON object")
    unknown = sorted(set(body) - OBSERVATION_KEYS)
    if unknown:
        raise InvalidParameterValue(f"unknown Observation property {unknown[0]}")
    stream = datastream_id(body.get("Datastream"))
    if implied is not None and stream is not None and stream != implied:
        raise InvalidParameterValue("the Observation names another Datastream than its path")
    stream = implied if implied is not None else stream
    if stream is None:
        raise InvalidParameterValue('an Observation needs its Datastream: {"Datastream": {"@iot.id": N}}')
    return Reading(stream, parse_time(body.get("phenomenonTime"), "phenomenonTime"), parse_result(body.get("result")))


def require_writer(principal: Principal) -> None:
    """Before reading a body: 401 without credentials, 403 for accounts that may write no datastream at all."""
    if principal.is_anonymous:
        raise Unauthorized("writing observations needs a device token")
    if principal.role != Role.ADMIN and not DatastreamGrant.objects.filter(user_id=principal.user_id).exists():
        raise Forbidden("your account may not write observations (devices get a token with sta_device)")


def writable_sensors(principal: Principal | None, sensor_ids: set[int]) -> dict[int, Sensor]:
    """The sensors the readings go to, if the caller may write all of them: 401/403/404 otherwise.

    principal None: the MQTT bridge, whose publishers the broker's ACL has already limited to their datastreams."""
    if principal is not None and principal.is_anonymous:
        raise Unauthorized("writing observations needs a device token")
    readable = scoped(principal, "sensors").queryset() if principal is not None else Sensor.objects.all()
    sensors = {s.pk: s for s in readable.filter(pk__in=sensor_ids)}
    missing = sorted(sensor_ids - set(sensors))
    if missing:
        raise NotFound(f"no Datastream {missing[0]}")
    if principal is None or principal.role == Role.ADMIN:
        return sensors
    granted = set(
        DatastreamGrant.objects.filter(user_id=principal.user_id, sensor_id__in=sensor_ids).values_list(
            "sensor_id", flat=True
        )
    )
    refused = sorted(sensor_ids - granted)
    if refused:
        raise Forbidden(f"your account may not write observations of Datastream {refused[0]}")
    return sensors


def store(principal: Principal | None, readings: Sequence[Reading], *, channel: str = "http") -> list[int]:
    """Store validated readings (all or none) and return their ids, in order."""
    if not readings:
        raise InvalidParameterValue("no observations to store")
    if len(readings) > MAX_BATCH:
        raise InvalidParameterValue(f"at most {MAX_BATCH} observations per request")
    sensors = writable_sensors(principal, {r.sensor_id for r in readings})
    from sta import thresholds  # here: thresholds imports the alert model, which imports nothing of ours

    with transaction.atomic():
        rows = SensorObservation.objects.bulk_create(
            [SensorObservation(sensor_id=r.sensor_id, observed_at=r.observed_at, value=r.value) for r in readings]
        )
        _keep_latest(readings)
        thresholds.check(sensors, readings)
        _announce(sensors, rows)
        audit.record(
            principal or Principal(username="system:mqtt"),
            "sta.observations",
            "sensors",
            ",".join(str(i) for i in sorted(sensors))[:64],
            channel=channel,
            count=len(rows),
        )
    return [row.pk for row in rows]


def _keep_latest(readings: Iterable[Reading]) -> None:
    latest: dict[int, Reading] = {}
    for r in readings:
        if r.sensor_id not in latest or r.observed_at >= latest[r.sensor_id].observed_at:
            latest[r.sensor_id] = r
    for sensor_id, r in latest.items():
        Sensor.objects.filter(pk=sensor_id).filter(
            Q(last_observed_at__isnull=True) | Q(last_observed_at__lte=r.observed_at)
        ).update(last_value=r.value, last_observed_at=r.observed_at)


def _announce(sensors: dict[int, Sensor], rows: list[SensorObservation]) -> None:
    """NOTIFY each new observation (delivered on commit)."""
    payloads = [
        json.dumps(
            {
                "type": "observation",
                "id": row.pk,
                "sensor_id": row.sensor_id,
                "commune_code": sensors[row.sensor_id].commune_code,
                "value": row.value,
                "observed_at": row.observed_at.isoformat(),
            }
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany("SELECT pg_notify(%s, %s)", [(CHANNEL, p) for p in payloads])
