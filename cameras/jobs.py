"""The cameras app's periodic jobs (collected by the scheduler)."""

from datetime import timedelta

from mapserver.jobs import Job

JOBS = [
    Job("cameras.health", every=timedelta(minutes=15), run="cameras.check:scheduled_check", max_attempts=2),
]
