"""The record type of a periodic job. Each app declares its jobs in its own `jobs.py` as `JOBS = [Job(...)]`; the
scheduler (a process of the platform) collects them from the installed apps, like layers are collected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Job:
    """A job the scheduler runs every `every`, at most once at a time across all app servers."""

    name: str  # unique, "app.what" (e.g. "cameras.health")
    every: timedelta
    run: str  # dotted path "module:function"; the function takes no arguments and returns a JSON-able summary
    timeout_class: str = "scheduled"  # the statement-timeout class its SQL runs under
    max_attempts: int = 3  # a failed run is retried until this many attempts (bounded)
    retry_wait: timedelta = timedelta(minutes=1)  # between a failed attempt and the next
