"""The scenarios app's periodic jobs (collected by the scheduler)."""

from datetime import timedelta

from mapserver.jobs import Job

JOBS = [
    # every minute it looks for the scenarios whose own schedule (schedule_minutes, adjustable) is due
    Job("scenarios.periodic", every=timedelta(minutes=1), run="scenarios.periodic:run_due"),
]
