"""The cameras app's periodic jobs (collected by the scheduler)."""

from datetime import timedelta

from mapserver.jobs import Job

JOBS = [
    Job(name="cameras.health", every=timedelta(minutes=5), run="cameras.health_job:recheck"),
    Job(name="cameras.gateway_reap", every=timedelta(minutes=1), run="cameras.gateway:reap"),
]
