"""Indicator choropleth tiles: the communes with an indicator's value for a period, its target and whether it is
met. They go through the layer tiles' pipeline (tiles.service.cached_tile): cached under the versions of the
indicator values and communes tables, with the same ETag, 304, 204 and Cache-Control (tiles.responses)."""

from __future__ import annotations

from geodata.models import Indicator, IndicatorValue
from geodata.models.indicators import PERIOD
from layers.registry import registry
from mapserver.errors import InvalidParameterValue, NotFound
from tiles import queries
from tiles.service import TileResult, cached_tile
from tiles.tilemath import Tile


def parse_period(value: str) -> str:
    """A period as stored: 2026 (year), 2026-Q1 (quarter) or 2026-03 (month); 400 otherwise."""
    if not PERIOD.match(value):
        raise InvalidParameterValue(f"period must look like 2026, 2026-Q1 or 2026-03, got {value!r}")
    return value


def choropleth_tile(code: str, period: str, tile: Tile) -> TileResult:
    """The choropleth tile of indicator `code` for `period` (404 unknown indicator, 400 malformed period)."""
    period = parse_period(period)
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise NotFound(f"no indicator {code!r}")
    communes = registry.get("communes")
    values_table = IndicatorValue._meta.db_table
    params = {
        "z": tile.z,
        "x": tile.x,
        "y": tile.y,
        "indicator": indicator.id,
        "period": period,
        "target": indicator.target,
        "higher": indicator.higher_is_better,
        "tolerance": tile.size_m / 4096,
    }  # about one tile pixel in metres
    # the indicator's row is read above anyway: its target and direction name the tile set, no table version needed
    # and the communes' declaration with the tile code (queries.definition): a new release draws them anew
    name = (
        f"indicator~{indicator.id}~{indicator.code}~{period}~{indicator.target!r}~{indicator.higher_is_better:d}"
        f"~{queries.definition(communes)}"
    )
    return cached_tile(
        name,
        (values_table, *communes.version_tables),
        tile,
        lambda: queries.render_indicator_tile(communes, values_table, params),
        family=f"indicator~{indicator.id}~{period}",  # a changed target supersedes the tiles drawn with the old one
    )
