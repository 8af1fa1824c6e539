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
    import rasterio
    from pyproj import Transformer

    path = raster_path(layer_id)
    if not path.exists():
        raise RasterMissing(f"raster {layer_id} is registered but its file {path} is missing")
    if not points:
        return []
    with rasterio.open(path) as src:
        to_raster = Transformer.from_crs("EPSG:4326", src.crs, always_xy=True)
        xs, ys = to_raster.transform([p[0] for p in points], [p[1] for p in points])
        left, bottom, right, top = src.bounds
        nodata = src.nodata
        values: list[float | None] = []
        for (x, y), (value,) in zip(zip(xs, ys), src.sample(list(zip(xs, ys)), indexes=1, masked=False)):
            inside = left <= x <= right and bottom <= y <= top
            number = float(value)
            ok = inside and math.isfinite(number) and (nodata is None or number != nodata)
            values.append(number if ok else None)
    return values
