"""Sampling a registered raster (geodata.RasterLayer) at many points at once, with rasterio."""

from __future__ import annotations

import math
from pathlib import Path

from django.conf import settings


class RasterMissing(LookupError):
    """The raster is not registered or its file is missing (the step reports it instead of failing the run)."""


def raster_path(layer_id: str) -> Path:
    """The file of a registered raster layer (relative paths are under MAPSERVER_RASTER_DIR)."""
    from geodata.models import RasterLayer

    entry = RasterLayer.objects.filter(layer_id=layer_id).first()
    if entry is None:
        raise RasterMissing(f"raster layer {layer_id!r} is not registered")
    path = Path(entry.path)
    return path if path.is_absolute() else Path(settings.MAPSERVER_RASTER_DIR) / path


def sample(layer_id: str, points: list[tuple[float, float]]) -> list[float | None]:
    """The raster's first-band value at each lon/lat point (None outside the raster or on nodata)."""
    import numpy as np
    import rasterio
    from pyproj import Transformer
    from rasterio.windows import Window

    path = raster_path(layer_id)
    if not path.exists():
        raise RasterMissing(f"raster {layer_id} is registered but its file {path} is missing")
    if not points:
        return []
    with rasterio.open(path) as src:
        to_raster = Transformer.from_crs("EPSG:4326", src.crs, always_xy=True)
        xs, ys = to_raster.transform(np.array([p[0] for p in points]), np.array([p[1] for p in points]))
        cols, rows = ~src.transform * (np.asarray(xs), np.asarray(ys))
        cols, rows = np.floor(cols).astype(np.int64), np.floor(rows).astype(np.int64)
        inside = (cols >= 0) & (cols < src.width) & (rows >= 0) & (rows < src.height)
        values = np.full(len(points), np.nan)
        if inside.any():
            # one read of the window that holds every point, then vectorised lookups
            r0, r1, c0, c1 = rows[inside].min(), rows[inside].max() + 1, cols[inside].min(), cols[inside].max() + 1
            band = src.read(1, window=Window(c0, r0, c1 - c0, r1 - r0)).astype("float64")
            values[inside] = band[rows[inside] - r0, cols[inside] - c0]
            if src.nodata is not None:
                values[values == src.nodata] = np.nan
    return [float(v) if math.isfinite(v) else None for v in values]


_CELLS: dict[tuple, list[tuple[float, float, float, float]] | None] = {}


def wet_cells(layer_id: str, minimum: float, block: int = 16) -> list[tuple[float, float, float, float]] | None:
    """Lon/lat boxes (block x block pixels) holding a value of at least `minimum`: the only places a point can
    pass the threshold, so the points query reads those instead of a whole province of houses. None when the
    raster is not in EPSG:4326 (then every point is sampled). Cached per file version and minimum."""
    import numpy as np
    import rasterio

    path = raster_path(layer_id)
    if not path.exists():
        raise RasterMissing(f"raster {layer_id} is registered but its file {path} is missing")
    key = (str(path), path.stat().st_mtime_ns, minimum, block)
    if key not in _CELLS:
        with rasterio.open(path) as src:
            if src.crs is None or src.crs.to_epsg() != 4326:
                _CELLS[key] = None
                return None
            band = src.read(1, masked=True).filled(-np.inf)
            rows, cols = band.shape
            padded = np.full((-(-rows // block) * block, -(-cols // block) * block), -np.inf)
            padded[:rows, :cols] = band
            blocks = padded.reshape(padded.shape[0] // block, block, padded.shape[1] // block, block).max(axis=(1, 3))
            t = src.transform
            _CELLS[key] = [
                tuple(
                    float(v)
                    for v in (
                        t.c + c * block * t.a,
                        t.f + (r + 1) * block * t.e,
                        t.c + (c + 1) * block * t.a,
                        t.f + r * block * t.e,
                    )
                )
                for r, c in zip(*np.nonzero(blocks >= minimum))
            ]
    return _CELLS[key]
