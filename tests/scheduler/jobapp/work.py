"""What the test jobs do: take a while, fail once, fail always."""

import os
import time

from scheduler.models import JobRun


def tick() -> dict:
    """Takes longer than its own interval (1 s)."""
    time.sleep(1.5)  # longer than its interval: without the lock, runs of consecutive ticks would overlap
    return {"pid": os.getpid()}


def flaky() -> dict:
    """Fails on its first attempt of a tick, succeeds on the retry."""
    if not JobRun.objects.filter(name="jobapp.flaky", status=JobRun.FAILED).exists():
        raise RuntimeError("first attempt fails")
    return {"ok": True}


def broken() -> None:
    """Always fails."""
    raise ValueError("always broken")
