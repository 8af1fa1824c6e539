"""Executors of the step kinds the sector scenarios of issue 15 added: Load, Snapped, Outside, Reach.

Rows of features carry the commune's code and name and a label that names the commune, so every alert text says
where it is."""

from __future__ import annotations

import operator
from pathlib import Path
from typing import Any

from psycopg import sql

from geodata.sqlfiles import load_sql
from layers.registry import LayerSpec, registry
from scenarios import queries, sqlparts
from scenarios.specs import Load, Outside, Reach, Snapped
from scenarios.sqlparts import Params
from scenarios.steps.spatial import MAP_CAP, ROW_CAP, RunContext, feature, label_of

SQL = load_sql(Path(__file__).with_name("operations.sql"))
COMPARE = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
PERIODS = {"month": "YYYY-MM", "quarter": 'YYYY-"Q"Q'}
ZONE = "Asia/Ho_Chi_Minh"


def named(label: str | None, commune_name: str | None) -> str:
    """A feature's label with its commune: "Trường TH A (Phường B)"."""
    return f"{label} ({commune_name})" if commune_name else str(label)


def _communes() -> dict[str, sql.Composable]:
    spec = registry.get("communes")
    return {
        "communes": sql.Identifier(spec.table),
        "ccode": sql.Identifier(spec.commune_field),
        "cname": sql.Identifier(spec.label_field),
    }


def _date(spec: LayerSpec, field: str, alias: str) -> sql.Composable:
    """A date or datetime column as the province's calendar date."""
    column = sql.Identifier(alias, field)
    if spec.field_type(field) == "DateField":
        return column
    return sql.SQL("({} AT TIME ZONE {})::date").format(column, sql.Literal(ZONE))


def _row_label(spec: LayerSpec, alias: str, prefix: str) -> sql.Composable:
    """The feature's label field, else "prefix #id"."""
    if spec.label_field:
        return label_of(spec, alias)
    return sql.SQL("{} || ' #' || {}").format(sql.Literal(prefix or spec.title), sql.Identifier(alias, spec.id_field))


def load(step: Load, ctx: RunContext) -> tuple[list, dict, list]:
    """The numerator per unit of each denominator, per feature or group, with shortfalls against the norms."""
    params = Params()
    spec = registry.get(step.select.layer)
    names = step.metrics or tuple(f"per_{d}" for d in step.denominators)
    norms = [float(ctx.value(n)) if n is not None else None for n in step.norms] + [None] * len(step.denominators)
    num = sql.Identifier("t", step.numerator)
    sums = [sql.SQL(", sum(t.{})").format(sql.Identifier(d)) for d in step.denominators]
    shortfalls = [
        sql.SQL(", sum(greatest(0, ceil({n}::float8 / {norm}) - t.{d}))").format(
            n=num, norm=params.add(norm, "norm"), d=sql.Identifier(d)
        )
        if norm
        else sql.SQL(", NULL::float8")
        for d, norm in zip(step.denominators, norms)
    ]
    per_feature = step.group_by is None
    if per_feature:
        key, label = sql.Identifier("t", spec.id_field), label_of(spec, "t")
    elif step.group_by == "commune":
        key, label = sql.Identifier("t", spec.commune_field), sql.SQL("c.{}").format(_communes()["cname"])
    else:
        key, label = sql.Identifier("t", step.group_by), sql.SQL("NULL")
    geometry = sql.SQL("NULL::text")
    if per_feature and step.on_map and not step.only:  # with `only`, the kept rows' shapes are read after
        geometry = sql.SQL("max(ST_AsGeoJSON(t.{}, 7))").format(sql.Identifier(spec.geometry_field))
    statement = sql.SQL(SQL["load"]).format(
        area=sqlparts.area_cte(ctx.area, params),
        key=key,
        label=label,
        tcommune=sql.Identifier(spec.commune_field),
        num=sql.Identifier(step.numerator),
        geometry=geometry,
        columns=sql.SQL("").join(sums + shortfalls),
        table=sql.Identifier(spec.table),
        where=ctx.where(step.select, "t", params),
        **_communes(),
    )
    vocabulary = None if per_feature or step.group_by == "commune" else spec.attribute(step.group_by).vocabulary
    rows = []
    width = len(step.denominators)
    for key_value, label_value, commune, commune_name, n, total, geom, *columns in queries.fetch(
        statement, params.values
    ):
        den_sums, shortages = columns[:width], columns[width:]
        if vocabulary is not None:
            label_value = next((v.vi for v in vocabulary.values if str(v.value) == key_value), key_value)
        row = {
            "key": key_value or "",
            "label": named(label_value, commune_name) if per_feature else (label_value or key_value or ""),
            "commune": commune if per_feature or step.group_by == "commune" else None,
            "features": n,
            step.numerator: total or 0,
        }
        _ratios(row, step, names, den_sums, shortages, norms)
        rows.append(row | ({"_geometry": geom} if geom is not None else {}))
    totals = {"count": len(rows), "features": sum(r["features"] for r in rows), step.numerator: 0}
    for row in rows:
        totals[step.numerator] += row[step.numerator]
    sums = [sum(r[d] for r in rows) for d in step.denominators]
    shorts = [sum(r[f"shortage_{d}"] for r in rows) if norm else None for d, norm in zip(step.denominators, norms)]
    _ratios(totals, step, names, sums, shorts, norms)
    if step.only:
        metric, op, value = step.only
        limit = float(ctx.value(value))
        rows = [r for r in rows if r[metric] is not None and COMPARE[op](r[metric], limit)]
        totals["matching"] = len(rows)
    first = names[0] if names else None
    lowest_first = bool(step.only) and step.only[1] in ("lt", "lte")  # the slowest segments first
    rows.sort(key=lambda r: ((r.get(first) or 0) * (1 if lowest_first else -1) if first else 0, r["key"]))
    rows = rows[:ROW_CAP]
    return [{k: v for k, v in r.items() if k != "_geometry"} for r in rows], totals, _load_features(step, spec, rows)


def _load_features(step: Load, spec: LayerSpec, rows: list[dict]) -> list[dict]:
    """Map features of a per-feature Load (shapes read here for the rows `only` kept)."""
    if step.group_by is not None or not step.on_map:
        return []
    rows = rows[:MAP_CAP]
    shapes = {str(r["key"]): r.get("_geometry") for r in rows}
    if step.only and rows:
        statement = sql.SQL("SELECT {id}::text, ST_AsGeoJSON({geom}, 7) FROM {table} WHERE {id} = ANY(%(ids)s)").format(
            id=sql.Identifier(spec.id_field), geom=sql.Identifier(spec.geometry_field), table=sql.Identifier(spec.table)
        )
        shapes = dict(queries.fetch(statement, {"ids": [int(r["key"]) for r in rows]}))
    names = step.metrics or tuple(f"per_{d}" for d in step.denominators)
    return [feature(shapes[r["key"]], step, id=r["key"], label=r["label"], **{m: r[m] for m in names}) for r in rows]


def _ratios(row: dict, step: Load, names: tuple, den_sums: list, shortages: list, norms: list) -> None:
    """Fill a row's denominators, ratios and shortfalls."""
    for den, name, den_sum, shortage, norm in zip(step.denominators, names, den_sums, shortages, norms):
        row[den] = den_sum or 0
        row[name] = round(row[step.numerator] / den_sum, 3) if den_sum else None
        if norm:
            row[f"shortage_{den}"] = int(shortage or 0)


def snapped(step: Snapped, ctx: RunContext) -> tuple[list, dict, list]:
    """Events snapped to the nearest target line within within_m, counted per target feature and period."""
    params = Params()
    source, target = registry.get(step.source.layer), registry.get(step.target.layer)
    within = float(ctx.value(step.within_m))
    when = sql.Identifier("s", source.datetime_field)
    if source.field_type(source.datetime_field) != "DateField":
        when = sql.SQL("({} AT TIME ZONE {})").format(when, sql.Literal(ZONE))
    statement = sql.SQL(SQL["snapped"]).format(
        area=sqlparts.area_cte(ctx.area, params),
        sid=sql.Identifier(source.id_field),
        period=sql.SQL("to_char({}, {})").format(when, sql.Literal(PERIODS[step.period])),
        source=sql.Identifier(source.table),
        sgeom=sql.Identifier(source.geometry_field),
        tid=sql.Identifier(target.id_field),
        tlabel=_row_label(target, "t", ""),
        tgeom=sql.Identifier(target.geometry_field),
        tcommune=sql.Identifier(target.commune_field),
        target=sql.Identifier(target.table),
        twhere=ctx.where(step.target, "t", params, in_area=False),
        swhere=ctx.where(step.source, "s", params),
        degrees=params.add(within / 90_000.0, "deg"),  # a degree is more than 90 km here, so this box holds the circle
        within=params.add(within, "within"),
        min_count=params.add(int(ctx.value(step.min_count)), "minc"),
        **_communes(),
    )
    found = queries.fetch_json(statement, params.values)
    rows, features = [], []
    for item in found["rows"]:
        row = {
            "key": str(item["id"]),
            "label": named(item["label"], item["commune_name"]),
            "commune": item["commune"],
            "count": item["count"],
            "by_period": item["by_period"],
            "worst_period": max(item["by_period"].items(), key=lambda kv: (kv[1], kv[0]))[0],
        }
        rows.append(row)
        if len(features) < MAP_CAP:
            features.append(feature(item["geometry"], step, id=item["id"], label=row["label"], count=row["count"]))
    totals = {"events": found["events"], "features": found["features"], "count": len(rows), "within_m": within}
    return rows[:ROW_CAP], totals, features


def outside(step: Outside, ctx: RunContext) -> tuple[list, dict, list]:
    """Source features inside no target in force at their date: outside every target, or after its validity."""
    params = Params()
    source, target = registry.get(step.source.layer), registry.get(step.target.layer)
    sdate = _date(source, source.datetime_field, "s") if source.datetime_field else sql.SQL("NULL::date")
    conditions = [sql.SQL("TRUE")]
    if step.valid_from:
        conditions.append(sql.SQL("t.{f} <= {d}").format(f=sql.Identifier(step.valid_from), d=sdate))
    if step.valid_until:
        conditions.append(sql.SQL("{d} <= t.{f}").format(f=sql.Identifier(step.valid_until), d=sdate))
    twhere = ctx.where(step.target, "t", params, in_area=False)
    statement = sql.SQL(SQL["outside"]).format(
        area=sqlparts.area_cte(ctx.area, params),
        sid=sql.Identifier(source.id_field),
        slabel=_row_label(source, "s", step.label),
        scommune=sql.Identifier(source.commune_field),
        sdate=sdate,
        sgeom=sql.Identifier(source.geometry_field),
        tid=sql.Identifier(target.id_field),
        tlabel=_row_label(target, "t", ""),
        tuntil=sql.Identifier("t", step.valid_until) if step.valid_until else sql.SQL("NULL"),
        target=sql.Identifier(target.table),
        tgeom=sql.Identifier(target.geometry_field),
        twhere=twhere,
        twhere2=twhere,
        in_force=sql.SQL(" AND ").join(conditions),
        source=sql.Identifier(source.table),
        swhere=ctx.where(step.source, "s", params),
        **_communes(),
    )
    checked, rows, features = 0, [], []
    for fid, label, commune, commune_name, on_date, geometry, containing, in_force in queries.fetch(
        statement, params.values
    ):
        checked += 1
        if in_force:
            continue
        containing = queries.decode(containing) or []
        row = {
            "key": str(fid),
            "label": named(label, commune_name),
            "commune": commune,
            "date": on_date.isoformat() if on_date else None,
            "outside": 0 if containing else 1,
            "expired": 1 if containing else 0,
            "targets": [t["label"] for t in containing],
        }
        rows.append(row)
        if len(features) < MAP_CAP:
            features.append(feature(geometry, step, id=fid, label=row["label"], outside=row["outside"]))
    totals = {
        "checked": checked,
        "count": len(rows),
        "outside": sum(r["outside"] for r in rows),
        "expired": sum(r["expired"] for r in rows),
    }
    return rows[:ROW_CAP], totals, features


def reach(step: Reach, ctx: RunContext) -> tuple[list, dict, list]:
    """Distance and travel time from each source feature to its nearest target, and whether it is covered."""
    params = Params()
    source, target = registry.get(step.source.layer), registry.get(step.target.layer)
    statement = sql.SQL(SQL["reach"]).format(
        area=sqlparts.area_cte(ctx.area, params),
        sid=sql.Identifier(source.id_field),
        slabel=_row_label(source, "s", step.label),
        scommune=sql.Identifier(source.commune_field),
        sgeom=sql.Identifier(source.geometry_field),
        source=sql.Identifier(source.table),
        tid=sql.Identifier(target.id_field),
        tlabel=_row_label(target, "t", ""),
        tgeom=sql.Identifier(target.geometry_field),
        target=sql.Identifier(target.table),
        twhere=ctx.where(step.target, "t", params, in_area=False),
        swhere=ctx.where(step.source, "s", params),
        **_communes(),
    )
    limits = _reach_limits(step, ctx)
    items, features = [], []
    for fid, label, commune, commune_name, geometry, near_id, near_label, near_m in queries.fetch(
        statement, params.values
    ):
        item = _reached(fid, named(label, commune_name), commune, commune_name, near_id, near_label, near_m, limits)
        items.append(item)
        if len(features) < MAP_CAP:
            features.append(
                feature(geometry, step, id=fid, label=item["label"], covered=item["covered"], minutes=item["minutes"])
            )
    rows = _by_commune(items) if step.by_commune else items
    totals = _reach_summary(items) | {k: v for k, v in limits.items() if v is not None}
    return rows[:ROW_CAP], totals, features


def _reach_limits(step: Reach, ctx: RunContext) -> dict[str, float | None]:
    def number(value: Any) -> float | None:
        return None if value is None else float(ctx.value(value))

    return {
        "speed_kmh": number(step.speed_kmh),
        "detour": number(step.detour),
        "max_m": number(step.max_m),
        "max_minutes": number(step.max_minutes),
    }


def _reached(fid, label, commune, commune_name, near_id, near_label, near_m, limits: dict) -> dict[str, Any]:
    """One source feature's nearest target, minutes to it and coverage (no target at all: not covered)."""
    minutes = None
    if near_m is not None and limits["speed_kmh"]:
        minutes = round(near_m * (limits["detour"] or 1.0) / (limits["speed_kmh"] * 1000 / 60), 1)
    covered = near_m is not None
    if covered and limits["max_m"] is not None:
        covered = near_m <= limits["max_m"]
    if covered and limits["max_minutes"] is not None:
        covered = minutes is not None and minutes <= limits["max_minutes"]
    return {
        "key": str(fid),
        "label": label,
        "commune": commune,
        "commune_name": commune_name,
        "nearest_id": near_id,
        "nearest_label": near_label,
        "distance_m": round(near_m, 1) if near_m is not None else None,
        "minutes": minutes,
        "covered": covered,
        "uncovered": 0 if covered else 1,
    }


def _reach_summary(items: list[dict]) -> dict[str, Any]:
    covered = sum(1 for i in items if i["covered"])
    distances = [i["distance_m"] for i in items if i["distance_m"] is not None]
    minutes = [i["minutes"] for i in items if i["minutes"] is not None]
    return {
        "count": len(items),
        "covered": covered,
        "uncovered": len(items) - covered,
        "coverage_pct": round(100 * covered / len(items), 2) if items else None,
        "max_distance_m": max(distances) if distances else None,
        "longest_minutes": max(minutes) if minutes else None,
    }


def _by_commune(items: list[dict]) -> list[dict]:
    """Reach rows summed per commune (label: the commune's name)."""
    groups: dict[str, list[dict]] = {}
    for item in items:
        groups.setdefault(item["commune"] or "", []).append(item)
    rows = [
        {"key": code, "label": group[0]["commune_name"] or code, "commune": code or None} | _reach_summary(group)
        for code, group in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r["uncovered"], r["key"]))


EXECUTORS = {Load: load, Snapped: snapped, Outside: outside, Reach: reach}
