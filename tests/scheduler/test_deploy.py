"""The scheduler is a process of the platform: supervisord (make run) and docker-compose both start it."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_supervisord_runs_the_worker_and_restarts_it():
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(ROOT / "deploy" / "supervisor.d" / "scheduler.conf")
    program = conf["program:scheduler"]
    command = shlex.split(program["command"])
    assert command[0].endswith("/.venv/bin/python") and command[1:4] == ["manage.py", "procrastinate", "worker"]
    assert command[command.index("--queues") + 1] == "jobs"
    assert program["autostart"] == program["autorestart"] == "true"


def test_docker_compose_runs_the_worker_as_the_app_role():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    scheduler = services["scheduler"]
    assert scheduler["command"][:4] == ["python", "manage.py", "procrastinate", "worker"]
    assert scheduler["environment"]["DATABASE_URL"].startswith("postgis://mapserver_app:")
    assert "MAPSERVER_DB_PASSWORD" not in str(scheduler["environment"])
    assert scheduler["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert scheduler["restart"] == "unless-stopped" and scheduler["healthcheck"]["test"]
