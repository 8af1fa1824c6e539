"""Reading SensorThings resources: resolving a path (`Things(1)/Datastreams`) to rows, and rendering entities and
collections with their navigation links, $select, $expand, $count and @iot.nextLink."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db import DatabaseError, transaction
from django.db.models import QuerySet

from mapserver.errors import InvalidParameterValue, NotFound
from sta.entities import ENTITY_TYPES, EntityType, base_rows, entity_id, id_filter, related_rows
from sta.query import Options, apply_filter, apply_orderby

_SEGMENT = re.compile(r"^([A-Za-z]+)(?:\((\d{1,18})\))?$")


@dataclass
class Target:
    """What a path names: one entity (row), a collection (rows), or one property of an entity."""

    entity: EntityType
    rows: QuerySet
    row: Any = None
    single: bool = False
    property: str | None = None
    raw_value: bool = False
    parent_link: str = ""  # the path of the collection, for @iot.nextLink


def _one(entity: EntityType, rows: QuerySet, ident: int | None, what: str) -> Any:
    row = rows.filter(**id_filter(entity, ident)).first() if ident is not None else rows.first()
    if row is None:
        raise NotFound(f"no {what}")
    return row


def resolve_path(segments: list[str], sensors: QuerySet) -> Target:
    """Walk the path from an entity set through navigation properties; 404 for what is absent or not readable."""
    match = _SEGMENT.match(segments[0])
    if not match or match.group(1) not in ENTITY_TYPES:
        raise NotFound(f"no entity set {segments[0][:40]}")
    entity = ENTITY_TYPES[match.group(1)]
    rows = base_rows(entity, sensors)
    target = Target(entity, rows, parent_link=entity.plural)
    if match.group(2):
        ident = int(match.group(2))
        target = Target(entity, rows, _one(entity, rows, ident, f"{entity.name} {ident}"), single=True)
    for position, segment in enumerate(segments[1:], start=1):
        if not target.single:
            raise NotFound(f"{'/'.join(segments[:position])} is a collection: name one entity by its id first")
        if segment == "$value" and target.property and position == len(segments) - 1:
            target.raw_value = True
            continue
        if target.property:
            raise NotFound(f"nothing under the property {target.property}")
        match = _SEGMENT.match(segment)
        name = match.group(1) if match else ""
        if match and name in target.entity.navs:
            target = _follow(target, name, match.group(2), sensors)
        elif not match or match.group(2) or name not in target.entity.render(target.row):
            raise NotFound(f"{target.entity.name} has no property or navigation {segment[:40]}")
        else:
            target.property = name
    return target


def _follow(target: Target, nav: str, ident: str | None, sensors: QuerySet) -> Target:
    entity = ENTITY_TYPES[target.entity.navs[nav]]
    rows = related_rows(target.entity, target.row, nav, sensors)
    link = f"{target.entity.plural}({entity_id(target.entity, target.row)})/{nav}"
    if target.entity.is_collection(nav) and ident is None:
        return Target(entity, rows, parent_link=link)
    if not target.entity.is_collection(nav) and ident is not None:
        raise NotFound(f"{nav} is one entity, not a collection")
    row = _one(entity, rows, int(ident) if ident else None, f"{nav} of this {target.entity.name}")
    return Target(entity, rows, row, single=True)


class Renderer:
    """Renders entities under one base URL, expanding navigation properties within the caller's sensors."""

    def __init__(self, base: str, sensors: QuerySet):
        self.base = base
        self.sensors = sensors

    def entity(self, entity: EntityType, row: Any, options: Options) -> dict:
        """One entity as STA JSON: @iot.id, @iot.selfLink, its properties, navigation links, expansions."""
        ident = entity_id(entity, row)
        self_path = f"{entity.plural}({ident})"
        doc = {"@iot.id": ident, "@iot.selfLink": self.base + self_path, **entity.render(row)}
        for nav in entity.navs:
            doc[f"{nav}@iot.navigationLink"] = f"{self.base}{self_path}/{nav}"
        if options.select:
            wanted = {"@iot.id", "@iot.selfLink"} | {"@iot.id" if s == "id" else s for s in options.select}
            wanted |= {f"{s}@iot.navigationLink" for s in options.select}
            unknown = [s for s in options.select if s != "id" and s not in doc and s not in entity.navs]
            if unknown:
                raise InvalidParameterValue(f"$select: {entity.name} has no property {unknown[0]}")
            doc = {k: v for k, v in doc.items() if k in wanted}
        for nav, sub in options.expand.items():
            target = ENTITY_TYPES[entity.navs[nav]]
            rows = related_rows(entity, row, nav, self.sensors)
            if entity.is_collection(nav):
                page = self.collection(target, rows, sub, f"{self_path}/{nav}")
                doc[nav] = page["value"]
                for key in ("@iot.count", "@iot.nextLink"):
                    if key in page:
                        doc[f"{nav}{key}"] = page[key]
            else:
                related = apply_filter(rows, target, sub.filter).first()
                doc[nav] = self.entity(target, related, sub) if related is not None else None
        return doc

    def collection(self, entity: EntityType, rows: QuerySet, options: Options, link: str, params=None) -> dict:
        """A page of a collection: @iot.count (when asked), value, and @iot.nextLink when more rows follow."""
        rows = apply_orderby(apply_filter(rows, entity, options.filter), entity, options.orderby)
        page: dict[str, Any] = {}
        try:
            with transaction.atomic():  # a type mismatch in $filter fails in PostgreSQL: a 400, not a 500
                if options.count:
                    page["@iot.count"] = rows.count()
                found = list(rows[options.skip : options.skip + options.top + 1])
        except DatabaseError:
            raise InvalidParameterValue("$filter compares a property with a value of another type") from None
        page["value"] = [self.entity(entity, row, options) for row in found[: options.top]]
        if len(found) > options.top:
            following = dict(params or _option_params(options))
            following["$skip"] = str(options.skip + options.top)
            following["$top"] = str(options.top)
            page["@iot.nextLink"] = f"{self.base}{link}?{urlencode(following)}"
        return page


def _option_params(options: Options) -> dict[str, str]:
    """The options of an expanded collection as query parameters of its own nextLink."""
    params = {}
    if options.filter:
        params["$filter"] = options.filter
    if options.orderby:
        params["$orderby"] = options.orderby
    if options.count:
        params["$count"] = "true"
    if options.select:
        params["$select"] = ",".join(options.select)
    return params
