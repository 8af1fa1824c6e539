"""The collected jobs, their cron lines, and GET /api/jobs[/{name}/runs] (administrators only)."""

from __future__ import annotations

import datetime as dt

import croniter
import pytest
from django.core.exceptions import ImproperlyConfigured

from mapserver.jobs import Job
from scheduler import registry, tasks
from scheduler.models import JobRun


def test_every_app_s_jobs_are_collected():
    jobs = registry.jobs()
    assert {"scenarios.periodic", "cameras.health", "scheduler.prune"} <= set(jobs)
    assert all(isinstance(j, Job) and callable(registry.function_of(j)) for j in jobs.values())


@pytest.mark.parametrize(
    "every",
    [
        dt.timedelta(seconds=1),
        dt.timedelta(seconds=20),
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=15),
        dt.timedelta(hours=1),
        dt.timedelta(hours=6),
        dt.timedelta(days=1),
    ],
)
def test_an_interval_becomes_a_cron_line_firing_at_that_interval(every):
    start = dt.datetime(2026, 11, 1, 0, 0, 0, tzinfo=dt.UTC)
    line = croniter.croniter(registry.cron_of(every), start)
    fires = [line.get_next(dt.datetime) for _ in range(4)]
    assert all(b - a == every for a, b in zip(fires, fires[1:]))


@pytest.mark.parametrize("every", [dt.timedelta(seconds=7), dt.timedelta(minutes=7), dt.timedelta(days=2),
                                   dt.timedelta(seconds=0.5), dt.timedelta(0)])  # fmt: skip
def test_an_interval_that_no_cron_line_keeps_is_refused(every):
    with pytest.raises(ImproperlyConfigured):
        registry.cron_of(every)


@pytest.mark.django_db
def test_a_run_is_recorded_with_its_summary_or_its_error():
    job = registry.jobs()["cameras.health"]
    record = tasks.execute(job, tick=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    assert record.status == JobRun.SUCCEEDED and {"probed", "dead", "raised", "cleared"} <= set(record.summary)
    assert record.tick == dt.datetime(2026, 11, 1, tzinfo=dt.UTC) and record.finished_at >= record.started_at
    broken = Job("scheduler.broken", every=dt.timedelta(minutes=1), run="scheduler.registry:no_such_function")
    with pytest.raises(ImportError):
        tasks.execute(broken, attempt=3)
    failed = JobRun.objects.get(name="scheduler.broken")
    assert (failed.status, failed.attempt, failed.will_retry) == (JobRun.FAILED, 3, False)
    assert failed.error.startswith("ImportError") and failed.finished_at


@pytest.mark.django_db
def test_the_jobs_api_lists_jobs_and_runs_for_administrators(api):
    job = registry.jobs()["cameras.health"]
    done = tasks.execute(job)
    listed = {j["name"]: j for j in api("t_admin").get("/api/jobs").json()["jobs"]}
    assert set(listed) == set(registry.jobs())
    camera = listed["cameras.health"]
    assert (camera["every_s"], camera["cron"], camera["last_run"]["id"]) == (300, "*/5 * * * *", done.id)
    assert listed["scenarios.periodic"]["last_run"] is None
    runs = api("t_admin").get("/api/jobs/cameras.health/runs").json()["runs"]
    assert runs[0]["id"] == done.id and runs[0]["status"] == "succeeded" and runs[0]["summary"] == done.summary
    assert {"name", "started", "finished", "status", "error", "summary"} <= set(runs[0])
    assert api("t_admin").get("/api/jobs/cameras.health/runs?status=failed").json()["runs"] == []
    assert api("t_admin").get("/api/jobs/cameras.health/runs?status=odd").status_code == 400
    assert api("t_admin").get("/api/jobs/cameras.health/runs?limit=0").status_code == 400
    assert api("t_admin").get("/api/jobs/no.such/runs").status_code == 404
    assert api("t_leader").get("/api/jobs").status_code == 403
    assert api().get("/api/jobs").status_code == 401


@pytest.mark.django_db
def test_old_run_records_are_pruned():
    now = dt.datetime.now(dt.UTC)
    old = JobRun.objects.create(name="cameras.health", started_at=now - tasks.KEEP - dt.timedelta(hours=1))
    recent = JobRun.objects.create(name="cameras.health", started_at=now - tasks.KEEP + dt.timedelta(hours=1))
    record = tasks.execute(registry.jobs()["scheduler.prune"])
    assert record.summary["deleted"] >= 1
    assert not JobRun.objects.filter(pk=old.pk).exists() and JobRun.objects.filter(pk=recent.pk).exists()
