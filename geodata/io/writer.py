"""Fast bulk writes: COPY ... FROM STDIN through psycopg 3, geometries as hex EWKB."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely
from psycopg import sql

from geodata.io.queries import raw_cursor

CHUNK = 5000


def copy_rows(table: str, columns: dict[str, list], geometries: np.ndarray,
              advance: Callable[[int], object] | None = None) -> int:
    """COPY the rows (attribute columns + geom in EPSG:4326) into table; returns the number written."""
    names = list(columns)
    ewkb = shapely.to_wkb(shapely.set_srid(geometries, 4326), hex=True, include_srid=True)
    values = [columns[name] for name in names] + [ewkb.tolist()]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(n) for n in [*names, "geom"])
    )
    written = 0
    with raw_cursor() as cursor, cursor.copy(statement) as copy:
        for row in zip(*values):
            copy.write_row(row)
            written += 1
            if advance is not None and written % CHUNK == 0:
                advance(CHUNK)
    if advance is not None:
        advance(written % CHUNK)
    return written
