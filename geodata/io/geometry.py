"""Geometry checks for imports: type against the layer, CRS transform, safe repair, inside the province."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyproj
import shapely
from shapely.geometry import box

FAMILY = {
    "Point": ("Point",),
    "MultiLineString": ("LineString", "MultiLineString"),
    "MultiPolygon": ("Polygon", "MultiPolygon"),
}
SAFE_REPAIR_TOLERANCE = 0.001  # a repair may change area (polygons) or length (lines) by at most 0.1 %
DONG_NAI_BBOX = (105.8, 10.4, 107.7, 12.35)  # used when the province polygon is not loaded
PROVINCE_MARGIN_DEG = 0.005  # about 500 m: tolerance for boundary data of other sources


@dataclass
class Conformed:
    """Geometries ready to store (EPSG:4326, multi where the layer is multi), with per-row problems."""

    geometries: np.ndarray
    repaired: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)


def _to_layer_type(geom, geometry_type: str):
    """The geometry as the layer's type, or a reason why it cannot be."""
    kind = geom.geom_type
    if geometry_type == "Point":
        if kind == "Point":
            return geom, None
        if kind == "MultiPoint" and len(geom.geoms) == 1:
            return geom.geoms[0], None
        return None, f"{kind} where the layer holds points"
    if kind not in FAMILY[geometry_type]:
        return None, f"{kind} where the layer holds {geometry_type}"
    if kind.startswith("Multi"):
        return geom, None
    return (shapely.MultiLineString([geom]) if kind == "LineString" else shapely.MultiPolygon([geom])), None


def _measure(geom) -> float:
    return geom.area if geom.geom_type.endswith("Polygon") else geom.length


def safe_repair(geom, geometry_type: str):
    """make_valid's result when it keeps the layer's type and the area/length within 0.1 %, else (None, reason)."""
    fixed = shapely.make_valid(geom)
    wanted = FAMILY[geometry_type]
    if fixed.geom_type == "GeometryCollection":
        parts = [g for g in fixed.geoms if g.geom_type in wanted]
        fixed = shapely.union_all(parts) if parts else fixed
    if fixed.is_empty or fixed.geom_type not in wanted:
        return None, f"invalid ({shapely.is_valid_reason(geom)}); repair would give {fixed.geom_type}"
    before, after = _measure(geom), _measure(fixed)
    if before <= 0 or abs(after - before) / before > SAFE_REPAIR_TOLERANCE:
        return None, (
            f"invalid ({shapely.is_valid_reason(geom)}); repair would change its "
            f"{'area' if geometry_type == 'MultiPolygon' else 'length'} by more than 0.1 %"
        )
    return _to_layer_type(fixed, geometry_type)[0], None


def transform(geometries: np.ndarray, transformer: pyproj.Transformer | None) -> np.ndarray:
    """Transform every coordinate at once (always_xy transformer); None: already longitude/latitude WGS 84."""
    if transformer is None:
        return geometries
    return shapely.transform(geometries, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


# shapely type ids of the geometries each layer type stores as they are, and of those it wraps in a multi
STORED_AS_IS = {"Point": (0,), "MultiLineString": (5,), "MultiPolygon": (6,)}
WRAPPED = {"Point": (), "MultiLineString": (1,), "MultiPolygon": (3,)}


def _shape(geometries: np.ndarray, geometry_type: str) -> tuple[np.ndarray, np.ndarray]:
    """The geometries as the layer's type, all at once for the common kinds; (shaped, mask of the others)."""
    kinds = shapely.get_type_id(geometries)
    shaped = geometries.copy()
    wrap = np.isin(kinds, WRAPPED[geometry_type])
    if wrap.any():
        multi = shapely.multipolygons if geometry_type == "MultiPolygon" else shapely.multilinestrings
        shaped[wrap] = multi(geometries[wrap], indices=np.arange(wrap.sum()))
    return shaped, ~(wrap | np.isin(kinds, STORED_AS_IS[geometry_type]))


def conform(geometries: np.ndarray, geometry_type: str, transformer: pyproj.Transformer | None) -> Conformed:
    """Check type, transform to EPSG:4326 and repair what is safely repairable; problems are per row."""
    out = Conformed(np.full(len(geometries), None, dtype=object))
    present = shapely.is_geometry(geometries) & ~shapely.is_empty(geometries)
    out.errors += [(int(i), "geometry", "no geometry") for i in np.flatnonzero(~present)]
    flat = geometries[present]
    if shapely.has_z(flat).any():
        flat = shapely.force_2d(flat)
    shaped, odd = _shape(transform(flat, transformer), geometry_type)
    rows = np.flatnonzero(present)  # row index of each of flat, shaped
    for j in np.flatnonzero(odd):  # other kinds (a one-point MultiPoint, a collection): one at a time, with why
        shaped[j], reason = _to_layer_type(shaped[j], geometry_type)
        if reason:
            out.errors.append((int(rows[j]), "geometry", reason))
    invalid = shapely.is_geometry(shaped) & ~shapely.is_valid(shaped)
    for j in np.flatnonzero(invalid):
        shaped[j], reason = safe_repair(shaped[j], geometry_type)
        out.repaired += shaped[j] is not None
        if reason:
            out.errors.append((int(rows[j]), "geometry", reason))
    out.geometries[present] = shaped
    if transformer is not None:
        nonfinite = ~np.isfinite(shapely.bounds(out.geometries)).all(axis=1) & shapely.is_geometry(out.geometries)
        for i in np.flatnonzero(nonfinite):
            out.errors.append((int(i), "geometry", "coordinates cannot be transformed (wrong CRS?)"))
            out.geometries[i] = None
    return out


def province_area(province_wkb: bytes | None):
    """The area accepted as 'inside Đồng Nai': the province polygon with a small margin, prepared."""
    area = shapely.from_wkb(province_wkb) if province_wkb else box(*DONG_NAI_BBOX)
    area = shapely.simplify(area, 0.001).buffer(PROVINCE_MARGIN_DEG)
    shapely.prepare(area)
    return area


def outside(geometries: np.ndarray, area) -> np.ndarray:
    """Mask of geometries that do not touch the province area (None counts as inside: reported elsewhere)."""
    mask = np.zeros(len(geometries), dtype=bool)
    present = shapely.is_geometry(geometries)
    mask[present] = ~shapely.intersects(area, geometries[present])
    return mask
