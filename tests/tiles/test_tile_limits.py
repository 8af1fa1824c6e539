"""OGC API Tiles /req/core/tc-error: a tile outside the tileset's tileMatrixSetLimits is 404; an empty tile inside
them stays 204. The limits are read from the tileset document, emptiness from our own SQL."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db
BASE = "/ogcapi/collections/{}/tiles/WebMercatorQuad"


def limits(client, layer: str) -> dict[int, dict]:
    document = client.get(BASE.format(layer)).json()
    return {int(entry["tileMatrix"]): entry for entry in document["tileMatrixSetLimits"]}


def features_in_tile(table: str, z: int, x: int, y: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {table} WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope(%s, %s, %s), 4326))",
            [z, x, y],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("layer", ["communes", "bridges"])
def test_tiles_outside_the_limits_are_404(api, layer):
    client = api()
    known = limits(client, layer)
    for z in sorted(known)[:: max(1, len(known) // 4)]:
        entry = known[z]
        row, col = entry["minTileRow"], entry["minTileCol"]
        for outside in (
            (entry["maxTileRow"] + 1, col),
            (row, entry["maxTileCol"] + 1),
            (row - 1, col) if row > 0 else (entry["maxTileRow"] + 2, col),
        ):
            response = client.get(f"{BASE.format(layer)}/{z}/{outside[0]}/{outside[1]}")
            assert response.status_code == 404, (layer, z, outside)
            assert response.json()["code"] == "NotFound"
    beyond = max(known) + 1
    assert client.get(f"{BASE.format(layer)}/{beyond}/0/0").status_code == 404
    if min(known) > 0:
        assert client.get(f"{BASE.format(layer)}/{min(known) - 1}/0/0").status_code == 404


def test_empty_tiles_inside_the_limits_stay_204(api):
    client = api()
    z, entry = 14, limits(client, "bridges")[14]
    corners = [(entry[r], entry[c]) for r in ("minTileRow", "maxTileRow") for c in ("minTileCol", "maxTileCol")]
    empty = [(row, col) for row, col in corners if features_in_tile("geodata_bridge", z, col, row) == 0]
    full = [
        (row, col)
        for row in range(entry["minTileRow"], entry["maxTileRow"] + 1, 7)
        for col in range(entry["minTileCol"], entry["maxTileCol"] + 1, 7)
        if features_in_tile("geodata_bridge", z, col, row)
    ][:1]
    assert empty and full
    for row, col in empty:
        assert client.get(f"{BASE.format('bridges')}/{z}/{row}/{col}").status_code == 204
    assert client.get(f"{BASE.format('bridges')}/{z}/{full[0][0]}/{full[0][1]}").status_code == 200


def test_a_commune_scoped_caller_has_the_limits_of_their_commune(api):
    client = api("t_commune")
    known = limits(client, "houses")
    z = 14
    entry = known[z]
    assert client.get(f"{BASE.format('houses')}/{z}/{entry['minTileRow']}/{entry['minTileCol']}").status_code in (
        200,
        204,
    )
    assert client.get(f"{BASE.format('houses')}/{z}/{entry['maxTileRow'] + 1}/{entry['minTileCol']}").status_code == 404
    everyone = limits(api("t_leader"), "houses")[z]
    assert everyone["maxTileRow"] - everyone["minTileRow"] > entry["maxTileRow"] - entry["minTileRow"]
