"""Periodic jobs of the sensors app (collected by the scheduler from each app's JOBS)."""

from datetime import timedelta

from mapserver.jobs import Job

JOBS = [Job(name="sensors.silent", every=timedelta(minutes=5), run="sta.silent:check_silent")]
