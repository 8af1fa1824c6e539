"""The layers app's SQL, run with bound parameters; identifiers come only from the registry."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import psycopg
from psycopg import sql

from geodata.crs import CrsDef
from layers.filters import FilterTranslator, coerce_text
from layers.params import ItemsQuery
from layers.pg_catalog import register_process_cache
from layers.registry import LayerSpec, registry
from layers.scoped import ScopedLayer
from layers.sqlfiles import load_sql
from layers.versioning import is_tracked, table_versions
from mapserver.dbrouter import connection  # the replica for safe requests, when one is configured
from mapserver.scoping import LayerAccess

SQL = load_sql(str(Path(__file__).with_name("queries.sql")))
FEATURES_SQL = load_sql(str(Path(__file__).with_name("features.sql")))
EXACT_COUNT_LIMIT = 1_000_000
ESTIMATE_TTL = 300.0
SPATIAL_FIRST_ROWS = 100_000  # bbox matches up to which the page is read through the spatial index
_COUNTS: dict[tuple, tuple] = {}  # what is kept under table versions (_kept, items counts) -> (version, value)
_ESTIMATES: dict[str, tuple[float, int]] = {}  # table -> (monotonic time, reltuples)
register_process_cache(_COUNTS.clear)
register_process_cache(_ESTIMATES.clear)
T = TypeVar("T")


def tracked_versions(tables: Sequence[str]) -> tuple[int, ...] | None:
    """The versions of the tables, in one query; None while any lacks the version trigger (nothing is kept)."""
    return table_versions(tables) if all(is_tracked(t) for t in tables) else None


def _kept(key: tuple, version: tuple[int, ...] | None, compute: Callable[[], T]) -> T:
    """compute()'s value, kept per process under `version` (the versions of the tables it reads; None: never
    kept): asked again with the same versions, nothing runs."""
    if version is None:
        return compute()
    known = _COUNTS.get(key)
    if known and known[0] == version:
        return known[1]
    value = compute()
    _COUNTS[key] = (version, value)
    return value


def communes_version() -> tuple[int, ...] | None:
    """The versions of the communes' tables (their GeoJSON's ETag)."""
    return tracked_versions(registry.get("communes").version_tables)


def communes_geojson(version: tuple[int, ...] | None = None) -> str:
    """The 95 communes as GeoJSON text; kept per process under their tables' `version` when one is given."""

    def read() -> str:
        with connection.cursor() as cursor:
            cursor.execute(SQL["communes_geojson"])
            return cursor.fetchone()[0]

    return _kept(("communes_geojson",), version, read)


def feature_counts(layers: Sequence[tuple[LayerSpec, LayerAccess]]) -> list[tuple[int, bool]]:
    """feature_count of each (layer, access), counted again only for layers whose tables changed since this process
    last counted them for that scope (the versions of every layer's tables read in one query). The catalogue asks
    on every page load; counting the 50 layers each time cost 40 ms of the database's time."""
    tables = list(dict.fromkeys(t for spec, _ in layers for t in spec.version_tables if is_tracked(t)))
    versions = dict(zip(tables, table_versions(tables))) if tables else {}
    return [
        _kept(
            ("feature_count", spec.table, access.cache_scope),
            tuple(versions[t] for t in spec.version_tables) if set(spec.version_tables) <= set(versions) else None,
            lambda spec=spec, access=access: feature_count(spec, access),
        )
        for spec, access in layers
    ]


def feature_count(spec: LayerSpec, access: LayerAccess) -> tuple[int, bool]:
    """(count, is_estimate) of the rows the access reads: exact below a million rows, else the planner's estimate
    (unscoped only)."""
    table = sql.Identifier(spec.table)
    with connection.cursor() as cursor:
        if not access.limited:
            cursor.execute(SQL["estimated_rows"], {"table": spec.table})
            estimate = cursor.fetchone()[0]
            if estimate >= EXACT_COUNT_LIMIT:
                return int(estimate), True
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(table).as_string(cursor.connection))
        else:
            params: dict = {}
            scope = ScopedLayer(spec, access).predicate("t", params)
            query = sql.SQL("SELECT count(*) FROM {} AS t WHERE {}").format(table, scope)
            cursor.execute(query.as_string(cursor.connection), params)
        return int(cursor.fetchone()[0]), False


def fetchone(statement: sql.Composable | str, params: dict) -> tuple | None:
    """Run one hot-path statement on Django's connection with server-side binding.

    Django's cursors bind on the client; a plain psycopg cursor binds on the server, so psycopg prepares a
    statement after a few runs on the same (persistent) connection and PostgreSQL skips parsing and planning.
    """
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()


def queryables(spec: LayerSpec, private: bool) -> dict[str, str]:
    """{attribute: record type (integer, number, string, boolean, date, datetime)} of what this caller may filter
    and sort on: the types the queryables document advertises."""
    names = spec.properties + (spec.private_properties if private else ())
    return {name: spec.attribute(name).type for name in names}


def geometry_sql(spec: LayerSpec, crs: CrsDef) -> sql.Composable:
    """The layer's geometry in the output CRS and axis order (stored as EPSG:4326 lon/lat)."""
    geom = sql.SQL("t.{}").format(sql.Identifier(spec.geometry_field))
    if crs.srid != spec.srid:
        geom = sql.SQL("ST_Transform({}, {})").format(geom, sql.Literal(crs.srid))
    if crs.lat_lon_order:
        geom = sql.SQL("ST_FlipCoordinates({})").format(geom)
    return geom


def feature_sql(
    spec: LayerSpec, properties: tuple[str, ...], crs: CrsDef, tail: sql.Composable | None = None
) -> sql.Composable:
    """A text expression over alias t: one GeoJSON Feature (geographic: 7 decimals, ~1 cm; projected: mm)."""
    digits = 7 if crs.srid in (4326, 4756) or crs.lat_lon_order else 3
    pairs = sql.SQL(", ").join(
        sql.SQL("{}, t.{}").format(sql.Literal(name), sql.Identifier(name)) for name in properties
    )
    return sql.SQL(
        "concat({open}, t.{id}, {geometry}, coalesce(ST_AsGeoJSON({geom}, {digits}), 'null'),"
        " {props}, json_build_object({pairs}){tail}, '}}')"
    ).format(
        open=sql.Literal('{"type":"Feature","id":'),
        id=sql.Identifier(spec.id_field),
        geometry=sql.Literal(',"geometry":'),
        geom=geometry_sql(spec, crs),
        digits=sql.Literal(digits),
        props=sql.Literal(',"properties":'),
        pairs=pairs,
        tail=tail or sql.SQL(""),
    )


def scope_sql(spec: LayerSpec, access: LayerAccess, params: dict) -> list[sql.Composable]:
    """Row scoping through the gateway (layers.scoped): commune-scoped callers see only their commune's rows."""
    scope = ScopedLayer(spec, access)
    return [scope.predicate("t", params)] if scope.limited else []


def bbox_sql(spec: LayerSpec, query: ItemsQuery, params: dict) -> sql.Composable:
    """Features intersecting the bbox; a lon/lat box crossing the antimeridian (minx > maxx) is its two halves."""
    minx, miny, maxx, maxy = query.bbox
    if minx <= maxx:
        return _box_sql(spec, query.bbox_crs.srid, (minx, miny, maxx, maxy), params, "b")
    east = _box_sql(spec, query.bbox_crs.srid, (minx, miny, 180.0, maxy), params, "b")
    west = _box_sql(spec, query.bbox_crs.srid, (-180.0, miny, maxx, maxy), params, "w")
    return sql.SQL("({} OR {})").format(east, west)


def _box_sql(spec: LayerSpec, srid: int, box: tuple, params: dict, prefix: str) -> sql.Composable:
    """Features intersecting one rectangle, with ST_Intersects' answer (boundary included) at less per-row cost.

    Points against a lon/lat box: the index box test plus exact coordinate ranges.
    """
    names = [f"{prefix}{axis}" for axis in ("x1", "y1", "x2", "y2")]
    params.update(zip(names, box))
    x1, y1, x2, y2 = (sql.Placeholder(name) for name in names)
    geom = sql.SQL("t.{}").format(sql.Identifier(spec.geometry_field))
    box_sql = sql.SQL("ST_MakeEnvelope({}, {}, {}, {}, {})").format(x1, y1, x2, y2, sql.Literal(srid))
    if srid == spec.srid and spec.geometry_type == "Point":
        return sql.SQL(
            "({geom} && {box} AND ST_X({geom}) BETWEEN {x1} AND {x2} AND ST_Y({geom}) BETWEEN {y1} AND {y2})"
        ).format(geom=geom, box=box_sql, x1=x1, x2=x2, y1=y1, y2=y2)
    if srid != spec.srid:
        box_sql = sql.SQL("ST_Transform({}, {})").format(box_sql, sql.Literal(spec.srid))
        return sql.SQL("ST_Intersects({}, {})").format(geom, box_sql)
    # a feature whose (outward-rounded) box lies inside the rectangle intersects it: no exact test needed
    return sql.SQL("({geom} && {box} AND ({geom} @ {box} OR ST_Intersects({geom}, {box})))").format(
        geom=geom, box=box_sql
    )


def utc_day(instant: dt.datetime) -> dt.date:
    """The UTC date of an instant; before year 1 or after 9999 in UTC, the first or last date."""
    try:
        return instant.astimezone(dt.UTC).date()
    except OverflowError:
        return dt.date.max if instant.year > 5000 else dt.date.min


def datetime_sql(spec: LayerSpec, query: ItemsQuery, params: dict) -> list[sql.Composable]:
    """Features whose temporal property intersects the datetime interval; a date covers its whole (UTC) day."""
    column = sql.SQL("t.{}").format(sql.Identifier(spec.datetime_field))
    is_date = spec.attribute(spec.datetime_field).type == "date"
    parts = []
    for name, bound, operator in (("dt_start", query.datetime.start, ">="), ("dt_end", query.datetime.end, "<=")):
        if bound is not None:
            params[name] = utc_day(bound) if is_date else bound
            parts.append(sql.SQL("{} {} {}").format(column, sql.SQL(operator), sql.Placeholder(name)))
    return parts


def where_sql(spec: LayerSpec, access: LayerAccess, query: ItemsQuery, params: dict) -> sql.Composable:
    """Scope, bbox, datetime, queryable=value and the CQL2 filter, AND-ed; values go to params."""
    parts = scope_sql(spec, access, params)
    if query.bbox is not None:
        parts.append(bbox_sql(spec, query, params))
    if query.datetime is not None:
        parts += datetime_sql(spec, query, params)
    fields = queryables(spec, access.private_fields)
    for index, (name, text) in enumerate(query.equals):
        params[f"eq{index}"] = coerce_text(text, fields[name])
        parts.append(sql.SQL("t.{} = {}").format(sql.Identifier(name), sql.Placeholder(f"eq{index}")))
    if query.filter is not None:
        translator = FilterTranslator(fields, spec.geometry_field, query.filter_crs, params)
        parts.append(translator.translate(query.filter))
    return sql.SQL(" AND ").join(parts) if parts else sql.SQL("TRUE")


def order_sql(spec: LayerSpec, query: ItemsQuery, sort_matches: bool = False) -> sql.Composable:
    """sortby keys, then the id so pages are stable.

    sort_matches: order by `id + 0`, which the primary key cannot serve, so PostgreSQL reads a selective filter
    through its index (spatial, status...) and sorts the few matches; ordered by plain id it walks the primary
    key and tests every row until the page is full, slow when matches are rare or cluster far from the first ids.
    """
    if sort_matches and not query.sortby:  # see _selective
        return sql.SQL("t.{} + 0").format(sql.Identifier(spec.id_field))
    keys = [
        sql.SQL("t.{} {}").format(sql.Identifier(name), sql.SQL("DESC" if desc else "ASC"))
        for name, desc in query.sortby
        if name != spec.id_field
    ]
    id_desc = any(desc for name, desc in query.sortby if name == spec.id_field)
    keys.append(sql.SQL("t.{} {}").format(sql.Identifier(spec.id_field), sql.SQL("DESC" if id_desc else "ASC")))
    return sql.SQL(", ").join(keys)


def _estimated_rows(table: str) -> int:
    cached = _ESTIMATES.get(table)
    if cached and time.monotonic() - cached[0] < ESTIMATE_TTL:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(SQL["estimated_rows"], {"table": table})
        estimate = int(cursor.fetchone()[0])
    _ESTIMATES[table] = (time.monotonic(), estimate)
    return estimate


def _selective(spec: LayerSpec, query: ItemsQuery, matched: int | None, unfiltered: bool) -> bool:
    """Whether to read the matches through the filter's indexes and sort them, rather than walk the primary key.

    Walking the key scans about (offset + limit) x rows / matched rows; sorting costs about `matched`. A bbox
    clusters its matches (the key walk is far worse than uniform), so it goes the index way unless counted big.
    """
    if unfiltered or query.sortby:
        return False
    if query.bbox is not None:
        return matched is None or matched <= SPATIAL_FIRST_ROWS
    if matched is None:
        return False
    return matched <= 2 * math.sqrt((query.offset + query.limit + 1) * max(_estimated_rows(spec.table), 1))


def items_page(
    spec: LayerSpec,
    access: LayerAccess,
    query: ItemsQuery,
    properties: tuple[str, ...],
    links: str,
    next_link: str,
    extra: str = "",
) -> str:
    """The FeatureCollection text of one page, from one statement (see features.sql: items_page)."""
    params: dict = {}
    where = where_sql(spec, access, query, params)
    filter_params = tuple(sorted((k, repr(v)) for k, v in params.items()))
    table = sql.Identifier(spec.table)
    unfiltered = not params and where.as_string() == "TRUE"
    estimated = unfiltered and _estimated_rows(spec.table) >= EXACT_COUNT_LIMIT
    template = FEATURES_SQL["items_page_estimated" if estimated else "items_page"]
    key = (spec.table, where.as_string(), filter_params)
    known = _COUNTS.get(key)
    version, count = known if known and is_tracked(spec.table) else (-1, 0)
    selective = _selective(spec, query, known[1] if known else None, unfiltered)
    order = order_sql(spec, query, sort_matches=selective)
    source = sql.SQL(FEATURES_SQL["page_by_ids" if selective or query.sortby else "page_direct"]).format(
        table=table, where=where, order=order, id=sql.Identifier(spec.id_field)
    )
    statement = sql.SQL(template).format(
        feature=feature_sql(spec, properties, query.crs), table=table, where=where, source=source
    )
    params.update(
        fetch=query.limit + 1,
        offset=query.offset,
        limit=query.limit,
        table_name=spec.table,
        cached_version=version,
        cached_count=count,
        links=links,
        next=next_link,
        extra=extra,
    )
    body, matched, new_version = fetchone(statement, params)
    if not estimated and new_version >= 0 and is_tracked(spec.table):
        if len(_COUNTS) > 5000:
            _COUNTS.clear()
        _COUNTS[key] = (new_version, matched)
    return body


def get_item(
    spec: LayerSpec, access: LayerAccess, fid: int, crs: CrsDef, properties: tuple[str, ...], links: str
) -> tuple[str, str] | None:
    """(Feature text with its links, ETag) of one visible feature, or None."""
    params: dict = {"fid": fid, "links": links}
    parts = scope_sql(spec, access, params)
    where = sql.SQL(" AND ").join(parts) if parts else sql.SQL("TRUE")
    tail = sql.SQL(", ',\"links\":', %(links)s::text")
    statement = sql.SQL(FEATURES_SQL["item"]).format(
        feature=feature_sql(spec, properties, crs, tail),
        table=sql.Identifier(spec.table),
        id=sql.Identifier(spec.id_field),
        where=where,
    )
    row = fetchone(statement, params)
    return (row[0], f'"{row[1]}"') if row else None


def extents(spec: LayerSpec, access: LayerAccess | None = None) -> tuple[list[float] | None, list[str | None] | None]:
    """(bbox, [start, end]) of the rows the access may read (all rows without one), for the collection document
    and TileJSON: a commune-scoped caller gets their commune's extent (cached with the table version)."""
    access = access or LayerAccess(read=True)
    return _kept(
        ("extent", spec.table, access.cache_scope), tracked_versions([spec.table]), lambda: _extents(spec, access)
    )


def _extents(spec: LayerSpec, access: LayerAccess) -> tuple[list[float] | None, list[str | None] | None]:
    geom, table = sql.Identifier(spec.geometry_field), sql.Identifier(spec.table)
    params: dict = {}
    parts = scope_sql(spec, access, params)
    where = sql.SQL(" AND ").join(parts) if parts else sql.SQL("TRUE")
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL(FEATURES_SQL["extent"]).format(geom=geom, table=table, where=where), params)
        box = cursor.fetchone()
        interval = None
        if spec.datetime_field:
            cursor.execute(
                sql.SQL(FEATURES_SQL["temporal_extent"]).format(
                    datetime=sql.Identifier(spec.datetime_field), table=table, where=where
                ),
                params,
            )
            interval = [value.isoformat() if value is not None else None for value in cursor.fetchone()]
    return (list(box) if box and box[0] is not None else None, interval)


# Writes (Part 4): statements from features.sql; transactions.py decides, these run.


def geometry_facts(geom: sql.Composable, geojson: str) -> tuple:
    """(type, valid, reason, inside province, commune, xmin, ymin, xmax, ymax) of a submitted geometry."""
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL(FEATURES_SQL["check_geometry"]).format(geom=geom), {"geojson": geojson})
        return cursor.fetchone()


def lock_row(spec: LayerSpec, access: LayerAccess, fid: int) -> tuple[str, str | None] | None:
    """(ETag, commune) of a visible row, locked FOR UPDATE; None if the caller cannot see it."""
    params: dict = {"fid": fid}
    parts = scope_sql(spec, access, params)
    where = sql.SQL(" AND ").join(parts) if parts else sql.SQL("TRUE")
    name = "row_version" if spec.commune_field else "row_version_nocommune"
    statement = sql.SQL(FEATURES_SQL[name]).format(
        table=sql.Identifier(spec.table),
        id=sql.Identifier(spec.id_field),
        where=where,
        commune=sql.Identifier(spec.commune_field or spec.id_field),
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    return (f'"{row[0]}"', row[1]) if row else None


def row_bbox(spec: LayerSpec, fid: int) -> tuple[float, ...] | None:
    """The stored geometry's bounds (EPSG:4326) of one row."""
    statement = sql.SQL(FEATURES_SQL["geometry_bbox"]).format(
        geom=sql.Identifier(spec.geometry_field), table=sql.Identifier(spec.table), id=sql.Identifier(spec.id_field)
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, {"fid": fid})
        row = cursor.fetchone()
    return tuple(row) if row else None


def insert_feature(spec: LayerSpec, columns: dict[str, sql.Composable], params: dict) -> tuple[int, str]:
    """Insert one row from {column: SQL value}; (id, ETag)."""
    statement = sql.SQL(FEATURES_SQL["insert_feature"]).format(
        table=sql.Identifier(spec.table),
        id=sql.Identifier(spec.id_field),
        columns=sql.SQL(", ").join(sql.Identifier(name) for name in columns),
        values=sql.SQL(", ").join(columns.values()),
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        fid, etag = cursor.fetchone()
    return fid, f'"{etag}"'


def update_feature(spec: LayerSpec, fid: int, columns: dict[str, sql.Composable], params: dict) -> str:
    """Update one row from {column: SQL value}; its new ETag."""
    assignments = sql.SQL(", ").join(sql.SQL("{} = {}").format(sql.Identifier(k), v) for k, v in columns.items())
    statement = sql.SQL(FEATURES_SQL["update_feature"]).format(
        table=sql.Identifier(spec.table), id=sql.Identifier(spec.id_field), assignments=assignments
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, {**params, "fid": fid})
        return f'"{cursor.fetchone()[0]}"'


def delete_feature(spec: LayerSpec, fid: int) -> None:
    """Delete one row."""
    statement = sql.SQL(FEATURES_SQL["delete_feature"]).format(
        table=sql.Identifier(spec.table), id=sql.Identifier(spec.id_field)
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, {"fid": fid})


def derived_rows_exist(spec: LayerSpec) -> bool:
    """True while a layer exposing geometry_source still has derived (approximate) geometry."""
    if "geometry_source" not in spec.properties:
        return False
    query = sql.SQL(SQL["derived_rows_exist"]).format(table=sql.Identifier(spec.table))
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection))
        return bool(cursor.fetchone()[0])
