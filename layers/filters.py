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
from collections.abc import Callable

import cql2
from psycopg import sql
from pygeofilter import ast, values
from pygeofilter.parsers.cql2_json import parse as parse_cql2_json

from geodata.crs import CrsDef
from mapserver.errors import InvalidParameterValue

MAX_FILTER_LENGTH = 20_000
FAR_PAST = dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc)
FAR_FUTURE = dt.datetime(9999, 12, 31, tzinfo=dt.timezone.utc)
NUMERIC = {"IntegerField", "SmallIntegerField", "BigIntegerField", "BigAutoField", "AutoField", "FloatField",
           "DecimalField", "PositiveIntegerField", "PositiveSmallIntegerField"}
TEXT = {"CharField", "TextField", "SlugField"}
TEMPORAL = {"DateField", "DateTimeField"}
SPATIAL_FUNCTIONS = {
    ast.GeometryIntersects: "ST_Intersects", ast.GeometryDisjoint: "ST_Disjoint", ast.GeometryContains: "ST_Contains",
    ast.GeometryWithin: "ST_Within", ast.GeometryTouches: "ST_Touches", ast.GeometryCrosses: "ST_Crosses",
    ast.GeometryOverlaps: "ST_Overlaps", ast.GeometryEquals: "ST_Equals",
}
COMPARISONS = {ast.Equal: "=", ast.NotEqual: "<>", ast.LessThan: "<", ast.LessEqual: "<=", ast.GreaterThan: ">",
               ast.GreaterEqual: ">="}
# Allen's interval relations on (start, end) pairs: (a_start, a_end, b_start, b_end) -> SQL template.
TEMPORAL_RELATIONS: dict[type, str] = {
    ast.TimeBefore: "{ae} < {bs}", ast.TimeAfter: "{as_} > {be}", ast.TimeMeets: "{ae} = {bs}",
    ast.TimeMetBy: "{as_} = {be}", ast.TimeOverlaps: "({as_} < {bs} AND {ae} > {bs} AND {ae} < {be})",
    ast.TimeOverlappedBy: "({as_} > {bs} AND {as_} < {be} AND {ae} > {be})",
    ast.TimeBegins: "({as_} = {bs} AND {ae} < {be})", ast.TimeBegunBy: "({as_} = {bs} AND {ae} > {be})",
    ast.TimeDuring: "({as_} > {bs} AND {ae} < {be})", ast.TimeContains: "({as_} < {bs} AND {ae} > {be})",
    ast.TimeEnds: "({as_} > {bs} AND {ae} = {be})", ast.TimeEndedBy: "({as_} < {bs} AND {ae} = {be})",
    ast.TimeEquals: "({as_} = {bs} AND {ae} = {be})", ast.TimeDisjoint: "({ae} < {bs} OR {as_} > {be})",
}


def _normalise(node: object) -> object:
    """Fix pygeofilter 0.4's JSON mappings: bbox literals become polygons, t_intersects stays t_intersects."""
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


def parse_filter(text: str, lang: str | None) -> ast.Node:
    """The AST of a cql2-text (default) or cql2-json filter; 400 with the parser's message if malformed."""
    if len(text) > MAX_FILTER_LENGTH:
        raise InvalidParameterValue(f"filter longer than {MAX_FILTER_LENGTH} characters")
    lang = lang or "cql2-text"
    try:
        if lang == "cql2-text":
            document = cql2.parse_text(text).to_json()
        elif lang == "cql2-json":
            document = cql2.parse_json(text).to_json()
        else:
            raise InvalidParameterValue("filter-lang must be cql2-text or cql2-json")
    except (cql2.ParseError, cql2.ValidationError, ValueError) as error:
        raise InvalidParameterValue(f"invalid {lang} filter: {str(error).strip()[:400]}") from None
    try:
        return parse_cql2_json(_normalise(document))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        raise InvalidParameterValue(f"unsupported {lang} filter: {str(error)[:300]}") from None


class FilterTranslator:
    """Translates one AST into SQL over the alias `t`, for the given queryables {name: Django field type}."""

    def __init__(self, queryables: dict[str, str], geometry_field: str, filter_crs: CrsDef,
                 params: dict[str, object], prefix: str = "q") -> None:
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
        for kind, method in ((ast.Not, self._not), (ast.Comparison, self._comparison), (ast.Between, self._between),
                             (ast.Like, self._like), (ast.In, self._in), (ast.IsNull, self._isnull),
                             (ast.TemporalPredicate, self._temporal),
                             (ast.SpatialComparisonPredicate, self._spatial), (ast.Include, self._include)):
            if isinstance(node, kind):
                return method
        if isinstance(node, bool):
            return lambda value: sql.SQL("TRUE" if value else "FALSE")
        return None

    def _combination(self, node: ast.Combination) -> sql.Composable:
        joiner = " AND " if isinstance(node, ast.And) else " OR "
        return sql.SQL("({})").format(sql.SQL(joiner).join([self.translate(node.lhs), self.translate(node.rhs)]))

    def _not(self, node: ast.Not) -> sql.Composable:
        return sql.SQL("NOT ({})").format(self.translate(node.sub_node))

    def _include(self, node: ast.Include) -> sql.Composable:
        return sql.SQL("FALSE" if node.not_ else "TRUE")

    def _field_type(self, node: object) -> str | None:
        inner = node.arguments[0] if isinstance(node, ast.Function) and node.arguments else node
        return self.queryables.get(inner.name) if isinstance(inner, ast.Attribute) else None

    def scalar(self, node: object, field_type: str | None = None) -> sql.Composable:
        """SQL for a scalar expression: a queryable, a literal checked against the other side's type, casei()."""
        if isinstance(node, ast.Attribute):
            return self.column(node.name)
        if isinstance(node, ast.Function):
            if node.name.lower() == "lower" and len(node.arguments) == 1:
                return sql.SQL("lower({})").format(self.scalar(node.arguments[0], field_type))
            raise InvalidParameterValue(f"unsupported CQL2 function {node.name[:40]!r}")
        if isinstance(node, (values.Geometry, values.Envelope, values.Interval)) or isinstance(node, ast.Node):
            raise InvalidParameterValue(f"unexpected {type(node).__name__} in a scalar comparison")
        return self.bind(coerce_literal(node, field_type))

    def _pair(self, lhs: object, rhs: object) -> tuple[sql.Composable, sql.Composable]:
        left_type, right_type = self._field_type(lhs), self._field_type(rhs)
        return self.scalar(lhs, right_type), self.scalar(rhs, left_type)

    def _comparison(self, node: ast.Comparison) -> sql.Composable:
        left, right = self._pair(node.lhs, node.rhs)
        return sql.SQL("{} {} {}").format(left, sql.SQL(COMPARISONS[type(node)]), right)

    def _between(self, node: ast.Between) -> sql.Composable:
        field_type = self._field_type(node.lhs)
        parts = (self.scalar(node.lhs), self.scalar(node.low, field_type), self.scalar(node.high, field_type))
        template = "{} NOT BETWEEN {} AND {}" if node.not_ else "{} BETWEEN {} AND {}"
        return sql.SQL(template).format(*parts)

    def _like(self, node: ast.Like) -> sql.Composable:
        if not isinstance(node.pattern, str):
            raise InvalidParameterValue("a LIKE pattern must be a string")
        field_type = self._field_type(node.lhs)
        if field_type is not None and field_type not in TEXT:
            raise InvalidParameterValue("LIKE applies to text queryables only")
        template = "{} NOT LIKE {} ESCAPE '\\'" if node.not_ else "{} LIKE {} ESCAPE '\\'"
        return sql.SQL(template).format(self.scalar(node.lhs), self.bind(node.pattern))

    def _in(self, node: ast.In) -> sql.Composable:
        field_type = self._field_type(node.lhs)
        options = [self.scalar(option, field_type) for option in node.sub_nodes]
        if not options:
            raise InvalidParameterValue("IN needs at least one value")
        template = "{} NOT IN ({})" if node.not_ else "{} IN ({})"
        return sql.SQL(template).format(self.scalar(node.lhs), sql.SQL(", ").join(options))

    def _isnull(self, node: ast.IsNull) -> sql.Composable:
        return sql.SQL("{} IS NOT NULL" if node.not_ else "{} IS NULL").format(self.scalar(node.lhs))

    def _period(self, node: object) -> tuple[sql.Composable, sql.Composable]:
        if isinstance(node, ast.Attribute):
            if self.queryables.get(node.name) not in TEMPORAL:
                raise InvalidParameterValue(f"{node.name[:60]!r} is not a temporal queryable")
            column = self.column(node.name)
            return column, column
        if isinstance(node, values.Interval):
            start = instant(node.start) if node.start is not None else FAR_PAST
            end = instant(node.end) if node.end is not None else FAR_FUTURE
            return self.bind(start, "timestamptz"), self.bind(end, "timestamptz")
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
            shape = sql.SQL("ST_GeomFromGeoJSON({})").format(self.bind(json.dumps(node.geometry)))
        elif isinstance(node, values.Envelope):
            box = [node.x1, node.y1, node.x2, node.y2]
            shape = sql.SQL("ST_MakeEnvelope({}, {}, {}, {})").format(*(self.bind(float(v)) for v in box))
        else:
            raise InvalidParameterValue("spatial operators take the geometry queryable and geometry literals")
        return literal_geometry(shape, self.crs)

    def _spatial(self, node: ast.SpatialComparisonPredicate) -> sql.Composable:
        function = sql.SQL(SPATIAL_FUNCTIONS[type(node)])
        return sql.SQL("{}({}, {})").format(function, self.geometry(node.lhs), self.geometry(node.rhs))


def literal_geometry(shape: sql.Composable, crs: CrsDef) -> sql.Composable:
    """A geometry literal given in `crs` (its axis order) as EPSG:4326 lon/lat."""
    if crs.lat_lon_order:
        shape = sql.SQL("ST_FlipCoordinates({})").format(shape)
    shape = sql.SQL("ST_SetSRID({}, {})").format(shape, sql.Literal(crs.srid))
    return shape if crs.srid == 4326 else sql.SQL("ST_Transform({}, 4326)").format(shape)


def instant(value: object) -> dt.datetime:
    """A timezone-aware datetime from a CQL2 date, timestamp or RFC 3339 string (dates at 00:00 UTC)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time.min, tzinfo=dt.timezone.utc)
    if isinstance(value, str):
        try:
            return instant(dt.datetime.fromisoformat(value.replace("z", "Z")))
        except ValueError:
            pass
    raise InvalidParameterValue(f"not an instant: {str(value)[:40]!r}")


def coerce_literal(value: object, field_type: str | None) -> object:
    """The literal as the Python type the compared column needs; 400 on a mismatch (never a database error)."""
    if field_type is None:
        if isinstance(value, (str, int, float, bool, dt.date)):
            return value
        raise InvalidParameterValue(f"unsupported literal {str(value)[:40]!r}")
    if field_type in NUMERIC:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidParameterValue(f"expected a number, got {str(value)[:40]!r}")
        if field_type != "FloatField" and isinstance(value, float) and value.is_integer() and abs(value) < 2**62:
            return int(value)  # cql2 reads 3 as 3.0: an integer keeps the column uncast (and its index usable)
        return value
    if field_type == "BooleanField":
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
    if field_type in NUMERIC:
        try:
            return int(text) if field_type != "FloatField" else float(text)
        except ValueError:
            raise InvalidParameterValue(f"expected a number, got {text[:40]!r}") from None
    if field_type == "BooleanField":
        if text.lower() not in ("true", "false"):
            raise InvalidParameterValue(f"expected true or false, got {text[:40]!r}")
        return text.lower() == "true"
    if field_type in TEMPORAL:
        return instant(text)
    return text
