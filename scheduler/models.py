"""One recorded attempt of a periodic job."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class JobRun(models.Model):
    """One attempt of a job: when, where, how it ended (a failed attempt is retried while attempts remain)."""

    RUNNING, SUCCEEDED, FAILED = "running", "succeeded", "failed"
    STATUSES = [(RUNNING, RUNNING), (SUCCEEDED, SUCCEEDED), (FAILED, FAILED)]

    name = models.CharField(max_length=100)
    tick = models.DateTimeField(null=True)  # the periodic time it ran for (None: run on request)
    attempt = models.PositiveSmallIntegerField(default=1)
    max_attempts = models.PositiveSmallIntegerField(default=1)
    worker = models.CharField(max_length=200, blank=True)  # host:pid of the worker process
    status = models.CharField(max_length=16, choices=STATUSES, default=RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True)
    error = models.TextField(blank=True)
    summary = models.JSONField(null=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["name", "-started_at"])]

    @property
    def will_retry(self) -> bool:
        """A failed attempt that the queue will try again."""
        return self.status == self.FAILED and self.attempt < self.max_attempts
