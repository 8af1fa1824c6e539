"""GET /api/jobs (every declared job and its last run) and GET /api/jobs/{name}/runs (its recorded attempts):
administrators only."""

from __future__ import annotations

from django.http import HttpRequest
from django.views.decorators.http import require_GET

from mapserver.errors import InvalidParameterValue, NotFound
from mapserver.jobs import Job
from mapserver.jsonio import JsonResponse
from mapserver.scoping import require_admin
from scheduler import registry
from scheduler.models import JobRun

RUNS_LIMIT = 500


def run_document(run: JobRun) -> dict:
    """One recorded attempt as the API shows it."""
    return {
        "id": run.id,
        "name": run.name,
        "tick": run.tick,
        "started": run.started_at,
        "finished": run.finished_at,
        "status": run.status,
        "attempt": run.attempt,
        "max_attempts": run.max_attempts,
        "will_retry": run.will_retry,
        "worker": run.worker,
        "error": run.error,
        "summary": run.summary,
    }


def job_document(job: Job, last: JobRun | None) -> dict:
    """A declared job with its schedule and last attempt."""
    return {
        "name": job.name,
        "every_s": int(job.every.total_seconds()),
        "cron": registry.cron_of(job.every),
        "run": job.run,
        "max_attempts": job.max_attempts,
        "retry_wait_s": int(job.retry_wait.total_seconds()),
        "last_run": run_document(last) if last else None,
        "runs": f"/api/jobs/{job.name}/runs",
    }


@require_GET
def job_list(request: HttpRequest) -> JsonResponse:
    """Every declared job and its latest attempt."""
    require_admin(request.principal, "only administrators see the scheduler's jobs")
    declared = registry.jobs()
    latest = {
        r.name: r
        for r in JobRun.objects.filter(name__in=declared).order_by("name", "-started_at", "-id").distinct("name")
    }
    return JsonResponse({"jobs": [job_document(job, latest.get(name)) for name, job in declared.items()]})


@require_GET
def job_runs(request: HttpRequest, name: str) -> JsonResponse:
    """A job's recorded attempts, newest first (?status=succeeded|failed|running, ?limit=1..500, default 50)."""
    require_admin(request.principal, "only administrators see the scheduler's jobs")
    if name not in registry.jobs():
        raise NotFound(f"no job {name!r}")
    runs = JobRun.objects.filter(name=name)
    status = request.GET.get("status")
    if status:
        if status not in {s for s, _ in JobRun.STATUSES}:
            raise InvalidParameterValue(f"status must be one of {[s for s, _ in JobRun.STATUSES]}")
        runs = runs.filter(status=status)
    raw = request.GET.get("limit", "50")
    if not raw.isdigit() or not 1 <= int(raw) <= RUNS_LIMIT:
        raise InvalidParameterValue(f"limit must be an integer from 1 to {RUNS_LIMIT}")
    return JsonResponse({"name": name, "runs": [run_document(r) for r in runs[: int(raw)]]})
