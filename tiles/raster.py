"""PNG tiles of raster layers (COGs read with rasterio, warped to WebMercatorQuad, coloured by a ramp)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import rasterio
from django.conf import settings
from PIL import Image
from rasterio.enums import Resampling
from rasterio.transform import from_bounds
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform_bounds

from tiles.tilemath import Tile

TILE_PX = 256
Stop = tuple[float, tuple[int, int, int, int]]


@dataclass(frozen=True)
class Ramp:
    """Colour stops; relative stops are fractions of the raster's value range, absolute ones are values."""

    stops: tuple[Stop, ...]
    relative: bool = True


RAMPS: dict[str, Ramp] = {
    "elevation": Ramp(
        (
            (0.0, (38, 115, 77, 200)),
            (0.25, (134, 179, 84, 200)),
            (0.5, (235, 214, 140, 200)),
            (0.75, (181, 126, 74, 200)),
            (1.0, (245, 245, 245, 200)),
        )
    ),
    "flood_depth": Ramp(
        (
            (0.0, (198, 230, 255, 0)),
            (0.05, (158, 202, 245, 170)),
            (0.5, (66, 146, 214, 200)),
            (1.0, (33, 102, 172, 220)),
            (2.0, (8, 48, 107, 235)),
            (4.0, (40, 0, 80, 245)),
        ),
        relative=False,
    ),
}
DEFAULT_RAMP = Ramp(((0.0, (68, 1, 84, 200)), (0.5, (33, 145, 140, 200)), (1.0, (253, 231, 37, 200))))


def raster_path(path: str) -> Path:
    """A registered raster's file: absolute, or relative to MAPSERVER_RASTER_DIR."""
    candidate = Path(path)
    return candidate if candidate.is_absolute() else Path(settings.MAPSERVER_RASTER_DIR) / candidate


@lru_cache(maxsize=32)
def value_range(path: str, mtime: float) -> tuple[float, float]:
    """Minimum and maximum of band 1, read from the smallest overview (cached per file version)."""
    with rasterio.open(path) as src:
        overviews = src.overviews(1)
        factor = overviews[-1] if overviews else max(1, max(src.width, src.height) // 512)
        shape = (max(1, src.height // factor), max(1, src.width // factor))
        data = src.read(1, out_shape=shape, masked=True, resampling=Resampling.nearest)
    if data.count() == 0:
        return 0.0, 1.0
    return float(data.min()), float(data.max())


def colourise(values: np.ma.MaskedArray, ramp: Ramp, vmin: float, vmax: float) -> np.ndarray:
    """RGBA pixels of a masked band; masked pixels are transparent."""
    positions = np.array([stop for stop, _ in ramp.stops], dtype="float64")
    if ramp.relative:
        positions = vmin + positions * (vmax - vmin if vmax > vmin else 1.0)
    colours = np.array([colour for _, colour in ramp.stops], dtype="float64")
    filled = np.asarray(values.filled(np.nan), dtype="float64")
    missing = ~np.isfinite(filled)
    filled[missing] = positions[0]
    rgba = np.zeros(filled.shape + (4,), dtype="uint8")
    for channel in range(4):
        rgba[..., channel] = np.interp(filled, positions, colours[:, channel]).round().astype("uint8")
    rgba[missing] = 0
    return rgba


def encode_png(rgba: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgba, mode="RGBA").save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def transparent_png() -> bytes:
    """A fully transparent tile, for tiles outside the raster."""
    return encode_png(np.zeros((TILE_PX, TILE_PX, 4), dtype="uint8"))


def render(layer_id: str, path: Path, tile: Tile) -> bytes:
    """The PNG tile of a raster: warped to the tile grid, coloured, transparent outside the data."""
    with rasterio.open(path) as src:
        west, south, east, north = transform_bounds("EPSG:3857", src.crs, *tile.bounds_3857())
        left, bottom, right, top = src.bounds
        if west >= right or east <= left or south >= top or north <= bottom:
            return transparent_png()
        dst_transform = from_bounds(*tile.bounds_3857(), TILE_PX, TILE_PX)
        nodata = src.nodata if src.nodata is not None else np.nan
        with WarpedVRT(
            src,
            crs="EPSG:3857",
            transform=dst_transform,
            width=TILE_PX,
            height=TILE_PX,
            resampling=Resampling.bilinear,
            src_nodata=nodata,
            nodata=nodata,
            dtype="float32",
        ) as vrt:
            band = vrt.read(1, masked=True)
    if band.count() == 0:
        return transparent_png()
    vmin, vmax = value_range(str(path), path.stat().st_mtime)
    return encode_png(colourise(band, RAMPS.get(layer_id, DEFAULT_RAMP), vmin, vmax))
