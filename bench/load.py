"""Load benchmark: 100 simulated users (locust, bench/locustfile.py) for BENCH_LOAD_DURATION seconds (default 600)
mixing map tiles, items, spatial queries, scenario runs and citizen reports against this server as `make run`
serves it (gunicorn + uvicorn workers). Records the error rate, p95 per endpoint and the workers' memory at the
start and the end; writes the `## Load` section of docs/benchmarks.md. The reports it posts are deleted after.

Run: `.venv/bin/python -m bench.load` (BENCH_LOAD_USERS, BENCH_LOAD_DURATION, BENCH_PORT_LOAD).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import threading

from bench.common import (
    DATABASE_URL,
    OUT,
    ROOT,
    WORKERS,
    bench_token,
    fetch_json,
    machine_note,
    markdown_table,
    serve_ours,
    write_section,
)

DURATION = int(os.environ.get("BENCH_LOAD_DURATION", "600"))
USERS = int(os.environ.get("BENCH_LOAD_USERS", "100"))
PORT = int(os.environ.get("BENCH_PORT_LOAD", "8145"))
BIEN_HOA = (106.80, 10.90, 106.92, 10.98)  # lon/lat box of central Biên Hòa, where the data is densest


def _manage(*args: str) -> str:
    env = {**os.environ, "DATABASE_URL": DATABASE_URL}
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def worker_memory(port: int) -> list[float]:
    """Resident memory (MiB) of each gunicorn worker serving the port (the master's children)."""
    pids = subprocess.run(["pgrep", "-f", f"127.0.0.1:{port}"], capture_output=True, text=True).stdout.split()
    parents = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                parents[int(pid)] = int(stat.read().rsplit(")", 1)[1].split()[1])
        except FileNotFoundError:
            continue
    workers = [pid for pid, parent in parents.items() if parent in parents]
    sizes = []
    for pid in workers:
        with open(f"/proc/{pid}/status") as status:
            rss = next(line for line in status if line.startswith("VmRSS:"))
        sizes.append(int(rss.split()[1]) / 1024)
    return sorted(sizes)


def _config(root: str) -> dict:
    token = bench_token("leader")
    layers = fetch_json(f"{root}/api/layers", {"Authorization": f"Bearer {token}"})["layers"]
    public = fetch_json(f"{root}/api/layers")["layers"]
    scenarios = fetch_json(f"{root}/api/scenarios", {"Authorization": f"Bearer {token}"})
    scenario_ids = [s["id"] for s in (scenarios.get("scenarios") or scenarios.get("items") or [])]
    return {
        "token": token,
        "api_key": _manage("reports_api_key", "--name", "bench-load", "--channel", "other").split()[-1],
        "public_layers": [x["id"] for x in public if x["id"] != "communes"][:6] or ["communes"],
        "point_layers": [x["id"] for x in layers if x["geometry_type"] == "Point"],
        "scenarios": scenario_ids[:4],
        "bbox": BIEN_HOA,
        "seed": 20250701,
    }


def _locust(root: str, config: dict, prefix: str) -> subprocess.CompletedProcess:
    cmd = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(USERS),
        "--spawn-rate",
        "10",
        "--run-time",
        f"{DURATION}s",
        "--host",
        root,
        "--csv",
        prefix,
        "--only-summary",
        "--stop-timeout",
        "10",
    ]
    env = {**os.environ, "BENCH_LOAD_CONFIG": json.dumps(config)}
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=DURATION + 300)


def _rows(prefix: str) -> tuple[list[list], dict]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as stats:
        records = list(csv.DictReader(stats))
    rows, total = [], {}
    for record in records:
        count, failures = int(record["Request Count"]), int(record["Failure Count"])
        cells = [
            record["Name"],
            f"{count:,}",
            failures,
            record["50%"],
            record["95%"],
            record["99%"],
            f"{float(record['Requests/s']):.1f}",
        ]
        if record["Name"] == "Aggregated":
            total = {"requests": count, "failures": failures, "p95": record["95%"], "rps": record["Requests/s"]}
            cells[0] = "**all**"
        rows.append(cells)
    return rows, total


def run() -> None:
    """Run the load and write the `## Load` section."""
    load = os.getloadavg()
    OUT.mkdir(parents=True, exist_ok=True)
    prefix = str(OUT / "load")
    with serve_ours(port=PORT) as root:
        config = _config(root)
        memory: dict[str, list[float]] = {}
        timer = threading.Timer(min(60, DURATION / 5), lambda: memory.setdefault("start", worker_memory(PORT)))
        timer.start()
        result = _locust(root, config, prefix)
        timer.cancel()
        memory["end"] = worker_memory(PORT)
    deleted = (
        _manage(
            "shell",
            "-c",
            "from reports.models import FieldReport; "
            "print(FieldReport.objects.filter(description__startswith='bench-load').delete()[0])",
        )
        .strip()
        .splitlines()[-1]
    )  # the shell may print what it imported first
    if not os.path.exists(f"{prefix}_stats.csv"):
        raise RuntimeError(f"locust wrote no statistics:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    rows, total = _rows(prefix)
    rate = total["failures"] / total["requests"] if total.get("requests") else float("nan")
    start, end = memory.get("start", []), memory["end"]
    table = markdown_table(["endpoint", "requests", "failures", "p50 ms", "p95 ms", "p99 ms", "req/s"], rows)
    failures = _failures(prefix)
    write_section(
        "Load",
        f"""
{USERS} simulated users (locust, `bench/locustfile.py`) for {DURATION} s against {WORKERS} uvicorn workers:
four in five anonymous visitors (tiles and items of the public layers, citizen reports), one in five leaders
(3 km spatial queries, house tiles with a token, scenario runs), each waiting 1-3 s between actions, in central
Biên Hòa. Error rate **{rate:.2%}** ({total.get("failures", 0)} of {total.get("requests", 0):,} requests){failures}.
Worker memory (RSS, MiB per worker) after {min(60, DURATION / 5):.0f} s: {", ".join(f"{m:.0f}" for m in start)};
at the end: {", ".join(f"{m:.0f}" for m in end)}. {deleted} posted reports deleted afterwards. Load average
before the run {load[0]:.1f} (the machine is shared).

{table}

{machine_note()}
""",
    )
    print(f"load: {total}, memory start {start} end {end}", flush=True)


def _failures(prefix: str) -> str:
    """The distinct failures locust recorded, as a short note."""
    path = f"{prefix}_failures.csv"
    if not os.path.exists(path):
        return ""
    with open(path, newline="", encoding="utf-8") as failures:
        records = list(csv.DictReader(failures))
    if not records:
        return ""
    kinds = "; ".join(f"{r['Name']}: {r['Error'][:120]} ×{r['Occurrences']}" for r in records[:6])
    return f": {kinds}"


if __name__ == "__main__":
    run()
