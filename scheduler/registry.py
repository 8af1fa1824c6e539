"""The periodic jobs of every installed app (`JOBS` in `<app>/jobs.py`), collected once like the layers, checked,
and turned into the cron lines the queue schedules them by."""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from mapserver.jobs import Job

NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


def _declared() -> list[Job]:
    found: list[Job] = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.jobs"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        found.extend(getattr(module, "JOBS", ()))
    return found


@functools.cache
def jobs() -> dict[str, Job]:
    """Every declared job by name, in app order; a bad declaration fails loudly at start-up."""
    collected: dict[str, Job] = {}
    for job in _declared():
        if not isinstance(job, Job):
            raise ImproperlyConfigured(f"JOBS holds {job!r}, not a mapserver.jobs.Job")
        if not NAME.match(job.name) or len(job.name) > 100:
            raise ImproperlyConfigured(f"job name {job.name!r} must look like 'app.what'")
        if job.name in collected:
            raise ImproperlyConfigured(f"job {job.name!r} declared twice")
        if ":" not in job.run:
            raise ImproperlyConfigured(f"job {job.name}: run must be 'module:function', not {job.run!r}")
        if not 1 <= job.max_attempts <= 10 or job.retry_wait < timedelta(0):
            raise ImproperlyConfigured(f"job {job.name}: max_attempts must be 1-10 and retry_wait not negative")
        cron_of(job.every)
        collected[job.name] = job
    return collected


def cron_of(every: timedelta) -> str:
    """The cron line (seconds as a sixth field) of an interval that divides a minute, an hour or a day."""
    seconds = every.total_seconds()
    if seconds != int(seconds) or seconds <= 0:
        raise ImproperlyConfigured(f"a job interval must be a whole number of seconds, not {every}")
    seconds = int(seconds)
    if seconds < 60 and 60 % seconds == 0:
        return f"* * * * * */{seconds}"
    if seconds % 60 == 0 and seconds < 3600 and 60 % (seconds // 60) == 0:
        return f"*/{seconds // 60} * * * *"
    if seconds % 3600 == 0 and seconds < 86400 and 24 % (seconds // 3600) == 0:
        return f"0 */{seconds // 3600} * * *"
    if seconds == 86400:
        return "0 0 * * *"
    raise ImproperlyConfigured(f"a job interval must divide a minute, an hour or a day, not {every}")


def function_of(job: Job) -> Callable[[], Any]:
    """The function a job runs ("module:function")."""
    module, _, name = job.run.partition(":")
    return import_string(f"{module}.{name}")
