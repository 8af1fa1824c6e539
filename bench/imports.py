"""Import throughput: geodata_import vs ogr2ogr appending the same 100,000-parcel GeoPackage to land_parcels.

Run: `.venv/bin/python -m bench.imports` (DATABASE_URL selects the database; it needs the admin units loaded).
Both tools append into geodata_landparcel on the same machine in the same run; the rows each adds are deleted
right after it. Writes the `## Import throughput` section of docs/benchmarks.md.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psycopg
import shapely

from bench.common import DATABASE_URL, OUT, db_params, machine_note, markdown_table, write_section
from geodata.io.importer import CHUNK
from geodata.vocabularies import LAND_USE

ROOT = Path(__file__).resolve().parent.parent
FEATURES = int(os.environ.get("BENCH_IMPORT_FEATURES", "100000"))
ROUNDS = int(os.environ.get("BENCH_IMPORT_ROUNDS", "3"))
TABLE = "geodata_landparcel"
CODES = [v.value for v in LAND_USE.values][:8]  # the vocabulary the importer checks against (one declaration)


def _connect() -> psycopg.Connection:
    return psycopg.connect(**db_params(), autocommit=True)


def make_geopackage(path: Path, count: int = FEATURES, seed: int = 7) -> Path:
    """count square parcels (about 110 m wide) on a jittered grid inside the province, with their commune."""
    import geopandas as gpd

    with _connect() as conn:
        province = shapely.from_wkb(
            conn.execute("SELECT ST_AsBinary(ST_Union(geom)) FROM geodata_province").fetchone()[0]
        )
        communes = conn.execute("SELECT code, ST_AsBinary(geom) FROM geodata_commune").fetchall()
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = province.bounds
    step = (province.area / (count * 1.1)) ** 0.5
    xs, ys = np.meshgrid(np.arange(minx, maxx, step), np.arange(miny, maxy, step))
    shapely.prepare(province)
    inside = shapely.contains_xy(province, xs.ravel(), ys.ravel())
    centres = np.column_stack([xs.ravel()[inside], ys.ravel()[inside]])
    centres = centres[rng.choice(len(centres), size=count, replace=False)]
    centres += rng.uniform(-step * 0.1, step * 0.1, centres.shape)
    half = step * 0.35
    parcels = shapely.box(centres[:, 0] - half, centres[:, 1] - half, centres[:, 0] + half, centres[:, 1] + half)
    tree = shapely.STRtree([shapely.from_wkb(bytes(w)) for _, w in communes])
    hits = tree.query(shapely.points(centres), predicate="within")
    commune = np.full(count, "", dtype=object)
    commune[hits[0]] = [communes[j][0] for j in hits[1]]
    frame = gpd.GeoDataFrame(
        {
            "map_sheet_no": rng.integers(1, 120, count),
            "parcel_no": np.arange(1, count + 1),
            "area_m2": np.round(rng.uniform(80, 5000, count), 1),
            "land_use_code": rng.choice(CODES, count),
            "commune_code": commune,
        },
        geometry=gpd.GeoSeries(parcels).apply(lambda g: shapely.MultiPolygon([g])),
        crs="EPSG:4326",
    )
    path.unlink(missing_ok=True)
    frame.to_file(path, layer="parcels", engine="pyogrio")
    return path


def _max_id(conn: psycopg.Connection) -> int:
    return conn.execute(f"SELECT COALESCE(max(id), 0) FROM {TABLE}").fetchone()[0]


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed, result.stdout


def run_ours(gpkg: Path) -> tuple[float, float | None]:
    """geodata_import (all checks, COPY, communes) as a person runs it; (seconds, seconds of the import itself as
    the command reports it, without Python and Django start-up and exit)."""
    env = {**os.environ, "DATABASE_URL": DATABASE_URL}
    seconds, out = _timed(
        [sys.executable, "manage.py", "geodata_import", str(gpkg), "--layer", "land_parcels", "--verbosity", "0"], env
    )
    own = re.search(r"; ([0-9.]+) s, [0-9]+ features/s", out)
    return seconds, float(own.group(1)) if own else None


def run_ogr2ogr(gpkg: Path) -> tuple[float, float | None]:
    """ogr2ogr -append into the same table (COPY); constant columns our model needs are added by SQL; seconds."""
    p = db_params()
    dsn = f"PG:host={p['host']} port={p['port']} dbname={p['dbname']} user={p['user']} password={p['password']}"
    sql = (
        "SELECT geom, map_sheet_no, parcel_no, area_m2, land_use_code, commune_code, 'f' AS synthetic, "
        "datetime('now') AS updated_at FROM parcels"
    )
    return _timed(
        [
            "ogr2ogr",
            "-f",
            "PostgreSQL",
            dsn,
            str(gpkg),
            "-nln",
            TABLE,
            "-append",
            "-nlt",
            "MULTIPOLYGON",
            "-dialect",
            "SQLite",
            "-sql",
            sql,
            "--config",
            "PG_USE_COPY",
            "YES",
        ]
    )[0], None


def measure(name: str, runner, gpkg: Path) -> tuple[float, int, float | None]:
    """Run one tool, count the rows it added, then delete them; (seconds, rows, seconds it reports itself)."""
    with _connect() as conn:
        before = _max_id(conn)
        try:
            seconds, own = runner(gpkg)
            added = conn.execute(f"SELECT count(*) FROM {TABLE} WHERE id > %s", [before]).fetchone()[0]
        finally:
            conn.execute(f"DELETE FROM {TABLE} WHERE id > %s", [before])
    inner = f" (import itself {own:.2f} s)" if own else ""
    print(f"{name}: {added} features in {seconds:.2f} s = {added / seconds:,.0f} features/s{inner}", flush=True)
    return seconds, added, own


def run() -> None:
    """Measure both tools and write the `## Import throughput` section (bench.run calls this)."""
    OUT.mkdir(parents=True, exist_ok=True)
    gpkg = make_geopackage(OUT / "parcels_100k.gpkg")
    print(f"generated {FEATURES} parcels in {gpkg} ({gpkg.stat().st_size / 1e6:.1f} MB)", flush=True)
    load_before = os.getloadavg()[0]  # the machine is shared: say how busy it was
    runs: dict[str, list[tuple[float, int, float | None]]] = {"geodata_import": [], "ogr2ogr": []}
    for _ in range(ROUNDS):  # alternate the tools so that load from other processes hits both alike
        runs["geodata_import"].append(measure("geodata_import", run_ours, gpkg))
        runs["ogr2ogr"].append(measure("ogr2ogr", run_ogr2ogr, gpkg))
    load_after = os.getloadavg()[0]
    results = {name: min(times, key=lambda run: run[0]) for name, times in runs.items()}  # best of ROUNDS
    with _connect() as conn:
        conn.execute(f"VACUUM ANALYZE {TABLE}")
    rate = {name: rows / seconds for name, (seconds, rows, _) in results.items()}
    rows = [
        (name, rows, f"{seconds:.2f}", f"{rate[name]:,.0f}", f"{own:.2f}" if own else "-")
        for name, (seconds, rows, own) in results.items()
    ]
    ratio = rate["geodata_import"] / rate["ogr2ogr"]
    seconds, added, own = results["geodata_import"]
    own_ratio = added / own / rate["ogr2ogr"] if own else None
    write_section(
        "Import throughput",
        "\n".join(
            [
                f"A {FEATURES:,}-parcel GeoPackage (EPSG:4326 polygons inside the province) appended to `land_parcels` "
                "(`geodata_landparcel`) by `geodata_import` and by `ogr2ogr -f PostgreSQL ... -append` (COPY), one after "
                f"the other in the same run, alternating, best of {ROUNDS} runs each; each run's rows are deleted after it. "
                "Times are wall clock of the whole "
                "command (start-up and exit included). `geodata_import` also checks every value, validity, type, the "
                "province extent and the commune codes, all in one transaction; ogr2ogr only copies. It reads the file "
                f"{CHUNK:,} rows at a time, checks them (vectorised: numpy, shapely) and sends them into one binary "
                "COPY that a worker thread feeds, so PostgreSQL stores a chunk while the next is checked. `own "
                "seconds`: the import as the command times it (from opening the file to the commit), without the "
                "start-up of Python and Django and the exit"
                + (f" ({seconds - own:.2f} s of that run)." if own else "."),
                "",
                markdown_table(["tool", "features", "seconds", "features/s", "own seconds"], rows),
                "",
                f"geodata_import / ogr2ogr throughput ratio: **{ratio:.2f}** (whole commands)"
                + (f"; the import's own time against ogr2ogr's whole run: {own_ratio:.2f}" if own_ratio else "")
                + f". Load average (1 min) {load_before:.2f} before the runs, {load_after:.2f} after. {machine_note()}",
                "",
                "Run: `.venv/bin/python -m bench.imports`.",
            ]
        ),
    )
    print(f"ratio geodata_import / ogr2ogr = {ratio:.2f}")


if __name__ == "__main__":
    run()
