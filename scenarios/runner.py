"""Running a declared scenario on an area: scope, parameters, steps, alert rules, indicator misses; kept as a run."""

from __future__ import annotations

import datetime as dt
import logging
import operator
import uuid
from typing import Any

from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from psycopg import sql

from layers.registry import registry
from layers.scoped import ScopedLayer
from mapserver.errors import ApiError, InvalidParameterValue, NotFound
from mapserver.principal import Principal
from mapserver.scoping import home_commune
from scenarios import freshness, indicators, queries, sqlparts
from scenarios.area_query import readable
from scenarios.models import ScenarioRun
from scenarios.shapes import Area, finite_number, parse_area
from scenarios.specs import (
    Aggregate,
    AlertRule,
    Clusters,
    Derived,
    Exceedance,
    FeatureRatio,
    Overlay,
    Proximity,
    RasterThreshold,
    ScenarioSpec,
)
from scenarios.steps import operations as sector_steps
from scenarios.steps.measures import clusters, derived, exceedance, feature_ratio, raster_threshold
from scenarios.steps.spatial import MAP_CAP, RunContext, aggregate, overlay, proximity
from scenarios.times import parse_until

log = logging.getLogger(__name__)
EXECUTORS = {
    Aggregate: aggregate,
    Proximity: proximity,
    Overlay: overlay,
    Exceedance: exceedance,
    RasterThreshold: raster_threshold,
    Clusters: clusters,
    FeatureRatio: feature_ratio,
    Derived: derived,
    **sector_steps.EXECUTORS,  # Load, Snapped, Outside, Reach (issue 15 sectors)
}
COMPARE = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "eq": operator.eq,
    "ne": operator.ne,
}
MAP_TOTAL_CAP = 5000
RUN_RESULT = f'"{ScenarioRun._meta.db_table}"."result"'
TEXT_CHECKS = {"until": parse_until}  # text parameters checked before any SQL runs (400 on a bad value)


def scope_of(principal: Principal, spec: ScenarioSpec) -> tuple[dict[str, ScopedLayer], str]:
    """Per layer the gateway bound to the caller's access, and the run's scope key (a layer's cache scope: "all"
    or "c<code>").

    Raises 401/403 when any layer of the scenario is unreadable: a caller who cannot read houses cannot run a
    scenario built on houses."""
    scopes = {layer_id: readable(principal, layer_id) for layer_id in spec.layers}
    limited = sorted({s.cache_scope for s in scopes.values() if s.limited})
    return scopes, limited[0] if limited else "all"


def parse_params(spec: ScenarioSpec, raw: Any) -> dict[str, Any]:
    """Declared parameters with defaults, type-checked and bounded; unknown names are a 400."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise InvalidParameterValue("params must be a JSON object")
    declared = {p.name: p for p in spec.all_params}
    unknown = set(raw) - set(declared)
    if unknown:
        raise InvalidParameterValue(f"unknown parameters {sorted(unknown)}; allowed: {sorted(declared)}")
    values = {}
    for name, param in declared.items():
        value = raw.get(name, param.default)
        if isinstance(param.default, (int, float)) and not isinstance(param.default, bool):
            finite_number(value, f"parameter {name}")  # also refuses integers too large for a float
            if (param.minimum is not None and value < param.minimum) or (
                param.maximum is not None and value > param.maximum
            ):
                raise InvalidParameterValue(f"parameter {name}={value} is outside [{param.minimum}, {param.maximum}]")
        elif not isinstance(value, type(param.default)):
            raise InvalidParameterValue(f"parameter {name} must be a {type(param.default).__name__}")
        elif isinstance(value, str):
            if len(value) > 200 or "\x00" in value:
                raise InvalidParameterValue(f"parameter {name} must be at most 200 characters, without NUL")
            if name in TEXT_CHECKS:
                TEXT_CHECKS[name](value)
        values[name] = value
    return values


def derived_params(params: dict[str, Any]) -> dict[str, Any]:
    """Execution parameters: the declared ones plus `since` (now - days) for time-windowed filters."""
    values = {**params, "_run_id": None}
    end = freshness.reference_time(params)
    values["until_at"] = end
    for name, value in params.items():  # days -> since, cluster_days -> cluster_since: windows ending at `until`
        if name == "days" or name.endswith("_days"):
            values[name[: -len("days")] + "since"] = end - dt.timedelta(days=float(value))
    return values


def effective_area(area: Area, params: dict[str, Any]) -> Area:
    """A point area becomes a radius of point_radius_m around it (scenarios aggregate over an extent)."""
    if area.kind == "point":
        return Area("radius", point=area.point, radius_m=float(params["point_radius_m"]))
    return area


def run_scenario(spec: ScenarioSpec, principal: Principal, area_body: Any, raw_params: Any, level: str) -> ScenarioRun:
    """Validate, execute every step, evaluate alert rules, and store the run with its inputs and result."""
    scopes, scope_key = scope_of(principal, spec)
    params = parse_params(spec, raw_params)
    area = parse_area(area_body)
    if area.kind == "commune" and not queries.commune_exists(area.commune_code):
        raise InvalidParameterValue(f"unknown commune code {area.commune_code!r}")
    run = ScenarioRun(
        scenario_id=spec.id,
        level=level,
        area=area.as_dict(),
        params=params,
        username=principal.username,
        scope=scope_key,
    )
    try:
        result, features = execute(spec, effective_area(area, params), derived_params(params), scopes, run)
    except ApiError:
        raise
    except Exception as exc:  # keep a record of the failure, then let the server error surface
        log.exception("scenario %s failed", spec.id)
        run.status, run.error, run.finished_at = "failed", f"{type(exc).__name__}", timezone.now()
        run.save()
        raise
    run.result = result
    run.map_geojson = {"type": "FeatureCollection", "features": features[:MAP_TOTAL_CAP]}
    run.finished_at = timezone.now()
    run.save()
    return run


def execute(spec: ScenarioSpec, area: Area, params: dict, scopes: dict, run: ScenarioRun) -> tuple[dict, list]:
    """The steps' results, alerts and indicator misses for the area, and the map features."""
    ctx = RunContext(area=area, params=params, scopes=scopes)
    _area_context(ctx)
    needs_run_id = any(isinstance(s, Exceedance) and s.log for s in spec.steps)
    if needs_run_id:
        run.save()  # the violation log points at the run that first saw each reading
        ctx.params["_run_id"] = run.id
    features: list[dict] = []
    for step in spec.steps:
        rows, totals, step_features = EXECUTORS[type(step)](step, ctx)
        if area.kind == "commune":
            _own_commune(rows, area.commune_code)
        main = next((s.layer for s in (getattr(step, n, None) for n in ("select", "source")) if s is not None), None)
        ctx.results[step.id] = {
            "kind": type(step).__name__,
            "title": step.title,
            "title_en": step.title_en,
            "rows": rows,
            "totals": totals,
            "freshness": freshness.summary(step, ctx.params, rows, totals, main),
        }
        if step.on_map:
            features.extend(step_features[:MAP_CAP])
    codes = [c["code"] for c in ctx.communes]
    alerts, stale = evaluate_alerts(spec, ctx)
    result = {
        "area_m2": round(ctx.area_km2 * 1e6, 1),
        "communes": ctx.communes,
        "groups": ctx.results,
        "alerts": alerts,
        "no_recent_data": stale,
        "indicator_alerts": indicators.alerts(codes=spec.indicators, communes=codes) if spec.indicators else [],
    }
    return result, features


def _own_commune(rows: list[dict], code: str) -> None:
    """A commune run reports its commune only: a feature entering it from a neighbour keeps its own commune code
    as `feature_commune`, and its row is the run commune's."""
    for row in rows:
        if row.get("commune") and row["commune"] != code:
            row["feature_commune"], row["commune"] = row["commune"], code


def _area_context(ctx: RunContext) -> None:
    """The area's size and the communes it covers: a commune run covers that commune only; other areas cover the
    communes they overlap by a positive area (more than boundary slivers: 100 m², or 1 % of a smaller area)."""
    params = sqlparts.Params()
    communes = registry.get("communes")
    statement = sql.SQL(queries.SQL["area_communes"]).format(
        area=sqlparts.area_cte(ctx.area, params),
        code=sql.Identifier(communes.commune_field),
        name=sql.Identifier(communes.label_field),
        geom=sql.Identifier(communes.geometry_field),
        communes=sql.Identifier(communes.table),
        only=params.add(ctx.area.commune_code if ctx.area.kind == "commune" else None, "only"),
    )
    area_m2, touched = queries.fetch(statement, params.values)[0]
    ctx.area_km2 = (area_m2 or 0) / 1e6
    ctx.communes = [{**c, "area_km2": round(c["area_km2"], 4)} for c in queries.decode(touched)]


def evaluate_alerts(spec: ScenarioSpec, ctx: RunContext) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(alerts, no-recent-data notices): alerts of every rule for each fresh row (or the totals) whose metric
    passes the threshold; a rule on a step with stale data gets a notice instead (neither alarm nor all-clear)."""
    found, stale = [], []
    steps = {step.id: step for step in spec.steps}
    for rule in spec.alerts:
        result = ctx.results[rule.step]
        fresh = result["freshness"]
        if fresh["status"] != freshness.CURRENT:
            stale.append(freshness.notice(steps[rule.step], fresh, f"{rule.step}.{rule.metric}"))
        if fresh["status"] == freshness.NO_RECENT_DATA:
            continue
        threshold = float(ctx.value(rule.threshold))
        targets = [result["totals"] | {"key": "", "label": spec.title}] if rule.on == "totals" else result["rows"]
        for row in targets:
            if (rule.keys and row.get("key") not in rule.keys) or row.get("fresh") is False:
                continue
            value = row.get(rule.metric)
            if value is None or not COMPARE[rule.op](value, threshold):
                continue
            found.append(_alert(rule, row, value, threshold, ctx))
    order = {"high": 0, "medium": 1, "low": 2}
    return sorted(found, key=lambda a: (order.get(a["severity"], 3), a["rule"], a["key"])), stale


def _alert(rule: AlertRule, row: dict, value: Any, threshold: float, ctx: RunContext) -> dict[str, Any]:
    severity = rule.severity
    if rule.high_at is not None and COMPARE[rule.op](value, float(ctx.value(rule.high_at))):
        severity = "high"
    names = {c["code"]: c["name"] for c in ctx.communes}
    commune = row.get("commune") or (row.get("key") if row.get("key") in names else None)
    if ctx.area.kind == "commune":  # the row's part inside the run's commune is what the run reports
        commune = ctx.area.commune_code
    label = row.get("label", row.get("key"))
    words = {
        **{k: _word(v) for k, v in row.items() if isinstance(v, (str, int, float))},
        "label": label,
        "label_lower": str(label)[:1].lower() + str(label)[1:],
        "label_en": row.get("label_en", label),
        "value": _word(value),
        "threshold": _word(threshold),
        "commune_name": names.get(commune) or queries.commune_name(commune) if commune else "",
        "commune": commune or "",
    }
    return {
        "rule": f"{rule.step}.{rule.metric}",
        "step": rule.step,
        "key": row.get("key", ""),
        "label": words["label"],
        "metric": rule.metric,
        "value": value,
        "threshold": threshold,
        "severity": severity,
        "message": rule.message.format(**words),
        "message_en": rule.message_en.format(**words),
        "commune": commune,
        "commune_name": words["commune_name"] or None,
        "as_of": row.get("as_of") or ctx.results[rule.step]["freshness"].get("as_of"),
    }


def _word(value: Any) -> Any:
    """A value as alert text shows it: numbers in vi-VN style (1.234,5), other values unchanged."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def visible_runs(principal: Principal, spec: ScenarioSpec) -> QuerySet[ScenarioRun]:
    """The stored runs of a scenario the caller may see: those of the caller's scope and, for commune staff, only
    their own runs and others' runs whose area lies inside their commune (others' areas elsewhere stay private)."""
    _, scope_key = scope_of(principal, spec)
    runs = ScenarioRun.objects.filter(scenario_id=spec.id, scope=scope_key)
    commune = home_commune(principal)
    if commune is None:
        return runs
    # the communes the run's area entered (stored with its result): theirs, and no other
    elsewhere = RawSQL(
        f"jsonb_path_exists({RUN_RESULT}, '$.communes[*] ? (@.code != $c)', jsonb_build_object('c', %s))",
        [commune],
        output_field=BooleanField(),
    )
    inside = Q(result__communes__contains=[{"code": commune}], entered_elsewhere=False)
    return runs.annotate(entered_elsewhere=elsewhere).filter(Q(username=principal.username) | inside)


def visible_run(principal: Principal, spec: ScenarioSpec, run_id: Any) -> ScenarioRun:
    """A stored run the caller may see (visible_runs), else 404."""
    run = visible_runs(principal, spec).filter(pk=run_id).first() if is_uuid(run_id) else None
    if run is None:
        raise NotFound(f"no run {run_id} of scenario {spec.id} visible to you")
    return run


def is_uuid(value: Any) -> bool:
    """Is the value a UUID (run and job ids)?"""
    try:
        uuid.UUID(str(value))
        return True
    except ValueError:
        return False
