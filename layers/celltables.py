"""Tables of per-cell aggregates kept by statement triggers on a layer's table (the tiles' cluster cells, the
radius queries' cells): one installer for every kind, run after `migrate`, which (re)creates a layer's triggers
and rebuilds its cells whenever their definition changes, and drops those of layers no longer declared."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connections, transaction
from psycopg import sql

from layers.pg_catalog import is_table
from layers.registry import LayerSpec, registry
from layers.sqlfiles import load_sql

COMMON = load_sql(str(Path(__file__).with_name("celltables.sql")))

EVENTS = ("insert", "update", "delete", "truncate")  # the statement triggers each layer's table gets


@dataclass(frozen=True)
class CellKind:
    """What one kind of cell table declares: its bookkeeping table, its named SQL and its per-layer SQL.

    `sql` holds the kind's own statements by name: installed, record, clear, prune, forget and, when the kind adds
    an index to the layer's table, drop_index; the trigger function and triggers are shared (celltables.sql). Its trigger function is `<prefix>_<layer>`, its
    triggers `<prefix>_<ins|upd|del|tru>_<layer>`, its index (if any) `<prefix>_<layer>`."""

    layers_table: str  # the kind's record of installed layers (layer, table, definition digest)
    prefix: str
    sql: dict[str, str]
    applies: Callable[[LayerSpec], bool]  # whether the layer gets cells
    source: Callable[[LayerSpec, sql.Composable, int], sql.Composed]  # (spec, rows, sign): a transition table's rows
    delta: Callable[[LayerSpec, sql.Composable], sql.Composed]  # (spec, source): the cells changed by those rows
    extra: Callable[[LayerSpec], list[sql.Composed]] = lambda spec: []  # e.g. an index on the layer's table

    def name(self, layer_id: str, event: str | None = None) -> sql.Identifier:
        """The name of a layer's trigger function and index (no event) or of its trigger for an event."""
        middle = f"_{event[:3]}" if event else ""
        return sql.Identifier(f"{self.prefix}{middle}_{layer_id}"[:63])

    def layer_statement(self, name: str, layer_id: str) -> sql.Composed:
        """One of the kind's statements about one layer's cells (clear, prune)."""
        return sql.SQL(self.sql[name]).format(layer=sql.Literal(layer_id))

    def clear(self, layer_id: str) -> sql.Composed:
        """The statement emptying a layer's cells."""
        return self.layer_statement("clear", layer_id)

    def rebuild(self, spec: LayerSpec) -> sql.Composed:
        """The statement computing a layer's cells from its whole table."""
        return self.delta(spec, self.source(spec, sql.Identifier(spec.table), 1))

    def definition(self, spec: LayerSpec) -> list[sql.Composed]:
        """The trigger function and the four statement triggers that keep the layer's cells, and any extra."""
        new_rows, old_rows = sql.Identifier("new_rows"), sql.Identifier("old_rows")
        inserted, deleted = self.source(spec, new_rows, 1), self.source(spec, old_rows, -1)
        function = self.name(spec.id)
        body = sql.SQL(COMMON["function"]).format(
            function=function,
            on_insert=self.delta(spec, inserted),
            on_delete=self.delta(spec, deleted),
            on_update=self.delta(spec, sql.SQL("{} UNION ALL {}").format(inserted, deleted)),
            on_truncate=self.clear(spec.id),
            prune=self.layer_statement("prune", spec.id),
        )
        table = sql.Identifier(spec.table)
        triggers = [
            sql.SQL(COMMON[f"trigger_{event}"]).format(
                trigger=self.name(spec.id, event), table=table, function=function
            )
            for event in EVENTS
        ]
        return [body, *triggers, *self.extra(spec)]


def drop(kind: CellKind, cursor, layer_id: str, table: str) -> None:
    """Remove a layer's triggers (if its table still exists), index, trigger function, cells and record."""
    statements = [
        sql.SQL(COMMON["drop_trigger"]).format(trigger=kind.name(layer_id, event), table=sql.Identifier(table))
        for event in (EVENTS if is_table(cursor, table) else ())
    ]
    if "drop_index" in kind.sql:
        statements.append(sql.SQL(kind.sql["drop_index"]).format(index=kind.name(layer_id)))
    statements += [sql.SQL(COMMON["drop_function"]).format(function=kind.name(layer_id)), kind.clear(layer_id)]
    for statement in statements:
        cursor.execute(statement.as_string(cursor.connection))
    cursor.execute(kind.sql["forget"], {"layer": layer_id})


def install(kind: CellKind, using: str = "default") -> None:
    """Create or refresh the cells and triggers of every layer of this kind on a table."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [kind.layers_table])
        if not cursor.fetchone()[0]:
            return  # before the kind's own migration
        cursor.execute(kind.sql["installed"])
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
                drop(kind, cursor, spec.id, installed[spec.id][0])
            for statement in statements:
                cursor.execute(statement)
            cursor.execute(kind.clear(spec.id).as_string(cursor.connection))
            cursor.execute(kind.rebuild(spec).as_string(cursor.connection))
            cursor.execute(kind.sql["record"], {"layer": spec.id, "table": spec.table, "definition": digest})
        for layer_id, (table, _) in installed.items():
            if layer_id not in wanted:
                drop(kind, cursor, layer_id, table)
