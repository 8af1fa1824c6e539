"""Each new observation checked against its sensor's threshold on arrival: readings over it go to the violation log
(scenarios.ViolationLog, once per sensor and time) and raise the sensor's alert; a newest reading back under the
threshold clears it. No scenario run is involved."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from geodata.models import IndustrialPark, Sensor
from geodata.vocabularies import SENSOR_PARAMETER
from layers.registry import registry
from scenarios.models import ViolationLog

if TYPE_CHECKING:
    from sta.ingest import Reading

HIGH_RATIO = 1.5  # a reading this many times its threshold is a high-severity breach, else medium


def alert_key(sensor: Sensor) -> str:
    """The identity of a sensor's over-threshold condition among the sensor alerts."""
    return f"threshold:{sensor.code}"


def vi_number(value: float) -> str:
    """A measurement as written in Vietnamese (decimal comma, two decimals at most)."""
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",").replace(" ", ".")


def check(sensors: dict[int, Sensor], readings: Sequence[Reading]) -> None:
    """Log the breaches among new readings and raise or clear each sensor's alert from its newest reading.

    `sensors` hold the state before these readings: a batch older than the sensor's newest reading (a backfill)
    is logged but changes no alert."""
    newest: dict[int, Reading] = {}
    breaches = []
    for r in readings:
        sensor = sensors[r.sensor_id]
        if r.value > sensor.threshold:
            breaches.append(r)
        if r.sensor_id not in newest or r.observed_at >= newest[r.sensor_id].observed_at:
            newest[r.sensor_id] = r
    if breaches:
        _log(sensors, breaches)
    for sensor_id, r in newest.items():
        sensor = sensors[sensor_id]
        if sensor.last_observed_at is not None and r.observed_at < sensor.last_observed_at:
            continue
        if r.value > sensor.threshold:
            raise_breach(sensor, r)
        else:
            from alerts import service

            service.clear_alert(source="sensor", key=alert_key(sensor), note="giá trị đo trở lại dưới ngưỡng")


def _log(sensors: dict[int, Sensor], breaches: Sequence[Reading]) -> None:
    park_ids = {sensors[r.sensor_id].industrial_park_id for r in breaches} - {None}
    parks = dict(IndustrialPark.objects.filter(pk__in=park_ids).values_list("pk", "name")) if park_ids else {}
    ViolationLog.objects.bulk_create(
        [
            ViolationLog(
                sensor_id=r.sensor_id,
                sensor_code=sensors[r.sensor_id].code,
                parameter=sensors[r.sensor_id].parameter,
                unit=sensors[r.sensor_id].unit,
                park_id=sensors[r.sensor_id].industrial_park_id,
                park_name=parks.get(sensors[r.sensor_id].industrial_park_id, ""),
                commune_code=sensors[r.sensor_id].commune_code or "",
                observed_at=r.observed_at,
                value=r.value,
                threshold=sensors[r.sensor_id].threshold,
            )
            for r in breaches
        ],
        ignore_conflicts=True,
    )


def raise_breach(sensor: Sensor, reading: Reading) -> None:
    """Raise (or refresh) the sensor's over-threshold alert with this reading."""
    from alerts import service

    parameter = SENSOR_PARAMETER.get(sensor.parameter)
    label_vi, label_en = (parameter.vi, parameter.en) if parameter else (sensor.parameter, sensor.parameter)
    value_vi, threshold_vi = vi_number(reading.value), vi_number(sensor.threshold)
    spec = registry.get("sensors")
    service.raise_alert(
        source="sensor",
        key=alert_key(sensor),
        severity="high" if reading.value >= HIGH_RATIO * sensor.threshold else "medium",
        title=f"{label_vi} tại {sensor.name} vượt ngưỡng: {value_vi} {sensor.unit} (ngưỡng {threshold_vi})",
        title_en=f"{label_en} at {sensor.name} over threshold: {reading.value:g} {sensor.unit} "
        f"(threshold {sensor.threshold:g})",
        sector=spec.sector,
        commune_code=sensor.commune_code or "",
        responsible_unit=spec.sector,
        place=sensor.geom,
        detail={
            "sensor_id": sensor.pk,
            "sensor_code": sensor.code,
            "parameter": sensor.parameter,
            "unit": sensor.unit,
            "value": reading.value,
            "threshold": sensor.threshold,
        },
        observed_at=reading.observed_at,
    )
