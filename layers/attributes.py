"""Validating submitted feature properties against the layer's allow-list and its attribute records' kinds."""

from __future__ import annotations

import datetime as dt

from django.db import models

from geodata.attributes import INTEGER_LIMITS, Attribute
from layers.registry import LayerSpec
from mapserver.errors import Forbidden, InvalidParameterValue
from mapserver.scoping import LayerAccess


def writable_properties(spec: LayerSpec, access: LayerAccess) -> tuple[str, ...]:
    """Attributes a writer may set: the allow-list (the commune is derived) plus private ones when allowed."""
    names = tuple(name for name in spec.properties if name != spec.commune_field)
    return names + (spec.private_properties if access.private_fields else ())


def convert(field: models.Field, value: object, record: Attribute) -> object:
    """The value as the attribute's type, and in its vocabulary if it has one; 400 when it does not fit."""
    if value is None:
        if field.null:
            return None
        raise InvalidParameterValue(f"{field.name} must not be null")
    converted = _typed(field, value, record.type)
    if record.vocabulary is not None and converted not in record.vocabulary and not (converted == "" and field.blank):
        allowed = ", ".join(str(v) for v in record.vocabulary.keys)
        raise InvalidParameterValue(f"{field.name} must be one of: {allowed} (got {str(value)[:40]!r})")
    return converted


def _typed(field: models.Field, value: object, kind: str) -> object:
    name = field.name
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidParameterValue(f"{name} must be an integer")
        if abs(value) > INTEGER_LIMITS.get(field.get_internal_type(), 2**31 - 1):
            raise InvalidParameterValue(f"{name} is out of range")
        return value
    if kind == "number":
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or value != value
            or abs(value) == float("inf")
        ):
            raise InvalidParameterValue(f"{name} must be a finite number")
        return float(value)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise InvalidParameterValue(f"{name} must be true or false")
        return value
    if kind in ("date", "datetime"):
        return _temporal(name, kind, value)
    if not isinstance(value, str):
        raise InvalidParameterValue(f"{name} must be a string")
    if field.max_length and len(value) > field.max_length:
        raise InvalidParameterValue(f"{name} is longer than {field.max_length} characters")
    if "\x00" in value:
        raise InvalidParameterValue(f"{name} must not contain NUL characters")
    return value


def _temporal(name: str, kind: str, value: object) -> dt.date | dt.datetime:
    if not isinstance(value, str):
        raise InvalidParameterValue(f"{name} must be an RFC 3339 {'date' if kind == 'date' else 'date-time'}")
    try:
        if kind == "date":
            return dt.date.fromisoformat(value)
        parsed = dt.datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise InvalidParameterValue(f"{name} is not a valid RFC 3339 value: {value[:40]!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _required(field: models.Field) -> bool:
    return not field.null and not field.has_default() and not field.blank


def required_properties(spec: LayerSpec, access: LayerAccess) -> tuple[str, ...]:
    """Writable attributes a create (or replace) must carry: no default, not nullable, not blank."""
    return tuple(name for name in writable_properties(spec, access) if _required(spec.model._meta.get_field(name)))


def validate_properties(spec: LayerSpec, access: LayerAccess, submitted: dict, mode: str) -> dict[str, object]:
    """{column: value} to write. mode: create (defaults filled), replace (absent -> default), update (only given)."""
    allowed = writable_properties(spec, access)
    private = [name for name in submitted if name in spec.private_properties and name not in allowed]
    if private:
        raise Forbidden(f"only administrators may write {', '.join(private)}")
    unknown = [name for name in submitted if name not in allowed and name != spec.commune_field]
    if unknown:
        raise InvalidParameterValue(
            f"unknown properties: {', '.join(map(str, unknown))[:200]}; writable: {', '.join(allowed)}"
        )
    values: dict[str, object] = {}
    for name in allowed:
        field = spec.model._meta.get_field(name)
        if name in submitted:
            values[name] = convert(field, submitted[name], spec.attribute(name))
        elif mode != "update":
            if _required(field):
                raise InvalidParameterValue(f"property {name} is required")
            values[name] = field.get_default()
    if mode == "create":  # columns the caller cannot set (private, internal) still need their model default
        skip = {spec.id_field, spec.geometry_field, spec.commune_field, "updated_at", "synthetic"}
        for field in spec.model._meta.concrete_fields:
            if field.name not in values and field.name not in skip and not field.null:
                values[field.column] = field.get_default()
    return values
