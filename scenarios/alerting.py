"""A periodic scenario run's alerts as alerts of the one alert model (source "scenario"): each alert of the run is
raised under a stable key (scenario : rule : place), so a condition still present refreshes its open alert instead of
raising a second one, and the scenario's open alerts that the run no longer finds are resolved."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db.models.functions import PointOnSurface
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction

from alerts import service
from layers.registry import registry
from scenarios.models import ScenarioRun
from scenarios.specs import ScenarioSpec

SOURCE = "scenario"


def alert_key(spec: ScenarioSpec, alert: dict[str, Any]) -> str:
    """The condition's identity: scenario, rule (step.metric) and place (the row's group key, "all" for totals)."""
    return f"{spec.id}:{alert['rule']}:{alert.get('key') or 'all'}"


def _places(codes: set[str]) -> dict[str, GEOSGeometry]:
    """A point inside each commune (where the alert is drawn on the map)."""
    communes = registry.get("communes")
    rows = (
        communes.model.objects.filter(**{f"{communes.commune_field}__in": codes})
        .annotate(inside=PointOnSurface(communes.geometry_field))
        .values_list(communes.commune_field, "inside")
    )
    return dict(rows)


def publish(spec: ScenarioSpec, run: ScenarioRun) -> dict[str, int]:
    """Raise the run's alerts and resolve the scenario's open alerts it no longer has: {raised, refreshed, resolved}."""
    alerts = run.result.get("alerts", []) if run.result else []
    places = _places({a["commune"] for a in alerts if a.get("commune")})
    counts = {"raised": 0, "refreshed": 0, "resolved": 0}
    active = set()
    with transaction.atomic():
        for alert in alerts:
            key = alert_key(spec, alert)
            active.add(key)
            commune = alert.get("commune") or ""
            _, created = service.raise_alert(
                source=SOURCE,
                key=key,
                severity=alert["severity"],
                title=alert.get("message") or f"{spec.title}: {alert.get('label')}",
                title_en=alert.get("message_en") or f"{spec.title_en}: {alert.get('label')}",
                sector=spec.sector,
                commune_code=commune,
                responsible_unit=commune or spec.sector,
                place=places.get(commune),
                detail={
                    "scenario": spec.id,
                    "run_id": str(run.id),
                    **{k: alert.get(k) for k in ("rule", "step", "key", "label", "metric", "value", "threshold")},
                },
                observed_at=alert.get("observed_at") or run.created_at,
            )
            counts["raised" if created else "refreshed"] += 1
        counts["resolved"] = service.reconcile(
            source=SOURCE,
            key_prefix=f"{spec.id}:",
            active_keys=active,
            note="Lần chạy định kỳ không còn thấy điều kiện này",
        )
    return counts
