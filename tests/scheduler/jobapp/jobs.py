"""Jobs of the test app the worker tests install (MAPSERVER_EXTRA_APPS=tests.scheduler.jobapp)."""

from datetime import timedelta

from mapserver.jobs import Job

JOBS = [
    Job("jobapp.tick", every=timedelta(seconds=1), run="tests.scheduler.jobapp.work:tick", max_attempts=1),
    Job(
        "jobapp.flaky",
        every=timedelta(minutes=1),
        run="tests.scheduler.jobapp.work:flaky",
        retry_wait=timedelta(seconds=1),
    ),
    Job(
        "jobapp.broken",
        every=timedelta(minutes=1),
        run="tests.scheduler.jobapp.work:broken",
        max_attempts=3,
        retry_wait=timedelta(seconds=1),
    ),
]
