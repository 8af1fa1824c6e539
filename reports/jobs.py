"""Periodic jobs of the reports app (collected by the scheduler; record type mapserver.jobs.Job)."""

from datetime import timedelta

from mapserver.jobs import Job

JOBS = [Job(name="reports.overdue", every=timedelta(minutes=5), run="reports.sla:overdue_alerts")]
