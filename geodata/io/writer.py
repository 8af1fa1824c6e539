"""Fast bulk writes: binary COPY ... FROM STDIN through psycopg 3, geometries sent as EWKB bytes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely
from psycopg import sql
from psycopg.adapt import Dumper
from psycopg.pq import Format

from geodata.io.queries import raw_cursor

CHUNK = 5000


class _Ewkb(bytes):
    """Marker type: bytes that are EWKB of a geometry."""


def _column_types(cursor, table: str, names: list[str]) -> list[int]:
    cursor.execute("SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0", [table])
    oids = dict(cursor.fetchall())
    return [oids[name] for name in names]


def _register_geometry(cursor, oid: int) -> None:
    """Send geometry values in binary COPY as raw EWKB: PostGIS's binary input (geometry_recv) reads it."""

    class EwkbDumper(Dumper):
        format = Format.BINARY

        def dump(self, obj):
            return obj

    EwkbDumper.oid = oid
    cursor.adapters.register_dumper(_Ewkb, EwkbDumper)  # the cursor's own adapters: Django's stay as they are


def copy_rows(
    table: str, columns: dict[str, list], geometries: np.ndarray, advance: Callable[[int], object] | None = None
) -> int:
    """COPY the rows (attribute columns + geom in EPSG:4326) into table; returns the number written."""
    names = [*columns, "geom"]
    ewkb = shapely.to_wkb(shapely.set_srid(geometries, 4326), include_srid=True)
    values = [columns[name] for name in names[:-1]] + [ewkb.tolist()]
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(n) for n in names)
    )
    written = 0
    with raw_cursor() as cursor:
        types = _column_types(cursor, table, names)
        _register_geometry(cursor, types[-1])
        with cursor.copy(statement) as copy:
            copy.set_types(types)
            for row in zip(*values):
                copy.write_row(row)
                written += 1
                if advance is not None and written % CHUNK == 0:
                    advance(CHUNK)
    if advance is not None:
        advance(written % CHUNK)
    return written
