"""List or export the audit log, filtered by user, action, layer and time (newest first)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from mapserver import audit
from mapserver.models import AuditEntry

DEFAULT_LIMIT = 1000
COLUMNS = (
    "at",
    "username",
    "role",
    "action",
    "layer_id",
    "feature_id",
    "client_address",
    "user_agent",
    "token_id",
    "detail",
)


def parse_moment(raw: str, name: str, end: bool) -> dt.datetime:
    """An ISO date or date-time; without an offset it is Asia/Ho_Chi_Minh time (TIME_ZONE). A bare date is the
    start of that day for --since and the start of the next day (exclusive) for --until."""
    try:
        value = parse_datetime(raw)
        day = parse_date(raw) if value is None else None
    except ValueError:
        value = day = None
    if value is None and day is None:
        raise CommandError(
            f"{name} must be an ISO date or date-time (2026-03-01, 2026-03-01T08:00, "
            f"2026-03-01T08:00+07:00), got {raw!r}"
        )
    if value is None:
        value = dt.datetime.combine(day + dt.timedelta(days=1) if end else day, dt.time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def filtered(
    user: str | None, actions: list[str], layer: str | None, since: dt.datetime | None, until: dt.datetime | None
) -> QuerySet[AuditEntry]:
    """Entries by or about the user (actor, target of an account action, name tried at a failed log-in)."""
    entries = AuditEntry.objects.order_by("-at", "-id")
    if user:
        entries = entries.filter(Q(username=user) | Q(detail__user=user) | Q(detail__attempted_username=user))
    if actions:
        entries = entries.filter(action__in=actions)
    if layer:
        entries = entries.filter(layer_id=layer)
    if since:
        entries = entries.filter(at__gte=since)
    if until:
        entries = entries.filter(at__lt=until)
    return entries


def as_row(entry: AuditEntry) -> dict[str, Any]:
    """One entry with its time in the province's time zone."""
    return {
        "at": timezone.localtime(entry.at).isoformat(timespec="seconds"),
        "username": entry.username,
        "role": entry.role,
        "action": entry.action,
        "layer_id": entry.layer_id,
        "feature_id": entry.feature_id,
        "client_address": entry.client_address,
        "user_agent": entry.user_agent,
        "token_id": entry.token_id,
        "detail": entry.detail,
    }


@contextmanager
def opened(output: str | None, stdout) -> Iterator[TextIO]:
    """The output file, or the command's standard output (with no line ending added to each write)."""
    if not output:
        ending, stdout.ending = stdout.ending, ""
        try:
            yield stdout
        finally:
            stdout.ending = ending
        return
    try:
        with Path(output).open("w", encoding="utf-8", newline="") as stream:
            yield stream
    except OSError as exc:
        raise CommandError(f"cannot write {output}: {exc.strerror}") from None


def write_text(rows, stream: TextIO) -> None:
    for row in rows:
        detail = " ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in row["detail"].items())
        stream.write(
            "  ".join(
                [
                    row["at"],
                    row["username"],
                    row["role"] or "-",
                    row["action"],
                    row["layer_id"] or "-",
                    row["feature_id"] or "-",
                    row["client_address"] or "-",
                    detail,
                ]
            ).rstrip()
            + "\n"
        )


def write_csv(rows, stream: TextIO) -> None:
    writer = csv.DictWriter(stream, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "detail": json.dumps(row["detail"], ensure_ascii=False, sort_keys=True)})


def write_json(rows, stream: TextIO) -> None:
    stream.write("[")
    for index, row in enumerate(rows):
        stream.write(("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False, sort_keys=True))
    stream.write("\n]\n")


WRITERS = {"text": write_text, "csv": write_csv, "json": write_json}


class Command(BaseCommand):
    help = (
        "List (--format text) or export (--format csv|json, --output FILE) audit entries, newest first, "
        "filtered by --user, --action, --layer, --since, --until."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", help="entries by or about this username")
        parser.add_argument(
            "--action",
            action="append",
            default=[],
            help="action (repeatable or comma-separated), e.g. denied,read_personal",
        )
        parser.add_argument("--layer", help="layer id, e.g. houses")
        parser.add_argument("--since", help="from this ISO date/time (Asia/Ho_Chi_Minh when no offset)")
        parser.add_argument("--until", help="before this ISO date/time; a date includes that whole day")
        parser.add_argument(
            "--limit",
            type=int,
            default=DEFAULT_LIMIT,
            help=f"at most this many of the newest entries (default {DEFAULT_LIMIT}; 0: all)",
        )
        parser.add_argument("--format", choices=sorted(WRITERS), default="text")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, user, action, layer, since, until, limit, format, output, **options):
        if limit < 0:
            raise CommandError("--limit must be 0 (all) or a positive number")
        actions = sorted({a.strip() for item in action for a in item.split(",") if a.strip()})
        start = parse_moment(since, "--since", end=False) if since else None
        end = parse_moment(until, "--until", end=True) if until else None
        if start and end and start >= end:
            raise CommandError("--since must be before --until")
        entries = filtered(user, actions, layer, start, end)
        total = entries.count()
        selected = entries[:limit] if limit else entries
        shown = min(total, limit) if limit else total
        with opened(output, self.stdout) as stream:
            WRITERS[format]((as_row(e) for e in selected.iterator(chunk_size=2000)), stream)
        # Reading the log is itself on the record (the security officer sees who exported what).
        audit.record(
            audit.system_principal(),
            "audit_read",
            count=shown,
            format=format,
            output=output or "",
            filters={"user": user, "action": actions, "layer": layer, "since": since, "until": until},
        )
        if shown < total:
            self.stderr.write(f"{shown} of {total} entries (the newest); use --limit 0 or narrower filters for all")
        elif output:
            self.stderr.write(f"{shown} entries written to {output}")
