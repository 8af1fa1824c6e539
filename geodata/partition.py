"""Derive 2025 commune polygons by partitioning real district polygons (no public 2025 polygons exist).

Each district is cut by recursive axis-parallel bisection into pieces whose areas are proportional to the
number of old wards each commune drew from it; communes that also draw from a neighbouring district are
ordered towards that neighbour so that their pieces meet across the border. Cuts share exact coordinates, so
the pieces tile the district with no gap and no overlap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.validation import make_valid


@dataclass(frozen=True)
class Share:
    """A commune's claim on one district: its weight there and, if it spans districts, where its other part lies."""

    code: str
    weight: float
    anchor: tuple[float, float] | None = None


def polygonal(geometry: BaseGeometry) -> MultiPolygon:
    """Keep only the polygonal part of a geometry, as a valid MultiPolygon."""
    geometry = make_valid(geometry)
    parts: list[Polygon] = []
    for geom in getattr(geometry, "geoms", [geometry]):
        if isinstance(geom, Polygon) and not geom.is_empty:
            parts.append(geom)
        elif isinstance(geom, MultiPolygon):
            parts.extend(geom.geoms)
        elif hasattr(geom, "geoms"):
            parts.extend(polygonal(geom).geoms)
    return MultiPolygon(parts)


def _cut(polygon: BaseGeometry, axis: int, fraction: float) -> tuple[BaseGeometry, BaseGeometry]:
    """Cut at the coordinate on `axis` where the lower side holds `fraction` of the area (bisection search)."""
    minx, miny, maxx, maxy = polygon.bounds
    lo, hi = (minx, maxx) if axis == 0 else (miny, maxy)
    total = polygon.area
    low_box = (
        (lambda c: box(minx - 1, miny - 1, c, maxy + 1))
        if axis == 0
        else (lambda c: box(minx - 1, miny - 1, maxx + 1, c))
    )
    high_box = (
        (lambda c: box(c, miny - 1, maxx + 1, maxy + 1))
        if axis == 0
        else (lambda c: box(minx - 1, c, maxx + 1, maxy + 1))
    )
    a, b = lo, hi
    for _ in range(60):
        mid = (a + b) / 2
        if polygon.intersection(low_box(mid)).area / total < fraction:
            a = mid
        else:
            b = mid
    cut = (a + b) / 2
    return polygon.intersection(low_box(cut)), polygon.intersection(high_box(cut))


def _bisect(polygon: BaseGeometry, shares: list[Share]) -> dict[str, BaseGeometry]:
    if len(shares) == 1:
        return {shares[0].code: polygon}
    minx, miny, maxx, maxy = polygon.bounds
    axis = 0 if (maxx - minx) >= (maxy - miny) else 1
    centre = polygon.centroid.coords[0][axis]
    ordered = sorted(shares, key=lambda s: (s.anchor[axis] if s.anchor else centre, s.code))
    total = sum(s.weight for s in ordered)
    running, split_at, best = 0.0, 1, float("inf")
    for i in range(1, len(ordered)):
        running += ordered[i - 1].weight
        if abs(running - total / 2) < best:
            best, split_at = abs(running - total / 2), i
    low, high = ordered[:split_at], ordered[split_at:]
    low_part, high_part = _cut(polygon, axis, sum(s.weight for s in low) / total)
    return {**_bisect(low_part, low), **_bisect(high_part, high)}


def _merge_detached(pieces: dict[str, BaseGeometry]) -> dict[str, BaseGeometry]:
    """Give each commune's small detached parts to the neighbour sharing the longest border with them."""
    result = {code: polygonal(geom) for code, geom in pieces.items()}
    for code in list(result):
        parts = sorted(result[code].geoms, key=lambda p: p.area, reverse=True)
        if len(parts) < 2:
            continue
        result[code] = MultiPolygon([parts[0]])
        for part in parts[1:]:
            best, best_len = code, 0.0
            for other, geom in result.items():
                if other != code:
                    shared = part.boundary.intersection(geom.boundary).length
                    if shared > best_len:
                        best, best_len = other, shared
            result[best] = polygonal(unary_union([result[best], part]))
    return result


def partition_districts(districts: dict[str, BaseGeometry], communes: list[dict]) -> dict[str, MultiPolygon]:
    """Return a MultiPolygon per commune code covering exactly the union of the districts."""
    weights: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for commune in communes:
        for ward in commune["merged_from"]:
            weights[ward["old_district_code"]][commune["code"]] += 1.0 if ward["type"] == "full" else 0.5
    pieces: dict[str, list[BaseGeometry]] = defaultdict(list)
    for district_code, by_commune in weights.items():
        district = districts[district_code]
        shares = []
        for code, weight in by_commune.items():
            elsewhere = [districts[d] for d, w in weights.items() if d != district_code and code in w]
            anchor = None
            if elsewhere:
                nearest = district.boundary.intersection(unary_union(elsewhere).buffer(0.01))
                anchor = (nearest if not nearest.is_empty else unary_union(elsewhere)).centroid.coords[0]
            shares.append(Share(code, weight, anchor))
        for code, geom in _merge_detached(_bisect(district, shares)).items():
            pieces[code].append(geom)
    return {code: polygonal(unary_union(parts)) for code, parts in pieces.items()}
