"""Sensors that stopped reporting: a "no data" alert per sensor silent for MAPSERVER_SENSOR_SILENT_MINUTES,
resolved as soon as it reports again (run by the scheduler as the job sensors.silent)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from alerts import service
from geodata.models import Sensor
from layers.registry import registry

KEY_PREFIX = "no-data:"


def _minutes_vi(minutes: int) -> str:
    return f"{minutes // 60} giờ" if minutes % 60 == 0 else f"{minutes} phút"


def check_silent() -> dict:
    """Raise a "no data" alert for each silent sensor and resolve the others' (idempotent); returns the counts."""
    limit = settings.MAPSERVER_SENSOR_SILENT_MINUTES
    since = timezone.now() - timedelta(minutes=limit)
    silent = Sensor.objects.filter(Q(last_observed_at__lt=since) | Q(last_observed_at__isnull=True)).order_by("pk")
    sector = registry.get("sensors").sector
    keys = set()
    for sensor in silent:
        key = f"{KEY_PREFIX}{sensor.code}"
        keys.add(key)
        last = (
            timezone.localtime(sensor.last_observed_at).strftime("%H:%M %d/%m/%Y") if sensor.last_observed_at else None
        )
        service.raise_alert(
            source="sensor",
            key=key,
            severity="low",
            title=f"Cảm biến {sensor.name} ({sensor.code}) không gửi dữ liệu quá {_minutes_vi(limit)}"
            + (f", lần cuối lúc {last}" if last else ""),
            title_en=f"Sensor {sensor.name} ({sensor.code}) has sent no data for over {limit} minutes",
            sector=sector,
            commune_code=sensor.commune_code or "",
            responsible_unit=sector,
            place=sensor.geom,
            detail={
                "sensor_id": sensor.pk,
                "sensor_code": sensor.code,
                "silent_minutes": limit,
                "last_observed_at": sensor.last_observed_at.isoformat() if sensor.last_observed_at else None,
            },
            observed_at=sensor.last_observed_at,
        )
    resolved = service.reconcile(
        source="sensor", key_prefix=KEY_PREFIX, active_keys=keys, note="cảm biến gửi dữ liệu trở lại"
    )
    return {"silent": len(keys), "resolved": resolved}
