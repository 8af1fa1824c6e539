"""Periodic jobs of the indicators app (collected by the platform's scheduler)."""

from datetime import timedelta

from mapserver.jobs import Job

JOBS = [Job(name="indicators.tracker", every=timedelta(hours=1), run="indicators.tracker:run_job")]
