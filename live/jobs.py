"""Periodic jobs of the live app (collected by the scheduler from each app's JOBS)."""

from datetime import timedelta

from mapserver.jobs import Job

JOBS = [Job(name="alerts.notify", every=timedelta(minutes=1), run="live.notify:send_pending")]
