"""Executors of the scenario step kinds declared in scenarios.specs, each over the run's area and scope."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from psycopg import sql

from layers.registry import LayerSpec, registry
from layers.scoped import ScopedLayer
from scenarios import freshness, queries, sqlparts
from scenarios.queries import Selection
from scenarios.shapes import Area
from scenarios.specs import Aggregate, Overlay, Proximity, Select, Step
from scenarios.sqlparts import Params
from scenarios.times import PROVINCE_TZ, local_time  # noqa: F401  (local_time: also read from here)

SQL = queries.SQL
MAP_CAP = 2000  # features per step on the result map
ROW_CAP = 5000


@dataclass
class RunContext:
    """What every step sees: the area, parameters, the caller's commune limit per layer, earlier results."""

    area: Area
    params: dict[str, Any]
    scopes: dict[str, ScopedLayer]  # the gateway per layer of the scenario
    area_km2: float = 0.0
    communes: list[dict] = field(default_factory=list)
    results: dict[str, dict] = field(default_factory=dict)

    def value(self, number: Any) -> Any:
        """A literal, or the run parameter a "$name" refers to."""
        return self.params[number[1:]] if isinstance(number, str) and number.startswith("$") else number

    def selection(self, select: Select, **extra: Any) -> Selection:
        filters = tuple(f.resolved(self.params) for f in select.filters)
        return Selection(self.scopes[select.layer], filters, **extra)  # KeyError, not unscoped rows

    def where(self, select: Select, alias: str, params: Params, in_area: bool = True) -> sql.Composed:
        chosen = self.selection(select)
        return sqlparts.where(chosen.scope, self.area if in_area else None, chosen.filters, alias, params)


def label_of(spec: LayerSpec, alias: str) -> sql.Composable:
    return sql.Identifier(alias, spec.label_field) if spec.label_field else sql.Identifier(alias, spec.id_field)


def feature_label(spec: LayerSpec, label: Any, properties: dict) -> str:
    """A feature's human label: its label field, else its kind's vocabulary label and its time (never an id)."""
    if spec.label_field:
        return str(label)
    parts = []
    record = spec.records.get("kind")
    if record is not None and record.vocabulary is not None and properties.get("kind") in record.vocabulary:
        parts.append(record.vocabulary.label(properties["kind"]))
    if spec.datetime_field and properties.get(spec.datetime_field):
        parts.append(local_time(properties[spec.datetime_field]))
    return " ".join(parts) or f"{spec.title} {label}"


def feature(geometry: str | dict, step: Step, **properties: Any) -> dict:
    geometry = json.loads(geometry) if isinstance(geometry, str) else geometry
    return {"type": "Feature", "geometry": geometry, "properties": {"step": step.id, **properties}}


def aggregate(step: Aggregate, ctx: RunContext) -> tuple[list, dict, list]:
    """Counts and sums by group (labelled from the vocabularies), with densities per km² or per road km, the share
    matching filters and a ratio of two sums. On a commune run "by commune" is that commune only: lines and
    polygons entering it from a neighbour are counted with it (their part inside it), never as the neighbour."""
    group_by = _group_by(step, ctx)
    selection = ctx.selection(step.select, group_by=group_by, sums=step.sums)
    result = queries.aggregate(ctx.area, [selection], want_communes=False)
    names = {c["code"]: c for c in ctx.communes}
    rows = []
    for row in sorted(result["rows"], key=lambda r: (-r["n"], str(r["grp"]))):
        key = _group_key(step, ctx, row["grp"])
        vi, en = group_labels(step, selection.spec, key, names)
        rows.append({"key": key, "label": vi, "label_en": en, "count": row["n"], **_round(row["sums"] or {})})
    totals = {"count": sum(r["count"] for r in rows)}
    for name in step.sums:
        totals[name] = round(sum(r.get(name) or 0 for r in rows), 2)
    if step.density:
        _densities(step, ctx, rows, totals)
    if step.share:
        _shares(step, ctx, rows, totals)
    if step.ratio:
        num, den = step.ratio
        for target in (*rows, totals):
            target["ratio"] = round(target[num] / target[den], 4) if target.get(den) else None
    if step.fresh_hours is not None:
        _group_times(step, ctx, selection, rows, totals)
    features = []
    if step.on_map:
        page = queries.features_page(ctx.area, selection, MAP_CAP, 0)
        features = [feature(f["geometry"], step, id=f["id"], **f["properties"]) for f in page["features"]]
    return rows, totals, features


def _group_by(step: Aggregate, ctx: RunContext) -> str | None:
    """The grouping the SQL uses: none on a commune run grouped by commune (the run's commune is the one group)."""
    return None if step.group_by == "commune" and ctx.area.kind == "commune" else step.group_by


def _group_key(step: Aggregate, ctx: RunContext, grp: Any) -> str:
    if step.group_by == "commune" and ctx.area.kind == "commune":
        return ctx.area.commune_code
    return "" if grp is None else str(grp)


def group_labels(step: Step, spec: LayerSpec, key: str, communes: dict[str, dict]) -> tuple[str, str]:
    """(Vietnamese, English) label of a group key: the commune's name, the vocabulary's label, else the key."""
    group_by = getattr(step, "group_by", None)
    if group_by == "commune":
        name = communes[key]["name"] if key in communes else key
        return name, name
    record = spec.records.get(group_by) if group_by else None
    vocabulary = record.vocabulary if record is not None else None
    if vocabulary is not None:
        typed = next((v for v in vocabulary.keys if str(v) == key), None)
        if typed is not None:
            return vocabulary.label(typed, "vi"), vocabulary.label(typed, "en")
    return key, key


def _group_times(step: Aggregate, ctx: RunContext, selection: Selection, rows: list[dict], totals: dict) -> None:
    """Each group's newest data time and whether it is within the step's freshness limit."""
    params = Params()
    spec = selection.spec
    time = sql.Identifier("t", spec.datetime_field or "updated_at")
    statement = sql.SQL(
        "WITH {area} SELECT {grp} AS grp, max({time}) FROM {table} AS t CROSS JOIN area WHERE {where} GROUP BY 1"
    ).format(
        area=sqlparts.area_cte(ctx.area, params),
        grp=queries.group_expression(selection),
        time=time,
        table=sql.Identifier(spec.table),
        where=sqlparts.where(selection.scope, ctx.area, selection.filters, "t", params),
    )
    found = {_group_key(step, ctx, g): at for g, at in queries.fetch(statement, params.values)}
    for row in rows:
        at = found.get(row["key"])
        row["as_of"] = at.isoformat() if at else None
        row["fresh"] = freshness.is_fresh(at, step, ctx.params)
    newest = max((at for at in found.values() if at), default=None)
    totals["as_of"] = newest.isoformat() if newest else None


def _round(values: dict) -> dict:
    return {k: round(v, 2) if isinstance(v, float) else (v or 0) for k, v in values.items()}


def _densities(step: Aggregate, ctx: RunContext, rows: list[dict], totals: dict) -> None:
    """Density of the count per km² of area (per commune when grouped by commune) or per km of road."""
    if step.density == "km2":
        divisor = {c["code"]: c["area_km2"] for c in ctx.communes} if step.group_by == "commune" else {}
        total_divisor = ctx.area_km2
        unit = "per_km2"
    else:
        roads = Select("roads")
        grouped = _group_by(step, ctx) == "commune"
        result = queries.aggregate(
            ctx.area,
            [ctx.selection(roads, group_by="commune" if grouped else None, sums=("clipped_length_m",))],
            want_communes=False,
        )
        divisor = (
            {str(r["grp"]): (r["sums"]["clipped_length_m"] or 0) / 1000 for r in result["rows"]} if grouped else {}
        )
        total_divisor = sum((r["sums"]["clipped_length_m"] or 0) for r in result["rows"]) / 1000
        unit = "per_road_km"
        totals["road_km"] = round(total_divisor, 3)
    for row in rows:
        base = divisor.get(row["key"], total_divisor if not divisor else 0)
        row[unit] = round(row["count"] / base, 4) if base else None
        if step.density == "road_km" and divisor:
            row["road_km"] = round(base, 3)
    totals[unit] = round(totals["count"] / total_divisor, 4) if total_divisor else None


def _shares(step: Aggregate, ctx: RunContext, rows: list[dict], totals: dict) -> None:
    params = Params()
    selection = ctx.selection(step.select, group_by=_group_by(step, ctx))
    spec = selection.spec
    cond = sqlparts.filter_predicate(spec, tuple(f.resolved(ctx.params) for f in step.share), "t", params)
    statement = sql.SQL("WITH {area} {body}").format(
        area=sqlparts.area_cte(ctx.area, params),
        body=sql.SQL(SQL["share_part"]).format(
            grp=queries.group_expression(selection),
            cond=cond,
            table=sql.Identifier(spec.table),
            where=sqlparts.where(selection.scope, ctx.area, selection.filters, "t", params),
        ),
    )
    found = {_group_key(step, ctx, g): (n, float(pct)) for g, n, pct in queries.fetch(statement, params.values)}
    matched = 0.0
    for row in rows:
        n, pct = found.get(row["key"], (0, 0.0))
        row["share_pct"] = round(pct, 2)
        matched += n * pct / 100
    totals["share_pct"] = round(100 * matched / totals["count"], 2) if totals["count"] else 0.0


def proximity(step: Proximity, ctx: RunContext) -> tuple[list, dict, list]:
    """For each source feature: targets within the radius (by category if asked) and the nearest target."""
    params = Params()
    source, target = registry.get(step.source.layer), registry.get(step.target.layer)
    radius = float(ctx.value(step.radius_m))
    r = params.add(radius, "radius")
    expand = sql.SQL(
        "ST_Expand(s.{g}, {r} / (111320.0 * cos(radians(least(89.0, greatest(abs(ST_YMin(s.{g})), abs(ST_YMax(s.{g})))"
        " + {r} / 110574.0)))) * 1.01, {r} / 110574.0 * 1.01)"
    ).format(g=sql.Identifier(source.geometry_field), r=r)
    twhere = ctx.where(step.target, "t", params, in_area=False)
    within_by = sql.SQL("NULL::json")
    if step.target_group_by:
        within_by = sql.SQL(SQL["within_by"]).format(
            tgroup=sql.Identifier(step.target_group_by),
            target=sql.Identifier(target.table),
            twhere=twhere,
            tgeom=sql.Identifier(target.geometry_field),
            expand=expand,
            sgeom=sql.Identifier(source.geometry_field),
            radius=r,
        )
    statement = sql.SQL(SQL["proximity"]).format(
        area=sqlparts.area_cte(ctx.area, params),
        sid=sql.Identifier(source.id_field),
        slabel=label_of(source, "s"),
        sgeom=sql.Identifier(source.geometry_field),
        sprops=queries.properties_json(source, "s"),
        scommune=sql.Identifier(source.commune_field),
        target=sql.Identifier(target.table),
        twhere=twhere,
        twhere2=twhere,
        tgeom=sql.Identifier(target.geometry_field),
        expand=expand,
        radius=r,
        within_by=within_by,
        tid=sql.Identifier(target.id_field),
        tlabel=label_of(target, "t"),
        source=sql.Identifier(source.table),
        swhere=ctx.where(step.source, "s", params),
        cap=params.add(ROW_CAP + 1, "cap"),
    )
    rows, features = [], []
    for fid, label, geometry, props, commune, within, by, near_id, near_label, near_m in queries.fetch(
        statement, params.values
    ):
        props = queries.decode(props) or {}
        row = {
            "key": str(fid),
            "label": feature_label(source, label, props),
            "commune": commune,
            **({"at": local_time(props[source.datetime_field])} if props.get(source.datetime_field) else {}),
            "within": within,
            "covered": within > 0,
            "within_by": queries.decode(by) or {},
            "nearest_id": near_id,
            "nearest_label": near_label,
            "nearest_distance_m": round(near_m, 1) if near_m is not None else None,
        }
        rows.append(row)
        features.append(
            feature(
                geometry,
                step,
                id=fid,
                label=label,
                covered=row["covered"],
                within=within,
                nearest_distance_m=row["nearest_distance_m"],
            )
        )
    covered = sum(r["covered"] for r in rows)
    totals = {
        "count": len(rows),
        "covered": covered,
        "uncovered": len(rows) - covered,
        "radius_m": radius,
        "coverage_pct": round(100 * covered / len(rows), 2) if rows else None,
    }
    return rows, totals, features


def overlay(step: Overlay, ctx: RunContext) -> tuple[list, dict, list]:
    """Overlaps of source and target features whose attributes differ, with the overlap area."""
    params = Params()
    source, target = registry.get(step.source.layer), registry.get(step.target.layer)
    statement = sql.SQL(SQL["overlay"]).format(
        area=sqlparts.area_cte(ctx.area, params),
        sid=sql.Identifier(source.id_field),
        zid=sql.Identifier(target.id_field),
        slabel=label_of(source, "s"),
        zlabel=label_of(target, "z"),
        sfield=sql.Identifier(step.differ[0]),
        zfield=sql.Identifier(step.differ[1]),
        scommune=sql.Identifier(source.commune_field),
        sgeom=sql.Identifier(source.geometry_field),
        zgeom=sql.Identifier(target.geometry_field),
        source=sql.Identifier(source.table),
        target=sql.Identifier(target.table),
        swhere=ctx.where(step.source, "s", params),
        zwhere=ctx.where(step.target, "z", params, in_area=False),
        min_overlap=params.add(float(ctx.value(step.min_overlap_m2))),
        cap=params.add(ROW_CAP + 1, "cap"),
    )
    rows, features = [], []
    for fid, zid, label, zlabel, value, zvalue, commune, overlap, geometry in queries.fetch(statement, params.values):
        rows.append(
            {
                "key": f"{fid}/{zid}",
                "label": f"{label} / {zlabel}",
                "source_id": fid,
                "target_id": zid,
                "source_value": value,
                "target_value": zvalue,
                "commune": commune,
                "overlap_m2": round(overlap, 1),
            }
        )
        features.append(
            feature(
                geometry,
                step,
                source_id=fid,
                target_id=zid,
                source_value=value,
                target_value=zvalue,
                overlap_m2=round(overlap, 1),
            )
        )
    totals = {
        "count": len(rows),
        "overlap_m2": round(sum(r["overlap_m2"] for r in rows), 1),
        "sources": len({r["source_id"] for r in rows}),
    }
    return rows, totals, features
