"""A scenario as a JSON document (what an administrator reads and edits) and back to a ScenarioSpec, validated:
only the declared step kinds, registry layers and their attributes, declared parameters, bounded numbers. Every
refusal is a 400 whose description starts with the field's path (`steps[1].select.layer: ...`)."""

from __future__ import annotations

import dataclasses
import math
import re
import string
from typing import Any

from layers.registry import registry
from mapserver.errors import InvalidParameterValue
from scenarios import specs
from scenarios.runner import COMPARE, EXECUTORS
from scenarios.specs import AlertRule, Param, ScenarioSpec, Select
from scenarios.sqlparts import LIST_OPS, OPS, Filter, filterable_fields

KINDS: dict[str, type[specs.Step]] = {kind.__name__: kind for kind in EXECUTORS}
SLUG = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
SEVERITIES = ("low", "medium", "high")
MEASURES = ("clipped_length_m", "clipped_area_m2")
# (minimum, maximum) of every numeric step field: a run must stay bounded whatever an administrator types
LIMITS = {
    "radius_m": (1, 50_000),
    "eps_m": (1, 50_000),
    "zone_radius_m": (1, 50_000),
    "group_within_m": (0, 50_000),
    "min_points": (1, 10_000),
    "hours": (1, 24 * 366),
    "min_value": (-1e6, 1e6),
    "min_overlap_m2": (0, 1e9),
    "factor": (-1e12, 1e12),
}
SCHEDULE_LIMITS = (5, 7 * 24 * 60)  # minutes between periodic runs
TEXT_MAX = 300
STEPS_MAX, ALERTS_MAX, PARAMS_MAX = 20, 50, 20


class Invalid(InvalidParameterValue):
    """A definition refused, naming the field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def to_document(spec: ScenarioSpec) -> dict[str, Any]:
    """The editable document of a scenario (everything but its map style)."""
    return {
        "id": spec.id,
        "title": spec.title,
        "title_en": spec.title_en,
        "sector": spec.sector,
        "description": spec.description,
        "steps": [{"kind": type(s).__name__, **_plain(s)} for s in spec.steps],
        "alerts": [_plain(a) for a in spec.alerts],
        "params": [_plain(p) for p in spec.params],
        "indicators": list(spec.indicators),
        "schedule_minutes": spec.schedule_minutes,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Filter):
        return {"field": value.field, "op": value.op, "value": _plain(value.value)}
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def from_document(doc: Any, shipped: ScenarioSpec | None = None) -> ScenarioSpec:
    """The spec a document describes, validated; for a shipped scenario its steps and parameter names and
    bounds stay as declared (thresholds, rules, indicators and schedule change)."""
    if not isinstance(doc, dict):
        raise Invalid("definition", "must be a JSON object")
    _known_keys(doc, {"id", "title", "title_en", "sector", "description", "steps", "alerts", "params",
                      "indicators", "schedule_minutes"}, "definition")  # fmt: skip
    params = tuple(_param(p, f"params[{i}]") for i, p in enumerate(_list(doc.get("params", []), "params", PARAMS_MAX)))
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise Invalid("params", "parameter names must be unique")
    ctx = {"params": {p.name: p for p in params}}
    steps = tuple(_step(s, f"steps[{i}]", ctx) for i, s in enumerate(_list(doc.get("steps"), "steps", STEPS_MAX)))
    if not steps:
        raise Invalid("steps", "a scenario needs at least one step")
    ids = [s.id for s in steps]
    if len(set(ids)) != len(ids):
        raise Invalid("steps", "step ids must be unique")
    for i, step in enumerate(steps):
        if isinstance(step, specs.Derived) and step.of not in ids[:i]:
            raise Invalid(f"steps[{i}].of", f"must name an earlier step, not {step.of!r}")
    alerts = tuple(
        _alert(a, f"alerts[{i}]", ids, ctx) for i, a in enumerate(_list(doc.get("alerts", []), "alerts", ALERTS_MAX))
    )
    spec = ScenarioSpec(
        id=_slug(doc.get("id"), "id"),
        title=_text(doc.get("title"), "title"),
        title_en=_text(doc.get("title_en"), "title_en"),
        sector=_sector(doc.get("sector")),
        description=_text(doc.get("description", ""), "description", required=False, limit=2000),
        steps=steps,
        alerts=alerts,
        params=params,
        indicators=_indicators(doc.get("indicators", [])),
        schedule_minutes=_schedule(doc.get("schedule_minutes")),
        style=shipped.style if shipped else {},
    )
    if shipped is not None:
        _keeps_shape(spec, shipped)
    return spec


def _keeps_shape(spec: ScenarioSpec, shipped: ScenarioSpec) -> None:
    if spec.id != shipped.id:
        raise Invalid("id", f"must stay {shipped.id!r}")
    if spec.steps != shipped.steps:
        raise Invalid("steps", "the steps of a shipped scenario are fixed; define a new scenario to change them")
    declared = {p.name: (p.minimum, p.maximum, _kind(p.default)) for p in shipped.params}
    changed = {p.name: (p.minimum, p.maximum, _kind(p.default)) for p in spec.params}
    if declared != changed:
        raise Invalid("params", "a shipped scenario keeps its parameter names, types and limits; change defaults")


def _kind(value: Any) -> str:
    return "bool" if isinstance(value, bool) else "text" if isinstance(value, str) else "number"


def _known_keys(doc: dict, allowed: set[str], path: str) -> None:
    unknown = sorted(set(doc) - allowed)
    if unknown:
        raise Invalid(f"{path}.{unknown[0]}", f"unknown field; allowed: {sorted(allowed)}")


def _list(value: Any, path: str, limit: int) -> list:
    if not isinstance(value, list):
        raise Invalid(path, "must be a list")
    if len(value) > limit:
        raise Invalid(path, f"at most {limit} entries")
    return value


def _slug(value: Any, path: str) -> str:
    if not isinstance(value, str) or not SLUG.match(value):
        raise Invalid(path, "must be a lower-case identifier (a-z, 0-9, _; at most 64 characters)")
    return value


def _text(value: Any, path: str, required: bool = True, limit: int = TEXT_MAX) -> str:
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit or "\x00" in value:
        raise Invalid(path, f"must be a text of 1 to {limit} characters")
    return value


def _number(value: Any, path: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Invalid(path, "must be a finite number")
    if abs(value) > 1e15:
        raise Invalid(path, "is too large")
    return value


def _numeric_ref(value: Any, path: str, ctx: dict, name: str = "") -> float | int | str:
    """A number within the field's limits, or "$param" naming a numeric parameter."""
    if isinstance(value, str) and value.startswith("$"):
        param = ctx["params"].get(value[1:])
        if param is None or isinstance(param.default, (bool, str)):
            raise Invalid(path, f"{value!r} names no numeric parameter of the scenario")
        return value
    number = _number(value, path)
    low, high = LIMITS.get(name, (-1e15, 1e15))
    if not low <= number <= high:
        raise Invalid(path, f"{number} is outside [{low}, {high}]")
    return number


def _sector(value: Any) -> str:
    known = {s.sector for s in registry.all() if s.sector} | {s.sector for s in specs.SCENARIOS.values()}
    if value not in known:
        raise Invalid("sector", f"must be one of {sorted(known)}")
    return value


def _indicators(value: Any) -> tuple[str, ...]:
    from geodata.models import Indicator

    codes = _list(value, "indicators", 50)
    known = set(
        Indicator.objects.filter(code__in=[c for c in codes if isinstance(c, str)]).values_list("code", flat=True)
    )
    for i, code in enumerate(codes):
        if code not in known:
            raise Invalid(f"indicators[{i}]", f"no indicator {code!r}")
    return tuple(codes)


def _schedule(value: Any) -> int | None:
    if value is None:
        return None
    low, high = SCHEDULE_LIMITS
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid("schedule_minutes", f"must be null or an integer from {low} to {high}")
    return value


def _param(doc: Any, path: str) -> Param:
    if not isinstance(doc, dict):
        raise Invalid(path, "must be an object")
    _known_keys(doc, {f.name for f in dataclasses.fields(Param)}, path)
    name = _slug(doc.get("name"), f"{path}.name")
    default = doc.get("default")
    low, high = doc.get("minimum"), doc.get("maximum")
    if isinstance(default, str):
        _text(default, f"{path}.default", required=False, limit=200)
        if low is not None or high is not None:
            raise Invalid(f"{path}.minimum", "a text parameter has no limits")
    elif isinstance(default, bool):
        pass
    else:
        _number(default, f"{path}.default")
        low = None if low is None else _number(low, f"{path}.minimum")
        high = None if high is None else _number(high, f"{path}.maximum")
        if low is not None and high is not None and low > high:
            raise Invalid(f"{path}.minimum", "must not exceed the maximum")
        if (low is not None and default < low) or (high is not None and default > high):
            raise Invalid(f"{path}.default", f"{default} is outside [{low}, {high}]")
    return Param(name, default, _text(doc.get("title"), f"{path}.title"),
                 _text(doc.get("title_en"), f"{path}.title_en"), low, high)  # fmt: skip


def _layer(name: Any, path: str) -> Any:
    spec = registry.get(name) if isinstance(name, str) else None
    if spec is None:
        raise Invalid(path, f"no layer {name!r} in the registry")
    return spec


def _attribute(layer: Any, name: Any, path: str, extra: tuple[str, ...] = ()) -> str:
    allowed = set(filterable_fields(layer)) | set(extra)
    if name not in allowed:
        raise Invalid(path, f"layer {layer.id} has no attribute {name!r}; known: {sorted(allowed)}")
    return name


def _filters(doc: Any, layer: Any, path: str, ctx: dict) -> tuple[Filter, ...]:
    found = []
    for i, item in enumerate(_list(doc, path, 20)):
        where = f"{path}[{i}]"
        if not isinstance(item, dict):
            raise Invalid(where, "must be an object {field, op, value}")
        _known_keys(item, {"field", "op", "value"}, where)
        field = _attribute(layer, item.get("field"), f"{where}.field")
        op, value = item.get("op"), item.get("value")
        if op not in OPS and op not in LIST_OPS and op != "nonempty":
            raise Invalid(f"{where}.op", f"must be one of {sorted([*OPS, *LIST_OPS, 'nonempty'])}")
        if isinstance(value, str) and value.startswith("$"):
            windowed = value.endswith("since") and value[1:-5] + "days" in ctx["params"]  # runner.derived_params
            if value[1:] not in ctx["params"] and not windowed and value != "$until_at":  # the run's end time
                raise Invalid(f"{where}.value", f"{value!r} names no parameter of the scenario")
        elif op in LIST_OPS and not (isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value)):
            raise Invalid(f"{where}.value", "must be a list of values")
        elif op in OPS and not isinstance(value, (str, int, float)):
            raise Invalid(f"{where}.value", "must be a text or a number")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            _number(value, f"{where}.value")
        found.append(Filter(field, op, value))
    return tuple(found)


def _select(doc: Any, path: str, ctx: dict) -> Select:
    if not isinstance(doc, dict):
        raise Invalid(path, "must be an object {layer, filters}")
    _known_keys(doc, {"layer", "filters"}, path)
    layer = _layer(doc.get("layer"), f"{path}.layer")
    return Select(layer.id, _filters(doc.get("filters", []), layer, f"{path}.filters", ctx))


def _step(doc: Any, path: str, ctx: dict) -> specs.Step:
    if not isinstance(doc, dict):
        raise Invalid(path, "must be an object")
    kind = KINDS.get(doc.get("kind"))
    if kind is None:
        raise Invalid(f"{path}.kind", f"must be one of {sorted(KINDS)}")
    fields = {f.name: f for f in dataclasses.fields(kind)}
    _known_keys(doc, set(fields) | {"kind"}, path)
    values: dict[str, Any] = {
        "id": _slug(doc.get("id"), f"{path}.id"),
        "title": _text(doc.get("title"), f"{path}.title"),
        "title_en": _text(doc.get("title_en"), f"{path}.title_en"),
        "on_map": bool(doc.get("on_map", False)),
    }
    selects = {}
    for name in ("select", "source", "target", "resources", "stations"):
        if name in fields and (doc.get(name) is not None or name not in ("resources", "stations")):
            selects[name] = values[name] = _select(doc.get(name), f"{path}.{name}", ctx)
    for name, field in fields.items():
        if name in values or name not in doc:
            continue
        values[name] = _step_field(kind, name, str(field.type), doc[name], f"{path}.{name}", selects, ctx)
    return kind(**values)


def _step_field(kind: type, name: str, type_: str, value: Any, path: str, selects: dict, ctx: dict) -> Any:
    """One of the remaining fields of a step, by its declared type."""
    layer = registry.get(selects["select"].layer) if "select" in selects else None
    if type_.startswith("Number"):
        return None if value is None and "None" in type_ else _numeric_ref(value, path, ctx, name)
    if name == "share":
        return _filters(value, layer, path, ctx)
    if name == "sums":
        return tuple(_attribute(layer, v, f"{path}[{i}]", MEASURES) for i, v in enumerate(_list(value, path, 10)))
    if name in {"group_by", "weight", "numerator", "denominator"}:
        if value is None and "None" in type_:
            return None
        return _attribute(layer, value, path, ("commune",) if name == "group_by" else ())
    if name == "target_group_by":
        return None if value is None else _attribute(registry.get(selects["target"].layer), value, path)
    if name == "differ":
        pair = _list(value, path, 2)
        if len(pair) != 2:
            raise Invalid(path, "must be [source attribute, target attribute]")
        source, target = (registry.get(selects[k].layer) for k in ("source", "target"))
        return (_attribute(source, pair[0], f"{path}[0]"), _attribute(target, pair[1], f"{path}[1]"))
    if name == "density":
        if value not in (None, "km2", "road_km"):
            raise Invalid(path, 'must be null, "km2" or "road_km"')
        return value
    if name == "group_layer":
        return None if value is None else _layer(value, path).id
    if name == "raster":
        return _raster(value, path)
    if name == "observations":
        if value != "observations":
            raise Invalid(path, 'must be "observations" (the readings of a sensor layer)')
        return value
    if name == "of" or name == "metric" or name == "unit":
        return _slug(value, path) if name != "unit" else _text(value, path, required=False, limit=32)
    if type_ == "bool":
        if not isinstance(value, bool):
            raise Invalid(path, "must be true or false")
        return value
    if type_ == "float":
        return _numeric_ref(value, path, {"params": {}}, name)
    if hasattr(kind, "check_field"):  # step kinds declared elsewhere check their own fields (socio_economic_steps)
        return kind.check_field(name, value, path, layer, Invalid, _attribute)
    return _later_step_field(name, value, path, layer, selects, ctx)


ONLY_OPS = ("lt", "le", "gt", "ge", "eq")
PERIODS = ("month", "quarter")


def _later_step_field(name: str, value: Any, path: str, layer: Any, selects: dict, ctx: dict) -> Any:
    """The fields of the step kinds added after the first twelve scenarios (ratios, loads, flood bands, snapping,
    validity and reach)."""
    if name in {"ratio", "denominators"}:
        if value is None and name == "ratio":
            return None
        names = _list(value, path, 2 if name == "ratio" else 10)
        if name == "ratio" and len(names) != 2:
            raise Invalid(path, "must be [numerator attribute, denominator attribute]")
        return tuple(_attribute(layer, v, f"{path}[{i}]") for i, v in enumerate(names))
    if name == "metrics":
        return tuple(_slug(v, f"{path}[{i}]") for i, v in enumerate(_list(value, path, 10)))
    if name == "norms":
        items = _list(value, path, 10)
        return tuple(None if v is None else _numeric_ref(v, f"{path}[{i}]", ctx, name) for i, v in enumerate(items))
    if name == "only":
        if value is None:
            return None
        triple = _list(value, path, 3)
        if len(triple) != 3 or triple[1] not in ONLY_OPS:
            raise Invalid(path, f"must be [metric, one of {list(ONLY_OPS)}, number]")
        return (_slug(triple[0], f"{path}[0]"), triple[1], _numeric_ref(triple[2], f"{path}[2]", ctx, name))
    if name == "bands":
        pairs = []
        for i, pair in enumerate(_list(value, path, 10)):
            if not isinstance(pair, list) or len(pair) != 2:
                raise Invalid(f"{path}[{i}]", "must be [metres above the alarm level, raster]")
            above = _numeric_ref(pair[0], f"{path}[{i}][0]", {"params": {}}, name)
            pairs.append((float(above), _raster(pair[1], f"{path}[{i}][1]")))
        return tuple(pairs)
    if name == "period":
        if value not in PERIODS:
            raise Invalid(path, f"must be one of {list(PERIODS)}")
        return value
    if name in {"valid_from", "valid_until"}:
        return None if value is None else _attribute(registry.get(selects["target"].layer), value, path)
    if name == "label":
        return _text(value, path, required=False, limit=64)
    raise Invalid(path, "cannot be set")


def _raster(value: Any, path: str) -> str:
    from geodata.models import RasterLayer

    if not isinstance(value, str) or not RasterLayer.objects.filter(layer_id=value).exists():
        raise Invalid(path, f"no raster layer {value!r}")
    return value


def _alert(doc: Any, path: str, step_ids: list[str], ctx: dict) -> AlertRule:
    if not isinstance(doc, dict):
        raise Invalid(path, "must be an object")
    _known_keys(doc, {f.name for f in dataclasses.fields(AlertRule)}, path)
    if doc.get("step") not in step_ids:
        raise Invalid(f"{path}.step", f"must name a step of the scenario ({step_ids})")
    if doc.get("op") not in COMPARE:
        raise Invalid(f"{path}.op", f"must be one of {sorted(COMPARE)}")
    if doc.get("severity", "medium") not in SEVERITIES:
        raise Invalid(f"{path}.severity", f"must be one of {list(SEVERITIES)}")
    if doc.get("on", "rows") not in ("rows", "totals"):
        raise Invalid(f"{path}.on", 'must be "rows" or "totals"')
    messages = {}
    for name in ("message", "message_en"):
        text = _text(doc.get(name, ""), f"{path}.{name}", required=False)
        try:
            fields = [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
        except ValueError as exc:
            raise Invalid(f"{path}.{name}", f"is not a message template ({exc})") from None
        if not all(SLUG.match(field) for field in fields):  # no {0}, {x.attr}, {x[i]}: names of the row's words
            raise Invalid(f"{path}.{name}", "may use only {name} placeholders: {label}, {value}, {threshold}, "
                          "{commune_name} or a column of the step's rows")  # fmt: skip
        messages[name] = text
    keys = _list(doc.get("keys", []), f"{path}.keys", 100)
    if not all(isinstance(k, str) and len(k) <= 100 for k in keys):
        raise Invalid(f"{path}.keys", "must be a list of group keys (texts)")
    high_at = doc.get("high_at")
    return AlertRule(
        step=doc["step"],
        metric=_slug(doc.get("metric"), f"{path}.metric"),
        op=doc["op"],
        threshold=_numeric_ref(doc.get("threshold"), f"{path}.threshold", ctx),
        severity=doc.get("severity", "medium"),
        high_at=None if high_at is None else _numeric_ref(high_at, f"{path}.high_at", ctx),
        on=doc.get("on", "rows"),
        keys=tuple(keys),
        **messages,
    )
