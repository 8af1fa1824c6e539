"""Mapping a file's columns to a layer's attributes by name, and converting values to the attributes' types."""

from __future__ import annotations

import datetime as dt
import math
import sys
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import models

from geodata.io.targets import ID_COLUMNS, Target

INT_RANGES = {
    "SmallIntegerField": 2**15,
    "IntegerField": 2**31,
    "BigIntegerField": 2**63,
    "PositiveSmallIntegerField": 2**15,
    "PositiveIntegerField": 2**31,
}
TRUE = {"true", "t", "yes", "y", "1", "có", "co", "x", "đúng"}
FALSE = {"false", "f", "no", "n", "0", "không", "khong", ""}


class Invalid(ValueError):
    """A value that does not fit its attribute."""


@dataclass
class ColumnMap:
    """file column -> attribute, plus what was dropped (row identifiers) or not recognised."""

    mapping: dict[str, str]
    dropped: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)


def required_fields(target: Target) -> list[str]:
    """Attributes a file must provide: not nullable and without a default."""
    return [name for name, f in target.importable().items() if not (f.null or f.has_default() or _may_be_empty(f))]


def _may_be_empty(f: models.Field) -> bool:
    return f.blank and f.empty_strings_allowed


def map_columns(columns: list[str], target: Target) -> ColumnMap:
    """Match columns case-insensitively to attribute names, their aliases and shapefile truncations."""
    names = target.column_names()
    result = ColumnMap({})
    seen: dict[str, str] = {}
    for column in columns:
        key = str(column).strip().lower()
        if key in ID_COLUMNS:
            result.dropped.append(str(column))
        elif key in names:
            attribute = names[key]
            if attribute in seen:
                result.duplicates.append(f"{seen[attribute]} and {column} both map to {attribute}")
            seen[attribute] = str(column)
            result.mapping[column] = attribute
        else:
            result.unknown.append(str(column))
    result.missing_required = [name for name in required_fields(target) if name not in seen]
    return result


def _blank(value) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _integer(value, kind: str) -> int:
    if isinstance(value, str):
        value = value.strip().replace(",", "")
    number = float(value)
    if not number.is_integer():
        raise Invalid(f"{value!r} is not a whole number")
    if abs(number) >= INT_RANGES.get(kind, 2**63):
        raise Invalid(f"{value!r} is out of range")
    return int(number)


def _float(value) -> float:
    number = float(value.strip().replace(",", "")) if isinstance(value, str) else float(value)
    if not math.isfinite(number):
        raise Invalid(f"{value!r} is not a finite number")
    return number


def _boolean(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    text = str(value).strip().lower()
    if text.endswith(".0"):
        text = text[:-2]
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise Invalid(f"{value!r} is not yes/no")


def _date(value) -> dt.date:
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    raise Invalid(f"{value!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")


def _datetime(value) -> dt.datetime:
    try:
        stamp = pd.Timestamp(value.replace("/", "-", 2) if isinstance(value, str) else value)
    except (ValueError, TypeError) as exc:
        raise Invalid(f"{value!r} is not a date and time") from exc
    if stamp.tzinfo is None:  # local time of the province
        stamp = stamp.tz_localize(ZoneInfo(settings.TIME_ZONE))
    return stamp.to_pydatetime()


def _text(value, f: models.Field) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # codes read as numbers by spreadsheets
    text = str(value).strip()
    if f.max_length and len(text) > f.max_length:
        raise Invalid(f"longer than {f.max_length} characters")
    return text


def allowed_values(f: models.Field) -> list | None:
    """The values a field with a vocabulary (its `choices`) accepts; None for a field without one."""
    return [value for value, _ in f.flatchoices] if f.choices and f.get_internal_type() != "BooleanField" else None


def _in_vocabulary(value, f: models.Field):
    allowed = allowed_values(f)
    if allowed is not None and value not in allowed and not (value == "" and f.blank):
        raise Invalid(f"{value!r} is not one of {', '.join(map(str, allowed))}")
    return value


def convert(value, f: models.Field):
    """A file value as the attribute's Python value; Invalid with the reason otherwise."""
    return _in_vocabulary(_convert(value, f), f)


def _convert(value, f: models.Field):
    if _blank(value):
        if f.has_default():
            return f.get_default()
        if _may_be_empty(f) and not f.null:
            return ""
        if f.null:
            return None
        raise Invalid("required, but empty")
    kind = f.get_internal_type()
    try:
        if kind in INT_RANGES:
            return _integer(value, kind)
        if kind == "FloatField":
            return _float(value)
        if kind == "BooleanField":
            return _boolean(value)
        if kind == "DateField":
            return _date(value)
        if kind == "DateTimeField":
            return _datetime(value)
        if kind == "CharField":
            return _text(value, f)
    except (TypeError, ValueError) as exc:
        raise Invalid(str(exc) if isinstance(exc, Invalid) else f"{value!r} is not a {kind[:-5].lower()}") from None
    return value


def _fast_text(values: pd.Series, f: models.Field) -> tuple[list, list[int]]:
    """Stripped text for cells that are non-empty strings within the length and the vocabulary; the rest to do."""
    allowed = allowed_values(f)
    allowed = set(allowed) if allowed is not None else None
    limit = f.max_length or sys.maxsize
    out = [v.strip() if type(v) is str else None for v in values.tolist()]
    todo = [
        i
        for i, t in enumerate(out)
        if t is None or not 0 < len(t) <= limit or (allowed is not None and t not in allowed)
    ]
    return out, todo


def _fast_number(values: pd.Series, f: models.Field) -> tuple[list, list[int]]:
    """Numbers read as numbers: finite, whole and in range for integers, in the vocabulary if any; the rest to do."""
    kind = f.get_internal_type()
    if not pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        return _no_fast_path(values, f)
    array = values.to_numpy()
    ok = np.isfinite(array) if array.dtype.kind == "f" else np.ones(len(array), dtype=bool)
    number = np.where(ok, array, 0)
    if kind != "FloatField":
        ok &= (np.abs(number.astype(float)) < INT_RANGES[kind]) & (np.mod(number, 1) == 0)
        number = np.where(ok, number, 0).astype(np.int64)
    allowed = allowed_values(f)
    if allowed is not None:
        ok &= np.isin(number, allowed)
    out = number.astype(float).tolist() if kind == "FloatField" else number.tolist()
    return out, np.flatnonzero(~ok).tolist()


def _no_fast_path(values: pd.Series, f: models.Field) -> tuple[list, list[int]]:
    return [None] * len(values), list(range(len(values)))


def _fast(values: pd.Series, f: models.Field) -> tuple[list, list[int]]:
    """Whole-column conversion of the common clean cells; (values, indices of the cells left to `convert`)."""
    kind = f.get_internal_type()
    if kind == "CharField":
        return _fast_text(values, f)
    if kind == "FloatField" or kind in INT_RANGES:
        return _fast_number(values, f)
    return _no_fast_path(values, f)


def convert_column(values: pd.Series, f: models.Field) -> tuple[list, list[tuple[int, str]]]:
    """Convert a whole column; returns the values and (row index, reason) for those that do not fit."""
    out, todo = _fast(values, f)
    cells = values.tolist() if todo else []
    errors = []
    for i in todo:  # blanks, defaults, text numbers, refusals: one cell at a time, with the reason
        try:
            out[i] = convert(cells[i], f)
        except Invalid as exc:
            out[i] = None
            errors.append((i, str(exc)))
    return out, errors
