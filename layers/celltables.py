"""Tables of per-cell aggregates kept by statement triggers on a layer's table (the tiles' cluster cells, the
radius queries' cells): one installer for every kind, run after `migrate`, which (re)creates a layer's triggers
and rebuilds its cells whenever their definition changes, and drops those of layers no longer declared."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, transaction
from psycopg import sql

from layers.pg_catalog import is_table
from layers.registry import LayerSpec, registry


@dataclass(frozen=True)
class CellKind:
    """What one kind of cell table declares: its bookkeeping table and statements, and its per-layer SQL."""

    layers_table: str  # the kind's record of installed layers (layer, table, definition digest)
    installed: str  # SQL: (layer, table, digest) of every installed layer
    record: str  # SQL: record a layer as installed (%(layer)s, %(table)s, %(definition)s)
    applies: Callable[[LayerSpec], bool]  # whether the layer gets cells
    definition: Callable[[LayerSpec], list[sql.Composed]]  # the statements creating its function and triggers
    drop: Callable[[object, str, str], None]  # (cursor, layer id, table): triggers, function and cells gone
    clear: Callable[[str], sql.Composed]  # a layer's cells emptied
    rebuild: Callable[[LayerSpec], sql.Composed]  # a layer's cells computed from its whole table


def install(kind: CellKind, using: str = "default") -> None:
    """Create or refresh the cells and triggers of every layer of this kind on a table."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [kind.layers_table])
        if not cursor.fetchone()[0]:
            return  # before the kind's own migration
        cursor.execute(kind.installed)
        installed = {layer: (table, digest) for layer, table, digest in cursor.fetchall()}
        wanted = set()
        for spec in registry.all():
            if not kind.applies(spec) or not is_table(cursor, spec.table):
                continue  # a view keeps the live SQL
            wanted.add(spec.id)
            statements = [statement.as_string(cursor.connection) for statement in kind.definition(spec)]
            digest = hashlib.sha256("\n".join([spec.table, *statements]).encode()).hexdigest()
            if installed.get(spec.id) == (spec.table, digest):
                continue
            if spec.id in installed:
                kind.drop(cursor, spec.id, installed[spec.id][0])
            for statement in statements:
                cursor.execute(statement)
            cursor.execute(kind.clear(spec.id).as_string(cursor.connection))
            cursor.execute(kind.rebuild(spec).as_string(cursor.connection))
            cursor.execute(kind.record, {"layer": spec.id, "table": spec.table, "definition": digest})
        for layer_id, (table, _) in installed.items():
            if layer_id not in wanted:
                kind.drop(cursor, layer_id, table)
