"""Indicators of decision 456/QĐ-UBND: definitions with targets and values per commune and period."""

import re

from django.db import models

# The stored form of a period: 2026 (year), 2026-Q1 (quarter) or 2026-03 (month); groups: year, month, quarter.
PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$")


class Indicator(models.Model):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=32)
    sector = models.CharField(max_length=32)
    department = models.CharField(max_length=160)
    target = models.FloatField()
    higher_is_better = models.BooleanField(default=True)
    period_kind = models.CharField(max_length=8, default="month")  # month / quarter / year
    synthetic = models.BooleanField(default=False)


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    commune_code = models.CharField(max_length=8, db_index=True)
    period = models.CharField(max_length=8)  # 2026-03, 2026-Q1, 2026
    value = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "commune_code", "period"], name="uniq_indicator_value")
        ]
