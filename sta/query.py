"""The SensorThings query options: $filter (parsed by odata-query into ORM Q objects, so every value is a bound
parameter), $orderby, $select, $top, $skip, $count and $expand (with nested options)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.geos import GEOSException
from django.core.exceptions import FieldError
from django.db.models import Q, QuerySet
from odata_query import ast
from odata_query import exceptions as odata_errors
from odata_query.django.django_q import AstToDjangoQVisitor
from odata_query.grammar import ODataLexer, ODataParser
from odata_query.visitor import NodeTransformer

from mapserver.errors import InvalidParameterValue
from sta.entities import ENTITY_TYPES, OBSERVED_PROPERTY_EXPRESSIONS, EntityType, orm_prefix, parameter_column

DEFAULT_TOP = 100
MAX_TOP = 1000
MAX_EXPAND_DEPTH = 3
OPTIONS = {"$filter", "$expand", "$select", "$orderby", "$top", "$skip", "$count", "$resultFormat"}


@dataclass
class Options:
    """The query options of one collection (or one expanded navigation property)."""

    filter: str = ""
    orderby: str = ""
    select: tuple[str, ...] = ()
    top: int = DEFAULT_TOP
    skip: int = 0
    count: bool = False
    expand: dict[str, Options] = field(default_factory=dict)


def _segments(node: ast._Node) -> list[str]:
    if isinstance(node, ast.Identifier):
        if node.namespace:
            raise InvalidParameterValue(f"$filter: unknown property {node.full_name()}")
        return [node.name]
    if isinstance(node, ast.Attribute):
        return [*_segments(node.owner), node.attr]
    raise InvalidParameterValue("$filter: a property path is malformed")


def resolve(entity: EntityType, path: list[str]) -> tuple[str, Any]:
    """An STA property path (`Datastream/Thing/name`) as an ORM path, with the SQL expression to annotate when the
    property is computed (an ObservedProperty's attribute); a 400 for anything not on the allow-list."""
    prefix = ""
    current = entity
    for i, segment in enumerate(path):
        if segment in current.navs:
            current, step = orm_prefix(current, segment)
            if step is None:
                raise InvalidParameterValue(f"$filter/$orderby through the collection {segment} is not supported")
            prefix += step
            continue
        name = "/".join(path[i:])
        if current.rows == "property" and name in OBSERVED_PROPERTY_EXPRESSIONS:
            alias = f"sta_op_{prefix}{name}"
            return alias, OBSERVED_PROPERTY_EXPRESSIONS[name][0](parameter_column(prefix))
        if name in current.fields:
            return prefix + current.fields[name], None
        raise InvalidParameterValue(f"{current.name} has no property {name} that can be filtered or sorted")
    raise InvalidParameterValue(f"{'/'.join(path)} is an entity, not a property")


class _Resolver(NodeTransformer):
    """Replaces every STA property path by its ORM path and collects the annotations they need."""

    def __init__(self, entity: EntityType):
        self.entity = entity
        self.annotations: dict[str, Any] = {}

    def _replace(self, node: ast._Node) -> ast.Identifier:
        name, expression = resolve(self.entity, _segments(node))
        if expression is not None:
            self.annotations[name] = expression
        return ast.Identifier(name)

    def visit_Identifier(self, node: ast.Identifier) -> ast._Node:
        return self._replace(node)

    def visit_Attribute(self, node: ast.Attribute) -> ast._Node:
        return self._replace(node)

    def visit_Call(self, node: ast.Call) -> ast._Node:
        return ast.Call(node.func, [self.visit(arg) for arg in node.args])  # the function name is no property

    def visit_CollectionLambda(self, node: ast._Node) -> ast._Node:
        raise InvalidParameterValue("$filter: any() and all() are not supported")


def apply_filter(rows: QuerySet, entity: EntityType, text: str) -> QuerySet:
    """Rows matching an OData $filter; every literal becomes a bound parameter of the ORM's SQL."""
    if not text.strip():
        return rows
    try:
        tree = ODataParser().parse(ODataLexer().tokenize(text))
    except odata_errors.ODataException as exc:
        raise InvalidParameterValue(f"$filter is not valid: {exc}") from None
    if tree is None:
        raise InvalidParameterValue("$filter is empty or incomplete")
    resolver = _Resolver(entity)
    tree = resolver.visit(tree)
    try:
        condition = AstToDjangoQVisitor(rows.model).visit(tree)
        if not isinstance(condition, Q):
            raise TypeError("not a condition")
        return (
            rows.annotate(**resolver.annotations).filter(condition) if resolver.annotations else rows.filter(condition)
        )
    except odata_errors.ODataException as exc:
        raise InvalidParameterValue(f"$filter is not supported: {exc}") from None
    except (TypeError, ValueError, NotImplementedError, GEOSException, FieldError):
        raise InvalidParameterValue("$filter must be a condition over known properties and values") from None


_ORDER_ITEM = re.compile(r"^\s*([A-Za-z@][A-Za-z0-9_./@]*)\s*(?:\s(asc|desc))?\s*$")


def apply_orderby(rows: QuerySet, entity: EntityType, text: str) -> QuerySet:
    """Rows sorted by $orderby (allow-listed properties), with the id as the last key so pages are stable."""
    keys: list[Any] = []
    annotations: dict[str, Any] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        match = _ORDER_ITEM.match(item)
        if not match:
            raise InvalidParameterValue(f"$orderby item {item!r} is not 'property [asc|desc]'")
        path = match.group(1).replace("@iot.id", "id").split("/")
        name, expression = resolve(entity, path)
        if expression is not None:
            annotations[name] = expression
        keys.append(f"-{name}" if match.group(2) == "desc" else name)
    tiebreak = "parameter" if entity.rows == "property" else "pk"
    rows = rows.annotate(**annotations) if annotations else rows
    return rows.order_by(*keys, tiebreak)


def _int_option(name: str, raw: str, maximum: int | None = None) -> int:
    if not re.fullmatch(r"\d{1,9}", raw.strip()):
        raise InvalidParameterValue(f"{name} must be a non-negative integer")
    value = int(raw)
    if maximum is not None and value > maximum:
        raise InvalidParameterValue(f"{name} is at most {maximum}")
    return value


def split_top_level(text: str, separator: str) -> list[str]:
    """Split on a separator outside parentheses and quoted strings."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth < 0:
                raise InvalidParameterValue("unbalanced parentheses in the query options")
        elif not quoted and depth == 0 and char == separator:
            parts.append(text[start:i])
            start = i + 1
    if depth or quoted:
        raise InvalidParameterValue("unbalanced parentheses or quotes in the query options")
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def parse_options(entity: EntityType, raw: dict[str, str], depth: int = 0) -> Options:
    """Validate the query options of a collection of `entity` (before any SQL runs)."""
    unknown = sorted(set(raw) - OPTIONS)
    if unknown:
        raise InvalidParameterValue(f"unknown query option {unknown[0]}")
    options = Options(
        filter=raw.get("$filter", ""),
        orderby=raw.get("$orderby", ""),
        top=_int_option("$top", raw["$top"], MAX_TOP) if "$top" in raw else DEFAULT_TOP,
        skip=_int_option("$skip", raw["$skip"]) if "$skip" in raw else 0,
    )
    count = raw.get("$count", "false").strip().lower()
    if count not in {"true", "false"}:
        raise InvalidParameterValue("$count must be true or false")
    options.count = count == "true"
    if "$select" in raw:
        options.select = tuple(s.strip() for s in raw["$select"].split(",") if s.strip())
    if raw.get("$expand", "").strip():
        options.expand = parse_expand(entity, raw["$expand"], depth)
    return options


_EXPAND_ITEM = re.compile(r"^([A-Za-z]+(?:/[A-Za-z]+)*)\s*(?:\((.*)\))?$", re.S)


def parse_expand(entity: EntityType, text: str, depth: int) -> dict[str, Options]:
    """$expand=Nav1($filter=..;$top=..;$expand=..),Nav2/Nav3 as nested Options by navigation property."""
    if depth >= MAX_EXPAND_DEPTH:
        raise InvalidParameterValue(f"$expand nests at most {MAX_EXPAND_DEPTH} levels")
    expanded: dict[str, Options] = {}
    for item in split_top_level(text, ","):
        match = _EXPAND_ITEM.match(item)
        if not match:
            raise InvalidParameterValue(f"$expand item {item!r} is not Nav or Nav(options)")
        first, _, rest = match.group(1).partition("/")
        if first not in entity.navs:
            raise InvalidParameterValue(f"{entity.name} has no navigation property {first}")
        target = ENTITY_TYPES[entity.navs[first]]
        if rest:  # Nav1/Nav2(options): Nav1 expands Nav2 with those options
            inner = f"{rest}({match.group(2)})" if match.group(2) is not None else rest
            known = expanded.get(first)
            raw = {"$expand": inner}
            if known is not None:  # Nav1 was named before: add to its expansion
                known.expand.update(parse_expand(target, inner, depth + 1))
                continue
        else:
            raw = _expand_options(match.group(2) or "")
        expanded[first] = parse_options(target, raw, depth + 1)
    return expanded


def _expand_options(text: str) -> dict[str, str]:
    raw: dict[str, str] = {}
    for option in split_top_level(text, ";"):
        name, eq, value = option.partition("=")
        if not eq:
            raise InvalidParameterValue(f"$expand option {option!r} is not $name=value")
        raw[name.strip()] = value.strip()
    return raw
