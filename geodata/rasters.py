"""Raster layers: synthetic Cloud-Optimised GeoTIFFs (elevation, flood depth), their paths and zonal statistics.

The rasters are EPSG:4326 grids of 0.0009° (about 100 m) over the province, written with rasterio's COG
driver into `settings.MAPSERVER_RASTER_DIR` and registered in `RasterLayer` (synthetic until real ones are
imported under the same layer id).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import rasterio
import rasterio.mask
import shapely
from django.conf import settings
from rasterio.transform import from_origin
from rasterio.warp import transform_geom
from shapely.geometry import LineString

from geodata.models import Province, RasterLayer

RESOLUTION_DEG = 0.0009
NODATA = -9999.0
SYNTHETIC = {
    "elevation": ("Độ cao địa hình (DEM tổng hợp)", "m"),
    "flood_depth": ("Độ sâu ngập (kịch bản tổng hợp)", "m"),
    "flood_depth_b1": ("Độ sâu ngập khi mực nước vượt báo động dưới 0,5 m (tổng hợp)", "m"),
    "flood_depth_b2": ("Độ sâu ngập khi mực nước vượt báo động 0,5-1 m (tổng hợp)", "m"),
}
# Inundation per level band of the water-level stations (scenarios' flood model): (peak depth m, decay m, reach m)
# of the strip along the rivers when a station's level is up to 0.5 m, 0.5-1 m over its alarm level; from 1 m on
# the major-flood raster (flood_depth) applies.
FLOOD_BANDS = {"flood_depth_b1": (1.2, 500.0, 1500.0), "flood_depth_b2": (2.0, 800.0, 2500.0)}
# Peaks that rise out of the plain: Núi Chứa Chan and Núi Bà Rá (lon, lat, height m, radius deg).
PEAKS = [(107.38, 10.89, 780.0, 0.03), (107.00, 11.82, 650.0, 0.025)]


class UnknownRaster(LookupError):
    """No raster layer is registered (or stored) under this id."""


def raster_path(layer_id: str) -> Path:
    """Where a raster layer's file lives: its registered path, else `<raster dir>/<id>.tif` if that exists."""
    layer = RasterLayer.objects.filter(layer_id=layer_id).first()
    path = Path(layer.path) if layer is not None else Path(settings.MAPSERVER_RASTER_DIR) / f"{layer_id}.tif"
    if not path.is_file():
        raise UnknownRaster(layer_id)
    return path


def _grid() -> tuple[np.ndarray, np.ndarray, rasterio.Affine]:
    """Pixel-centre longitudes and latitudes covering the province, and the grid's transform."""
    minx, miny, maxx, maxy = Province.objects.get().geom.extent
    minx, miny = math.floor(minx / 0.01) * 0.01, math.floor(miny / 0.01) * 0.01
    maxx, maxy = math.ceil(maxx / 0.01) * 0.01, math.ceil(maxy / 0.01) * 0.01
    width, height = round((maxx - minx) / RESOLUTION_DEG), round((maxy - miny) / RESOLUTION_DEG)
    transform = from_origin(minx, maxy, RESOLUTION_DEG, RESOLUTION_DEG)
    lons = minx + (np.arange(width) + 0.5) * RESOLUTION_DEG
    lats = maxy - (np.arange(height) + 0.5) * RESOLUTION_DEG
    return lons, lats, transform


def _river_distance_m(lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Distance in metres from each pixel centre to the nearest named river (computed on a 4x coarser grid)."""
    from geodata.sample.places import RIVERS

    rivers = shapely.MultiLineString([LineString(points) for _, _, points in RIVERS])
    step = 4
    lon_c, lat_c = np.meshgrid(lons[::step], lats[::step])
    coarse = shapely.distance(shapely.points(lon_c, lat_c), rivers) * 110_600.0
    full = np.repeat(np.repeat(coarse, step, axis=0), step, axis=1)
    return full[: len(lats), : len(lons)]


def synthetic_elevation(lons: np.ndarray, lats: np.ndarray, seed: int, distance: np.ndarray) -> np.ndarray:
    """Metres: low plains in the south-west, uplands to the north-east, valleys along the rivers, two peaks."""
    lon, lat = np.meshgrid(lons, lats)
    rise = np.clip(0.75 * (lat - 10.6) / 1.7 + 0.25 * (lon - 106.4) / 1.2, 0, 1)
    rng = np.random.default_rng(seed)
    relief = sum(
        a * np.sin(k1 * lon + k2 * lat + phase)
        for a, k1, k2, phase in zip((12, 8, 5), (40, 90, 170), (55, 70, 140), rng.uniform(0, 6.3, 3))
    )
    elevation = 4 + 800 * rise**2.2 + relief * (0.3 + rise)
    for plon, plat, height, radius in PEAKS:
        elevation += height * np.exp(-((lon - plon) ** 2 + (lat - plat) ** 2) / (2 * radius**2))
    valley = 1 - 0.85 * np.exp(-distance / 2500.0)
    return np.maximum(0.5, elevation * valley).astype("float32")


def synthetic_flood_depth(
    elevation: np.ndarray, distance: np.ndarray, peak: float = 3.0, decay: float = 1200.0, reach: float = 4000.0
) -> np.ndarray:
    """Metres of water (default: a major flood): a strip along the rivers where the land is low."""
    depth = peak * np.exp(-distance / decay) - 0.12 * elevation
    return np.where(distance < reach, np.clip(depth, 0, None), 0).astype("float32")


def _write_cog(path: Path, data: np.ndarray, transform, description: str) -> None:
    """One band, float32, deflate, internal tiles and overviews, tagged synthetic."""
    profile = {
        "driver": "COG",
        "dtype": "float32",
        "count": 1,
        "width": data.shape[1],
        "height": data.shape[0],
        "crs": "EPSG:4326",
        "transform": transform,
        "nodata": NODATA,
        "compress": "DEFLATE",
        "blocksize": 512,
        "overview_resampling": "average",
    }
    partial = path.with_name(f".{path.stem}.{os.getpid()}.tif")
    with rasterio.open(partial, "w", **profile) as dst:
        dst.write(data, 1)
        dst.update_tags(SYNTHETIC="true", DESCRIPTION=description)
    os.replace(partial, path)  # readers (other processes) never see a half-written file


def generate_synthetic(seed: int) -> list[str]:
    """Write and register the synthetic elevation and flood-depth COGs; returns the layer ids written."""
    out_dir = Path(settings.MAPSERVER_RASTER_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    lons, lats, transform = _grid()
    distance = _river_distance_m(lons, lats)
    elevation = synthetic_elevation(lons, lats, seed, distance)
    layers = {"elevation": elevation, "flood_depth": synthetic_flood_depth(elevation, distance)}
    layers |= {name: synthetic_flood_depth(elevation, distance, *band) for name, band in FLOOD_BANDS.items()}
    for layer_id, data in layers.items():
        title, unit = SYNTHETIC[layer_id]
        existing = RasterLayer.objects.filter(layer_id=layer_id).first()
        if existing is not None and not existing.synthetic:
            continue  # a real raster was imported under this id: keep it
        path = out_dir / f"{layer_id}.tif"
        _write_cog(path, data, transform, title)
        RasterLayer.objects.update_or_create(
            layer_id=layer_id, defaults={"title": title, "path": str(path), "unit": unit, "synthetic": True}
        )
    return list(layers)


def pixel_areas_m2(transform, rows: np.ndarray, crs) -> np.ndarray:
    """Ground area of a pixel in each given row: EPSG:4326 by latitude (spherical approximation), else the
    projected pixel size (scaled for Web Mercator)."""
    if crs is None or crs.to_epsg() == 4326:
        lat = transform.f + (rows + 0.5) * transform.e
        return (abs(transform.a) * 111_320.0 * np.cos(np.radians(lat))) * (abs(transform.e) * 110_574.0)
    size = abs(transform.a * transform.e)
    if crs.to_epsg() == 3857:
        y = transform.f + (rows + 0.5) * transform.e
        lat = np.degrees(2 * np.arctan(np.exp(y / 6_378_137.0)) - np.pi / 2)
        return size * np.cos(np.radians(lat)) ** 2
    return np.full(rows.shape, size)


def zonal_stats(layer_id: str, geometry_geojson: dict, threshold: float | None = None) -> dict:
    """Statistics of the pixels whose centres fall in a GeoJSON geometry (EPSG:4326): count, min, max, mean, sum,
    and with a threshold `area_m2_above`, the ground area of the pixels above it."""
    with rasterio.open(raster_path(layer_id)) as src:
        geometry = geometry_geojson
        if src.crs and src.crs.to_epsg() != 4326:
            geometry = transform_geom("EPSG:4326", src.crs, geometry_geojson)
        try:
            data, transform = rasterio.mask.mask(src, [geometry], crop=True, filled=False)
        except ValueError:  # the geometry does not overlap the raster
            return {
                "count": 0,
                "min": None,
                "max": None,
                "mean": None,
                "sum": None,
                **({"area_m2_above": 0.0} if threshold is not None else {}),
            }
        crs = src.crs
    band = data[0]
    values = band.compressed().astype("float64")
    stats = {"count": int(values.size), "min": None, "max": None, "mean": None, "sum": None}
    if values.size:
        stats.update(
            min=float(values.min()), max=float(values.max()), mean=float(values.mean()), sum=float(values.sum())
        )
    if threshold is not None:
        rows, _ = np.nonzero(~np.ma.getmaskarray(band) & (band.filled(-np.inf) > threshold))
        stats["area_m2_above"] = float(pixel_areas_m2(transform, rows, crs).sum())
    return stats
