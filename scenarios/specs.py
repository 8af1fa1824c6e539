"""A scenario is a declaration (ScenarioSpec): base relations from the layer registry, steps, alert rules, style.

Step kinds (each executed by scenarios.steps.spatial): Aggregate (counts, sums, densities, shares by group), Proximity
(targets within a radius of each source, and the nearest), Overlay (sources intersecting targets whose attributes
differ: encroachment), Exceedance (sensor observations over threshold, optionally logged), RasterThreshold
(features where a raster exceeds a value), Clusters (DBSCAN in metres, zones and resources around them),
FeatureRatio (a ratio per feature), Derived (a group metric times a parameter: costs). Executed by
scenarios.steps.operations: Load (a quantity per unit of each means, per feature or group, with the shortfall
against a norm), Snapped (events joined to the nearest line feature: black spots), Outside (features outside
every target in force at their date: mining off licence), Reach (distance and travel time to the nearest target).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scenarios.sqlparts import Filter

Number = float | int | str  # a literal, or "$param" naming a run parameter


@dataclass(frozen=True)
class Param:
    """A run parameter with its default and bounds (type follows the default)."""

    name: str
    default: Any
    title: str
    title_en: str
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Select:
    """A base relation: a registry layer and attribute filters."""

    layer: str
    filters: tuple[Filter, ...] = ()


@dataclass(frozen=True)
class Step:
    """Common fields of every step: id, titles, whether its features go on the result map."""

    id: str
    title: str
    title_en: str
    on_map: bool = False


@dataclass(frozen=True)
class Aggregate(Step):
    select: Select = None
    group_by: str | None = None
    sums: tuple[str, ...] = ()
    density: str | None = None  # "km2" (per km² of area), "road_km" (per km of road in the area)
    share: tuple[Filter, ...] = ()  # % of rows matching these filters, per group


@dataclass(frozen=True)
class Proximity(Step):
    source: Select = None
    target: Select = None
    radius_m: Number = 500
    target_group_by: str | None = None


@dataclass(frozen=True)
class Overlay(Step):
    source: Select = None
    target: Select = None
    differ: tuple[str, str] = ("", "")  # (source attribute, target attribute) that must differ
    min_overlap_m2: Number = 1.0


@dataclass(frozen=True)
class Exceedance(Step):
    select: Select = None
    observations: str = "observations"  # the reverse relation from the layer's model to its readings
    hours: Number = 168
    latest_only: bool = False  # only each sensor's latest reading in the window
    group_layer: str | None = None  # e.g. industrial_parks: each reading is attributed to the nearest one
    group_within_m: float = 1000.0
    log: bool = False  # persist each reading over threshold in the violation log (once)


@dataclass(frozen=True)
class RasterThreshold(Step):
    select: Select = None
    raster: str = ""
    min_value: Number = 0.5
    sums: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clusters(Step):
    select: Select = None
    weight: str | None = None  # attribute summed per cluster (e.g. cases)
    eps_m: Number = 500
    min_points: Number = 3
    zone_radius_m: Number = 1000
    resources: Select | None = None  # counted within the zone radius of each cluster


@dataclass(frozen=True)
class FeatureRatio(Step):
    select: Select = None
    numerator: str = ""
    denominator: str = ""


@dataclass(frozen=True)
class Derived(Step):
    of: str = ""  # another step's id
    metric: str = "count"
    factor: Number = 1
    unit: str = ""


# --- h15c: step kinds of the sectors that had no scenario (executed by scenarios.steps.operations) -------------
@dataclass(frozen=True)
class Load(Step):
    """numerator / each denominator (pupils per teacher, patients per bed), per feature (group_by None) or per
    group, and per denominator with a norm the shortfall: the units missing to carry the numerator at the norm."""

    select: Select = None
    numerator: str = ""
    denominators: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()  # the name of each ratio (default per_<denominator>)
    norms: tuple[Number | None, ...] = ()  # per denominator: numerator units one unit should carry (None: no norm)
    group_by: str | None = None
    only: tuple[str, str, Number] | None = None  # keep only rows whose (metric, op, value) holds; totals keep all


@dataclass(frozen=True)
class Snapped(Step):
    """Point events (with the source layer's datetime) joined to the nearest target line within within_m, counted
    per target feature and per period: accident black spots by road segment and month."""

    source: Select = None
    target: Select = None
    within_m: Number = 50
    period: str = "month"  # month / quarter
    min_count: Number = 1


@dataclass(frozen=True)
class Outside(Step):
    """Source features not inside any target in force at the source's date: outside every target, or only inside
    targets whose validity (valid_from..valid_until attributes of the target) does not cover that date."""

    source: Select = None
    target: Select = None
    valid_from: str | None = None
    valid_until: str | None = None
    label: str = ""  # what a source row is called when its layer has no label field


@dataclass(frozen=True)
class Reach(Step):
    """Each source feature's nearest target, the distance and, at speed_kmh with a detour factor, the minutes to
    reach it; covered when within max_m and max_minutes. by_commune: rows per commune, features per source."""

    source: Select = None
    target: Select = None
    speed_kmh: Number | None = None
    detour: Number = 1.0
    max_m: Number | None = None
    max_minutes: Number | None = None
    by_commune: bool = False
    label: str = ""


# --- end h15c ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertRule:
    """Raise an alert for each row (or the totals) of a step whose metric compares with the threshold."""

    step: str
    metric: str
    op: str  # gt gte lt lte eq ne
    threshold: Number
    severity: str = "medium"
    high_at: Number | None = None  # the severity becomes "high" from this value on (same direction)
    message: str = ""  # Vietnamese, formatted with {label} {value} {threshold}
    message_en: str = ""
    on: str = "rows"  # rows / totals
    keys: tuple[str, ...] = ()  # only rows with these group keys (empty: every row)


@dataclass(frozen=True)
class ScenarioSpec:
    """One operations scenario, declared once; the API, processes, runs and exports are derived from it."""

    id: str
    title: str
    title_en: str
    sector: str
    description: str
    steps: tuple[Step, ...]
    alerts: tuple[AlertRule, ...] = ()
    params: tuple[Param, ...] = ()
    indicators: tuple[str, ...] = ()  # indicator codes whose misses in the area are reported
    schedule_minutes: int | None = None  # periodic runs on the province (scenarios_run_due); None: none
    style: dict = field(default_factory=dict, compare=False, hash=False)  # per step: colour, by, colours

    @property
    def layers(self) -> tuple[str, ...]:
        """Every registry layer the scenario reads (the caller must be allowed to read all of them)."""
        found: list[str] = []
        for step in self.steps:
            for name in ("select", "source", "target", "resources"):
                selected = getattr(step, name, None)
                if isinstance(selected, Select):
                    found.append(selected.layer)
            if getattr(step, "density", None) == "road_km":
                found.append("roads")
            if getattr(step, "group_layer", None):
                found.append(step.group_layer)
        return tuple(dict.fromkeys(found))

    @property
    def all_params(self) -> tuple[Param, ...]:
        """Declared parameters plus the radius used when the area is a single point."""
        radius = Param("point_radius_m", 1000, "Bán kính quanh điểm (m)", "Radius around a point area (m)", 1, 50_000)
        return self.params + ((radius,) if "point_radius_m" not in {p.name for p in self.params} else ())


SCENARIOS: dict[str, ScenarioSpec] = {}


def register(*specs: ScenarioSpec) -> None:
    """Add declarations to the scenario registry (ids unique)."""
    for spec in specs:
        if spec.id in SCENARIOS and SCENARIOS[spec.id] != spec:
            raise ValueError(f"scenario {spec.id!r} declared twice")
        SCENARIOS[spec.id] = spec
