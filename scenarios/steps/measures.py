"""More step executors: sensor exceedances (with the violation log), raster thresholds, clusters, ratios, costs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from psycopg import sql

from layers.registry import registry
from scenarios import freshness, queries, rastersample, sqlparts
from scenarios.specs import Clusters, Derived, Exceedance, FeatureRatio, RasterThreshold
from scenarios.sqlparts import Params
from scenarios.steps.flood import flooded, group_flooded, point_rows
from scenarios.steps.spatial import MAP_CAP, ROW_CAP, RunContext, feature, label_of
from scenarios.times import local_time

SQL = queries.SQL


def _window(step: Exceedance, ctx: RunContext) -> tuple[dt.datetime, dt.datetime]:
    """The observation window: `hours` ending at `until`, by default now (a feed that stopped, or a sample
    recorded a month ago, is judged by the freshness rule as "no recent data", never as a current alarm)."""
    end = freshness.reference_time(ctx.params)
    return end - dt.timedelta(hours=float(ctx.value(step.hours))), end


def exceedance(step: Exceedance, ctx: RunContext) -> tuple[list, dict, list]:
    """Readings over each sensor's threshold in the window, attributed to the nearest group feature."""
    params = Params()
    spec = registry.get(step.select.layer)
    relation = spec.model._meta.get_field(step.observations)
    readings = relation.related_model
    since, until = _window(step, ctx)
    group_lookup = sql.SQL("SELECT NULL::bigint AS id, NULL::text AS label")
    if step.group_layer:
        groups = registry.get(step.group_layer)
        group_lookup = sql.SQL(SQL["group_lookup"]).format(
            gid=sql.Identifier(groups.id_field),
            glabel=label_of(groups, "p"),
            groups=sql.Identifier(groups.table),
            ggeom=sql.Identifier(groups.geometry_field),
            within=params.add(step.group_within_m, "within"),
        )
    statement = sql.SQL(SQL["exceedance"]).format(
        area=sqlparts.area_cte(ctx.area, params),
        sid=sql.Identifier(spec.id_field),
        code=sql.Identifier("code"),
        name=sql.Identifier("name"),
        parameter=sql.Identifier("parameter"),
        unit=sql.Identifier("unit"),
        threshold=sql.Identifier("threshold"),
        scommune=sql.Identifier(spec.commune_field),
        sgeom=sql.Identifier(spec.geometry_field),
        sensors=sql.Identifier(spec.table),
        swhere=ctx.where(step.select, "t", params),
        observations=sql.Identifier(readings._meta.db_table),
        fk=sql.Identifier(relation.field.column),
        observed_at=sql.Identifier("observed_at"),
        value=sql.Identifier("value"),
        since=params.add(since, "since"),
        until=params.add(until, "until"),
        group_lookup=group_lookup,
        latest_only=sql.Literal(step.latest_only),
        cap=params.add(ROW_CAP + 1, "cap"),
    )
    newest = _sensor_newest(step, ctx, spec, readings, relation, until)
    rows, features = [], []
    for sid, code, name, parameter, unit, threshold, commune, at, value, geometry, gid, glabel in queries.fetch(
        statement, params.values
    ):
        row = {
            "key": f"{code}@{at.isoformat()}",
            "label": name,
            "sensor_id": sid,
            "sensor": code,
            "parameter": parameter,
            "unit": unit,
            "threshold": threshold,
            "value": value,
            "exceed_pct": round(100 * (value - threshold) / threshold, 1) if threshold else None,
            "observed_at": at.isoformat(),
            "at": local_time(at),
            "as_of": newest[code].isoformat() if newest.get(code) else None,
            "fresh": freshness.is_fresh(newest.get(code), step, ctx.params),
            "commune": commune,
            "group_id": gid,
            "group": glabel,
        }
        rows.append(row)
        if len(features) < MAP_CAP and not any(f["properties"]["sensor"] == code for f in features):
            features.append(
                feature(geometry, step, sensor=code, label=name, value=value, threshold=threshold, group=glabel)
            )
    totals = {
        "count": len(rows),
        "sensors": len({r["sensor"] for r in rows}),
        "since": since.isoformat(),
        "until": until.isoformat(),
        "groups": sorted({r["group"] for r in rows if r["group"]}),
        "as_of": max((t for t in newest.values() if t), default=None),
        "stations": len(newest),
        "stale_sensors": sorted(c for c, t in newest.items() if not freshness.is_fresh(t, step, ctx.params)),
    }
    totals["fresh"] = len(totals["stale_sensors"]) < len(newest)
    totals["as_of"] = totals["as_of"].isoformat() if totals["as_of"] else None
    if step.log and rows:
        totals["logged"] = log_violations(rows, ctx)
    return rows, totals, features


def _sensor_newest(step: Exceedance, ctx: RunContext, spec, readings, relation, until) -> dict[str, Any]:
    """{sensor code: its newest reading time up to the window's end} of every selected sensor in the area."""
    params = Params()
    statement = sql.SQL(SQL["sensor_newest"]).format(
        area=sqlparts.area_cte(ctx.area, params),
        sid=sql.Identifier(spec.id_field),
        code=sql.Identifier("code"),
        name=sql.Identifier("name"),
        observations=sql.Identifier(readings._meta.db_table),
        fk=sql.Identifier(relation.field.column),
        observed_at=sql.Identifier("observed_at"),
        until=params.add(until, "until"),
        sensors=sql.Identifier(spec.table),
        swhere=ctx.where(step.select, "t", params),
    )
    return {code: at for _sid, code, _name, at in queries.fetch(statement, params.values)}


def log_violations(rows: list[dict], ctx: RunContext) -> int:
    """Persist readings over threshold in the violation log, once per sensor and time; returns new entries."""
    from scenarios.models import ViolationLog

    entries = [
        ViolationLog(
            sensor_id=r["sensor_id"],
            sensor_code=r["sensor"],
            parameter=r["parameter"],
            unit=r["unit"] or "",
            park_id=r["group_id"],
            park_name=r["group"] or "",
            commune_code=r["commune"] or "",
            observed_at=dt.datetime.fromisoformat(r["observed_at"]),
            value=r["value"],
            threshold=r["threshold"],
            run_id=ctx.params.get("_run_id"),
        )
        for r in rows
    ]
    before = ViolationLog.objects.count()
    ViolationLog.objects.bulk_create(entries, ignore_conflicts=True, batch_size=1000)
    return ViolationLog.objects.count() - before


def raster_threshold(step: RasterThreshold, ctx: RunContext) -> tuple[list, dict, list]:
    """Point features where the raster is at least the value (e.g. houses under > 0.5 m of water), by commune;
    with `stations`, the raster follows the water-level stations' current levels (scenarios.steps.flood)."""
    if step.stations is not None:
        return flooded(step, ctx)
    points = point_rows(step, ctx)
    try:
        sampled = rastersample.sample(step.raster, [(x, y) for _, x, y, _, _ in points])
    except rastersample.RasterMissing as missing:
        return [], {"count": 0, "checked": len(points), "raster_missing": str(missing)}, []
    minimum = float(ctx.value(step.min_value))
    hits = [(p, d) for p, d in zip(points, sampled) if d is not None and d >= minimum]
    rows, totals, features = group_flooded(step, ctx, hits)
    totals["checked"] = len(points)
    return rows, totals, features


def clusters(step: Clusters, ctx: RunContext) -> tuple[list, dict, list]:
    """Clusters of features within eps metres, their weight, outbreak zone and resources inside it."""
    params = Params()
    spec = registry.get(step.select.layer)
    zone = params.add(float(ctx.value(step.zone_radius_m)), "zone")
    resources = sql.SQL("NULL::json")
    if step.resources:
        rspec = registry.get(step.resources.layer)
        resources = sql.SQL(SQL["cluster_resources"]).format(
            rlabel=label_of(rspec, "t"),
            resources=sql.Identifier(rspec.table),
            rgeom=sql.Identifier(rspec.geometry_field),
            rwhere=ctx.where(step.resources, "t", params, in_area=False),
            zone=zone,
        )
    weight = sql.Identifier("t", step.weight) if step.weight else sql.SQL("1")
    statement = sql.SQL(SQL["clusters"]).format(
        area=sqlparts.area_cte(ctx.area, params),
        sid=sql.Identifier(spec.id_field),
        sgeom=sql.Identifier(spec.geometry_field),
        scommune=sql.Identifier(spec.commune_field),
        weight=weight,
        eps=params.add(float(ctx.value(step.eps_m)), "eps"),
        minpoints=params.add(int(ctx.value(step.min_points)), "minpoints"),
        source=sql.Identifier(spec.table),
        swhere=ctx.where(step.select, "t", params),
        zone=zone,
        resources=resources,
    )
    rows, features = [], []
    for number, (_cid, n, weight_sum, x, y, ids, zone_json, res, commune) in enumerate(
        queries.fetch(statement, params.values), 1
    ):
        res = queries.decode(res) or {"count": 0, "names": []}
        rows.append(
            {
                "key": str(number),
                "label": f"#{number}",
                "commune": ctx.area.commune_code if ctx.area.kind == "commune" else commune,
                "features": n,
                "weight": weight_sum,
                "centre": [round(x, 6), round(y, 6)],
                "feature_ids": list(ids),
                "resources": res["count"],
                "resource_names": res["names"][:20],
            }
        )
        features.append(feature(zone_json, step, cluster=number, weight=weight_sum, features=n, resources=res["count"]))
    totals = {
        "count": len(rows),
        "features": sum(r["features"] for r in rows),
        "weight": sum(r["weight"] or 0 for r in rows),
    }
    return rows, totals, features


def feature_ratio(step: FeatureRatio, ctx: RunContext) -> tuple[list, dict, list]:
    """numerator / denominator per feature (e.g. visitors today / capacity)."""
    params = Params()
    spec = registry.get(step.select.layer)
    statement = sql.SQL(SQL["feature_ratio"]).format(
        area=sqlparts.area_cte(ctx.area, params),
        id=sql.Identifier(spec.id_field),
        label=label_of(spec, "t"),
        num=sql.Identifier(step.numerator),
        den=sql.Identifier(step.denominator),
        commune=sql.Identifier(spec.commune_field),
        geom=sql.Identifier(spec.geometry_field),
        table=sql.Identifier(spec.table),
        where=ctx.where(step.select, "t", params),
        time=sql.Identifier(spec.datetime_field or "updated_at"),
        cap=params.add(ROW_CAP + 1, "cap"),
    )
    rows, features = [], []
    for fid, label, num, den, ratio, commune, geometry, at in queries.fetch(statement, params.values):
        ratio = round(ratio, 4) if ratio is not None else None
        rows.append(
            {
                "key": str(fid),
                "label": label,
                step.numerator: num,
                step.denominator: den,
                "ratio": ratio,
                "commune": commune,
                "as_of": at.isoformat() if at else None,
                "fresh": freshness.is_fresh(at, step, ctx.params),
            }
        )
        features.append(feature(geometry, step, id=fid, label=label, ratio=ratio))
    totals = {
        "count": len(rows),
        step.numerator: sum(r[step.numerator] or 0 for r in rows),
        step.denominator: sum(r[step.denominator] or 0 for r in rows),
    }
    totals["ratio"] = round(totals[step.numerator] / totals[step.denominator], 4) if totals[step.denominator] else None
    totals["as_of"] = max((r["as_of"] for r in rows if r["as_of"]), default=None)
    return rows, totals, features


def derived(step: Derived, ctx: RunContext) -> tuple[list, dict, list]:
    """Another step's metric times a factor, per row and in total (e.g. replacement cost)."""
    base = ctx.results[step.of]
    factor = float(ctx.value(step.factor))
    rows = [
        {
            "key": r["key"],
            "label": r["label"],
            step.metric: r.get(step.metric, 0),
            "value": round((r.get(step.metric) or 0) * factor, 2),
            "unit": step.unit,
        }
        for r in base["rows"]
    ]
    totals = {
        step.metric: base["totals"].get(step.metric, 0),
        "factor": factor,
        "value": round((base["totals"].get(step.metric) or 0) * factor, 2),
        "unit": step.unit,
        "as_of": base.get("freshness", {}).get("as_of"),
    }
    return rows, totals, []
