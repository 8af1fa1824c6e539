"""Fast bulk writes: one binary COPY ... FROM STDIN through psycopg 3, fed chunk by chunk, geometries as EWKB.

The COPY uses psycopg's QueuedLibpqWriter: a worker thread sends the data while the importer checks the next
chunk, so PostgreSQL (heap and index maintenance, most of an import's time) works while Python does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import shapely
from psycopg import sql
from psycopg.adapt import Dumper
from psycopg.copy import QueuedLibpqWriter
from psycopg.pq import Format

from geodata.io.queries import raw_cursor

EWKB_SRID_FLAG = 0x20000000
# write(attribute columns, geometries in EPSG:4326) -> rows written
ChunkWriter = Callable[[dict[str, list], np.ndarray], int]


class _Ewkb(bytes):
    """Marker type: bytes that are EWKB of a geometry."""


def ewkb(geometries: np.ndarray, srid: int = 4326) -> list[bytes]:
    """EWKB with the SRID of each geometry: its little-endian WKB with the SRID flag and number put after the byte
    order and type (cheaper than shapely.set_srid, which copies every geometry)."""
    wkb = shapely.to_wkb(geometries, byte_order=1, output_dimension=2).tolist()
    heads = {head: _with_srid(head, srid) for head in {w[:5] for w in wkb}}
    return [heads[w[:5]] + w[5:] for w in wkb]


def _with_srid(head: bytes, srid: int) -> bytes:
    kind = int.from_bytes(head[1:5], "little") | EWKB_SRID_FLAG
    return head[:1] + kind.to_bytes(4, "little") + srid.to_bytes(4, "little")


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


@contextmanager
def copy_into(table: str, names: list[str]) -> Iterator[ChunkWriter]:
    """COPY into table's columns names (+ geom); yields a function writing one chunk; the caller holds the
    transaction. An exception inside the block aborts the COPY (and so the transaction)."""
    columns = [*names, "geom"]
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(n) for n in columns)
    )
    with raw_cursor() as cursor:
        types = _column_types(cursor, table, columns)
        _register_geometry(cursor, types[-1])
        with cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
            copy.set_types(types)

            def write(values: dict[str, list], geometries: np.ndarray) -> int:
                geometry = ewkb(geometries)
                for row in zip(*(values[name] for name in names), geometry):
                    copy.write_row(row)
                return len(geometry)

            yield write
