"""Vector tiles of `houses`: raw ST_AsMVT (the floor), this server cold and warm, TiPG and pygeoapi.

Tiles at z8 (province-wide, clustered here), z12 over Biên Hòa (3263/1922, clustered here) and z14 (plain
points), at concurrency 1 and 8. "Cold" runs a second instance of this server with MAPSERVER_TILE_CACHE=off,
so every request renders in PostGIS; "warm" runs it with the disk cache filled. Raw ST_AsMVT is the plain
TiPG-style statement over all points of the tile, timed in psycopg in this process; the same is done for
this server's own tile statement (clustering below z13), to separate SQL cost from HTTP cost.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from bench import common

DURATION = float(os.environ.get("BENCH_DURATION", "6"))
TILES = {"z8": (8, 203, 120), "z12": (12, 3263, 1922), "z14": (14, 13053, 7689)}
PORT_COLD = int(os.environ.get("BENCH_PORT_TILES_COLD", "8133"))
RAW_SQL = """
SELECT ST_AsMVT(t, 'houses', 4096, 'geom', 'id') FROM (
  SELECT id, {columns}, ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4096, 64, true) AS geom
  FROM geodata_house WHERE geom && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 0.015625), 4326)
) AS t"""


def raw_timing(query: str, params: dict, concurrency: int) -> dict:
    """Median latency and throughput of a statement run back to back on `concurrency` connections."""
    latencies: list[float] = []
    sizes: list[int] = []
    stop_at = time.monotonic() + DURATION

    def worker() -> None:
        with psycopg.connect(common.libpq_url()) as connection:
            connection.execute(query, params)  # warm the plan and the connection
            while time.monotonic() < stop_at:
                started = time.perf_counter()
                data = connection.execute(query, params).fetchone()[0]
                latencies.append((time.perf_counter() - started) * 1000)
                sizes.append(len(data or b""))

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "median_ms": statistics.median(latencies),
        "throughput": len(latencies) / elapsed,
        "kb": sizes[-1] / 1024 if sizes else 0,
    }


def our_statement(z: int, x: int, y: int) -> tuple[str, dict, list[str]]:
    """This server's own tile SQL for houses (rendered through Django's settings for DATABASE_URL), and the
    attributes its tiles carry (the raw floor uses the same ones, so both encode the same tile)."""
    code = (
        "import json,sys,django;django.setup();from layers.registry import registry;"
        "from mapserver.scoping import LayerAccess;from tiles.queries import tile_statement, tile_columns;"
        "from tiles.tilemath import Tile;from django.db import connection;"
        f"q,p=tile_statement([(registry.get('houses'),LayerAccess(read=True))],Tile({z},{x},{y}));"
        "c=connection.cursor();print(json.dumps([q.as_string(c.connection),p,tile_columns(registry.get('houses'))]))"
    )
    import json

    out = subprocess.run(
        [str(common.ROOT / ".venv" / "bin" / "python"), "-c", code],
        cwd=common.ROOT,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mapserver.settings", "DATABASE_URL": common.DATABASE_URL},
    )
    query, params, columns = json.loads(out.stdout.strip().splitlines()[-1])
    return query, params, columns


@contextmanager
def serve_ours_with(**env: str) -> Iterator[str]:
    """This server with extra environment (the tile cache switched off, or a fresh cache directory)."""
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        with common.serve_ours(port=PORT_COLD) as root:
            yield root
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def serve_pygeoapi_tiles() -> Iterator[str]:
    """pygeoapi with the stock MVT-postgresql tile provider added to its houses collection."""
    original = common.pygeoapi_config

    def with_tiles(port: int, collections: dict) -> Path:
        path = original(port, collections)
        _add_tile_provider(path)
        return path

    common.pygeoapi_config = with_tiles  # serve_pygeoapi looks the writer up at call time
    try:
        with common.serve_pygeoapi(
            {"houses": {"table": "geodata_house", "id_field": "id", "geom_field": "geom"}}
        ) as root:
            yield root
    finally:
        common.pygeoapi_config = original


def _add_tile_provider(config: Path) -> None:
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    provider = data["resources"]["houses"]["providers"][0]
    data["resources"]["houses"]["providers"].append(
        {
            "type": "tile",
            "name": "MVT-postgresql",
            "data": provider["data"],
            "id_field": "id",
            "table": "geodata_house",
            "geom_field": "geom",
            "options": {"zoom": {"min": 0, "max": 16}},
            "format": {"name": "pbf", "mimetype": "application/vnd.mapbox-vector-tile"},
        }
    )
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _http(url: str, concurrency: int, headers: dict | None = None, count: int | None = None, warmup: int = 1) -> dict:
    return common.measure(
        [url], concurrency=concurrency, duration=DURATION, count=count, headers=headers, warmup=warmup
    )


def measure_raw() -> dict:
    """The floor: plain ST_AsMVT and this server's own statement, in psycopg."""
    results = {}
    for key, (z, x, y) in TILES.items():
        params = {"z": z, "x": x, "y": y}
        ours_query, ours_params, columns = our_statement(z, x, y)
        raw = RAW_SQL.format(columns=", ".join(columns))
        results[key] = {
            "raw c1": raw_timing(raw, params, 1),
            "raw c8": raw_timing(raw, params, 8),
            "columns": columns,
            "sql c1": raw_timing(ours_query, ours_params, 1),
            "sql c8": raw_timing(ours_query, ours_params, 8),
        }
    return results


def measure_servers(headers: dict, columns: list[str]) -> dict:
    """This server cold and warm, TiPG (as shipped, and asked for this server's attributes only) and pygeoapi,
    at concurrency 1 and 8."""
    results: dict = {key: {} for key in TILES}
    with serve_ours_with(MAPSERVER_TILE_CACHE="off") as root:
        for key, (z, x, y) in TILES.items():
            url = f"{root}/tiles/houses/{z}/{x}/{y}.mvt"
            results[key]["cold"] = (_http(url, 1, headers), _http(url, 8, headers))
    cache_dir = tempfile.mkdtemp(prefix="bench-tilecache-")
    try:
        with serve_ours_with(MAPSERVER_TILE_CACHE="on", MAPSERVER_TILE_CACHE_DIR=cache_dir) as root:
            for key, (z, x, y) in TILES.items():
                url = f"{root}/tiles/houses/{z}/{x}/{y}.mvt"
                results[key]["warm"] = (_http(url, 1, headers), _http(url, 8, headers))
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    with common.serve_tipg() as root:
        for key, (z, x, y) in TILES.items():
            url = f"{root}/collections/public.geodata_house/tiles/WebMercatorQuad/{z}/{x}/{y}"
            results[key]["tipg"] = (_http(url, 1), _http(url, 8))
            same = f"{url}?properties={','.join(columns)}"
            results[key]["tipg_same"] = (_http(same, 1), _http(same, 8))
    with serve_pygeoapi_tiles() as root:
        for key, (z, x, y) in TILES.items():
            url = f"{root}/collections/houses/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"
            # no warm-up (a request over gunicorn's 120 s timeout would abort the load process); one request
            results[key]["pygeoapi"] = (_http(url, 1, count=1, warmup=0), None)
            stop_abandoned_peer_queries()
    return results


def stop_abandoned_peer_queries() -> None:
    """pygeoapi's tile query goes on in PostgreSQL after gunicorn's timeout killed its worker; end it, or it
    would load the machine during every later measurement (its SQL is the only one using ST_CurveToLine)."""
    common.psql_value(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
        " WHERE query LIKE '%ST_CurveToLine%' AND pid <> pg_backend_pid()"
    )


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None or value != value else f"{value:,.{digits}f}"


def report(raw: dict, servers: dict, houses: int) -> str:
    """The markdown section: one table per zoom row group, then the ratios against the targets."""
    rows, ratios = [], []
    for key in TILES:
        r, s = raw[key], servers[key]
        rows.append(
            [
                key,
                "raw ST_AsMVT, all points (psycopg)",
                _fmt(r["raw c1"]["median_ms"]),
                _fmt(r["raw c1"]["throughput"]),
                _fmt(r["raw c8"]["throughput"]),
                _fmt(r["raw c1"]["kb"]),
            ]
        )
        rows.append(
            [
                key,
                "this server's tile SQL (psycopg)",
                _fmt(r["sql c1"]["median_ms"]),
                _fmt(r["sql c1"]["throughput"]),
                _fmt(r["sql c8"]["throughput"]),
                _fmt(r["sql c1"]["kb"]),
            ]
        )
        for name, label in (
            ("cold", "this server, cold (no cache)"),
            ("warm", "this server, warm cache"),
            ("tipg", "TiPG (every column)"),
            ("tipg_same", "TiPG, properties= this server's attributes"),
            ("pygeoapi", "pygeoapi (MVT-postgresql)"),
        ):
            one, eight = s[name]
            rows.append(
                [
                    key,
                    label,
                    _fmt(one["median_ms"]),
                    _fmt(one["throughput"]),
                    _fmt(eight["throughput"]) if eight else "-",
                    f"{one['errors']} errors" if one["errors"] else "",
                ]
            )
        cold1, cold8 = s["cold"]
        warm8, tipg8, same8 = s["warm"][1], s["tipg"][1], s["tipg_same"][1]
        ratios.append(
            [
                key,
                _fmt(cold1["median_ms"] / r["raw c1"]["median_ms"], 2),
                _fmt(cold8["throughput"] / tipg8["throughput"], 1) if tipg8["throughput"] else "-",
                _fmt(cold8["throughput"] / same8["throughput"], 1) if same8["throughput"] else "-",
                _fmt(warm8["throughput"] / tipg8["throughput"], 1) if tipg8["throughput"] else "-",
            ]
        )
    table = common.markdown_table(["tile", "system", "c=1 median ms", "c=1 req/s", "c=8 req/s", "KB / notes"], rows)
    ratio_table = common.markdown_table(
        [
            "tile",
            "cold / raw ST_AsMVT time (target <= 1.3)",
            "cold c=8 / TiPG c=8 (target >= 2)",
            "cold c=8 / TiPG same attributes c=8",
            "warm c=8 / TiPG c=8 (target >= 10)",
        ],
        ratios,
    )
    columns = ", ".join(raw["z14"]["columns"])
    intro = (
        f"`houses`: {houses:,} points. Tiles z8 203/120 (province-wide), z12 3263/1922 (Biên Hòa), z14 "
        "13053/7689. This server clusters houses below z13 (64x64 cells per tile with per-status counts, summed "
        "from the per-cell counts its triggers keep in `tiles_cluster_cell`); from z13 its tiles carry every "
        f"house with id, {columns} (the registry's `tile_properties`; popups read address_code from the OGC "
        "API item). The raw ST_AsMVT floor encodes the same points and attributes. TiPG and pygeoapi send every "
        f"point with every column. Each figure is {DURATION:.0f} s of load (pygeoapi: 1 request, no warm-up; "
        "120 s gunicorn timeout)."
    )
    return "\n\n".join([common.machine_note(), intro, table, "Ratios:", ratio_table]) + "\n"


def run() -> None:
    """Measure and write the `## Vector tiles` section of docs/benchmarks.md."""
    houses = int(common.psql_value("SELECT count(*) FROM geodata_house"))
    headers = {"Authorization": f"Bearer {common.bench_token('leader')}"}
    raw = measure_raw()
    servers = measure_servers(headers, raw["z14"]["columns"])
    common.write_section("Vector tiles", report(raw, servers, houses))
