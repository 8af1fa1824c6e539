"""Shared benchmark plumbing: start/stop this server and the peers, a load generator, docs/benchmarks.md sections.

Peers (TiPG, pygeoapi) live in their own venv `.bench-venv` so their dependencies never touch ours. Every
server gets the same worker count (WORKERS, default 4 like `make run`). The load generator runs in a separate
process (threads with keep-alive connections) so its CPU use does not share the server's interpreter.
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "benchmarks.md"
BENCH_VENV = ROOT / ".bench-venv"
PEER_PACKAGES = [
    "tipg",
    "uvicorn",
    "pygeoapi",
    "sqlalchemy",
    "geoalchemy2",
    "pygeofilter",
    "psycopg2-binary",
    "gunicorn",
]
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PORTS = {
    "ours": int(os.environ.get("BENCH_PORT_OURS", "8121")),
    "tipg": int(os.environ.get("BENCH_PORT_TIPG", "8122")),
    "pygeoapi": int(os.environ.get("BENCH_PORT_PYGEOAPI", "8123")),
}
# The same database the server uses: DATABASE_URL, else the local cluster on MAPSERVER_DB_PORT (one rule, read
# from the settings module rather than restated here).
DATABASE_URL = importlib.import_module("mapserver.settings").DATABASE_URL


def db_params() -> dict[str, str]:
    """host, port, dbname, user, password of DATABASE_URL."""
    url = urllib.parse.urlsplit(DATABASE_URL)
    return {
        "host": url.hostname or "127.0.0.1",
        "port": str(url.port or 5432),
        "dbname": url.path.lstrip("/"),
        "user": urllib.parse.unquote(url.username or ""),
        "password": urllib.parse.unquote(url.password or ""),
    }


def libpq_url() -> str:
    """DATABASE_URL with the plain postgresql:// scheme the peers expect."""
    return "postgresql://" + DATABASE_URL.split("://", 1)[1]


def ensure_bench_venv() -> Path:
    """Create `.bench-venv` with the peers' packages if it is missing; return its bin directory."""
    bindir = BENCH_VENV / "bin"
    if not (bindir / "uvicorn").exists() or not (bindir / "pygeoapi").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(BENCH_VENV)], check=True)
        subprocess.run([str(bindir / "pip"), "install", "-q", *PEER_PACKAGES], check=True)
    return bindir


def _wait_ready(url: str, process: subprocess.Popen, timeout: float = 90.0) -> None:
    import urllib3

    http = urllib3.PoolManager(retries=False, timeout=5.0)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before {url} answered")
        try:
            if http.request("GET", url).status < 500:
                return
        except urllib3.exceptions.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def _port_free(url: str) -> bool:
    import socket

    parts = urllib.parse.urlsplit(url)
    with socket.socket() as probe:
        return probe.connect_ex((parts.hostname, parts.port)) != 0


@contextmanager
def _process(cmd: list[str], ready_url: str, env: dict[str, str], log_name: str) -> Iterator[None]:
    if not _port_free(ready_url):  # never measure somebody else's server by mistake
        raise RuntimeError(f"port of {ready_url} is already in use; set BENCH_PORT_* to free ports")
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / f"{log_name}.log", "wb") as log:
        process = subprocess.Popen(
            cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_ready(ready_url, process)
            yield
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


@contextmanager
def serve_ours(port: int | None = None, workers: int = WORKERS) -> Iterator[str]:
    """This server under gunicorn with uvicorn workers, as `make run` starts it; yields its base URL."""
    port = port or PORTS["ours"]
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "-c",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "mapserver.asgi:application",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
    ]
    # Rate limits protect a public server from one client; the benchmark is that one client, by design. The
    # request log is off (its lines would be the bench's largest output); metrics go to a directory per port.
    env = {
        "DJANGO_SETTINGS_MODULE": "mapserver.settings",
        "MAPSERVER_RATE_LIMITS": "off",
        "MAPSERVER_REQUEST_LOG": "off",
        "PROMETHEUS_MULTIPROC_DIR": str(OUT / f"metrics-{port}"),
    }
    with _process(cmd, f"http://127.0.0.1:{port}/healthz", env, f"ours-{port}"):
        yield f"http://127.0.0.1:{port}"


@contextmanager
def serve_tipg(port: int | None = None, workers: int = WORKERS) -> Iterator[str]:
    """TiPG under uvicorn on the same database (collections are `public.<table>`); yields its base URL."""
    port = port or PORTS["tipg"]
    bindir = ensure_bench_venv()
    env = {
        "DATABASE_URL": libpq_url(),
        "TIPG_DB_SCHEMAS": '["public"]',
        "TIPG_DB_EXCLUDE_FUNCTION_SCHEMAS": '["public"]',
        "TIPG_MAX_FEATURES_PER_QUERY": "10000",
    }
    cmd = [
        str(bindir / "uvicorn"),
        "tipg.main:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
    ]
    with _process(cmd, f"http://127.0.0.1:{port}/healthz", env, f"tipg-{port}"):
        yield f"http://127.0.0.1:{port}"


def pygeoapi_config(port: int, collections: dict[str, dict]) -> Path:
    """Write a pygeoapi YAML config publishing {name: {table, id_field, geom_field, title}}; return its path."""
    import yaml

    data = db_params()
    resources = {}
    for name, spec in collections.items():
        resources[name] = {
            "type": "collection",
            "title": spec.get("title", name),
            "description": spec.get("title", name),
            "keywords": [name],
            "extents": {
                "spatial": {"bbox": [105.5, 10.5, 107.7, 12.4], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}
            },
            "links": [],
            "providers": [
                {
                    "type": "feature",
                    "name": "PostgreSQL",
                    "data": data,
                    "id_field": spec["id_field"],
                    "table": spec["table"],
                    "geom_field": spec["geom_field"],
                }
            ],
        }
    config = {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "language": "en-US",
            "cors": False,
            "pretty_print": False,
            "limits": {"default_items": 10, "max_items": 10000},
            "map": {"url": "http://127.0.0.1:9/no-basemap/{z}/{x}/{y}.png", "attribution": "none (offline)"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "bench",
                "description": "bench",
                "keywords": ["bench"],
                "keywords_type": "theme",
                "terms_of_service": "none",
                "url": "http://127.0.0.1",
            },
            "license": {"name": "none", "url": "http://127.0.0.1/license"},
            "provider": {"name": "bench"},
            "contact": {"name": "bench"},
        },
        "resources": resources,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"pygeoapi-{port}.yml"  # per port: other bench modules may run their own pygeoapi
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@contextmanager
def serve_pygeoapi(collections: dict[str, dict], port: int | None = None, workers: int = WORKERS) -> Iterator[str]:
    """pygeoapi (stock PostgreSQL provider) under gunicorn with `workers` workers; yields its base URL."""
    port = port or PORTS["pygeoapi"]
    bindir = ensure_bench_venv()
    config = pygeoapi_config(port, collections)
    openapi = OUT / f"pygeoapi-{port}-openapi.yml"
    env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run(
        [str(bindir / "pygeoapi"), "openapi", "generate", str(config), "--output-file", str(openapi)],
        check=True,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
    )
    cmd = [
        str(bindir / "gunicorn"),
        "pygeoapi.flask_app:APP",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
    ]
    with _process(cmd, f"http://127.0.0.1:{port}/conformance?f=json", env, f"pygeoapi-{port}"):
        yield f"http://127.0.0.1:{port}"


def _client_thread(
    urls: Sequence[str],
    headers: dict[str, str],
    counter: Callable[[], int],
    stop_at: float,
    latencies: list[float],
    errors: list[str],
) -> None:
    import urllib3

    http = urllib3.PoolManager(maxsize=1, retries=False, timeout=urllib3.Timeout(connect=5, read=120))
    while time.monotonic() < stop_at:
        index = counter()
        if index < 0:
            return
        started = time.perf_counter()
        try:
            response = http.request("GET", urls[index % len(urls)], headers=headers, preload_content=True)
            if response.status >= 400:
                errors.append(f"HTTP {response.status}")
        except urllib3.exceptions.HTTPError as error:
            errors.append(type(error).__name__)
        latencies.append((time.perf_counter() - started) * 1000)


def _load_process(
    urls: list[str],
    concurrency: int,
    duration: float | None,
    count: int | None,
    headers: dict[str, str],
    warmup: int,
    queue,
) -> None:
    import urllib3

    http = urllib3.PoolManager(retries=False, timeout=120)
    try:
        for i in range(warmup):
            http.request("GET", urls[i % len(urls)], headers=headers)
    except urllib3.exceptions.HTTPError as error:
        queue.put({"requests": 0, "elapsed": 0.0, "latencies": [], "errors": [f"warm-up: {error}"], "error_count": 1})
        return
    lock, state = threading.Lock(), {"next": 0}

    def counter() -> int:
        with lock:
            index = state["next"]
            state["next"] += 1
        return -1 if count is not None and index >= count else index

    latencies: list[float] = []
    errors: list[str] = []
    stop_at = time.monotonic() + (duration if duration is not None else 86400)
    started = time.perf_counter()
    threads = [
        threading.Thread(target=_client_thread, args=(urls, headers, counter, stop_at, latencies, errors))
        for _ in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    queue.put(
        {
            "requests": len(latencies),
            "elapsed": elapsed,
            "latencies": latencies,
            "errors": errors[:20],
            "error_count": len(errors),
        }
    )


def measure(
    urls: Sequence[str] | Callable[[int], str],
    concurrency: int = 1,
    duration: float | None = 10.0,
    count: int | None = None,
    headers: dict[str, str] | None = None,
    warmup: int = 3,
    url_count: int = 1000,
) -> dict:
    """Load the URLs (cycled; or url_factory(i) for i < url_count) and return throughput and latencies.

    Stops after `duration` seconds or `count` requests, whichever comes first. Returns {throughput (req/s),
    median_ms, p95_ms, requests, errors (count), error_samples}.
    """
    url_list = [urls(i) for i in range(url_count)] if callable(urls) else list(urls)
    if not url_list:
        raise ValueError("no URL to measure")
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(
        target=_load_process, args=(url_list, concurrency, duration, count, headers or {}, warmup, queue)
    )
    process.start()
    result = None
    while result is None:
        try:
            result = queue.get(timeout=5)
        except Exception:  # queue.Empty: make sure the client is still alive
            if not process.is_alive():
                result = {
                    "requests": 0,
                    "elapsed": 0.0,
                    "latencies": [],
                    "errors": ["load process died"],
                    "error_count": 1,
                }
    process.join()
    latencies = sorted(result["latencies"])
    n = len(latencies)
    return {
        "throughput": (n - result["error_count"]) / result["elapsed"] if result["elapsed"] else 0.0,  # successes
        "median_ms": statistics.median(latencies) if n else float("nan"),
        "p95_ms": latencies[min(n - 1, int(0.95 * n))] if n else float("nan"),
        "requests": n,
        "errors": result["error_count"],
        "error_samples": result["errors"],
    }


def fetch_json(url: str, headers: dict[str, str] | None = None) -> dict:
    """GET a JSON document (for result-set checks)."""
    import urllib3

    response = urllib3.PoolManager(retries=False, timeout=120).request("GET", url, headers=headers or {})
    if response.status != 200:
        raise RuntimeError(f"GET {url} -> {response.status}: {response.data[:200]!r}")
    return json.loads(response.data)


def bench_token(role: str = "leader") -> str:
    """A fresh API token of a `bench_<role>` user in DATABASE_URL's database (created if missing)."""
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "python"),
            "manage.py",
            "mapserver_token",
            "--user",
            f"bench_{role}",
            "--role",
            role,
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": DATABASE_URL},
    )
    return result.stdout.strip().splitlines()[-1].split()[-1]


def psql_value(query: str) -> str:
    """One value from DATABASE_URL's database (for sizing the benchmark), via the project's psycopg."""
    import psycopg

    with psycopg.connect(libpq_url()) as connection:
        return str(connection.execute(query).fetchone()[0])


def machine_note() -> str:
    """One line on the machine and database the figures were measured on."""
    import platform

    return (
        f"{platform.node()}: {os.cpu_count()} CPU cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; every server runs {WORKERS} workers."
    )


def write_section(heading: str, markdown: str) -> None:
    """Replace (or append) the `## heading` section of docs/benchmarks.md, leaving the other sections as they are."""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    text = (
        DOC.read_text(encoding="utf-8")
        if DOC.exists()
        else (
            "# Benchmarks\n\nWritten by `make bench` (`python -m bench.run`); each section by its own bench module.\n"
        )
    )
    block = f"## {heading}\n\n{markdown.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: block + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + block
    DOC.write_text(text, encoding="utf-8")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
