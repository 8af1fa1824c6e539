"""Two real procrastinate worker processes on the test database: a due job runs once per tick and never twice at
once; a failed run is recorded and retried, a bounded number of times."""

from __future__ import annotations

import configparser
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from scheduler.models import JobRun

ROOT = Path(__file__).resolve().parents[2]
TEST_JOBS = ("jobapp.tick", "jobapp.flaky", "jobapp.broken")


def _conninfo() -> str:
    s = connection.settings_dict
    return f"host={s['HOST']} port={s['PORT']} dbname={s['NAME']} user={s['USER']} password={s['PASSWORD']}"


def _forget_test_jobs() -> None:
    """Remove what earlier runs of this test committed (its own autocommit connection: the rows are committed)."""
    with psycopg.connect(_conninfo(), autocommit=True) as conn:
        conn.execute("DELETE FROM scheduler_jobrun WHERE name LIKE 'jobapp.%%'")
        conn.execute("DELETE FROM procrastinate_periodic_defers WHERE task_name LIKE 'jobapp.%%'")
        conn.execute("DELETE FROM procrastinate_jobs WHERE task_name LIKE 'jobapp.%%'")


def _deployed_command() -> list[str]:
    """The worker command line supervisord runs (deploy/supervisor.d/scheduler.conf), as a list."""
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(ROOT / "deploy" / "supervisor.d" / "scheduler.conf")
    return shlex.split(conf["program:scheduler"]["command"])


def _worker() -> subprocess.Popen:
    s = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgis://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}",
        "MAPSERVER_EXTRA_APPS": "tests.scheduler.jobapp",
        "MAPSERVER_SCHEDULER_JOBS": ",".join(TEST_JOBS),  # not the real jobs (periodic scenarios, cameras)
    }
    # the command of deploy/supervisor.d/scheduler.conf, polling more often for the retries' short waits
    command = [sys.executable, *_deployed_command()[1:], "--fetch-job-polling-interval", "0.5"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _finished() -> bool:
    runs = JobRun.objects.filter(name__in=TEST_JOBS).exclude(status=JobRun.RUNNING)
    return (
        runs.filter(name="jobapp.tick").count() >= 4
        and runs.filter(name="jobapp.flaky", status=JobRun.SUCCEEDED).exists()
        and runs.filter(name="jobapp.broken").count() >= 3
    )


@pytest.fixture(scope="module")
def two_workers(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield from _run_two_workers()


def _run_two_workers():
    _forget_test_jobs()
    workers = [_worker(), _worker()]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _finished():
            assert all(w.poll() is None for w in workers), workers[0].stderr.read().decode()[-2000:]
            time.sleep(0.5)
        time.sleep(3)  # time enough for a fourth attempt of the broken job, if one were made
        yield workers
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            try:
                w.wait(timeout=30)
            except subprocess.TimeoutExpired:
                w.kill()
                w.wait()
        _forget_test_jobs()


def test_a_due_job_runs_once_per_tick_across_two_workers_and_never_twice_at_once(two_workers, db):
    runs = list(JobRun.objects.filter(name="jobapp.tick").exclude(status=JobRun.RUNNING).order_by("started_at"))
    assert len(runs) >= 4, "the workers did not run the every-second job"
    ticks = [r.tick for r in runs]
    assert len(ticks) == len(set(ticks)), "a tick ran twice"
    assert all(r.status == JobRun.SUCCEEDED and r.summary["pid"] for r in runs)
    for before, after in zip(runs, runs[1:]):
        assert after.started_at >= before.finished_at, f"runs overlapped: {before.worker} and {after.worker}"


def test_a_failed_run_is_recorded_and_retried(two_workers, db):
    first, second = JobRun.objects.filter(name="jobapp.flaky").order_by("started_at")[:2]
    assert (first.status, first.attempt, first.error) == (JobRun.FAILED, 1, "RuntimeError: first attempt fails")
    assert first.will_retry and first.finished_at is not None
    assert (second.status, second.attempt, second.tick) == (JobRun.SUCCEEDED, 2, first.tick)


def test_retries_are_bounded(two_workers, db):
    first_tick = JobRun.objects.filter(name="jobapp.broken").order_by("started_at").first().tick
    attempts = list(JobRun.objects.filter(name="jobapp.broken", tick=first_tick).order_by("attempt"))
    assert [(a.attempt, a.status) for a in attempts] == [(1, "failed"), (2, "failed"), (3, "failed")]
    assert all(a.error == "ValueError: always broken" for a in attempts)
    assert [a.will_retry for a in attempts] == [True, True, False]
