"""Where imported features lie: inside Đồng Nai or not, which commune codes exist, which commune holds a feature."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely

from geodata.io import geometry
from geodata.io.queries import raw_cursor, statement


@dataclass
class Places:
    """The loaded administrative units, read once per import."""

    area: shapely.Geometry  # the province with its margin, prepared
    codes: np.ndarray  # of every commune, in code order
    shapes: np.ndarray  # their geometries, prepared

    @cached_property
    def known(self) -> frozenset[str]:
        return frozenset(self.codes)

    def commune_of(self, geometries: np.ndarray) -> np.ndarray:
        """The code of the commune holding a point on each feature's surface ('' where none holds it)."""
        found = np.full(len(geometries), "", dtype=object)
        present = np.flatnonzero(shapely.is_geometry(geometries))
        if not len(present):
            return found
        points = shapely.STRtree(shapely.point_on_surface(geometries[present]))
        commune, point = points.query(self.shapes, predicate="intersects")  # each prepared commune against the points
        if not len(point):
            return found
        order = np.lexsort((commune, point))  # on a shared border: the smallest code (communes come in code order)
        point, commune = point[order], commune[order]
        first = np.r_[True, point[1:] != point[:-1]]
        found[present[point[first]]] = self.codes[commune[first]]
        return found


def load_places() -> Places:
    """The province area and the communes of the database (read before the COPY starts: no query runs during it)."""
    with raw_cursor() as cursor:
        cursor.execute(statement("province_wkb"))
        area = geometry.province_area(cursor.fetchone()[0])
        cursor.execute(statement("commune_shapes"))
        rows = cursor.fetchall()
    shapes = shapely.from_wkb([bytes(wkb) for _, wkb in rows])
    shapely.prepare(shapes)
    return Places(area, np.array([code for code, _ in rows], dtype=object), shapes)
