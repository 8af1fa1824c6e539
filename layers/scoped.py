"""The scoped-access gateway: a layer bound to the caller's access, whose SQL and rows always carry the scope.

Items, tiles, spatial queries, scenario runs, exports and camera health all read rows through a ScopedLayer, so
the commune scope is written once (`predicate`, `queryset`); the rules deciding it stay in mapserver.scoping.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import QuerySet
from psycopg import sql

from layers.registry import LayerSpec, registry
from mapserver.errors import NotFound
from mapserver.principal import Principal
from mapserver.scoping import LayerAccess, require_read


class Binder(Protocol):
    """A parameter collector that names its values (scenarios.sqlparts.Params)."""

    def add(self, value: Any, prefix: str = "p") -> sql.Composable: ...


@dataclass(frozen=True)
class ScopedLayer:
    """One layer and the caller's access to it: the only source of row-scope SQL and ORM filters."""

    spec: LayerSpec
    access: LayerAccess

    def __iter__(self) -> Iterator[Any]:
        """Unpacks as (spec, access), like the pairs the catalogue and tile code pass around."""
        return iter((self.spec, self.access))

    @property
    def commune(self) -> str | None:
        """The commune the readable rows are limited to (None: every row)."""
        return self.access.read_commune

    @property
    def limited(self) -> bool:
        """Whether the caller reads only part of the layer's rows."""
        return self.access.limited

    @property
    def cache_scope(self) -> str:
        """A key naming the rows visible under this access, for caches shared between callers."""
        return self.access.cache_scope

    def predicate(
        self, alias: str | None, params: dict | Binder, column: str | None = None, name: str = "scope_commune"
    ) -> sql.Composable:
        """The row scope over `alias` (None: unqualified) as SQL with a bound value; TRUE when unscoped.

        params: a dict (the value goes under `name`) or a Binder (it names the value from `name`). column: the
        column holding the commune code, when it is not the layer's commune field (stored tile cells)."""
        if self.access.read_commune is None:
            return sql.SQL("TRUE")
        column = column or self.spec.commune_field
        if column is None:  # layer_access never scopes such a layer; refuse rather than leak
            return sql.SQL("FALSE")
        target = sql.Identifier(alias, column) if alias else sql.Identifier(column)
        return sql.SQL("{} = {}").format(target, _bind(params, name, self.access.read_commune))

    def queryset(self, rows: QuerySet | None = None, field: str | None = None) -> QuerySet:
        """The ORM rows the caller may read: the layer's model (or `rows` of another table, scoped by `field`)."""
        rows = self.spec.model.objects.all() if rows is None else rows
        if self.access.read_commune is None:
            return rows
        column = field or self.spec.commune_field
        if column is None:
            return rows.none()
        return rows.filter(**{column: self.access.read_commune})


def _bind(params: dict | Binder, name: str, value: Any) -> sql.Composable:
    if isinstance(params, dict):
        params[name] = value
        return sql.Placeholder(name)
    return params.add(value, name)


def scoped(principal: Principal, layer: str | LayerSpec) -> ScopedLayer:
    """The layer bound to the caller's access: 404 for an unknown id, 401 anonymous on a protected layer, 403."""
    spec = registry.get(layer) if isinstance(layer, str) else layer
    if spec is None:
        raise NotFound(f"no layer {str(layer)[:80]!r}")
    return ScopedLayer(spec, require_read(principal, spec))
