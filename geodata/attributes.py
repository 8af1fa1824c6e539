"""Typed attribute records: what a layer's attribute is called (Vietnamese, English), its kind, unit and values.

The value lists themselves are declared once in geodata/vocabularies.py; the models take their `choices` from
them and every reader (OGC documents, filters, tiles, styles, scenario queries, exports, the operations UI)
reads the records instead of keeping its own type table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db import models

KINDS = ("category", "integer", "number", "text", "date", "datetime", "boolean", "url", "code")
NUMERIC_KINDS = frozenset({"integer", "number"})  # the kinds that are counted, summed and compared as numbers
# The kind an attribute has when its declaration does not say: from the model field's Django type.
FIELD_KINDS = {
    "CharField": "text",
    "TextField": "text",
    "SlugField": "text",
    "IntegerField": "integer",
    "SmallIntegerField": "integer",
    "BigIntegerField": "integer",
    "PositiveIntegerField": "integer",
    "PositiveSmallIntegerField": "integer",
    "PositiveBigIntegerField": "integer",
    "FloatField": "number",
    "DecimalField": "number",
    "BooleanField": "boolean",
    "DateField": "date",
    "DateTimeField": "datetime",
}
# Kinds a declaration may give a column of each storage type (the storage type is the model's, never restated).
STORAGE = {
    "text": {"text", "category", "url", "code"},
    "integer": {"integer", "category"},
    "number": {"number"},
    "boolean": {"boolean"},
    "date": {"date"},
    "datetime": {"datetime"},
}
# JSON Schema (type, format) of each scalar type (Attribute.type); dates are RFC 3339 strings.
JSON_TYPES = {
    "integer": ("integer", None),
    "number": ("number", None),
    "string": ("string", None),
    "boolean": ("boolean", None),
    "date": ("string", "date"),
    "datetime": ("string", "date-time"),
}
# Largest magnitude per integer column type (writes above it are refused before PostgreSQL sees them).
INTEGER_LIMITS = {
    "SmallIntegerField": 2**15 - 1,
    "PositiveSmallIntegerField": 2**15 - 1,
    "IntegerField": 2**31 - 1,
    "PositiveIntegerField": 2**31 - 1,
    "BigIntegerField": 2**63 - 1,
    "PositiveBigIntegerField": 2**63 - 1,
}


@dataclass(frozen=True)
class Value:
    """One allowed value of a vocabulary, its labels and its colour on maps and legends."""

    value: str | int | bool
    vi: str
    en: str
    colour: str

    def as_dict(self) -> dict:
        """The value as the catalogue publishes it."""
        return {"value": self.value, "label": {"vi": self.vi, "en": self.en}, "colour": self.colour}


def choices_key(choices) -> tuple:
    """Django choices as a hashable key: a model field's choices find the vocabulary they came from."""
    return tuple((value, str(label)) for value, label in choices)


_BY_CHOICES: dict[tuple, Vocabulary] = {}  # every declared vocabulary, by its choices


def vocabulary_by_choices(choices) -> Vocabulary | None:
    """The declared vocabulary whose Django choices these are, None if none is."""
    return _BY_CHOICES.get(choices_key(choices))


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of values (a status, a kind, a class), declared once."""

    id: str
    values: tuple[Value, ...]

    def __post_init__(self) -> None:
        keys = [v.value for v in self.values]
        if len(set(keys)) != len(keys) or len({type(k) for k in keys}) > 1:
            raise ValueError(f"vocabulary {self.id!r}: values must be unique and of one type")
        known = _BY_CHOICES.setdefault(choices_key(self.choices), self)
        if known != self:
            raise ValueError(f"vocabularies {known.id!r} and {self.id!r} have the same values and labels: declare one")

    @property
    def choices(self) -> list[tuple]:
        """Django `choices` (value, Vietnamese label)."""
        return [(v.value, v.vi) for v in self.values]

    @property
    def keys(self) -> tuple:
        """The allowed values, in declaration order."""
        return tuple(v.value for v in self.values)

    def __contains__(self, value: object) -> bool:
        return any(v.value == value and type(v.value) is type(value) for v in self.values)

    def get(self, value: object) -> Value | None:
        """The record of a value, None if it is not in the vocabulary."""
        return next((v for v in self.values if v.value == value and type(v.value) is type(value)), None)

    def label(self, value: object, language: str = "vi") -> str:
        """The value's label in `language` (vi or en); the value itself if unknown."""
        found = self.get(value)
        return str(value) if found is None else getattr(found, language)

    def colour(self, value: object, default: str = "#888888") -> str:
        found = self.get(value)
        return default if found is None else found.colour

    @property
    def value_type(self) -> str:
        """integer, boolean or string: the JSON type of the values."""
        first = self.values[0].value
        return "boolean" if isinstance(first, bool) else "integer" if isinstance(first, int) else "string"

    def __getattr__(self, name: str):
        """HOUSE_STATUS.POOR -> "poor": references to values that fail at import time if the value is renamed."""
        if name.isupper():
            for v in self.values:
                if str(v.value).upper() == name:
                    return v.value
        raise AttributeError(f"vocabulary has no value {name!r}")


@dataclass(frozen=True)
class Attribute:
    """One attribute of a layer. kind None (and vocabulary None) in a declaration: derived from the model field."""

    name: str
    vi: str
    en: str
    kind: str | None = None
    unit: str | None = None
    additive: bool = False  # its sum means something (people, beds, kWh): summed by default
    vocabulary: Vocabulary | None = None

    def __post_init__(self) -> None:
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"attribute {self.name!r}: kind must be one of {', '.join(KINDS)}")

    def resolved(self, field: models.Field) -> Attribute:
        """The record completed from its model field: kind, vocabulary (from the field's choices) and checks."""
        storage = FIELD_KINDS.get(field.get_internal_type())
        if storage is None:
            raise ValueError(f"attribute {self.name!r}: unsupported column type {field.get_internal_type()}")
        vocabulary = self.vocabulary or vocabulary_of(field)
        kind = self.kind or (
            "boolean"
            if storage == "boolean"
            else "category"
            if vocabulary
            else "url"
            if storage == "text" and self.name.endswith("_url")
            else storage
        )
        if kind not in STORAGE[storage]:
            raise ValueError(f"attribute {self.name!r}: kind {kind} does not fit a {field.get_internal_type()}")
        if self.additive and kind not in NUMERIC_KINDS:
            raise ValueError(f"attribute {self.name!r}: only numbers are additive")
        return replace(self, kind=kind, vocabulary=vocabulary)

    @property
    def type(self) -> str:
        """The scalar type values have: integer, number, string, boolean, date or datetime."""
        if self.kind == "category":
            return self.vocabulary.value_type if self.vocabulary else "string"
        if self.kind in ("text", "url", "code"):
            return "string"
        return self.kind

    @property
    def json_type(self) -> tuple[str, str | None]:
        """(JSON Schema type, format or None)."""
        return JSON_TYPES[self.type]

    @property
    def label(self) -> dict[str, str]:
        return {"vi": self.vi, "en": self.en}

    def as_dict(self) -> dict:
        """The record as GET /api/layers publishes it."""
        return {
            "name": self.name,
            "label": self.label,
            "kind": self.kind,
            "unit": self.unit,
            "additive": self.additive,
            "values": [v.as_dict() for v in self.vocabulary.values] if self.vocabulary else [],
        }


def vocabulary_of(field: models.Field) -> Vocabulary | None:
    """The vocabulary a model field takes its choices from (None without choices)."""
    if not field.choices:
        return None
    found = vocabulary_by_choices(field.choices)
    if found is None:
        raise ValueError(f"{field.model.__name__}.{field.name}: choices are not a declared vocabulary")
    return found
