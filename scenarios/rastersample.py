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
