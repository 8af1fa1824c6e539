"""`make bench` measures the database the server uses, wherever MAPSERVER_DB_PORT puts it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bench_url(env: dict[str, str]) -> str:
    code = "from bench.common import DATABASE_URL; print(DATABASE_URL)"
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MAPSERVER_DB_PORT"}}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_bench_follows_mapserver_db_port():
    assert ":5544/" in _bench_url({"MAPSERVER_DB_PORT": "5544"})


def test_bench_follows_database_url():
    assert _bench_url({"DATABASE_URL": "postgis://u:p@db.example:6000/x"}) == "postgis://u:p@db.example:6000/x"
