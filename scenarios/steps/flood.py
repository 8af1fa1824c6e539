"""The flood model tied to the water-level stations (RasterThreshold with `stations` and `bands`).

Each point (house) belongs to the reach of its nearest station (distance in UTM zone 48N, EPSG:32648, which
covers the province). The station's newest reading up to the run's reference time picks the inundation raster
of its level band: the last band whose offset the level exceeds the alarm level by; a level at or below the alarm
level floods nothing. A point is flooded when that raster's depth there is at least `min_value`. A station whose
newest reading is older than the step's freshness limit gives "no recent data" for its reach (neither flooded
nor dry). Only points where the deepest band reaches `min_value` are looked at further (one raster read).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from psycopg import sql
from pyproj import Transformer

from layers.registry import registry
from scenarios import freshness, queries, rastersample, sqlparts
from scenarios.specs import RasterThreshold
from scenarios.sqlparts import Params
from scenarios.steps.spatial import MAP_CAP, RunContext, feature, label_of

SQL = queries.SQL
TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)


def stations(step: RasterThreshold, ctx: RunContext) -> list[dict[str, Any]]:
    """Every selected station (province-wide: a reach crosses commune borders) with its newest level and band."""
    params = Params()
    spec = registry.get(step.stations.layer)
    relation = spec.model._meta.get_field("observations")
    end = freshness.reference_time(ctx.params)
    statement = sql.SQL(SQL["station_levels"]).format(
        sid=sql.Identifier(spec.id_field),
        code=sql.Identifier("code"),
        label=label_of(spec, "t"),
        threshold=sql.Identifier("threshold"),
        geom=sql.Identifier(spec.geometry_field),
        commune=sql.Identifier(spec.commune_field),
        observations=sql.Identifier(relation.related_model._meta.db_table),
        fk=sql.Identifier(relation.field.column),
        until=params.add(end, "until"),
        sensors=sql.Identifier(spec.table),
        swhere=ctx.where(step.stations, "t", params, in_area=False),
    )
    found = []
    for sid, code, name, threshold, x, y, commune, at, level in queries.fetch(statement, params.values):
        fresh = freshness.is_fresh(at, step, ctx.params)
        band = band_of(level, threshold, step.bands) if fresh else None
        found.append(
            {
                "id": sid,
                "code": code,
                "name": name,
                "threshold": threshold,
                "level": level,
                "observed_at": at.isoformat() if at else None,
                "fresh": fresh,
                "band": band,
                "x": x,
                "y": y,
                "commune": commune,
            }
        )
    return found


def nearest_station(xs: np.ndarray, ys: np.ndarray, found: list[dict]) -> np.ndarray:
    """Index into `found` of each point's nearest station (planar distance in EPSG:32648)."""
    px, py = TO_UTM.transform(xs, ys)
    sx, sy = TO_UTM.transform(np.array([s["x"] for s in found]), np.array([s["y"] for s in found]))
    d2 = (np.asarray(px)[:, None] - np.asarray(sx)[None, :]) ** 2 + (
        np.asarray(py)[:, None] - np.asarray(sy)[None, :]
    ) ** 2
    return np.argmin(d2, axis=1)


def flooded(step: RasterThreshold, ctx: RunContext) -> tuple[list, dict, list]:
    """Points whose station's current level band floods them at least min_value deep, by commune."""
    minimum = float(ctx.value(step.min_value))
    found = stations(step, ctx)
    deepest = step.bands[-1][1]
    try:
        # only houses in the cells where the deepest band reaches the depth can be flooded at all
        points = point_rows(step, ctx, rastersample.wet_cells(deepest, minimum))
        widest = rastersample.sample(deepest, [(x, y) for _, x, y, _, _ in points])
        candidates = [p for p, d in zip(points, widest) if d is not None and d >= minimum]
        depth = np.full(len(candidates), np.nan)
        reach = (
            nearest_station(np.array([p[1] for p in candidates]), np.array([p[2] for p in candidates]), found)
            if candidates and found
            else np.zeros(0, dtype=int)
        )
        for _, raster in step.bands:
            chosen = [i for i, s in enumerate(reach) if found[s]["band"] == raster]
            if chosen:
                values = rastersample.sample(raster, [candidates[i][1:3] for i in chosen])
                depth[chosen] = [np.nan if v is None else v for v in values]
    except rastersample.RasterMissing as missing:
        return [], {"count": 0, "raster_missing": str(missing), "fresh": False}, []
    unknown = sum(1 for s in reach if not found[s]["fresh"])
    hits = [(p, float(d), found[s]) for p, d, s in zip(candidates, depth, reach) if np.isfinite(d) and d >= minimum]
    rows, totals, features = group_flooded(step, ctx, [(p, d) for p, d, _ in hits])
    newest = max((s["observed_at"] for s in found if s["observed_at"]), default=None)
    totals |= {
        "checked": len(points),  # houses in the deepest band's wet cells
        "at_risk": len(candidates),
        "no_recent_data": unknown,
        "as_of": newest,
        "fresh": any(s["fresh"] for s in found),
        "stale_sensors": sorted(s["code"] for s in found if not s["fresh"]),
        "stations": [
            {k: s[k] for k in ("code", "name", "level", "threshold", "observed_at", "fresh", "band")} for s in found
        ],
    }
    for row in rows:
        row["as_of"] = newest
    return rows, totals, features


def band_of(level: float | None, threshold: float, bands: tuple[tuple[float, str], ...]) -> str | None:
    """The raster of a level's band: the last band whose offset the level exceeds the alarm level by."""
    if level is None or level <= threshold:
        return None
    return next((raster for offset, raster in reversed(bands) if level - threshold >= offset), None)


def point_rows(step: RasterThreshold, ctx: RunContext, cells: list | None = None) -> list[tuple]:
    """(id, lon, lat, commune, values to sum) of the step's point features in the area (only inside `cells`,
    lon/lat boxes, when given)."""
    params = Params()
    spec = registry.get(step.select.layer)
    values = (
        sql.SQL("json_build_object({})").format(
            sql.SQL(", ").join(sql.SQL("{}, {}").format(sql.Literal(n), sql.Identifier("t", n)) for n in step.sums)
        )
        if step.sums
        else sql.SQL("NULL::json")
    )
    boxes = {}
    if cells is not None:
        boxes = {name: params.add([c[i] for c in cells], name) for i, name in enumerate(("x0", "y0", "x1", "y1"))}
    statement = sql.SQL(SQL["points" if cells is None else "points_in_cells"]).format(
        **boxes,
        area=sqlparts.area_cte(ctx.area, params),
        id=sql.Identifier(spec.id_field),
        geom=sql.Identifier(spec.geometry_field),
        commune=sql.Identifier(spec.commune_field),
        values=values,
        table=sql.Identifier(spec.table),
        where=ctx.where(step.select, "t", params),
    )
    return queries.fetch(statement, params.values)


def group_flooded(step: RasterThreshold, ctx: RunContext, hits: list[tuple]) -> tuple[list, dict, list]:
    """Rows by commune (count, sums, deepest value), totals and map features of the (point, value) hits."""
    minimum = float(ctx.value(step.min_value))
    names = {c["code"]: c["name"] for c in ctx.communes}
    groups: dict[str, dict[str, Any]] = {}
    features = []
    for (fid, x, y, commune, vals), depth in hits:
        if ctx.area.kind == "commune":
            commune = ctx.area.commune_code
        vals = queries.decode(vals) or {}
        group = groups.setdefault(
            commune,
            {"key": commune, "label": names.get(commune, commune), "count": 0, **dict.fromkeys(step.sums, 0)},
        )
        group["count"] += 1
        group["max_value"] = round(max(group.get("max_value", 0.0), depth), 3)
        for name in step.sums:
            group[name] += vals.get(name) or 0
        if len(features) < MAP_CAP:
            features.append(feature({"type": "Point", "coordinates": [x, y]}, step, id=fid, value=round(depth, 3)))
    rows = sorted(groups.values(), key=lambda g: (-g["count"], g["key"]))
    totals = {
        "count": sum(g["count"] for g in rows),
        "min_value": minimum,
        **{n: sum(g[n] for g in rows) for n in step.sums},
    }
    return rows, totals, features
