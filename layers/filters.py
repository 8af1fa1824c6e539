"""CQL2 filters: parse (text via cql2, JSON via pygeofilter) and translate the AST to a psycopg.sql WHERE clause.

Why not pygeofilter's Django backend: it needs a QuerySet compile per request (ORM work on the hot path), has no
notion of filter-crs or axis order, maps t_intersects to t_overlaps, and leaves type errors to the database.
Why cql2 for the text form: pygeofilter 0.4's text grammar predates CQL2 1.0 (no `T_AFTER(a, b)`,
`TIMESTAMP('...')` or `S_DWITHIN` as the standard writes them), so text is parsed by the cql2 package (the
parser TiPG uses) into standard CQL2 JSON, and pygeofilter's JSON parser builds the AST from that.
The translator below only emits identifiers of allow-listed queryables and bound placeholders.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable

import cql2
from psycopg import sql
from pygeofilter import ast, values
from pygeofilter.parsers.cql2_json import parse as parse_cql2_json

from geodata.attributes import NUMERIC_KINDS
from geodata.crs import CrsDef
from layers.filter_limits import check_document_depth, check_text_nesting
from mapserver.errors import InvalidParameterValue

MAX_FILTER_LENGTH = 20_000  # in a URL: gunicorn --limit-request-line and nginx large_client_header_buffers fit it
MAX_SEARCH_FILTER_LENGTH = 1_000_000  # in a POST .../search body (layers.views.items.search)
MAX_FILTER_TERMS = 1000  # AND/OR operands: the translator flattens chains, this bounds the SQL
FAR_PAST = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
FAR_FUTURE = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
# A date intersects its whole day (UTC, as the datetime parameter reads dates): [00:00, 24:00 - 1 µs]
DAY_START = "({}::timestamp AT TIME ZONE 'UTC')"
DAY_END = "(({} + 1)::timestamp AT TIME ZONE 'UTC' - interval '1 microsecond')"
# Queryables are typed by their attribute records (geodata.attributes.Attribute.type), as the queryables document
# advertises them: integer, number, string, boolean, date, datetime.
NUMERIC = NUMERIC_KINDS
TEXT = {"string"}
TEMPORAL = {"date", "datetime"}
SPATIAL_FUNCTIONS = {
    ast.GeometryIntersects: "ST_Intersects",
    ast.GeometryDisjoint: "ST_Disjoint",
    ast.GeometryContains: "ST_Contains",
    ast.GeometryWithin: "ST_Within",
    ast.GeometryTouches: "ST_Touches",
    ast.GeometryCrosses: "ST_Crosses",
    ast.GeometryOverlaps: "ST_Overlaps",
    ast.GeometryEquals: "ST_Equals",
}
COMPARISONS = {
    ast.Equal: "=",
    ast.NotEqual: "<>",
    ast.LessThan: "<",
    ast.LessEqual: "<=",
    ast.GreaterThan: ">",
    ast.GreaterEqual: ">=",
}
# Allen's interval relations on (start, end) pairs: (a_start, a_end, b_start, b_end) -> SQL template.
TEMPORAL_RELATIONS: dict[type, str] = {
    ast.TimeBefore: "{ae} < {bs}",
    ast.TimeAfter: "{as_} > {be}",
    ast.TimeMeets: "{ae} = {bs}",
    ast.TimeMetBy: "{as_} = {be}",
    ast.TimeOverlaps: "({as_} < {bs} AND {ae} > {bs} AND {ae} < {be})",
    ast.TimeOverlappedBy: "({as_} > {bs} AND {as_} < {be} AND {ae} > {be})",
    ast.TimeBegins: "({as_} = {bs} AND {ae} < {be})",
    ast.TimeBegunBy: "({as_} = {bs} AND {ae} > {be})",
    ast.TimeDuring: "({as_} > {bs} AND {ae} < {be})",
    ast.TimeContains: "({as_} < {bs} AND {ae} > {be})",
    ast.TimeEnds: "({as_} > {bs} AND {ae} = {be})",
    ast.TimeEndedBy: "({as_} < {bs} AND {ae} = {be})",
    ast.TimeEquals: "({as_} = {bs} AND {ae} = {be})",
    ast.TimeDisjoint: "({ae} < {bs} OR {as_} > {be})",
}


def temporal_literal(text: object, date_only: bool) -> dt.date | dt.datetime:
    """A DATE('...') or TIMESTAMP('...') literal, parsed strictly as RFC 3339 here: pygeofilter would hand it to
    dateparser, which takes a third of a second for each malformed one and accepts words like "tomorrow"."""
    try:
        if not isinstance(text, str):
            raise ValueError(text)
        return dt.date.fromisoformat(text) if date_only else instant(dt.datetime.fromisoformat(text))
    except (ValueError, OverflowError):
        kind = "date (YYYY-MM-DD)" if date_only else "timestamp (RFC 3339)"
        raise InvalidParameterValue(f"not a valid {kind}: {str(text)[:40]!r}") from None


def _normalise(node: object) -> object:
    """Fix pygeofilter 0.4's JSON mappings: bbox literals become polygons, t_intersects stays t_intersects,
    dates, timestamps and intervals are parsed here (pygeofilter keeps the values it is given)."""
    if isinstance(node, list):
        return [_normalise(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "bbox" in node and len(node) == 1:
        box = node["bbox"]
        if not isinstance(box, list) or len(box) not in (4, 6) or not all(isinstance(v, (int, float)) for v in box):
            raise InvalidParameterValue("a CQL2 bbox must be four (or six) numbers")
        x1, y1, x2, y2 = (box[0], box[1], box[3], box[4]) if len(box) == 6 else box
        return {"type": "Polygon", "coordinates": [[[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]]}
    if len(node) == 1 and ("timestamp" in node or "date" in node):
        return temporal_literal(next(iter(node.values())), "date" in node)
    if len(node) == 1 and "interval" in node:
        bounds = node["interval"]
        if not isinstance(bounds, list) or len(bounds) != 2:
            raise InvalidParameterValue("a CQL2 interval has two bounds")
        return values.Interval(*(_interval_bound(bound) for bound in bounds))
    if node.get("type") == "GeometryCollection" and isinstance(node.get("geometries"), list):
        return values.Geometry(node)  # pygeofilter 0.4 knows only geometries with coordinates
    if node.get("op") == "between" and isinstance(node.get("args"), list) and len(node["args"]) == 3:
        # CQL2 1.0 writes between with three arguments; pygeofilter 0.4 expects [value, [low, high]]
        first, low, high = _normalise(node["args"])
        return {"op": "between", "args": [first, [low, high]]}
    if node.get("op") in ("t_intersects", "t_disjoint") and isinstance(node.get("args"), list):
        # pygeofilter maps t_intersects to t_overlaps; rewrite as the negation of (before or after)
        args = _normalise(node["args"])
        apart = {"op": "or", "args": [{"op": "t_before", "args": args}, {"op": "t_after", "args": args}]}
        return apart if node["op"] == "t_disjoint" else {"op": "not", "args": [apart]}
    return {key: _normalise(value) for key, value in node.items()}


def _interval_bound(bound: object) -> object:
    """One bound of INTERVAL(a, b): '..', a date or timestamp (string or literal object) or a property."""
    if bound == "..":
        return None
    if isinstance(bound, dict) and len(bound) == 1 and isinstance(bound.get("property"), str):
        return ast.Attribute(bound["property"])
    if isinstance(bound, dict) and len(bound) == 1 and ("date" in bound or "timestamp" in bound):
        return temporal_literal(next(iter(bound.values())), "date" in bound)
    return temporal_literal(bound, isinstance(bound, str) and len(bound) == 10)


def parse_filter(text: str, lang: str | None, max_length: int = MAX_FILTER_LENGTH) -> ast.Node:
    """The AST of a cql2-text (default) or cql2-json filter; 400 with the parser's message if malformed."""
    if len(text) > max_length:
        raise InvalidParameterValue(f"filter longer than {max_length} characters")
    if "\x00" in text:
        raise InvalidParameterValue("filter contains a NUL character")
    lang = lang or "cql2-text"
    check_text_nesting(text, json_strings=lang == "cql2-json")
    try:
        if lang == "cql2-text":
            document = cql2.parse_text(text).to_json()
        elif lang == "cql2-json":
            document = cql2.parse_json(text).to_json()
        else:
            raise InvalidParameterValue("filter-lang must be cql2-text or cql2-json")
    except (cql2.ParseError, cql2.ValidationError, ValueError) as error:
        raise InvalidParameterValue(f"invalid {lang} filter: {str(error).strip()[:400]}") from None
    check_document_depth(document)
    try:
        return parse_cql2_json(_normalise(document))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, OverflowError) as error:
        raise InvalidParameterValue(f"unsupported {lang} filter: {str(error)[:300]}") from None


class FilterTranslator:
    """Translates one AST into SQL over the alias `t`, for the given queryables {name: record type}."""

    def __init__(
        self,
        queryables: dict[str, str],
        geometry_field: str,
        filter_crs: CrsDef,
        params: dict[str, object],
        prefix: str = "q",
    ) -> None:
        self.queryables = queryables
        self.geometry_field = geometry_field
        self.crs = filter_crs
        self.params = params
        self.prefix = prefix

    def bind(self, value: object, cast: str = "") -> sql.Composable:
        """A named placeholder for the value (names are ours, never the request's)."""
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = value
        placeholder = sql.Placeholder(name)
        return sql.SQL("{}::{}").format(placeholder, sql.SQL(cast)) if cast else placeholder

    def column(self, name: str) -> sql.Composable:
        if name in (self.geometry_field, "geometry"):
            return sql.SQL("t.{}").format(sql.Identifier(self.geometry_field))
        if name not in self.queryables:
            raise InvalidParameterValue(f"unknown queryable {name[:60]!r}; queryables: {', '.join(self.queryables)}")
        return sql.SQL("t.{}").format(sql.Identifier(name))

    def translate(self, node: object) -> sql.Composable:
        """SQL for a condition node."""
        handler = self._handler(node)
        if handler is None:
            raise InvalidParameterValue(f"unsupported CQL2 construct: {type(node).__name__}")
        return handler(node)

    def _handler(self, node: object) -> Callable[[object], sql.Composable] | None:
        if isinstance(node, (ast.And, ast.Or)):
            return self._combination
        for kind, method in (
            (ast.Not, self._not),
            (ast.Comparison, self._comparison),
            (ast.Between, self._between),
            (ast.Like, self._like),
            (ast.In, self._in),
            (ast.IsNull, self._isnull),
            (ast.TemporalPredicate, self._temporal),
            (ast.SpatialComparisonPredicate, self._spatial),
            (ast.Include, self._include),
        ):
            if isinstance(node, kind):
                return method
        if isinstance(node, bool):
            return lambda value: sql.SQL("TRUE" if value else "FALSE")
        return None

    def _combination(self, node: ast.Combination) -> sql.Composable:
        # pygeofilter nests a AND b AND c to the left, one level per operand: walk the chain without recursing
        kind, operands, pending = type(node), [], [node]
        while pending:
            current = pending.pop()
            if type(current) is kind:
                pending += [current.rhs, current.lhs]
            else:
                operands.append(current)
        if len(operands) > MAX_FILTER_TERMS:
            raise InvalidParameterValue(f"filter combines more than {MAX_FILTER_TERMS} conditions")
        joiner = " AND " if kind is ast.And else " OR "
        return sql.SQL("({})").format(sql.SQL(joiner).join([self.translate(operand) for operand in operands]))

    def _not(self, node: ast.Not) -> sql.Composable:
        return sql.SQL("NOT ({})").format(self.translate(node.sub_node))

    def _include(self, node: ast.Include) -> sql.Composable:
        return sql.SQL("FALSE" if node.not_ else "TRUE")

    def expression_type(self, node: object) -> str | None:
        """The field type a scalar expression yields ("geometry" for the geometry), None for a literal."""
        if isinstance(node, ast.Attribute):
            if node.name in (self.geometry_field, "geometry"):
                return "geometry"
            self.column(node.name)  # 400 for an unknown queryable
            return self.queryables[node.name]
        if isinstance(node, ast.Function):
            if node.name.lower() != "lower" or len(node.arguments) != 1:
                raise InvalidParameterValue(f"unsupported CQL2 function {node.name[:40]!r}")
            inner = self.expression_type(node.arguments[0])
            if family(inner) not in (None, "text") or (inner is None and not isinstance(node.arguments[0], str)):
                raise InvalidParameterValue("CASEI()/lower() applies to text only")
            return "string"
        return None

    def operands(self, nodes: list, what: str) -> list[sql.Composable]:
        """SQL for scalars compared with one another: one type family, literals coerced to the column's type."""
        types = [self.expression_type(node) for node in nodes]
        if "geometry" in types:
            raise InvalidParameterValue(f"the geometry cannot be used in {what}; use a spatial operator (S_INTERSECTS)")
        columns = [t for t in types if t is not None]
        families = {family(t) for t in columns} or {literal_family(n) for n, t in zip(nodes, types) if t is None}
        families.discard(None)
        if len(families) > 1:
            named = ", ".join(
                f"{getattr(n, 'name', n)!s:.40} ({family(t) or literal_family(n)})" for n, t in zip(nodes, types)
            )
            raise InvalidParameterValue(f"{what} mixes values of different types: {named}")
        reference = columns[0] if columns else None
        return [self.scalar(node, reference) for node in nodes]

    def scalar(self, node: object, field_type: str | None = None) -> sql.Composable:
        """SQL for a scalar expression: a queryable, casei()/lower(), or a literal as the column type needs it."""
        if isinstance(node, ast.Attribute):
            return self.column(node.name)
        if isinstance(node, ast.Function):
            self.expression_type(node)
            return sql.SQL("lower({})").format(self.scalar(node.arguments[0], field_type))
        if isinstance(node, (values.Geometry, values.Envelope, values.Interval, ast.Node)):
            raise InvalidParameterValue(f"unexpected {type(node).__name__} in a scalar comparison")
        return self.bind(coerce_literal(node, field_type))

    def _comparison(self, node: ast.Comparison) -> sql.Composable:
        left, right = self.operands([node.lhs, node.rhs], "a comparison")
        return sql.SQL("{} {} {}").format(left, sql.SQL(COMPARISONS[type(node)]), right)

    def _between(self, node: ast.Between) -> sql.Composable:
        parts = self.operands([node.lhs, node.low, node.high], "BETWEEN")
        template = "{} NOT BETWEEN {} AND {}" if node.not_ else "{} BETWEEN {} AND {}"
        return sql.SQL(template).format(*parts)

    def _like(self, node: ast.Like) -> sql.Composable:
        pattern = node.pattern
        if isinstance(pattern, dict) and pattern.get("op") == "casei" and len(pattern.get("args") or ()) == 1:
            pattern = ast.Function("lower", pattern["args"])  # pygeofilter leaves a LIKE pattern unparsed
        casei = isinstance(pattern, ast.Function) and pattern.name.lower() == "lower" and len(pattern.arguments) == 1
        text = pattern.arguments[0] if casei else pattern
        if not isinstance(text, str):
            raise InvalidParameterValue("a LIKE pattern must be a string (or CASEI of a string)")
        if family(self.expression_type(node.lhs)) not in ("text", None) or not isinstance(
            node.lhs, (ast.Attribute, ast.Function, str)
        ):
            raise InvalidParameterValue("LIKE applies to text queryables only")
        bound = self.bind(coerce_literal(text, "string"))
        template = "{} NOT LIKE {} ESCAPE '\\'" if node.not_ else "{} LIKE {} ESCAPE '\\'"
        return sql.SQL(template).format(
            self.scalar(node.lhs, "string"), sql.SQL("lower({})").format(bound) if casei else bound
        )

    def _in(self, node: ast.In) -> sql.Composable:
        if not node.sub_nodes:
            raise InvalidParameterValue("IN needs at least one value")
        lhs, *options = self.operands([node.lhs, *node.sub_nodes], "IN")
        template = "{} NOT IN ({})" if node.not_ else "{} IN ({})"
        return sql.SQL(template).format(lhs, sql.SQL(", ").join(options))

    def _isnull(self, node: ast.IsNull) -> sql.Composable:
        if self.expression_type(node.lhs) is None:  # a bare literal has no type PostgreSQL could infer
            raise InvalidParameterValue("IS NULL applies to queryables")
        return sql.SQL("{} IS NOT NULL" if node.not_ else "{} IS NULL").format(self.scalar(node.lhs))

    def _period(self, node: object) -> tuple[sql.Composable, sql.Composable]:
        """(start, end) of a temporal operand as timestamptz SQL: a date (property or literal) is its whole UTC
        day, an interval's bounds are instants, dates or properties ('..': open)."""
        if isinstance(node, ast.Attribute):
            if self.queryables.get(node.name) not in TEMPORAL:
                raise InvalidParameterValue(f"{node.name[:60]!r} is not a temporal queryable")
            column = self.column(node.name)
            if self.queryables[node.name] == "date":
                return sql.SQL(DAY_START).format(column), sql.SQL(DAY_END).format(column)
            return column, column
        if isinstance(node, values.Interval):
            start = self._period(node.start)[0] if node.start is not None else self.bind(FAR_PAST, "timestamptz")
            end = self._period(node.end)[1] if node.end is not None else self.bind(FAR_FUTURE, "timestamptz")
            return start, end
        if isinstance(node, dt.date) and not isinstance(node, dt.datetime):
            return self.bind(instant(node), "timestamptz"), self.bind(day_end(node), "timestamptz")
        if isinstance(node, (dt.date, str)):
            value = self.bind(instant(node), "timestamptz")
            return value, value
        raise InvalidParameterValue("temporal operators take temporal queryables, instants and intervals")

    def _temporal(self, node: ast.TemporalPredicate) -> sql.Composable:
        template = TEMPORAL_RELATIONS.get(type(node))
        if template is None:
            raise InvalidParameterValue(f"unsupported temporal operator {type(node).__name__}")
        (as_, ae), (bs, be) = self._period(node.lhs), self._period(node.rhs)
        return sql.SQL(template).format(as_=as_, ae=ae, bs=bs, be=be)

    def geometry(self, node: object) -> sql.Composable:
        """SQL for a spatial operand: the layer's geometry or a literal in filter-crs, as EPSG:4326 lon/lat."""
        if isinstance(node, ast.Attribute):
            if node.name not in (self.geometry_field, "geometry"):
                raise InvalidParameterValue(f"{node.name[:60]!r} is not a spatial queryable")
            return self.column(node.name)
        if isinstance(node, values.Geometry):
            check_coordinates(geometry_coordinates(node.geometry))
            shape = sql.SQL("ST_GeomFromGeoJSON({})").format(self.bind(json.dumps(node.geometry)))
        elif isinstance(node, values.Envelope):
            box = [node.x1, node.y1, node.x2, node.y2]
            check_coordinates(box)
            shape = sql.SQL("ST_MakeEnvelope({}, {}, {}, {})").format(*(self.bind(float(v)) for v in box))
        else:
            raise InvalidParameterValue("spatial operators take the geometry queryable and geometry literals")
        return literal_geometry(shape, self.crs)

    def _spatial(self, node: ast.SpatialComparisonPredicate) -> sql.Composable:
        function = sql.SQL(SPATIAL_FUNCTIONS[type(node)])
        return sql.SQL("{}({}, {})").format(function, self.geometry(node.lhs), self.geometry(node.rhs))


def family(field_type: str | None) -> str | None:
    """The comparison family of a field type: number, text, temporal, boolean (or the type itself)."""
    if field_type is None:
        return None
    for name, members in (("number", NUMERIC), ("text", TEXT), ("temporal", TEMPORAL), ("boolean", {"boolean"})):
        if field_type in members:
            return name
    return field_type


def literal_family(value: object) -> str | None:
    """The comparison family of a literal (None for anything that is not a scalar)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    return "temporal" if isinstance(value, dt.date) else None


def geometry_coordinates(geometry: dict) -> list:
    """The coordinate arrays of a GeoJSON geometry literal, members of (nested) GeometryCollections included."""
    pending, found = [geometry], []
    while pending:
        item = pending.pop()
        if isinstance(item, dict) and item.get("type") == "GeometryCollection":
            members = item.get("geometries")
            if not isinstance(members, list):
                raise InvalidParameterValue("a GeometryCollection needs a list of geometries")
            pending.extend(members)
        elif isinstance(item, dict) and "coordinates" in item:
            found.append(item["coordinates"])
        else:
            raise InvalidParameterValue("geometry literals must be GeoJSON geometries with coordinates")
    return found


def check_coordinates(coordinates: object) -> None:
    """400 unless a geometry literal's coordinates are finite numbers (walked without recursion)."""
    pending = [coordinates]
    while pending:
        item = pending.pop()
        if isinstance(item, (list, tuple)):
            pending.extend(item)
        elif isinstance(item, bool) or not isinstance(item, (int, float)) or not math.isfinite(item):
            raise InvalidParameterValue(f"geometry coordinates must be finite numbers, got {str(item)[:40]!r}")


def literal_geometry(shape: sql.Composable, crs: CrsDef) -> sql.Composable:
    """A geometry literal given in `crs` (its axis order) as EPSG:4326 lon/lat."""
    if crs.lat_lon_order:
        shape = sql.SQL("ST_FlipCoordinates({})").format(shape)
    shape = sql.SQL("ST_SetSRID({}, {})").format(shape, sql.Literal(crs.srid))
    return shape if crs.srid == 4326 else sql.SQL("ST_Transform({}, 4326)").format(shape)


def instant(value: object) -> dt.datetime:
    """A timezone-aware datetime from a CQL2 date, timestamp or RFC 3339 string (dates at 00:00 UTC)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time.min, tzinfo=dt.UTC)
    if isinstance(value, str):
        try:
            return instant(dt.datetime.fromisoformat(value.replace("z", "Z")))
        except ValueError:
            pass
    raise InvalidParameterValue(f"not an instant: {str(value)[:40]!r}")


def day_end(value: dt.date) -> dt.datetime:
    """The last microsecond of a date's UTC day."""
    return dt.datetime.combine(value, dt.time.max, tzinfo=dt.UTC)


def coerce_literal(value: object, field_type: str | None) -> object:
    """The literal as the Python type the compared column needs; 400 on a mismatch (never a database error)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidParameterValue("numbers in a filter must be finite")
    if isinstance(value, str) and "\x00" in value:
        raise InvalidParameterValue("strings in a filter must not contain NUL")
    if field_type is None:
        if isinstance(value, (str, int, float, bool, dt.date)):
            return value
        raise InvalidParameterValue(f"unsupported literal {str(value)[:40]!r}")
    if field_type in NUMERIC:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidParameterValue(f"expected a number, got {str(value)[:40]!r}")
        if field_type == "integer" and isinstance(value, float) and value.is_integer() and abs(value) < 2**62:
            return int(value)  # cql2 reads 3 as 3.0: an integer keeps the column uncast (and its index usable)
        return value
    if field_type == "boolean":
        if not isinstance(value, bool):
            raise InvalidParameterValue(f"expected true or false, got {str(value)[:40]!r}")
        return value
    if field_type in TEMPORAL:
        return instant(value)
    if not isinstance(value, str):
        raise InvalidParameterValue(f"expected a string, got {str(value)[:40]!r}")
    return value


def coerce_text(text: str, field_type: str) -> object:
    """A query-string value (queryable=value) as the column's type; 400 if it does not parse."""
    if "\x00" in text:
        raise InvalidParameterValue("a queryable value must not contain NUL")
    if field_type in NUMERIC:
        try:
            number = int(text) if field_type == "integer" else float(text)
        except ValueError:
            raise InvalidParameterValue(f"expected a number, got {text[:40]!r}") from None
        if not math.isfinite(number):
            raise InvalidParameterValue(f"expected a finite number, got {text[:40]!r}")
        return number
    if field_type == "boolean":  # GDAL's OAPIF driver sends 1/0 for booleans
        if text.lower() not in ("true", "false", "1", "0"):
            raise InvalidParameterValue(f"expected true or false (or 1/0), got {text[:40]!r}")
        return text.lower() in ("true", "1")
    if field_type in TEMPORAL:
        return instant(text)
    return text
