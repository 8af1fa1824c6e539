"""Shared columns: the commune a feature lies in, change stamps, and the synthetic flag."""

from django.db import models
from django.utils import timezone


class FeatureBase(models.Model):
    """Every sector feature sits in one 2025 commune (for scoping) and records when it changed."""

    commune_code = models.CharField(max_length=8, db_index=True, blank=True, default="")
    synthetic = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)
