"""The limits of one machine, for docs/scaling.md: items/s and tiles/s at concurrency, rows of the largest tables
and the time of their typical queries. Run: `python -m bench.scaling` (DATABASE_URL: the database to measure,
BENCH_PORT_OURS: the port of the server it starts). Prints a Markdown table; it does not touch docs/benchmarks.md."""

from __future__ import annotations

import os
import random
import time

from bench import common

CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
DURATION = float(os.environ.get("BENCH_DURATION", "8"))
Z = 15


def _points(table: str, count: int = 400) -> list[tuple[float, float]]:
    """Random row locations of a table (seeded)."""
    import psycopg

    with psycopg.connect(common.libpq_url()) as conn:
        conn.execute("SELECT setseed(0.18)")
        rows = conn.execute(
            f"SELECT ST_X(geom), ST_Y(geom) FROM {table} ORDER BY random() LIMIT %s",  # noqa: S608 (a constant)
            [count],
        ).fetchall()
    return [(float(x), float(y)) for x, y in rows]


def _tile_url(base: str, point: tuple[float, float]) -> str:
    from tiles.tilemath import tile_for

    x, y = tile_for(point[0], point[1], Z)
    return f"{base}/tiles/houses/{Z}/{x}/{y}.mvt"


def _timed(query: str, repeat: int = 5) -> float:
    """Median milliseconds of a query, run on one connection (the first run warms the cache)."""
    import psycopg

    with psycopg.connect(common.libpq_url()) as conn:
        conn.execute(query).fetchall()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            conn.execute(query).fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]


def table_figures() -> list[list[object]]:
    """Rows and query times of the largest tables."""
    largest = common.psql_value(
        "SELECT string_agg(relname || ':' || n_live_tup, ',' ORDER BY n_live_tup DESC) FROM "
        "(SELECT relname, n_live_tup FROM pg_stat_user_tables ORDER BY n_live_tup DESC LIMIT 3) t"
    )
    rows = [["largest tables (rows)", largest.replace(",", ", ")]]
    queries = {
        "count(*) geodata_house": "SELECT count(*) FROM geodata_house",
        # the box first (GiST index on geom), then the exact distance on the spheroid
        "houses within 3 km of a point": "SELECT count(*) FROM geodata_house WHERE geom && "
        "ST_Expand(ST_SetSRID(ST_MakePoint(106.82, 10.95), 4326), 0.03) AND ST_DWithin(geom::geography, "
        "ST_SetSRID(ST_MakePoint(106.82, 10.95), 4326)::geography, 3000)",
        "houses of one commune by status": "SELECT status, count(*) FROM geodata_house WHERE commune_code = "
        "(SELECT commune_code FROM geodata_house GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) GROUP BY 1",
    }
    rows += [[name, f"{_timed(query):.1f} ms (median of 5)"] for name, query in queries.items()]
    return rows


def run() -> None:
    """Measure and print."""
    random.seed(18)
    token = common.bench_token("leader")
    headers = {"Authorization": f"Bearer {token}"}
    points = _points("geodata_house")
    rows = table_figures()
    for cache in ("on", "off"):
        os.environ["MAPSERVER_TILE_CACHE"] = cache
        with common.serve_ours() as base:
            if cache == "on":
                boxes = [f"{x - 0.005},{y - 0.005},{x + 0.005},{y + 0.005}" for x, y in points]
                urls = [f"{base}/ogcapi/collections/houses/items?limit=100&bbox={b}" for b in boxes]
                items = common.measure(urls, CONCURRENCY, DURATION, headers=headers)
                rows.append(["items pages (houses, 100 per page, bbox)", _cell(items)])
                tiles = [_tile_url(base, p) for p in points[:100]]
                common.measure(tiles, CONCURRENCY, None, count=len(tiles), headers=headers)  # fill the cache
                rows.append(
                    [
                        f"houses tiles z{Z}, cache warm",
                        _cell(common.measure(tiles, CONCURRENCY, DURATION, headers=headers)),
                    ]
                )
            else:
                tiles = [_tile_url(base, p) for p in points]
                rows.append(
                    [
                        f"houses tiles z{Z}, rendered",
                        _cell(common.measure(tiles, CONCURRENCY, DURATION, headers=headers)),
                    ]
                )
    print(common.machine_note())
    print(common.markdown_table(["figure", "value"], rows))


def _cell(result: dict) -> str:
    return (
        f"{result['throughput']:.0f}/s at concurrency {CONCURRENCY}, median {result['median_ms']:.0f} ms, "
        f"p95 {result['p95_ms']:.0f} ms, {result['errors']} errors"
    )


if __name__ == "__main__":
    run()
