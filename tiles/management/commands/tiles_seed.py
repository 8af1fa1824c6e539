"""python manage.py tiles_seed --layers a,b --zoom 6-12 [--bbox w,s,e,n]: pre-warm the tile cache."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from mapserver.errors import ApiError
from mapserver.principal import ANONYMOUS
from tiles import queries, service
from tiles.cache import cache_enabled
from tiles.tilemath import MAX_ZOOM, Tile, tile_range


def parse_zoom(raw: str) -> range:
    """'8' or '6-12' as a range of zooms."""
    low, _, high = raw.partition("-")
    try:
        first, last = int(low), int(high or low)
    except ValueError as exc:
        raise CommandError(f"--zoom must be N or N-M, got {raw!r}") from exc
    if not 0 <= first <= last <= MAX_ZOOM:
        raise CommandError(f"--zoom must lie within 0-{MAX_ZOOM}")
    return range(first, last + 1)


def parse_bbox(raw: str | None) -> tuple[float, float, float, float]:
    """'w,s,e,n' in degrees, or the province's extent."""
    if not raw:
        return queries.province_bounds()
    try:
        west, south, east, north = (float(v) for v in raw.split(","))
    except ValueError as exc:
        raise CommandError("--bbox must be west,south,east,north in degrees") from exc
    if not (-180 <= west < east <= 180 and -85.06 <= south < north <= 85.06):
        raise CommandError("--bbox is not a valid lon/lat box")
    return west, south, east, north


class Command(BaseCommand):
    help = "Render the tiles of a layer set over a zoom range into the tile cache (public scope)."

    def add_arguments(self, parser):
        parser.add_argument("--layers", required=True, help="layer ids joined by commas, as in /tiles/{layers}/...")
        parser.add_argument("--zoom", required=True, help="a zoom or a range, e.g. 6-12")
        parser.add_argument("--bbox", default=None, help="west,south,east,north (default: the province)")

    def handle(self, *args, layers: str, zoom: str, bbox: str | None, verbosity: int = 1, **options):
        if not cache_enabled():
            raise CommandError("the tile cache is disabled (MAPSERVER_TILE_CACHE)")
        try:
            resolved = service.resolve_layers(ANONYMOUS, layers)
        except ApiError as error:
            raise CommandError(f"{error.description} (only public layers are seeded)") from error
        area = parse_bbox(bbox)
        tiles = [Tile(z, x, y) for z in parse_zoom(zoom) for x, y in _tiles_at(area, z)]
        rendered = 0
        for tile in tqdm(tiles, desc=f"seeding {layers}", unit="tile", disable=verbosity == 0):
            rendered += not service.get_tile(resolved, tile).cached
        if verbosity:
            self.stdout.write(f"{len(tiles)} tiles, {rendered} rendered, {len(tiles) - rendered} already cached")


def _tiles_at(bbox: tuple[float, float, float, float], z: int):
    x0, y0, x1, y1 = tile_range(bbox, z)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            yield x, y
