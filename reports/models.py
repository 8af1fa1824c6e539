"""Reports, their categories, channel keys, transitions, and the reporters' contact kept in its own table."""

from __future__ import annotations

import secrets

from django.contrib.gis.db import models
from django.utils import timezone

from geodata.vocabularies import OPEN311_STATUS, REPORT_STATUS
from mapserver.models import hash_token

# Workflow states (Status.RECEIVED ... Status.DUPLICATE), declared once as the REPORT_STATUS vocabulary; the first
# four are open in Open311 terms, the rest closed.
Status = models.TextChoices("Status", [(str(v.value).upper(), (v.value, v.vi)) for v in REPORT_STATUS.values])


OPEN_STATES = (Status.RECEIVED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS)


class ServiceCategory(models.Model):
    """An Open311 service: a kind of report, the sector and department that handle it, and its SLA."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=160)
    name_en = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    group = models.CharField(max_length=64)
    keywords = models.CharField(max_length=200, blank=True)
    sector = models.CharField(max_length=64)  # matches Account.sectors of the department's staff
    department = models.CharField(max_length=160)
    sla_hours = models.PositiveIntegerField()
    attributes = models.JSONField(default=list, blank=True)  # Open311 attribute definitions
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code


class ApiKey(models.Model):
    """The key of one submission channel (citizen portal, hotline 1022, Zalo, the commune staff app)."""

    name = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=32)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    @classmethod
    def issue(cls, name: str, channel: str) -> tuple[ApiKey, str]:
        """Create (or re-key) the channel's key and return the raw key, shown once."""
        raw = "rk_" + secrets.token_urlsafe(24)
        key, _ = cls.objects.update_or_create(  # stored only as its SHA-256 digest, like API tokens
            name=name, defaults={"channel": channel, "digest": hash_token(raw), "prefix": raw[:8], "revoked_at": None}
        )
        return key, raw


class FieldReport(models.Model):
    """One report: what, where, who handles it and its state. No reporter identity here (see Reporter)."""

    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    description = models.TextField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    geom = models.PointField(srid=4326)
    commune_code = models.CharField(max_length=8, db_index=True)
    commune_name = models.CharField(max_length=128)
    sector = models.CharField(max_length=64, db_index=True)
    department = models.CharField(max_length=160)
    agency_responsible = models.CharField(max_length=300)
    assigned_to = models.CharField(max_length=160, blank=True)
    status_notes = models.TextField(blank=True)  # public explanation of the state (Open311 status_notes)
    media_url = models.CharField(max_length=500, blank=True)  # an external photo URL given by the channel
    photo = models.CharField(max_length=64, blank=True)  # file name of an uploaded photo (reports.photos)
    attributes = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=64)
    client_ref = models.CharField(max_length=64, blank=True)  # idempotency key of an offline-queued submission
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)  # the reporter's words: staff API only
    rated_at = models.DateTimeField(null=True, blank=True)
    token_salt = models.CharField(max_length=32, default="")
    token_digest = models.CharField(max_length=64, unique=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="report_rating_1_5",
            ),
            models.UniqueConstraint(
                fields=["channel", "client_ref"], condition=~models.Q(client_ref=""), name="report_unique_client_ref"
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def overdue(self) -> bool:
        """Open and past its SLA due date."""
        return self.is_open and self.due_at < timezone.now()


class Reporter(models.Model):
    """The reporter's contact, apart from the report; shown only to the handling unit's staff and admins."""

    report = models.OneToOneField(FieldReport, on_delete=models.CASCADE, primary_key=True, related_name="reporter")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.CharField(max_length=254, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    staff_username = models.CharField(max_length=150, blank=True)  # commune staff who filed it


class Transition(models.Model):
    """One step of a report's workflow: from which state to which, who, when and why."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    at = models.DateTimeField(default=timezone.now)
    by_username = models.CharField(max_length=150)
    by_role = models.CharField(max_length=32, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class PublicReport(models.Model):
    """The public face of a report (database view reports_public): what the map, tiles and OGC API publish."""

    service_code = models.CharField(max_length=32)
    service_name = models.CharField(max_length=160)
    status = models.CharField(max_length=16, choices=Status.choices)
    open311_status = models.CharField(max_length=8, choices=OPEN311_STATUS.choices)
    status_notes = models.TextField()
    description = models.TextField()
    address = models.CharField(max_length=300)
    commune_code = models.CharField(max_length=8)
    commune_name = models.CharField(max_length=128)
    department = models.CharField(max_length=160)
    agency_responsible = models.CharField(max_length=300)
    requested_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    due_at = models.DateTimeField()
    overdue = models.BooleanField()
    rating = models.PositiveSmallIntegerField(null=True)
    media_url = models.CharField(max_length=500)
    synthetic = models.BooleanField()
    geom = models.PointField(srid=4326)

    class Meta:
        managed = False
        db_table = "reports_public"
