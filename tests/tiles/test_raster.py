"""PNG tiles of raster layers, from a small COG made here (EPSG:4326, nodata outside a disc)."""

from __future__ import annotations

import io

import numpy as np
import pytest
import rasterio
from PIL import Image
from rasterio.transform import from_origin

from geodata.models import RasterLayer
from tiles.tilemath import Tile, tile_for

pytestmark = pytest.mark.django_db
WEST, NORTH, STEP, SIZE = 106.78, 11.02, 0.0005, 256  # about 28 km over Biên Hòa


@pytest.fixture
def flood_raster(tmp_path):
    """A 256x256 flood-depth COG: depth grows towards the centre, nodata outside a disc."""
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    distance = np.hypot(xx - SIZE / 2, yy - SIZE / 2)
    depth = np.where(distance < SIZE / 2.2, 3.0 * (1 - distance / (SIZE / 2.2)), -9999).astype("float32")
    path = tmp_path / "flood.tif"
    profile = {
        "driver": "GTiff",
        "width": SIZE,
        "height": SIZE,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:4326",
        "transform": from_origin(WEST, NORTH, STEP, STEP),
        "nodata": -9999,
        "tiled": True,
        "blockxsize": 128,
        "blockysize": 128,
        "compress": "deflate",
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(depth, 1)
        dst.build_overviews([2, 4], rasterio.enums.Resampling.average)
    RasterLayer.objects.update_or_create(
        layer_id="flood_depth", defaults={"title": "Độ sâu ngập", "path": str(path), "unit": "m"}
    )
    return path


def png(response) -> np.ndarray:
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (256, 256) and image.mode == "RGBA"
    return np.asarray(image)


def test_raster_tile_is_coloured_inside_and_transparent_outside(api, flood_raster):
    centre = (WEST + STEP * SIZE / 2, NORTH - STEP * SIZE / 2)
    tile = Tile(12, *tile_for(*centre, 12))
    pixels = png(api().get(f"/tiles/raster/flood_depth/{tile.z}/{tile.x}/{tile.y}.png"))
    alpha = pixels[..., 3]
    assert (alpha > 0).sum() > 1000  # flooded pixels drawn
    deep = pixels[alpha > 0]
    assert deep[:, 2].mean() > deep[:, 0].mean()  # a blue ramp


def test_raster_tile_edge_has_transparent_nodata(api, flood_raster):
    tile = Tile(11, *tile_for(WEST + 0.01, NORTH - 0.01, 11))  # holds the disc's edge and nodata corners
    alpha = png(api().get(f"/tiles/raster/flood_depth/{tile.z}/{tile.x}/{tile.y}.png"))[..., 3]
    assert (alpha == 0).sum() > 1000 and (alpha > 0).sum() > 100


def test_tile_outside_the_raster_is_fully_transparent(api, flood_raster):
    pixels = png(api().get("/tiles/raster/flood_depth/8/0/0.png"))
    assert pixels[..., 3].max() == 0


def test_raster_etag_and_errors(api, flood_raster):
    first = api().get("/tiles/raster/flood_depth/8/203/120.png")
    assert first.status_code == 200
    assert api().get("/tiles/raster/flood_depth/8/203/120.png", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert api().get("/tiles/raster/nope/8/203/120.png").status_code == 404
    assert api().get("/tiles/raster/flood_depth/30/0/0.png").status_code == 400


def test_style_offers_registered_rasters(api, flood_raster):
    style = api().get("/styles/operations.json").json()
    source = style["sources"]["raster-flood_depth"]
    assert source["type"] == "raster" and source["tiles"][0].endswith("/tiles/raster/flood_depth/{z}/{x}/{y}.png")
