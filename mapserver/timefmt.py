"""The one way instants are written in API answers: a w3c date-time with the province's offset (+07:00)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def iso(value: datetime | None) -> str | None:
    """A w3c date-time with the province's offset (+07:00), or None."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None
