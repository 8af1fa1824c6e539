"""OGC API Features: this server vs TiPG vs pygeoapi on houses (points) and land_parcels (polygons).

Rows: items pages of 100 and 1,000 features, a bbox in Biên Hòa, a CQL2 filter and item by id, at concurrency 1
and 8. Every server gets the same worker count and the same query (sorted by id, the same properties), and the
first response of each row is compared by feature ids across servers (result-set identity).
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Callable
from contextlib import ExitStack

from bench.common import (
    WORKERS,
    bench_token,
    fetch_json,
    machine_note,
    markdown_table,
    measure,
    psql_value,
    serve_ours,
    serve_pygeoapi,
    serve_tipg,
    write_section,
)

DURATION = float(os.environ.get("BENCH_DURATION", "6"))
CONCURRENCY = (1, 8)
BIEN_HOA = "106.80,10.92,106.88,10.98"  # central Biên Hòa
LAYERS = {
    "houses": {
        "table": "geodata_house",
        "protected": True,
        "properties": "address_code,status,members,floors,commune_code",
        "filter": "status = 'near_poor' AND members >= 3",
    },
    "land_parcels": {
        "table": "geodata_landparcel",
        "protected": False,
        "properties": "map_sheet_no,parcel_no,area_m2,land_use_code,commune_code",
        "filter": "land_use_code = 'ODT' AND area_m2 > 1000",
    },
}
SCENARIOS = ("items 100", "items 1000", "bbox Biên Hòa", "CQL2 filter", "item by id")


def _query(scenario: str, layer: dict, server: str) -> dict[str, str]:
    params = {"limit": "100"}
    if scenario == "items 1000":
        params["limit"] = "1000"
    elif scenario == "bbox Biên Hòa":
        params["bbox"] = BIEN_HOA
    elif scenario == "CQL2 filter":
        params.update({"filter": layer["filter"], "filter-lang": "cql-text" if server == "pygeoapi" else "cql2-text"})
    if server != "ours":  # ours sorts by id and returns the allow-listed properties by default
        params["sortby"] = "+id" if server == "pygeoapi" else "id"
        params["properties"] = layer["properties"]
    if server == "pygeoapi":
        params["f"] = "json"
    return params


def _base(server: str, root: str, name: str, layer: dict) -> str:
    if server == "ours":
        return f"{root}/ogcapi/collections/{name}/items"
    if server == "tipg":
        return f"{root}/collections/public.{layer['table']}/items"
    return f"{root}/collections/{name}/items"


def urls_for(server: str, root: str, name: str, scenario: str, ids: list[int]) -> list[str] | Callable[[int], str]:
    """The URL list (or factory) of one row for one server."""
    layer = LAYERS[name]
    base = _base(server, root, name, layer)
    if scenario == "item by id":
        suffix = "?f=json" if server == "pygeoapi" else ""
        return [f"{base}/{fid}{suffix}" for fid in ids]
    return [f"{base}?{urllib.parse.urlencode(_query(scenario, layer, server), safe=',:')}"]


def _ids(document: dict) -> list[str]:
    if document.get("type") == "Feature":
        return [str(document.get("id"))]
    return [str(feature.get("id")) for feature in document.get("features", [])]


def _sample_ids(table: str, count: int = 500) -> list[int]:
    """Existing ids spread over the table, the same on every run (hash order)."""
    text = psql_value(
        f"SELECT string_agg(id::text, ',') FROM (SELECT id FROM {table} ORDER BY hashint8(id) LIMIT {count}) s"
    )
    return [int(v) for v in text.split(",")]


def _first_ids(servers: dict[str, str], headers: dict[str, dict], ids: dict[str, list[int]]) -> dict:
    """The feature ids of each row's first response, per server (result-set identity)."""
    seen: dict[str, dict] = {server: {} for server in servers}
    for server, root in servers.items():
        for name in LAYERS:
            hdrs = headers[server] if LAYERS[name]["protected"] else {}
            for scenario in SCENARIOS:
                try:
                    seen[server][(name, scenario)] = _ids(
                        fetch_json(urls_for(server, root, name, scenario, ids[name])[0], hdrs)
                    )
                except RuntimeError as error:
                    seen[server][(name, scenario)] = [f"error: {error}"[:120]]
    return seen


def _measure_rows(servers: dict[str, str], headers: dict[str, dict], ids: dict[str, list[int]]) -> dict:
    """results[server][(layer, scenario, concurrency)]; the servers take turns on each row, so a change in the
    machine's load during the run touches them alike."""
    results: dict[str, dict] = {server: {} for server in servers}
    for name in LAYERS:
        for scenario in SCENARIOS:
            for concurrency in CONCURRENCY:
                for server, root in servers.items():
                    hdrs = headers[server] if LAYERS[name]["protected"] else {}
                    result = measure(
                        urls_for(server, root, name, scenario, ids[name]), concurrency, DURATION, headers=hdrs
                    )
                    results[server][(name, scenario, concurrency)] = result
                    print(
                        server,
                        name,
                        scenario,
                        concurrency,
                        f"{result['throughput']:.1f} req/s",
                        f"{result['median_ms']:.1f} ms",
                        f"{result['errors']} errors",
                        flush=True,
                    )
    return results


def _cell(result: dict) -> str:
    errors = f", {result['errors']} errors" if result["errors"] else ""
    return f"{result['throughput']:.1f} req/s ({result['median_ms']:.0f} / {result['p95_ms']:.0f} ms{errors})"


def report(results: dict[str, dict], seen: dict[str, dict]) -> str:
    """The markdown table: throughput, median/p95, ratio to each peer, result-set identity."""
    rows = []
    for name in LAYERS:
        for scenario in SCENARIOS:
            same = all(
                seen[peer].get((name, scenario)) == seen["ours"].get((name, scenario))
                for peer in seen
                if peer != "ours"
            )
            count = len(seen["ours"].get((name, scenario), []))
            for concurrency in CONCURRENCY:
                key = (name, scenario, concurrency)
                ours = results["ours"][key]["throughput"]
                ratios = [
                    f"{ours / results[p][key]['throughput']:.1f}×" if results[p][key]["throughput"] else "n/a"
                    for p in ("tipg", "pygeoapi")
                    if p in results
                ]
                rows.append(
                    [
                        name,
                        scenario,
                        concurrency,
                        *(_cell(results[s][key]) for s in results),
                        *ratios,
                        f"{'yes' if same else 'NO'} ({count} ids)",
                    ]
                )
    peers = [p for p in ("tipg", "pygeoapi") if p in results]
    header = [
        "layer",
        "query",
        "conc.",
        *(f"{s} (median / p95)" for s in results),
        *(f"ours ÷ {p}" for p in peers),
        "same ids",
    ]
    return markdown_table(header, rows)


def _fingerprint() -> str:
    """Row counts and id ranges of the measured tables, to notice a reload during the run."""
    return psql_value(
        "SELECT concat_ws(',', (SELECT count(*) || '/' || max(id) FROM geodata_house), "
        "(SELECT count(*) || '/' || max(id) FROM geodata_landparcel))"
    )


def run() -> None:
    """Measure the three servers one after the other on the same database and write the Features section."""
    load_before = os.getloadavg()[0]
    fingerprint = _fingerprint()
    houses = int(psql_value("SELECT count(*) FROM geodata_house"))
    parcels = int(psql_value("SELECT count(*) FROM geodata_landparcel"))
    token = bench_token("leader")
    headers = {"ours": {"Authorization": f"Bearer {token}"}, "tipg": {}, "pygeoapi": {}}
    ids = {name: _sample_ids(layer["table"]) for name, layer in LAYERS.items()}
    collections = {
        name: {"table": layer["table"], "id_field": "id", "geom_field": "geom", "title": name}
        for name, layer in LAYERS.items()
    }
    with ExitStack() as stack:
        servers = {
            "ours": stack.enter_context(serve_ours()),
            "tipg": stack.enter_context(serve_tipg()),
            "pygeoapi": stack.enter_context(serve_pygeoapi(collections)),
        }
        seen = _first_ids(servers, headers, ids)
        for key, first in seen["ours"].items():
            for peer in ("tipg", "pygeoapi"):
                if seen[peer].get(key) != first:
                    print("ids differ:", key, "ours", first[:5], peer, seen[peer].get(key, [])[:5], flush=True)
        results = _measure_rows(servers, headers, ids)
    load = os.getloadavg()[0]
    if _fingerprint() != fingerprint:  # someone reloaded the sample mid-run: ids no longer exist
        print("WARNING: the data changed during the run; the figures are not valid", flush=True)
        text_warning = "**The data changed during this run (sample reloaded); these figures are not valid.**\n\n"
    else:
        text_warning = ""
    queries = "; ".join(f"{name}: `{layer['filter']}`" for name, layer in LAYERS.items())
    text = text_warning + (
        f"{machine_note()} Load average {load_before:.1f} before, {load:.1f} after (the machine is shared).\n\n"
        f"Data: houses {houses:,} points, land_parcels {parcels:,} polygons. Rows: `limit=100` and `limit=1000` "
        f"(first page, sorted by id); bbox `{BIEN_HOA}` (central Biên Hòa, page of 100); CQL2 text filter "
        f"(page of 100) {queries}; item by id cycling over the same 500 existing ids on every server. "
        f"Each cell: successful responses per second over {DURATION:.0f} s (median / p95 latency). Ours: gunicorn, "
        f"{WORKERS} sync workers, as `make run`; houses is a protected layer, so our requests carry a leader's "
        f"bearer token (resolved on every request; the peers have no authorisation). TiPG 1.6 under uvicorn with "
        f"{WORKERS} workers; pygeoapi 0.21 (stock PostgreSQL provider) under gunicorn with {WORKERS} workers. "
        f"All three run at once and take turns on each row. Peers are asked for the same properties, sorted by "
        f"id; 'same ids' compares the feature ids of each row's first response across the three servers. Ours "
        f"reuses numberMatched while the table's version is unchanged (TiPG counts on every request).\n\n"
        + report(results, seen)
    )
    write_section("OGC API Features", text)
    print(text)


if __name__ == "__main__":
    run()
