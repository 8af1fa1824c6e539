"""The declared jobs as procrastinate tasks: each one periodic at its interval, deferred once per tick whatever the
number of workers (procrastinate's periodic-defer table), never running twice at once (its `lock`), never queued
twice (its `queueing_lock`), retried a bounded number of times; each attempt recorded as a JobRun."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
from typing import Any

from django.conf import settings
from django.utils import timezone
from procrastinate import App, JobContext, RetryStrategy

from mapserver.jobs import Job
from mapserver.jsonio import dumps
from scheduler import registry
from scheduler.models import JobRun

log = logging.getLogger(__name__)
QUEUE = "jobs"
WORKER = f"{socket.gethostname()}:{os.getpid()}"
ERROR_MAX = 2000
KEEP = dt.timedelta(days=90)  # run records older than this are deleted by the job scheduler.prune


def register_jobs(app: App) -> None:
    """Register every declared job on the procrastinate app (PROCRASTINATE_ON_APP_READY)."""
    chosen = settings.MAPSERVER_SCHEDULER_JOBS
    for job in registry.jobs().values():
        if not chosen or job.name in chosen:
            _register(app, job)


def _register(app: App, job: Job) -> None:
    def run(context: JobContext, timestamp: int | None = None) -> None:
        attempts = context.job.attempts if context.job else 0
        tick = dt.datetime.fromtimestamp(timestamp, dt.UTC) if timestamp is not None else None
        execute(job, attempt=attempts + 1, tick=tick)

    run.__name__ = run.__qualname__ = job.name.replace(".", "_")
    retry = RetryStrategy(max_attempts=job.max_attempts - 1, wait=int(job.retry_wait.total_seconds()))
    task = app.task(
        name=job.name,
        queue=QUEUE,
        lock=job.name,
        queueing_lock=job.name,
        pass_context=True,
        retry=retry if job.max_attempts > 1 else False,
    )(run)
    app.periodic(cron=registry.cron_of(job.every), periodic_id=job.name)(task)


def execute(job: Job, attempt: int = 1, tick: dt.datetime | None = None) -> JobRun:
    """Run the job's function once and record the attempt (a failure is recorded, then raised for the retry)."""
    record = JobRun.objects.create(
        name=job.name, tick=tick, attempt=attempt, max_attempts=job.max_attempts, worker=WORKER
    )
    try:
        summary = registry.function_of(job)()
    except Exception as exc:
        log.exception("job %s failed (attempt %d of %d)", job.name, attempt, job.max_attempts)
        record.status, record.error = JobRun.FAILED, f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
        record.finished_at = timezone.now()
        record.save(update_fields=["status", "error", "finished_at"])
        raise
    record.status, record.summary, record.finished_at = JobRun.SUCCEEDED, _json(summary), timezone.now()
    record.save(update_fields=["status", "summary", "finished_at"])
    # TODO(h18a): increment the "scheduler jobs" counter of mapserver/metrics.py here, labelled by name and status
    return record


def _json(value: Any) -> Any:
    """The summary as JSON (finite numbers only; anything else as its text)."""
    try:
        return json.loads(dumps(value))
    except (TypeError, ValueError):
        return {"text": str(value)[:ERROR_MAX]}


def prune_runs() -> dict:
    """Delete the run records older than KEEP (the job `scheduler.prune`)."""
    deleted, _ = JobRun.objects.filter(started_at__lt=timezone.now() - KEEP).delete()
    return {"deleted": deleted, "kept_days": KEEP.days}
