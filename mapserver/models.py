"""Accounts: each user's role and scope, API tokens, and the audit log."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị"
    LEADER = "leader", "Lãnh đạo"
    PLANNER = "planner", "Quy hoạch"
    DEPARTMENT_STAFF = "department_staff", "Cán bộ sở ngành"
    COMMUNE_STAFF = "commune_staff", "Cán bộ xã/phường"
    EXTERNAL_CLIENT = "external_client", "Hệ thống bên ngoài"


class Account(models.Model):
    """A user's role and scope: the commune (commune staff), sectors (department staff), layer grants."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    role = models.CharField(max_length=32, choices=Role.choices)
    commune_code = models.CharField(max_length=8, blank=True, default="")
    sectors = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    granted_layers = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    locked = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user.username} ({self.role})"


def hash_token(raw: str) -> str:
    """Tokens are stored only as their SHA-256 digest."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token; only its digest is stored, so a database leak reveals no usable token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)  # None: never (only when issued so on purpose)

    @classmethod
    def issue(cls, user, expires_at=None) -> tuple[ApiToken, str]:
        """Create a token for the user and return it with its raw value (shown once); expires_at None: never."""
        raw = "ms_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, digest=hash_token(raw), prefix=raw[:8], expires_at=expires_at)
        return token, raw

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class AuditEntry(models.Model):
    """Who did what to which layer/feature, and when (non-repudiation, Regulation 430 Art. 13)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=32)
    layer_id = models.CharField(max_length=64, blank=True)
    feature_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True, default="")
    token_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["username", "at"]), models.Index(fields=["action", "at"])]


class RateCounter(models.Model):
    """One fixed-window request counter per (bucket, caller), shared by every worker (mapserver.ratelimit)."""

    bucket = models.CharField(max_length=32)
    caller = models.CharField(max_length=64)  # "user:<id>" or "addr:<address or IPv6 /64>"
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bucket", "caller"], name="mapserver_ratecounter_key")]
        indexes = [models.Index(fields=["window_start"], name="mapserver_ratecounter_age")]
