"""The scheduler's own periodic job: forgetting old run records."""

from datetime import timedelta

from mapserver.jobs import Job

JOBS = [
    Job("scheduler.prune", every=timedelta(days=1), run="scheduler.tasks:prune_runs"),
]
