"""The PostgreSQL client programs (pg_dump, pg_restore, psql) run against a Django database alias."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

from django.db import connections


class ClientError(RuntimeError):
    """A client program failed; the message carries its last lines of stderr."""


def client_env(using: str = "default", dbname: str | None = None) -> dict[str, str]:
    """libpq environment variables for the alias's connection (password never on a command line)."""
    settings = connections[using].settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGHOST": settings.get("HOST") or "",
        "PGPORT": str(settings.get("PORT") or ""),
        "PGUSER": settings.get("USER") or "",
        "PGPASSWORD": settings.get("PASSWORD") or "",
        "PGDATABASE": dbname or settings["NAME"],
        "PGCONNECT_TIMEOUT": "10",
    }
    env.update({k: v for k, v in values.items() if v})
    return env


def run(args: Sequence[str], env: dict[str, str], stdin: bytes | None = None) -> bytes:
    """Run a client program; its stdout, or ClientError with the end of its stderr."""
    done = subprocess.run(list(args), env=env, input=stdin, capture_output=True, check=False)
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-5:]
        raise ClientError(f"{args[0]} failed: " + " | ".join(tail))
    return done.stdout


def database_name(using: str = "default") -> str:
    """The alias's database name (the test database during tests)."""
    return connections[using].settings_dict["NAME"]
